"""The inspection list's filters and work queues, read from GET parameters.

Every view of the list is a URL: `InspectionFilters.from_query` reads what the user chose (and
says what it could not read), `apply` turns it into a queryset, and the presets are just
querystrings one click away.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from qualityhub.assignment.models import Assignment
from qualityhub.coupa.vocabulary import OPEN_STATUSES, Decision, Status
from qualityhub.directory.search import supplier_ids_matching
from qualityhub.inspections.models import Inspection
from qualityhub.ui import params
from qualityhub.verdicts.choices import InspectionVerdict

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access

STATUS_CHOICES = [s.value for s in Status]
DECISION_CHOICES = [d.value for d in Decision]
VERDICT_CHOICES = [v.value for v in InspectionVerdict]
MAX_DUE_WITHIN_DAYS = 36_500  # a century: "due within" further out means nothing more
MAX_CHOSEN = 50  # suppliers (or items) chosen at once: `?supplier=3&supplier=8…`
# `?assignee=`: the signed-in user's inspections, or those no one has (assignment/).
ASSIGNEE_CHOICES = ["me", "nobody"]


@dataclass(frozen=True)
class Preset:
    slug: str
    label: str
    query: str
    # The page's heading when this queue is the user's start page (`start_queue`).
    start_heading: str = ""


_ = gettext_lazy  # the labels are module-level: translated when shown, in the reader's language
PRESETS = (
    Preset("due-this-week", _("Open and due this week"), "status=Open&due_within=7"),
    Preset("overdue", _("Overdue"), "overdue=1&sort=due_date"),
    Preset(
        "buyer-review",
        _("Waiting for buyer review"),
        "status=In+Buyer+Review&sort=due_date",
        start_heading=_("Your review queue"),
    ),
    Preset("not-exported", _("Closed but not exported"), "status=Closed&exported=no"),
    Preset("assigned-to-me", _("Assigned to me"), "assignee=me"),
    Preset(
        "unassigned-review",
        _("Unassigned, needing review"),
        "status=In+Buyer+Review&assignee=nobody&sort=due_date",
    ),
    Preset(
        "accepted-failing", _("Accepted with failing characteristics"), "queue=accepted-failing"
    ),
    Preset("rejected-month", _("Rejected this month"), "decision=Rejected&reviewed_this_month=1"),
)


# What an address says beside its filters: the page, its size and the order.
NOT_FILTERS = frozenset({"after", "before", "size", "sort"})
LIST_HEADING = _("Inspections")


def chosen_filters(query: QueryDict) -> frozenset[tuple[str, str]]:
    """The filters an address chooses, as (name, value) pairs: empty fields (the form sends
    every field) and the paging and order left out, so equal choices compare equal."""
    return frozenset(
        (name, value.strip())
        for name, values in query.lists()
        if name not in NOT_FILTERS
        for value in values
        if value.strip()
    )


def active_preset(query: QueryDict) -> Preset | None:
    """The work queue whose filters are exactly those of `query` (in any order, any sort)."""
    chosen = chosen_filters(query)
    for preset in PRESETS:
        if chosen_filters(QueryDict(preset.query)) == chosen:
            return preset
    return None


def start_queue(access: Access) -> Preset | None:
    """The queue a user lands on after signing in when the overview is not theirs to see:
    a buyer's is the inspections waiting for their review."""
    if access.allows("browse_inspections") and not access.allows("view_insight"):
        return next(p for p in PRESETS if p.slug == "buyer-review")
    return None


def list_heading(queue: Preset | None, access: Access) -> str:
    """The list's heading: the work queue shown, as its user knows it, or "Inspections"."""
    if queue is None:
        return str(LIST_HEADING)
    if queue.start_heading and queue == start_queue(access):
        return str(queue.start_heading)
    return str(queue.label)


@dataclass
class InspectionFilters:
    statuses: list[str] = field(default_factory=list)
    decision: str = ""
    verdict: str = ""
    suppliers: list[int] = field(default_factory=list)  # ?supplier=3&supplier=8: any of them
    items: list[int] = field(default_factory=list)
    exported: bool | None = None
    gone: bool | None = None  # removed upstream; the overview's links ask for gone=no
    overdue: bool = False
    due_after: date | None = None
    due_before: date | None = None
    due_within: int | None = None
    reviewed_this_month: bool = False
    disagreement: bool = False
    accepted_failing: bool = False
    assignee: str = ""  # "me" or "nobody" (ASSIGNEE_CHOICES)
    assignee_id: int | None = None  # who "me" is: the user who asked
    q: str = ""
    q_suppliers: list[int] = field(default_factory=list)  # whose name or number `q` matches
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: QueryDict, *, user_id: int | None = None) -> InspectionFilters:
        """`user_id`: who is asking, for `assignee=me` (without it, "me" matches nothing)."""
        f = cls()
        f.statuses = [s for s in query.getlist("status") if s in STATUS_CHOICES]
        f.decision = parse_choice(query, "decision", DECISION_CHOICES, f.errors)
        f.verdict = parse_choice(query, "verdict", VERDICT_CHOICES, f.errors)
        f.suppliers = parse_wholes(query, "supplier", f.errors)
        f.items = parse_wholes(query, "item", f.errors)
        f.exported = {"yes": True, "no": False}.get(query.get("exported", ""))
        f.gone = {"yes": True, "no": False}.get(query.get("gone", ""))
        f.overdue = query.get("overdue") == "1"
        f.due_after = parse_day(query, "due_after", f.errors)
        f.due_before = parse_day(query, "due_before", f.errors)
        f.due_within = parse_whole(query, "due_within", f.errors, maximum=MAX_DUE_WITHIN_DAYS)
        f.reviewed_this_month = query.get("reviewed_this_month") == "1"
        f.disagreement = query.get("disagreement") == "1"
        f.accepted_failing = query.get("queue") == "accepted-failing"
        f.assignee = parse_choice(query, "assignee", ASSIGNEE_CHOICES, f.errors)
        f.assignee_id = user_id
        f.q = params.text(query.get("q", ""))
        # A supplier's name or number is looked up in the small directory first: its ids then
        # use the big table's supplier index.
        f.q_suppliers = supplier_ids_matching(f.q)
        return f

    @property
    def active(self) -> bool:
        return any(
            (
                self.statuses,
                self.decision,
                self.verdict,
                self.suppliers,
                self.items,
                self.exported is not None,
                self.gone is not None,
                self.overdue,
                self.due_after,
                self.due_before,
                self.due_within is not None,
                self.reviewed_this_month,
                self.disagreement,
                self.accepted_failing,
                self.assignee,
                self.q,
            )
        )

    def apply(self, qs: QuerySet[Inspection], now: datetime | None = None) -> QuerySet[Inspection]:
        now = now or timezone.now()
        if self.statuses:
            qs = qs.filter(status__in=self.statuses)
        if self.decision:
            qs = qs.filter(review_decision=self.decision)
        if self.verdict:
            qs = qs.filter(verdict=self.verdict)
        if self.suppliers:
            qs = qs.filter(supplier_id__in=self.suppliers)
        if self.items:
            qs = qs.filter(item_id__in=self.items)
        if self.exported is not None:
            qs = qs.filter(exported=self.exported)
        if self.gone is not None:
            qs = qs.filter(gone_at__isnull=not self.gone)
        if self.overdue:
            # The open statuses by name (not "not Closed"), so the (status, due_date) index
            # narrows both columns.
            qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=now)
        if self.due_after:
            qs = qs.filter(due_date__gte=params.start_of_day(self.due_after))
        if self.due_before:
            qs = qs.filter(due_date__lt=params.start_of_day(self.due_before + timedelta(days=1)))
        if self.due_within is not None:
            qs = qs.filter(due_date__lt=now + timedelta(days=self.due_within))
        if self.reviewed_this_month:
            month_start = timezone.localtime(now).replace(
                day=1, hour=0, minute=0, second=0, microsecond=0
            )
            qs = qs.filter(Q(reviewed_date__gte=month_start) | Q(modified_at__gte=month_start))
        if self.disagreement:
            qs = qs.filter(disagreement=True)
        if self.accepted_failing:
            qs = qs.filter(
                status=Status.CLOSED,
                review_decision=Decision.ACCEPTED,
                verdict=InspectionVerdict.FAIL,
            )
        if self.assignee:
            qs = qs.filter(_assignee_filter(self.assignee, self.assignee_id))
        if self.q:
            qs = qs.filter(_text_search(self.q, self.q_suppliers))
        return qs

    def part_with_an_index(self, qs: QuerySet[Inspection]) -> QuerySet[Inspection] | None:
        """Of the rows `apply(qs)` gives, those the search finds by their supplier: the other
        filters and the suppliers' ids alone, so counted through the supplier index before the
        whole search (`paging.paginate`'s `count_within`). None without such a search."""
        if not (self.q and self.q_suppliers):
            return None
        return replace(self, q="").apply(qs).filter(supplier_id__in=self.q_suppliers)


def _assignee_filter(assignee: str, user_id: int | None) -> Q:
    """The small assignment table as a subquery over its indexes: IN for one person's, an
    anti-join for no one's, beside whatever index the other filters use."""
    if assignee == "nobody":
        return ~Q(coupa_id__in=Assignment.objects.values("inspection_id"))
    if user_id is None:
        return Q(pk__in=[])
    mine = Assignment.objects.filter(assignee_id=user_id).values("inspection_id")
    return Q(coupa_id__in=mine)


def _text_search(text: str, supplier_ids: list[int]) -> Q:
    # Prefix matches on the indexed columns, so a search stays an index range scan.
    query = (
        Q(ref_document_id__istartswith=text)
        | Q(supplier_part_number__istartswith=text)
        | Q(buyer_part_number__istartswith=text)
        | Q(buyer_batch_number__istartswith=text)
        | Q(external_inspection_id__istartswith=text)
        | Q(item_name__icontains=text)
    )
    coupa_id = params.whole_number_or_none(text)
    if coupa_id is not None:
        query |= Q(coupa_id=coupa_id)
    if supplier_ids:
        query |= Q(supplier_id__in=supplier_ids)
    return query


def parse_choice(query: QueryDict, name: str, choices: list[str], errors: dict[str, str]) -> str:
    value = query.get(name, "")
    if not value:
        return ""
    try:
        return params.choice(value, choices, name=name)
    except params.BadParameter as refused:
        errors[name] = str(refused)
        return ""


def parse_whole(
    query: QueryDict, name: str, errors: dict[str, str], *, maximum: int = params.DB_INT_MAX
) -> int | None:
    value = query.get(name, "").strip()
    if not value:
        return None
    try:
        return params.whole_number(value, maximum=maximum)
    except params.BadParameter as refused:
        errors[name] = str(refused)
        return None


def parse_wholes(
    query: QueryDict, name: str, errors: dict[str, str], *, most: int = MAX_CHOSEN
) -> list[int]:
    """Every `name=` value as a whole number, each once, in the order given (`?supplier=3` as
    before, or `?supplier=3&supplier=8`); the first bad value (or one too many) is the error."""
    chosen: list[int] = []
    for raw in query.getlist(name):
        value = raw.strip()
        if not value:
            continue
        try:
            number = params.whole_number(value, minimum=1)  # Coupa's ids start at 1
        except params.BadParameter as refused:
            errors.setdefault(name, str(refused))
            continue
        if number not in chosen:
            chosen.append(number)
        if len(chosen) > most:
            errors.setdefault(
                name,
                gettext("Choose at most %(most)s at once; the first %(most)s are used.")
                % {"most": most},
            )
            return chosen[:most]
    return chosen


def parse_day(query: QueryDict, name: str, errors: dict[str, str]) -> date | None:
    value = query.get(name, "").strip()
    if not value:
        return None
    try:
        return params.day(value)
    except params.BadParameter as refused:
        errors[name] = str(refused)
        return None
