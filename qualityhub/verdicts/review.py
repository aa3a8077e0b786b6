"""Whether a buyer's review decision contradicts QualityHub's verdict (`disagreement`)."""

from qualityhub.coupa.vocabulary import Decision, Status
from qualityhub.verdicts.choices import InspectionVerdict


def review_contradicts_verdict(status: str, review_decision: str, verdict: str) -> bool:
    """True for a Closed inspection Accepted while its verdict is ``fail``, or Rejected while
    it is ``pass``. An ``incomplete`` verdict contradicts neither decision."""
    return status == Status.CLOSED and (
        (review_decision == Decision.ACCEPTED and verdict == InspectionVerdict.FAIL)
        or (review_decision == Decision.REJECTED and verdict == InspectionVerdict.PASS)
    )
