"""The verdict vocabulary, defined once: the values stored, the words and icons shown.

Django `TextChoices`, so the same classes give the cache's columns their choices, the rules
their return values and the pages their badges. Colours follow the value in CSS
(`.verdict-badge-<value>` in `static/qualityhub/app.css`).
"""

from django.db.models import TextChoices


class Verdict(TextChoices):
    """A characteristic's verdict (see :mod:`qualityhub.verdicts.rules` for what each means)."""

    PASS = "pass", "Pass"
    MARGINAL = "marginal", "Marginal"
    FAIL = "fail", "Fail"
    PENDING = "pending", "Pending"
    NONE = "none", "No criteria"
    INVALID = "invalid", "Cannot evaluate"

    @property
    def icon(self) -> str:
        """Shown beside the label, so no verdict is told by colour alone."""
        return ICONS[self.value]


class InspectionVerdict(TextChoices):
    """An inspection's verdict, rolled up from its characteristics'."""

    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    INCOMPLETE = "incomplete", "Incomplete"

    @property
    def icon(self) -> str:
        """Shown beside the label, so no verdict is told by colour alone."""
        return ICONS[self.value]


ICONS = {
    "pass": "✓",
    "marginal": "!",
    "fail": "✗",
    "pending": "…",
    "none": "–",
    "invalid": "?",
    "incomplete": "…",
}
