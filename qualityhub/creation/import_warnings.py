"""What an import preview warns about without refusing it: the row is still sent.

Pure functions over the form's fields as posted (strings) and a given `now`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from qualityhub.coupa.vocabulary import ValueType
from qualityhub.verdicts import Limit
from qualityhub.verdicts.display import short_datetime
from qualityhub.verdicts.limits import parse_limit
from qualityhub.verdicts.numbers import InvalidInput


@dataclass(frozen=True)
class RowWarning:
    """Something that looks wrong but is not refused: the row is still sent."""

    where: str
    column: str
    message: str


def warnings_for(
    where: str,
    due_date: datetime | None,
    lines: Sequence[Mapping[str, Any]],
    line_wheres: Sequence[str],
    now: datetime,
) -> list[RowWarning]:
    """What looks wrong in an inspection to import without being refused: a due date already
    past, a numeric target its own limits would fail. `lines` are the form's fields of each
    characteristic (strings, as posted), from `line_wheres`."""
    found = []
    if due_date is not None and due_date < now:
        shown = short_datetime(due_date, timezone.get_current_timezone())
        message = _("The due date %(due)s is already past.") % {"due": shown}
        found.append(RowWarning(where, "due_date", message))
    for line_where, line in zip(line_wheres, lines, strict=False):
        broken = _limits_the_target_breaks(line)
        if broken:
            target = str(line.get("target")).strip()
            found.append(
                RowWarning(
                    line_where,
                    "target",
                    _(
                        "The target %(target)s is outside its own limits (%(limits)s): "
                        "a value on target would fail."
                    )
                    % {"target": target, "limits": _(" and ").join(broken)},
                )
            )
    return found


def _limits_the_target_breaks(line: Mapping[str, Any]) -> list[str]:
    """The limits (as written, `≤ 10`) that a numeric line's target does not meet."""
    if str(line.get("value_type") or "").strip().lower() != ValueType.NUMERIC:
        return []
    target = _number(line.get("target"))
    if target is None:
        return []
    broken = []
    for side in ("min", "max"):
        value = _number(line.get(f"{side}_value"))
        operator = str(line.get(f"{side}_operator") or "")
        try:
            limit = parse_limit(Limit(side, operator, value))
        except InvalidInput:
            continue  # no limit on this side, or one the form refuses
        if not limit.holds_for(target):
            broken.append(limit.text())
    return broken


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip()) if value not in (None, "") else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() else None
