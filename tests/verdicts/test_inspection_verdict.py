"""Rolling characteristic verdicts up to the inspection's verdict."""

import pytest

from qualityhub.verdicts import (
    InspectionVerdict,
    Judgement,
    Verdict,
    evaluate_inspection,
    inspection_verdict,
)
from tests.verdicts.builders import choice, numeric

REQ, OPT = True, False


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param([(REQ, "pass"), (REQ, "fail")], "fail", id="a required fail fails"),
        pytest.param(
            [(REQ, "fail"), (REQ, "pending")],
            "fail",
            id="a required fail fails even while another is pending",
        ),
        pytest.param(
            [(REQ, "fail"), (REQ, "invalid")],
            "fail",
            id="a required fail fails even beside an invalid one",
        ),
        pytest.param(
            [(REQ, "pass"), (REQ, "marginal"), (REQ, "none")],
            "pass",
            id="required pass, marginal and none pass",
        ),
        pytest.param(
            [(REQ, "pass"), (REQ, "pending")], "incomplete", id="a required pending is incomplete"
        ),
        pytest.param(
            [(REQ, "pass"), (REQ, "invalid")], "incomplete", id="a required invalid is incomplete"
        ),
        pytest.param(
            [(REQ, "pass"), (REQ, "bogus")],
            "incomplete",
            id="an unknown verdict string on a required one is incomplete",
        ),
        pytest.param([(REQ, "pass"), (OPT, "fail")], "pass", id="an optional fail is ignored"),
        pytest.param(
            [(REQ, "pass"), (OPT, "pending")],
            "pass",
            id="an optional pending is ignored when there are required ones",
        ),
        pytest.param(
            [(REQ, "pass"), (OPT, "invalid")], "pass", id="an optional invalid is ignored"
        ),
        pytest.param(
            [(OPT, "pass"), (OPT, "fail")], "pass", id="only optional ones and none pending pass"
        ),
        pytest.param(
            [(OPT, "pass"), (OPT, "pending")],
            "incomplete",
            id="only optional ones with one pending is incomplete",
        ),
        pytest.param([], "pass", id="no characteristics at all pass"),
        pytest.param([(REQ, "FAIL ")], "fail", id="verdict strings in any casing"),
        pytest.param([(REQ, Verdict.MARGINAL)], "pass", id="Verdict members work"),
    ],
)
def test_inspection_verdict_follows_the_roll_up_rule(items, expected) -> None:
    result = inspection_verdict(items)
    assert result == expected
    assert isinstance(result, InspectionVerdict)


def test_judgements_can_be_rolled_up_directly() -> None:
    items = [(REQ, Judgement(Verdict.PASS)), (REQ, Judgement("fail"))]
    assert inspection_verdict(items) == InspectionVerdict.FAIL


def test_inspection_verdict_accepts_a_generator() -> None:
    assert inspection_verdict((REQ, v) for v in ["pass", "pass"]) == InspectionVerdict.PASS


def test_evaluate_inspection_uses_each_characteristics_required_flag() -> None:
    failing_optional = numeric("200", "max lt 100", required=False)
    passing_required = numeric("50", "max lt 100", target="10")
    assert evaluate_inspection([passing_required, failing_optional]) == InspectionVerdict.PASS
    pending_required = choice(None)
    assert evaluate_inspection([passing_required, pending_required]) == "incomplete"


def test_inspection_verdict_values_are_exactly_the_stored_strings() -> None:
    assert [str(v) for v in InspectionVerdict] == ["pass", "fail", "incomplete"]
