"""Each list's download columns, defined once: the key (the CSV's header and the row's field),
the header a person reads in the .xlsx, and the kind that decides how a value is written."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(Enum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    YES_NO = "yes-no"
    VERDICT = "verdict"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: Kind = Kind.TEXT
    # The field read from the database when it is not the key (a lookup through a relation).
    source: str = ""
    # A NUMBER's decimal places: fixed here, or read from another field of the row
    # (`places_from`, a characteristic's precision), or, with neither, the value's own places
    # once meaningless trailing zeros are dropped (the cache stores ten: `6011.0000000000`).
    places: int | None = None
    places_from: str = ""
    # An .xlsx column width in characters.
    width: int = 12

    @property
    def field(self) -> str:
        return self.source or self.key


def fields(columns: tuple[Column, ...]) -> list[str]:
    """The fields to read for the columns: each column's, then the places it reads, once."""
    wanted = [column.field for column in columns]
    for column in columns:
        if column.places_from and column.places_from not in wanted:
            wanted.append(column.places_from)
    return wanted


def whole(key: str, label: str | Promise, **kwargs) -> Column:
    return Column(key, label, Kind.NUMBER, places=0, **kwargs)


# The inspection list: the keys and their order are the CSV's header since before the .xlsx.
INSPECTION_COLUMNS = (
    whole("coupa_id", _("Inspection"), width=10),
    Column("external_inspection_id", _("External id")),
    Column("status", _("Status"), width=16),
    Column("review_decision", _("Decision")),
    Column("verdict", _("Verdict"), Kind.VERDICT, width=11),
    whole("supplier_id", _("Supplier id"), width=10),
    Column("supplier_name", _("Supplier"), width=28),
    whole("item_id", _("Item id"), width=10),
    Column("item_name", _("Item"), width=28),
    Column("supplier_part_number", _("Supplier part"), width=16),
    Column("buyer_part_number", _("Buyer part"), width=16),
    Column("ref_document_id", _("PO")),
    Column("ref_document_item", _("PO line"), width=8),
    Column("item_quantity", _("Quantity"), Kind.NUMBER),
    Column("sample_size", _("Sample"), Kind.NUMBER, width=10),
    Column("due_date", _("Due"), Kind.DATE, width=11),
    Column("modified_at", _("Modified"), Kind.DATETIME, width=17),
    Column("exported", _("Exported"), Kind.YES_NO, width=9),
    whole("failing_count", _("Failing"), width=8),
    whole("marginal_count", _("Marginal"), width=8),
    Column("gone_at", _("Gone from Coupa"), Kind.DATETIME, width=17),
)

# The results list: one characteristic (a line of an inspection) a row.
RESULT_COLUMNS = (
    whole("inspection_id", _("Inspection"), width=10),
    whole("line_id", _("Line id"), source="coupa_id", width=10),
    whole("line_num", _("Line"), width=6),
    whole("supplier_id", _("Supplier id"), source="inspection__supplier_id", width=10),
    Column("supplier_name", _("Supplier"), source="inspection__supplier_name", width=28),
    whole("item_id", _("Item id"), source="inspection__item_id", width=10),
    Column("item_name", _("Item"), source="inspection__item_name", width=28),
    Column("characteristic", _("Characteristic"), source="name", width=24),
    Column("specification", _("Specification"), width=24),
    Column(
        "recorded_value",
        _("Recorded value"),
        Kind.NUMBER,
        source="recorded_numeric",
        places_from="precision",
        width=14,
    ),
    Column("recorded_code", _("Recorded code")),
    Column("recorded_text", _("Recorded text"), width=20),
    whole("precision", _("Precision"), width=9),
    Column("verdict", _("Verdict"), Kind.VERDICT, width=11),
    Column("verdict_reason", _("Why"), width=28),
    Column("modified_at", _("Modified"), Kind.DATETIME, source="inspection__modified_at", width=17),
)
