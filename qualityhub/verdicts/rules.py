"""QualityHub's own verdict on recorded values: pure functions, Decimal in, frozen dataclasses out.

Characteristic verdicts (:class:`~qualityhub.verdicts.choices.Verdict`):

``pending``
    Nothing recorded yet. Checked first, before anything else about the characteristic.
``invalid``
    Cannot be judged; ``reason`` says why. Never an exception, never a silent pass: an unknown
    operator or limit type, a limit without a value, a non-finite recorded value, limit or
    target, a precision outside 0..20, a value too large to round (about 1e975 and up), or a
    decision/none/unknown value type with both a recorded value and criteria.
``none``
    No criteria to judge against (no limits and no target).
``fail``
    Numeric: some limit does not hold for the value rounded to its precision (``reason`` names
    each broken limit, ``0.10 is not < 0.1``); target only: not equal to the target at the
    precision. Choice: the recorded code is not the expected one.
``marginal``
    A passing numeric value within 10% of the tolerance band of a limit (see
    :func:`evaluate_characteristic`).
``pass``
    Everything holds.

Inspection verdicts (:class:`~qualityhub.verdicts.choices.InspectionVerdict`): ``pass``,
``fail``, ``incomplete``; see :func:`inspection_verdict`.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from qualityhub.coupa.vocabulary import ValueType
from qualityhub.verdicts.choices import InspectionVerdict, Verdict
from qualityhub.verdicts.limits import Limit, ParsedLimit, parse_limits, tightest_bounds
from qualityhub.verdicts.numbers import (
    InvalidInput,
    exact_context,
    format_value,
    parse_precision,
    plain_number,
    round_half_up,
    to_decimal,
    to_finite_decimal,
)

PASS = Verdict.PASS
MARGINAL = Verdict.MARGINAL
FAIL = Verdict.FAIL
PENDING = Verdict.PENDING
NONE = Verdict.NONE
INVALID = Verdict.INVALID
INCOMPLETE = InspectionVerdict.INCOMPLETE

#: Verdicts that count as passing (for roll-ups and "would the raw value have passed").
PASSING = frozenset({Verdict.PASS, Verdict.MARGINAL})

#: A passing value this close to a limit, as a fraction of the tolerance band, is marginal.
MARGINAL_FRACTION = Decimal("0.1")


@dataclass(frozen=True)
class Choice:
    """One entry of a choice characteristic's list (Coupa's list of characteristic values)."""

    code: str
    text: str


@dataclass(frozen=True)
class CharacteristicInput:
    """What the rules need to know about one characteristic; the sync layer maps rows onto it.

    ``value_type`` is ``numeric``/``choice``/``decision``/``none`` in any casing (other strings
    possible). ``target`` is the expected result's number (for choice lines, the expected code),
    ``precision`` its count of decimal places. ``recorded_numeric`` / ``recorded_code`` are the
    recorded number / code (a decision line's recorded yes or no, if mapped, belongs in
    ``recorded_code``). Numbers may also come as int, str or float; any object with
    the same attribute names works in place of :class:`Limit` and :class:`Choice`.
    """

    value_type: str
    required: bool
    target: Decimal | None
    precision: int | None
    limits: Sequence[Limit]
    recorded_numeric: Decimal | None
    recorded_code: str | None
    choices: Sequence[Choice] = ()


@dataclass(frozen=True)
class Judgement:
    """A characteristic's verdict with its reason and what the UI shows next to it.

    ``rounded``: the numeric value judged (rounded to the precision when there is one).
    ``rounding_changed_verdict``: judging the unrounded value would have flipped pass/fail.
    ``chosen_text`` / ``expected_text`` / ``expected_code``: choice lines only; the texts are
    None when the code is not in the choice list.
    """

    verdict: Verdict
    reason: str = ""
    rounded: Decimal | None = None
    rounding_changed_verdict: bool = False
    chosen_text: str | None = None
    expected_text: str | None = None
    expected_code: str | None = None

    @property
    def passed(self) -> bool:
        """True for ``pass`` and ``marginal``."""
        return self.verdict in PASSING


def evaluate_characteristic(characteristic: CharacteristicInput) -> Judgement:
    """Judge one characteristic's recorded value. Never raises.

    Numeric: the recorded value is rounded half up to ``precision`` places (when given) and
    every limit must hold for it, operator as written (``gt ge lt le eq ne``, any casing, plus
    Coupa's query spellings ``gt_or_eq lt_or_eq not_eq``). Without limits but with a target,
    the value must equal the target, both rounded to the precision. A passing value is
    ``marginal`` when its distance to the nearest bounding limit is at most 10% of the band:
    two-sided, the band is upper minus lower limit; one-sided, the distance from the target
    (rounded) to that limit, and never marginal without a target or when the target equals the
    limit. Bounds are found by operator direction (``gt``/``ge`` from below, ``lt``/``le`` from
    above; the tightest one per side); ``eq``/``ne`` never make a value marginal.

    Choice: the recorded code against the target written as a code (``3.000000000`` → ``"3"``,
    ``2.5`` → ``"2.5"``). Codes that are both integers compare by value (``"03"`` = ``"3"``),
    anything else as exact stripped strings. A code missing from a non-empty choice list is
    still judged, with a note in the reason.

    Decision, none or unknown value types: ``pending`` when nothing is recorded, ``none``
    without criteria, otherwise ``invalid``.
    """
    try:
        value_type = characteristic.value_type
        kind = value_type.strip().lower() if isinstance(value_type, str) else ""
        if kind == ValueType.NUMERIC:
            return _evaluate_numeric(characteristic)
        if kind == ValueType.CHOICE:
            return _evaluate_choice(characteristic)
        return _evaluate_unjudgeable(characteristic, value_type)
    except InvalidInput as error:
        return Judgement(Verdict.INVALID, str(error))
    except ArithmeticError as error:  # a decimal signal we did not foresee: still no exception
        return Judgement(Verdict.INVALID, f"cannot evaluate: {error!r}")


# --- numeric -------------------------------------------------------------------------------


def _evaluate_numeric(c: CharacteristicInput) -> Judgement:
    recorded = to_finite_decimal(c.recorded_numeric, "recorded value")
    if recorded is None:
        return Judgement(Verdict.PENDING, "nothing recorded")
    precision = parse_precision(c.precision)
    rounded = recorded if precision is None else round_half_up(recorded, precision)
    limits = parse_limits(c.limits)
    target = to_finite_decimal(c.target, "target")
    if target is not None and precision is not None:
        target = round_half_up(target, precision)
    shown = format_value(rounded, precision)

    if not limits:
        if target is None:
            return Judgement(Verdict.NONE, "no criteria", rounded=rounded)
        passed, raw_passed = rounded == target, recorded == target
        changed = passed != raw_passed
        reason = "" if passed else f"{shown} is not the target {format_value(target, precision)}"
        return Judgement(
            Verdict.PASS if passed else Verdict.FAIL,
            _with_rounding_note(reason, changed, passed, recorded, shown, precision),
            rounded=rounded,
            rounding_changed_verdict=changed,
        )

    broken = [limit for limit in _min_first(limits) if not limit.holds_for(rounded)]
    raw_passed = all(limit.holds_for(recorded) for limit in limits)
    changed = (not broken) != raw_passed
    if broken:
        reason = "; ".join(f"{shown} is not {limit.text()}" for limit in broken)
        return Judgement(
            Verdict.FAIL,
            _with_rounding_note(reason, changed, False, recorded, shown, precision),
            rounded=rounded,
            rounding_changed_verdict=changed,
        )
    marginal_reason = _marginal_reason(rounded, shown, limits, target)
    reason = _with_rounding_note(marginal_reason or "", changed, True, recorded, shown, precision)
    return Judgement(
        Verdict.MARGINAL if marginal_reason else Verdict.PASS,
        reason,
        rounded=rounded,
        rounding_changed_verdict=changed,
    )


def _min_first(limits: list[ParsedLimit]) -> list[ParsedLimit]:
    return sorted(limits, key=lambda limit: limit.limit_type != "min")


def _with_rounding_note(
    reason: str, changed: bool, passed: bool, recorded: Decimal, shown: str, precision: int | None
) -> str:
    if not changed:
        return reason
    outcome = "passes" if passed else "fails"
    note = (
        f"{outcome} only after rounding {plain_number(recorded)} to {shown}"
        f" at precision {precision}"
    )
    return f"{reason}; {note}" if reason else note


def _marginal_reason(
    value: Decimal, shown: str, limits: list[ParsedLimit], target: Decimal | None
) -> str | None:
    """Why a passing ``value`` is marginal, or None when it is not."""
    lower, upper = tightest_bounds(limits)
    if lower is not None and upper is not None:
        context = exact_context(value, lower.value, upper.value)
        band = context.subtract(upper.value, lower.value)
        to_lower = context.subtract(value, lower.value)
        to_upper = context.subtract(upper.value, value)
        nearest, distance = (lower, to_lower) if to_lower <= to_upper else (upper, to_upper)
    elif (nearest := lower if lower is not None else upper) is not None:
        if target is None or target == nearest.value:
            return None
        context = exact_context(value, target, nearest.value)
        band = context.subtract(target, nearest.value).copy_abs()
        distance = context.subtract(value, nearest.value).copy_abs()
    else:
        return None
    if distance > context.multiply(band, MARGINAL_FRACTION):
        return None
    return (
        f"{shown} is within 10% of the tolerance band from the limit {nearest.text()}"
        f" (distance {plain_number(distance)}, band {plain_number(band)})"
    )


# --- choice --------------------------------------------------------------------------------

_INTEGER_CODE = re.compile(r"[+-]?[0-9]+")


def _code_key(code: str) -> tuple[str, str]:
    """Comparison key of a code: integers by value (``"03"`` = ``"3"``), else the stripped
    string."""
    text = code.strip()
    if _INTEGER_CODE.fullmatch(text):
        digits = text.lstrip("+-").lstrip("0")
        sign = "-" if text.startswith("-") and digits else ""
        return ("integer", sign + (digits or "0"))
    return ("text", text)


def codes_equal(left: str, right: str) -> bool:
    """Whether two choice codes mean the same choice."""
    return _code_key(left) == _code_key(right)


def target_code(target: Decimal) -> str:
    """A choice target as a code: ``3.000000000`` → ``"3"``, ``2.50`` → ``"2.5"``."""
    return plain_number(target)


def _choice_text(choices: Sequence[Choice], code: str | None) -> str | None:
    if code is None:
        return None
    for choice in choices:
        choice_code = getattr(choice, "code", None)
        if isinstance(choice_code, str) and codes_equal(choice_code, code):
            return getattr(choice, "text", None)
    return None


def _recorded_code(c: CharacteristicInput) -> str | None:
    code = c.recorded_code
    if code is None:
        return None
    text = code.strip() if isinstance(code, str) else str(code).strip()
    return text or None


def _evaluate_choice(c: CharacteristicInput) -> Judgement:
    choices = tuple(c.choices or ())
    code = _recorded_code(c)
    chosen_text = _choice_text(choices, code)
    if code is None:
        try:
            target = to_finite_decimal(c.target, "target")
        except InvalidInput:
            target = None
        expected = target_code(target) if target is not None else None
        return Judgement(
            Verdict.PENDING,
            "nothing recorded",
            expected_code=expected,
            expected_text=_choice_text(choices, expected),
        )
    notes = []
    if choices and not any(codes_equal(str(getattr(ch, "code", "")), code) for ch in choices):
        notes.append(f"code {code!r} is not among the choices")
    target = to_finite_decimal(c.target, "target")
    if target is None:
        return Judgement(Verdict.NONE, "; ".join(["no criteria", *notes]), chosen_text=chosen_text)
    expected = target_code(target)
    expected_text = _choice_text(choices, expected)
    passed = codes_equal(code, expected)
    if not passed:
        chose = f"chose {code!r}" + (f" ({chosen_text})" if chosen_text is not None else "")
        wanted = f"expected {expected!r}" + (
            f" ({expected_text})" if expected_text is not None else ""
        )
        notes.insert(0, f"{chose}, {wanted}")
    return Judgement(
        Verdict.PASS if passed else Verdict.FAIL,
        "; ".join(notes),
        chosen_text=chosen_text,
        expected_text=expected_text,
        expected_code=expected,
    )


# --- decision, none and unknown value types ------------------------------------------------


def _evaluate_unjudgeable(c: CharacteristicInput, value_type: object) -> Judgement:
    recorded = to_decimal(c.recorded_numeric, "recorded value")
    nothing_recorded = recorded is None and _recorded_code(c) is None
    if nothing_recorded:
        return Judgement(Verdict.PENDING, "nothing recorded")
    if c.target is None and not c.limits:
        return Judgement(Verdict.NONE, "no criteria")
    shown = value_type.strip().lower() if isinstance(value_type, str) else value_type
    return Judgement(Verdict.INVALID, f"value type {shown!r} cannot be evaluated")


# --- inspection roll-up --------------------------------------------------------------------

_REQUIRED_OK = frozenset({Verdict.PASS, Verdict.MARGINAL, Verdict.NONE})


def _verdict_of(item: object) -> str:
    verdict = getattr(item, "verdict", item)
    return verdict.strip().lower() if isinstance(verdict, str) else ""


def inspection_verdict(
    items: Iterable[tuple[bool, str | Judgement]],
) -> InspectionVerdict:
    """Roll characteristic verdicts up to the inspection's: ``(required, verdict)`` pairs in,
    where ``verdict`` is a verdict string or a :class:`Judgement`.

    * ``fail`` when any required characteristic fails;
    * otherwise, when there are required characteristics: ``pass`` when every required one is
      ``pass``, ``marginal`` or ``none``, else ``incomplete`` (a required one is ``pending``,
      ``invalid`` or an unknown string);
    * with no required characteristics: ``incomplete`` when any characteristic is ``pending``,
      else ``pass`` (so an inspection without characteristics is ``pass``).

    Optional characteristics never make an inspection fail, and never hold it back while it has
    required ones.
    """
    required: list[str] = []
    any_pending = False
    for is_required, item in items:
        verdict = _verdict_of(item)
        any_pending = any_pending or verdict == Verdict.PENDING
        if is_required:
            required.append(verdict)
    if Verdict.FAIL in required:
        return InspectionVerdict.FAIL
    if required:
        if all(verdict in _REQUIRED_OK for verdict in required):
            return InspectionVerdict.PASS
        return InspectionVerdict.INCOMPLETE
    return InspectionVerdict.INCOMPLETE if any_pending else InspectionVerdict.PASS


def evaluate_inspection(characteristics: Iterable[CharacteristicInput]) -> InspectionVerdict:
    """Judge every characteristic and roll them up with :func:`inspection_verdict`."""
    return inspection_verdict(
        (bool(c.required), evaluate_characteristic(c)) for c in characteristics
    )
