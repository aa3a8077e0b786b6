"""The local cache of Coupa's inspections, keyed by Coupa's own ids.

An inspection's expected result and recorded result are one-to-one with its characteristic (Coupa
even gives them the characteristic's id), so they are columns of `Characteristic` (with their Coupa
ids kept) rather than tables of their own: the detail page reads one row per line, not three.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Upper

from qualityhub.coupa.vocabulary import CharacteristicKind, Decision, Status, ValueType
from qualityhub.verdicts.choices import InspectionVerdict, Verdict

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access

# Coupa prints up to 9 decimal places (0.320000000); 30 digits leave 20 for the integer part.
MEASURE = {"max_digits": 30, "decimal_places": 10, "null": True, "blank": True}


def trend_time(prefix: str = "") -> Coalesce:
    """When an inspection's value was measured, for a trend: the request date, else the
    creation (an undated inspection has neither)."""
    return Coalesce(f"{prefix}request_date", f"{prefix}created_at")


class InspectionQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> InspectionQuerySet:
        """Who may see an inspection (the rule `accounts.access.visible_or_404` applies): users
        of every supplier, or of its supplier."""
        return access.scope(self)


class Inspection(models.Model):
    coupa_id = models.BigIntegerField(primary_key=True)
    type = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=40, blank=True, db_index=True)
    review_decision = models.CharField(max_length=40, blank=True, db_index=True)
    resolution_reason_text = models.TextField(blank=True)
    resolution_reason_type = models.CharField(max_length=200, blank=True)
    resolution_reason_code = models.CharField(max_length=200, blank=True)
    request_date = models.DateTimeField(null=True, blank=True)
    due_date = models.DateTimeField(db_index=True)
    supplier_id = models.BigIntegerField(db_index=True)
    # The supplier's name as the directory knows it ("" until it does), kept on the row so that
    # the list sorts by name over an index; `directory.refresh` keeps it in step.
    supplier_name = models.CharField(max_length=255, blank=True, default="")
    item_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    item_name = models.CharField(max_length=255, blank=True)
    item_description = models.TextField(blank=True)
    warehouse_id = models.BigIntegerField(null=True, blank=True)
    buyer_batch_number = models.CharField(max_length=255, blank=True)
    supplier_part_number = models.CharField(max_length=255, blank=True)
    buyer_part_number = models.CharField(max_length=255, blank=True)
    item_quantity = models.DecimalField(**MEASURE)
    sample_size = models.DecimalField(**MEASURE)
    uom = models.BigIntegerField(null=True, blank=True)
    requested_by = models.BigIntegerField(null=True, blank=True)
    ref_document_type = models.CharField(max_length=100, blank=True)
    ref_document_id = models.CharField(max_length=255, blank=True)
    ref_document_item = models.CharField(max_length=100, blank=True)
    reviewed_date = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.CharField(max_length=255, blank=True)
    submitted_date = models.DateTimeField(null=True, blank=True)
    submitted_by = models.CharField(max_length=255, blank=True)
    external_inspection_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    created_by = models.BigIntegerField(null=True, blank=True)
    modified_at = models.DateTimeField(null=True, blank=True, db_index=True)
    modified_by = models.BigIntegerField(null=True, blank=True)
    exported = models.BooleanField(default=False, db_index=True)

    # QualityHub's own columns.
    verdict = models.CharField(
        max_length=12,
        choices=InspectionVerdict,
        default=InspectionVerdict.INCOMPLETE,
        db_index=True,
    )
    failing_count = models.PositiveIntegerField(default=0)
    marginal_count = models.PositiveIntegerField(default=0)
    pending_count = models.PositiveIntegerField(default=0)
    characteristic_count = models.PositiveIntegerField(default=0)
    # Closed with a decision that contradicts our verdict (Accepted yet failing, Rejected yet
    # passing): a list filter and a work queue, so stored rather than computed per row.
    disagreement = models.BooleanField(default=False, db_index=True)
    content_hash = models.CharField(max_length=32, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    gone_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The full sync run that last saw this record upstream; the rest are marked gone.
    # Not indexed: only ever compared with "not equal", and an index would make every stamp a
    # full row rewrite in PostgreSQL (no HOT update) with all the inspection's indexes.
    last_seen_run = models.BigIntegerField(null=True, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-coupa_id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="inspection_status_due"),
            models.Index(fields=["supplier_id", "item_id", "-coupa_id"], name="inspection_history"),
            models.Index(fields=["supplier_name", "coupa_id"], name="inspection_supplier_name"),
            models.Index(fields=["ref_document_id"], name="inspection_po"),
            models.Index(fields=["supplier_part_number"], name="inspection_spn"),
            models.Index(fields=["buyer_part_number"], name="inspection_bpn"),
            models.Index(fields=["external_inspection_id"], name="inspection_external_id"),
            models.Index(Upper("item_name"), name="inspection_item_name_upper"),
            # Partial indexes in the list's order for views that pick a small share of the rows
            # (the gone filter, two work queues): only those rows pay for them on a write.
            models.Index(
                fields=["-modified_at", "-coupa_id"],
                name="inspection_gone_modified",
                condition=Q(gone_at__isnull=False),
            ),
            models.Index(
                fields=["-modified_at", "-coupa_id"],
                name="inspection_accepted_failing",
                condition=Q(
                    status=Status.CLOSED,
                    review_decision=Decision.ACCEPTED,
                    verdict=InspectionVerdict.FAIL,
                ),
            ),
            # "Rejected this month" (reviewed OR modified since the 1st): reviewed_date rides
            # along so the count answers from the index alone (an index-only scan) in list order.
            models.Index(
                fields=["-modified_at", "-coupa_id", "reviewed_date"],
                name="inspection_rejected_modified",
                condition=Q(review_decision=Decision.REJECTED),
            ),
            # One item's trend chart (`analytics/trends.py`): the item's live inspections newest
            # first in the chart's own time (`trend_time`), so its latest points are the first
            # rows of an index walk however many inspections the item has; the second, per
            # supplier, serves a chosen supplier and the list of suppliers with points (a skip
            # scan, one probe per supplier).
            # On PostgreSQL the dates and the supplier ride along (INCLUDE, see migration 0010),
            # so that the walk never reads the table.
            models.Index(
                F("item_id"),
                trend_time().desc(nulls_last=True),
                F("coupa_id").desc(),
                name="inspection_item_trend",
                condition=Q(gone_at__isnull=True),
            ),
            models.Index(
                F("item_id"),
                F("supplier_id"),
                trend_time().desc(nulls_last=True),
                F("coupa_id").desc(),
                name="inspection_item_supplier_trend",
                condition=Q(gone_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Inspection {self.coupa_id}"

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def is_accepted(self) -> bool:
        return self.review_decision == Decision.ACCEPTED

    @property
    def is_gone(self) -> bool:
        return self.gone_at is not None


# A line that has a point on a trend chart: a numeric value recorded on a quantitative line
# (Coupa may leave isQuantitative out) that is not a choice list.
MEASURED = (
    Q(recorded_numeric__isnull=False) & ~Q(is_quantitative=False) & ~Q(value_type=ValueType.CHOICE)
)


class CharacteristicQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> CharacteristicQuerySet:
        """A characteristic is seen by whoever sees its inspection."""
        return access.scope(self, "inspection__supplier_id")


class Characteristic(models.Model):
    coupa_id = models.BigIntegerField(primary_key=True)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="characteristics"
    )
    line_num = models.IntegerField(null=True, blank=True)
    name = models.CharField(max_length=255, blank=True)
    type = models.CharField(max_length=20, default=CharacteristicKind.REQUIRED)
    is_quantitative = models.BooleanField(null=True, blank=True)
    specification = models.TextField(blank=True)
    remarks = models.TextField(blank=True)
    value_type = models.CharField(max_length=20, default=ValueType.NONE)
    recording_type = models.CharField(max_length=40, blank=True)
    # Coupa's expectedResults object.
    expected_id = models.BigIntegerField(null=True, blank=True)
    target = models.DecimalField(**MEASURE)
    precision = models.IntegerField(null=True, blank=True)
    qualitative_target = models.TextField(blank=True)
    # Coupa's recordedCharacteristic object.
    recorded_id = models.BigIntegerField(null=True, blank=True)
    recorded_numeric = models.DecimalField(**MEASURE)
    recorded_code = models.CharField(max_length=100, blank=True)
    recorded_qualitative = models.TextField(blank=True)
    recorded_decision = models.BooleanField(null=True, blank=True)

    verdict = models.CharField(
        max_length=10, choices=Verdict, default=Verdict.PENDING, db_index=True
    )
    verdict_reason = models.CharField(max_length=255, blank=True)
    # Kept from the verdict so the detail page needs no query of the choice list.
    recorded_text = models.CharField(max_length=255, blank=True)
    expected_text = models.CharField(max_length=255, blank=True)
    rounding_changed_verdict = models.BooleanField(default=False)

    objects = CharacteristicQuerySet.as_manager()

    class Meta:
        ordering = ["inspection_id", "line_num", "coupa_id"]
        indexes = [
            models.Index(fields=["name", "verdict"], name="characteristic_name_verdict"),
            # Failing lines by inspection, for the results list's verdict=fail with a supplier
            # or item and the scorecards' failure counts: about 7% of the lines.
            models.Index(
                fields=["inspection", "coupa_id"],
                name="characteristic_failing",
                condition=Q(verdict=Verdict.FAIL),
            ),
            # The same lines newest first: the results list's order (`-id`) with verdict=fail.
            models.Index(
                fields=["-coupa_id"],
                name="characteristic_failing_newest",
                condition=Q(verdict=Verdict.FAIL),
            ),
            # A trend chart's points, probed once per inspection of the item (newest first) by
            # the characteristic's name; on PostgreSQL answered from the index alone (the value
            # and its precision INCLUDEd, see migration 0010).
            models.Index(
                fields=["inspection", "name"],
                name="characteristic_measured",
                condition=MEASURED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_num}. {self.name}"

    @property
    def required(self) -> bool:
        return self.type != CharacteristicKind.OPTIONAL


class ChoiceValue(models.Model):
    characteristic = models.ForeignKey(
        Characteristic, on_delete=models.CASCADE, related_name="choices"
    )
    coupa_id = models.BigIntegerField(null=True, blank=True)
    code = models.CharField(max_length=100)
    domain = models.CharField(max_length=100, blank=True)
    value = models.CharField(max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["characteristic_id", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.value}"


class Limit(models.Model):
    characteristic = models.ForeignKey(
        Characteristic, on_delete=models.CASCADE, related_name="limits"
    )
    coupa_id = models.BigIntegerField(null=True, blank=True)
    limit_type = models.CharField(max_length=10)
    operator = models.CharField(max_length=12)
    value = models.DecimalField(**MEASURE)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["characteristic_id", "position"]

    def __str__(self) -> str:
        return f"{self.limit_type} {self.operator} {self.value}"
