"""The verdict vocabulary, defined once: the values stored, the words and icons shown.

Django `TextChoices`, so the same classes give the cache's columns their choices, the rules
their return values and the pages their badges. Colours follow the value in CSS
(`.verdict-badge-<value>` in `static/qualityhub/app.css`).
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Verdict(TextChoices):
    """A characteristic's verdict (see :mod:`qualityhub.verdicts.rules` for what each means)."""

    PASS = "pass", _("Pass")
    MARGINAL = "marginal", _("Marginal")
    FAIL = "fail", _("Fail")
    PENDING = "pending", _("Pending")
    NONE = "none", _("No criteria")
    INVALID = "invalid", _("Cannot evaluate")

    @property
    def icon(self) -> str:
        """Shown beside the label, so no verdict is told by colour alone."""
        return ICONS[self.value]


class InspectionVerdict(TextChoices):
    """An inspection's verdict, rolled up from its characteristics'."""

    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    INCOMPLETE = "incomplete", _("Incomplete")

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
