"""The disagreement flag: a Closed inspection whose buyer decision contradicts our verdict."""

import pytest

from qualityhub.verdicts.review import review_contradicts_verdict


@pytest.mark.parametrize(
    ("status", "decision", "verdict", "expected"),
    [
        ("Closed", "Accepted", "fail", True),
        ("Closed", "Rejected", "pass", True),
        ("Closed", "Accepted", "pass", False),
        ("Closed", "Rejected", "fail", False),
        ("Closed", "Accepted", "incomplete", False),
        ("Closed", "Rejected", "incomplete", False),
        ("Closed", "", "fail", False),
        ("In Buyer Review", "Accepted", "fail", False),
        ("In Progress", "Rejected", "pass", False),
    ],
)
def test_only_a_closed_decision_against_a_pass_or_fail_verdict_disagrees(
    status, decision, verdict, expected
) -> None:
    assert review_contradicts_verdict(status, decision, verdict) is expected
