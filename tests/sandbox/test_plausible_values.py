"""The sandbox's recorded values are physically plausible, and a few round across a limit.

Property checks over a few thousand generated inspections, judged by QualityHub's own verdict
rules (the sandbox itself imports nothing of QualityHub; the tests may).
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from qualityhub.sandbox.catalogue import HUNDRED
from qualityhub.sandbox.items import ITEMS
from qualityhub.sandbox.seeding import generate
from qualityhub.sandbox.values import (
    ROUNDING_SHARE,
    conforms,
    is_recorded,
    is_required,
    limits_of,
    plausible,
    record,
)
from qualityhub.sandbox.wire import dumps
from qualityhub.verdicts.limits import Limit
from qualityhub.verdicts.rules import CharacteristicInput, Judgement, evaluate_characteristic

TODAY = date(2026, 3, 2)
DEMO_SEED, DEMO_COUNT = 42, 300  # what `manage.py demo` starts the sandbox with


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return generate(2026, 3000, TODAY).docs


@pytest.fixture(scope="module")
def numeric(docs: list[dict]) -> list[dict]:
    """Every recorded numeric line of the generated inspections (not the spec example)."""
    return [
        char
        for doc in docs[1:]
        for char in doc["characteristics"]
        if char["valueType"] == "numeric" and is_recorded(char)
    ]


def value(char: dict) -> Decimal:
    return char["recordedCharacteristic"]["numericValue"]


def precision(char: dict) -> int:
    return char["expectedResults"]["valuePrecision"]


def judge(char: dict) -> Judgement:
    """QualityHub's verdict on a sandbox line, mapped as the sync maps it."""
    expected = char.get("expectedResults") or {}
    recorded = char.get("recordedCharacteristic") or {}
    return evaluate_characteristic(
        CharacteristicInput(
            value_type=char["valueType"],
            required=is_required(char),
            target=expected.get("numericValue"),
            precision=expected.get("valuePrecision"),
            limits=[
                Limit(limit["limitType"], limit["comparisonOperator"], limit["comparisonValue"])
                for limit in char["expectedLimits"]
            ],
            recorded_numeric=recorded.get("numericValue"),
            recorded_code=recorded.get("code"),
        )
    )


def has_extra_digits(char: dict) -> bool:
    number = value(char)
    return number != number.quantize(Decimal(1).scaleb(-precision(char)))


def is_percentage(char: dict) -> bool:
    """A content or fraction in % (at most 100); an elongation is a strain and may exceed it."""
    return "%" in char["specification"] and not char["name"].startswith("Elongation")


def test_no_percentage_above_100(numeric: list[dict]) -> None:
    percentages = [char for char in numeric if is_percentage(char)]
    assert len(percentages) > 1000
    assert max(value(char) for char in percentages) <= HUNDRED
    ethanol = [value(char) for char in numeric if char["name"] == "Ethanol content"]
    assert ethanol and max(ethanol) < 97  # 96 % v/v ethanol is not 132.9 % v/v
    # A plan's target is plausible too: "Min 96.0 % v/v" no longer expects 105.6.
    targets = [char["expectedResults"]["numericValue"] for char in percentages]
    assert max(targets) <= HUNDRED


def test_no_negative_values(numeric: list[dict]) -> None:
    assert min(value(char) for char in numeric) >= 0
    assert all(number >= 0 for char in numeric for _, number in limits_of(char))


def test_every_value_lies_within_its_physical_bounds(numeric: list[dict]) -> None:
    for char in numeric:
        where = plausible(char)
        assert where.floor is None or value(char) >= where.floor, char
        assert where.ceiling is None or value(char) <= where.ceiling, char


def test_dimensions_scatter_around_their_nominal(numeric: list[dict]) -> None:
    dimensions = [char for char in numeric if "±" in char["specification"]]
    assert len(dimensions) > 1000
    relative = []
    for char in dimensions:
        nominal, tolerance = (Decimal(part.split()[0]) for part in char["specification"].split("±"))
        offset = (value(char) - nominal) / tolerance
        assert abs(offset) <= Decimal("1.5"), char  # a failing part is just out, not twice off
        relative.append(offset)
    assert abs(statistics.median(relative)) < Decimal("0.1")
    assert sum(abs(offset) <= 1 for offset in relative) / len(relative) > 0.85


def test_contents_lie_just_above_their_minimum_and_a_few_just_below(numeric: list[dict]) -> None:
    contents = [
        char for char in numeric if is_percentage(char) and char["specification"].startswith("Min ")
    ]
    assert {char["name"] for char in contents} >= {"Ethanol content", "Sucrose", "TiO2 content"}
    below = 0
    for char in contents:
        [(_, minimum)] = limits_of(char)
        headroom = HUNDRED - minimum
        assert minimum - headroom / 2 <= value(char) <= HUNDRED, char
        below += value(char) < minimum
    assert 0.02 < below / len(contents) < 0.2
    above = [value(char) - limits_of(char)[0][1] for char in contents]
    # Most lots are close to the minimum: the median is in the lower part of the headroom.
    assert statistics.median(above) < Decimal(2)


def test_the_share_outside_limits_stays_in_a_band(docs: list[dict], numeric: list[dict]) -> None:
    limited = [char for char in numeric if char["expectedLimits"]]
    verdicts = Counter(str(judge(char).verdict) for char in limited)
    assert 0.05 < verdicts["fail"] / len(limited) < 0.15
    assert 0.05 < sum(not conforms(char) for char in limited) / len(limited) < 0.15
    failing = sum(
        any(is_required(c) and is_recorded(c) and not conforms(c) for c in doc["characteristics"])
        for doc in docs[1:]
    )
    assert 0.15 < failing / len(docs) < 0.35  # about a quarter, as before plausible values


def test_a_few_values_round_across_a_limit_and_qualityhub_flags_them(
    numeric: list[dict],
) -> None:
    across = [char for char in numeric if has_extra_digits(char)]
    share = len(across) / len(numeric)
    assert ROUNDING_SHARE / 2 < share < ROUNDING_SHARE * 1.5
    judgements = [judge(char) for char in across]
    assert all(judgement.rounding_changed_verdict for judgement in judgements)
    passed = Counter(judgement.passed for judgement in judgements)
    assert passed[True] and passed[False]  # "passes only after rounding" and "fails only after"
    assert all("only after rounding" in judgement.reason for judgement in judgements)
    for char in across:  # one digit more than the precision, within half a unit of a limit
        assert -value(char).normalize().as_tuple().exponent == precision(char) + 1
    # Values at their precision never change verdict when rounded.
    at_precision = [char for char in numeric[:2000] if not has_extra_digits(char)]
    assert not any(judge(char).rounding_changed_verdict for char in at_precision)


def test_the_demo_data_set_shows_the_rounding_warning() -> None:
    docs = generate(DEMO_SEED, DEMO_COUNT, TODAY).docs
    recorded = [
        char
        for doc in docs
        for char in doc["characteristics"]
        if char["valueType"] == "numeric" and is_recorded(char)
    ]
    flagged = [char for char in recorded if judge(char).rounding_changed_verdict]
    assert len(flagged) >= 5


def test_values_are_decimals_drawn_deterministically() -> None:
    first, second = generate(11, 400, TODAY), generate(11, 400, TODAY)
    assert [dumps(doc) for doc in first.docs] == [dumps(doc) for doc in second.docs]
    for doc in first.docs[1:]:
        for char in doc["characteristics"]:
            if char["valueType"] == "numeric" and is_recorded(char):
                assert isinstance(value(char), Decimal)
                assert value(char).as_tuple().exponent == -9  # the GET style: 0.320000000


def unknown_line(specification: str, *limits: tuple[str, str, str], places: int = 1) -> dict:
    """A numeric line the catalogue does not know (as created through the API)."""
    return {
        "id": 1,
        "name": "Something else",
        "specification": specification,
        "valueType": "numeric",
        "expectedResults": {"numericValue": Decimal(limits[0][2]), "valuePrecision": places},
        "expectedLimits": [
            {"limitType": kind, "comparisonOperator": op, "comparisonValue": Decimal(number)}
            for kind, op, number in limits
        ],
        "recordedCharacteristic": {"id": 1, "characteristicId": 1},
    }


@pytest.mark.parametrize(
    ("specification", "limits", "low", "high"),
    [
        ("Min 99.0 %", [("min", "ge", "99.0")], Decimal(0), HUNDRED),
        ("Min 96 % v/v", [("min", "gt", "96")], Decimal(0), HUNDRED),
        ("Max 0.5 %", [("max", "le", "0.5")], Decimal(0), HUNDRED),
        ("Min 300 %", [("min", "ge", "300")], Decimal(0), None),  # a strain, over 100
        ("-40 – -20 °C", [("min", "ge", "-40"), ("max", "le", "-20")], None, None),
        ("Max 5 mm", [("max", "le", "5")], Decimal(0), None),
    ],
)
def test_lines_the_catalogue_does_not_know_get_plausible_values(
    specification: str, limits: list, low: Decimal | None, high: Decimal | None
) -> None:
    rng = random.Random(5)
    values = []
    for _ in range(2000):
        char = unknown_line(specification, *limits)
        record(rng, char)
        values.append(value(char))
    assert low is None or min(values) >= low
    assert high is None or max(values) <= high
    line = unknown_line(specification, *limits)
    outside = sum(
        not conforms(line | {"recordedCharacteristic": {"numericValue": number}})
        for number in values
    )
    assert 0 < outside < len(values) * 0.2


def test_the_catalogue_is_consistent() -> None:
    by_key: dict[tuple[str, str], object] = {}
    for item in ITEMS:
        for spec in item.chars:
            if spec.value_type != "numeric":
                continue
            assert by_key.setdefault((spec.name, spec.specification), spec) == spec
            if spec.typical is not None:
                low, high = spec.typical
                assert spec.floor is None or low >= spec.floor, spec
                assert spec.ceiling is None or high <= spec.ceiling, spec
                assert low <= high
            is_content = "%" in spec.specification and not spec.name.startswith("Elongation")
            assert (spec.ceiling == HUNDRED) == is_content, spec
            assert spec.ceiling is None or spec.target <= spec.ceiling, spec


@pytest.fixture(scope="module")
def demo_synced(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's data set served over HTTP by a private sandbox and synced into the cache."""
    from qualityhub.sync.pull import run_sync
    from tests.conftest import client_for, forget_synced_state
    from tests.sandbox_process import SandboxProcess

    server = SandboxProcess(
        tmp_path_factory.mktemp("plausible") / "sandbox.sqlite3",
        seed=DEMO_SEED,
        inspections=DEMO_COUNT,
    )
    with django_db_blocker.unblock():
        run_sync("full", client=client_for(server), attachments="skip")
    yield server
    server.stop()
    with django_db_blocker.unblock():
        forget_synced_state()


def test_the_demo_shows_the_rounding_warning_after_a_sync(demo_synced, signed_in) -> None:
    from qualityhub.inspections.models import Characteristic

    flagged = list(Characteristic.objects.filter(rounding_changed_verdict=True))
    assert len(flagged) >= 5
    for line in flagged:
        assert line.precision is not None
        digits = -line.recorded_numeric.normalize().as_tuple().exponent
        assert digits == line.precision + 1
    page = signed_in.get(f"/inspections/{flagged[0].inspection.coupa_id}/").content.decode()
    assert 'data-testid="rounding-warning"' in page
    assert f"at precision {flagged[0].precision} changed the verdict" in page
    percent = Characteristic.objects.filter(
        specification__contains="%", recorded_numeric__isnull=False
    ).exclude(name__startswith="Elongation")
    assert percent.exists() and not percent.filter(recorded_numeric__gt=100).exists()
    assert not Characteristic.objects.filter(recorded_numeric__lt=0).exists()
