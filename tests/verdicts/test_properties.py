"""Properties of the verdict rules that must hold for every input, checked with hypothesis."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from qualityhub.verdicts import (
    CharacteristicInput,
    Choice,
    InspectionVerdict,
    Judgement,
    Limit,
    TolerancePosition,
    Verdict,
    evaluate_characteristic,
    format_value,
    inspection_verdict,
    limit_text,
    tolerance_position,
)

PASSING = {Verdict.PASS, Verdict.MARGINAL}

# Limits with at most 2 places, values with up to 6: rounding at 2+ places never moves a value
# across a limit that is itself representable at that precision.
limit_values = st.decimals(min_value=-1000, max_value=1000, places=2)
fine_values = st.decimals(min_value=-2000, max_value=2000, places=6)
precisions = st.one_of(st.none(), st.integers(min_value=2, max_value=8))


widths = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2)
offsets = st.decimals(min_value=0, max_value=1000, places=6)


@st.composite
def ordered_limits(draw) -> tuple[Decimal, Decimal]:
    low = draw(limit_values)
    return low, low + draw(widths)


@st.composite
def inside(draw, bounds: tuple[Decimal, Decimal]) -> Decimal:
    """A value strictly between the bounds."""
    low, high = bounds
    offset = draw(st.decimals(min_value=0, max_value=high - low, places=6))
    assume(low < low + offset < high)
    return low + offset


@st.composite
def outside(draw, bounds: tuple[Decimal, Decimal], strictly: bool) -> Decimal:
    """A value below or above the bounds (or on them, unless ``strictly``)."""
    low, high = bounds
    offset = draw(offsets)
    assume(offset > 0 or not strictly)
    return low - offset if draw(st.booleans()) else high + offset


limits_and_inside = ordered_limits().flatmap(lambda b: st.tuples(st.just(b), inside(b)))


def numeric(
    value: Decimal | None,
    limits: list[Limit],
    precision: int | None = None,
    target: Decimal | None = None,
) -> CharacteristicInput:
    return CharacteristicInput("numeric", True, target, precision, limits, value, None)


def two_sided(low: Decimal, high: Decimal, lower_op: str, upper_op: str) -> list[Limit]:
    return [Limit("min", lower_op, low), Limit("max", upper_op, high)]


@given(limits_and_inside, precisions)
def test_a_value_inside_inclusive_limits_always_passes_or_is_marginal(
    bounds_and_value, precision
) -> None:
    (low, high), value = bounds_and_value
    result = evaluate_characteristic(numeric(value, two_sided(low, high, "ge", "le"), precision))
    assert result.verdict in PASSING, result.reason


@given(ordered_limits().flatmap(lambda b: st.tuples(st.just(b), outside(b, strictly=True))))
def test_a_value_outside_inclusive_limits_always_fails(bounds_and_value) -> None:
    (low, high), value = bounds_and_value
    result = evaluate_characteristic(numeric(value, two_sided(low, high, "GE", "LE")))
    assert result.verdict == Verdict.FAIL
    assert result.reason


@given(
    ordered_limits().flatmap(lambda b: st.tuples(st.just(b), outside(b, strictly=False))),
    precisions,
)
def test_a_value_outside_or_on_strict_limits_always_fails_at_any_precision(
    bounds_and_value, precision
) -> None:
    (low, high), value = bounds_and_value
    result = evaluate_characteristic(numeric(value, two_sided(low, high, "gt", "lt"), precision))
    assert result.verdict == Verdict.FAIL


operator_text = st.one_of(
    st.sampled_from(["gt", "GE", "lt", "Le", "eq", "NE", "gt_or_eq", "LT_OR_EQ", "not_eq"]),
    st.text(max_size=12),
)
any_decimal = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-10, max_value=10, places=3),
    st.sampled_from(
        [
            Decimal("NaN"),
            Decimal("-NaN"),
            Decimal("sNaN"),
            Decimal("-Infinity"),
            Decimal("1E+999999"),
            Decimal("1E-999999"),
            Decimal("-0"),
        ]
    ),
)
any_limit = st.builds(
    Limit,
    limit_type=st.one_of(st.sampled_from(["min", "MAX", " max "]), st.text(max_size=6)),
    operator=operator_text,
    value=any_decimal,
)
any_characteristic = st.builds(
    CharacteristicInput,
    value_type=st.one_of(
        st.sampled_from(["numeric", "NUMERIC", "choice", "decision", "none"]), st.text(max_size=8)
    ),
    required=st.booleans(),
    target=any_decimal,
    precision=st.one_of(st.none(), st.integers(min_value=-30, max_value=40)),
    limits=st.lists(any_limit, max_size=4),
    recorded_numeric=any_decimal,
    recorded_code=st.one_of(st.none(), st.text(max_size=6)),
    choices=st.lists(
        st.builds(Choice, code=st.text(max_size=4), text=st.text(max_size=6)), max_size=3
    ),
)


@given(any_characteristic)
def test_any_input_gives_a_verdict_never_an_exception(characteristic) -> None:
    result = evaluate_characteristic(characteristic)
    assert isinstance(result, Judgement)
    assert result.verdict in set(Verdict)
    assert isinstance(result.reason, str)
    if result.verdict in (Verdict.INVALID, Verdict.FAIL, Verdict.MARGINAL):
        assert result.reason


@given(any_characteristic)
def test_the_display_helpers_never_raise_either(characteristic) -> None:
    assert isinstance(limit_text(characteristic.limits, characteristic.precision), str)
    assert isinstance(format_value(characteristic.recorded_numeric, characteristic.precision), str)
    bar = tolerance_position(
        characteristic.recorded_numeric, characteristic.limits, characteristic.target
    )
    assert isinstance(bar, TolerancePosition)
    if bar.position is not None:
        assert 0 <= bar.position <= 1


NON_FINITE = st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])


@given(st.lists(any_limit, max_size=4), any_decimal, NON_FINITE)
def test_a_non_finite_recorded_value_is_never_a_pass(limits, target, value) -> None:
    result = evaluate_characteristic(numeric(value, limits, target=target))
    assert result.verdict == Verdict.INVALID


@given(st.lists(any_limit, min_size=1, max_size=4), fine_values)
def test_an_unknown_operator_is_always_invalid(limits, value) -> None:
    limits = [*limits, Limit("max", "approximately", Decimal(1))]
    assert evaluate_characteristic(numeric(value, limits)).verdict == Verdict.INVALID


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["min", "max"]),
            st.sampled_from(["gt", "ge", "lt", "le", "eq", "ne"]),
            limit_values,
        ),
        max_size=3,
    ),
    fine_values,
    limit_values,
)
def test_without_precision_rounding_never_changes_a_verdict(limits, value, target) -> None:
    result = evaluate_characteristic(
        numeric(value, [Limit(*limit) for limit in limits], None, target)
    )
    assert result.rounding_changed_verdict is False
    assert result.rounded == value


@given(
    ordered_limits(),
    fine_values,
    st.integers(min_value=0, max_value=4),
    st.sampled_from(["gt", "ge"]),
    st.sampled_from(["lt", "le"]),
)
def test_rounding_changed_verdict_flags_exactly_when_the_raw_value_would_judge_differently(
    bounds, value, precision, lower_op, upper_op
) -> None:
    limits = two_sided(*bounds, lower_op, upper_op)
    rounded = evaluate_characteristic(numeric(value, limits, precision))
    raw = evaluate_characteristic(numeric(value, limits, None))
    flipped = (rounded.verdict in PASSING) != (raw.verdict in PASSING)
    assert rounded.rounding_changed_verdict is flipped


@given(
    ordered_limits(),
    fine_values,
    precisions,
    st.sampled_from(["gt", "ge"]),
    st.sampled_from(["lt", "le"]),
)
def test_marginal_means_passing_within_ten_percent_of_the_band(
    bounds, value, precision, lower_op, upper_op
) -> None:
    low, high = bounds
    result = evaluate_characteristic(
        numeric(value, two_sided(low, high, lower_op, upper_op), precision)
    )
    if result.verdict not in PASSING:
        return
    distance = min(result.rounded - low, high - result.rounded)
    within = distance * 10 <= high - low
    assert (result.verdict == Verdict.MARGINAL) is within


@given(limit_values, limit_values, fine_values, st.sampled_from(["lt", "le", "gt", "ge"]))
def test_one_sided_marginal_means_within_ten_percent_of_target_to_limit(
    limit, target, value, operator
) -> None:
    result = evaluate_characteristic(numeric(value, [Limit("max", operator, limit)], None, target))
    if result.verdict not in PASSING:
        return
    within = target != limit and abs(value - limit) * 10 <= abs(target - limit)
    assert (result.verdict == Verdict.MARGINAL) is within


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=5),
    st.integers(min_value=0, max_value=10**6),
)
def test_integer_choice_codes_match_by_value_regardless_of_leading_zeros(
    code, zeros, other
) -> None:
    characteristic = CharacteristicInput(
        "choice", True, Decimal(code), None, [], None, "0" * zeros + str(other)
    )
    result = evaluate_characteristic(characteristic)
    assert result.verdict == (Verdict.PASS if code == other else Verdict.FAIL)


verdict_strings = st.sampled_from([str(verdict) for verdict in Verdict])


@given(st.lists(st.tuples(st.booleans(), verdict_strings), max_size=8))
def test_an_inspection_fails_exactly_when_a_required_characteristic_fails(items) -> None:
    result = inspection_verdict(items)
    some_required_fail = any(required and verdict == "fail" for required, verdict in items)
    assert (result == InspectionVerdict.FAIL) is some_required_fail


@given(
    st.lists(st.tuples(st.booleans(), verdict_strings), max_size=8),
    st.lists(verdict_strings, max_size=4),
)
def test_optional_characteristics_never_change_an_inspection_with_required_ones(
    items, optional
) -> None:
    assume(any(required for required, _ in items))
    with_optional = [*items, *((False, verdict) for verdict in optional)]
    assert inspection_verdict(with_optional) == inspection_verdict(items)


@given(any_characteristic)
def test_the_verdict_does_not_depend_on_the_required_flag(characteristic) -> None:
    flipped = replace(characteristic, required=not characteristic.required)
    assert evaluate_characteristic(flipped) == evaluate_characteristic(characteristic)
