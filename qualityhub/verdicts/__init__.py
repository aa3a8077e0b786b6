"""QualityHub's verdict rules: its own pass/fail judgement of recorded values.

Pure functions over plain data (``decimal.Decimal`` in, frozen dataclasses out): no clock, no
database, and nothing of Django but the `TextChoices` of the vocabulary (:mod:`.choices`) and,
in :mod:`.display` alone, the active language's formats. The sync layer maps rows onto
:class:`CharacteristicInput`; :func:`limit_text`, :func:`format_value` and :func:`plain_number`
are the machine forms (CSV, comparisons), and pages show them through :mod:`.display` (the
reader's decimal mark and date formats).
"""

from qualityhub.verdicts.choices import InspectionVerdict, Verdict
from qualityhub.verdicts.limits import (
    Limit,
    TolerancePosition,
    limit_text,
    limit_value_text,
    normalise_operator,
    tolerance_position,
)
from qualityhub.verdicts.numbers import MAX_PRECISION, format_value, plain_number
from qualityhub.verdicts.rules import (
    FAIL,
    INCOMPLETE,
    INVALID,
    MARGINAL,
    MARGINAL_FRACTION,
    NONE,
    PASS,
    PENDING,
    CharacteristicInput,
    Choice,
    Judgement,
    codes_equal,
    evaluate_characteristic,
    evaluate_inspection,
    inspection_verdict,
    target_code,
)

__all__ = [
    "FAIL",
    "INCOMPLETE",
    "INVALID",
    "MARGINAL",
    "MARGINAL_FRACTION",
    "MAX_PRECISION",
    "NONE",
    "PASS",
    "PENDING",
    "CharacteristicInput",
    "Judgement",
    "Choice",
    "InspectionVerdict",
    "Limit",
    "TolerancePosition",
    "Verdict",
    "codes_equal",
    "evaluate_characteristic",
    "evaluate_inspection",
    "format_value",
    "inspection_verdict",
    "limit_text",
    "limit_value_text",
    "normalise_operator",
    "plain_number",
    "target_code",
    "tolerance_position",
]
