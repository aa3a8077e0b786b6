"""Whether a buyer's review decision contradicts QualityHub's verdict (`disagreement`)."""


def review_contradicts_verdict(status: str, review_decision: str, verdict: str) -> bool:
    """True for a Closed inspection Accepted while its verdict is ``fail``, or Rejected while
    it is ``pass``. An ``incomplete`` verdict contradicts neither decision."""
    return status == "Closed" and (
        (review_decision == "Accepted" and verdict == "fail")
        or (review_decision == "Rejected" and verdict == "pass")
    )
