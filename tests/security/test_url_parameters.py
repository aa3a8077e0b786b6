"""What each view reads, declared for the hostile-parameter tests: `PARAMETERS` names the query
string and the form fields it posts, with values that pass; a URL without an entry fails the
suite, so a new view must declare its parameters to be tried.

The tests that throw hostile values at them: test_url_parameters_generated.py (hypothesis, every
URL as every role) and test_url_parameters_found.py (the requests that once answered 500).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from tests.accounts import test_role_matrix as matrix
from tests.creation.conftest import SEED_HEADER, SEED_ROWS
from tests.url_walk import every_route


@dataclass(frozen=True)
class Reads:
    """The parameters a view reads; None: the view does not answer that method. `valid` holds
    values that pass, so the hostile ones also reach what lies behind a valid form."""

    get: tuple[str, ...] | None = ()
    post: tuple[str, ...] | None = None
    valid: dict[str, str] = field(default_factory=dict)


POSTED = Reads(get=None, post=())
LIST_FILTERS = (
    "status", "decision", "verdict", "supplier", "item", "exported", "gone", "overdue",
    "due_after", "due_before", "due_within", "reviewed_this_month", "disagreement", "queue", "q",
)  # fmt: skip
PAGING = ("sort", "after", "before")
RESULT_FILTERS = ("supplier", "item", "name", "verdict", "modified_after", "modified_before")
NEW_HEADER = (
    "due_date", "supplier_id", "item_id", "supplier_part_number", "buyer_part_number",
    "buyer_batch_number", "item_quantity", "sample_size", "uom", "requested_by", "po_number",
    "po_line", "external_id", "idempotency_key",
)  # fmt: skip
NEW_ROW_FIELDS = (
    "name", "kind", "value_type", "quantitative", "requirement", "choices", "target",
    "precision", "min_operator", "min_value", "max_operator", "max_value",
)  # fmt: skip
NEW_FORMSET = (
    "chars-TOTAL_FORMS", "chars-INITIAL_FORMS", "chars-MIN_NUM_FORMS", "chars-MAX_NUM_FORMS",
    *(f"chars-{index}-{name}" for index in (0, 3) for name in NEW_ROW_FIELDS),
)  # fmt: skip
NEW_VALID = (
    SEED_HEADER
    | {f"chars-0-{name}": value for name, value in SEED_ROWS[1].items()}
    | {"chars-TOTAL_FORMS": "1", "chars-INITIAL_FORMS": "0"}
)

# The review pack's period: the last 30 days (a period may not start after today).
PACK_PERIOD = {
    "from": (date.today() - timedelta(days=30)).isoformat(),
    "to": date.today().isoformat(),
}

PARAMETERS: dict[str, Reads] = {
    "login": Reads(
        get=("next",), post=("username", "password", "next"), valid={"username": "priya"}
    ),
    "logout": Reads(get=None, post=("next",)),
    "password_change": Reads(post=("old_password", "new_password1", "new_password2")),
    "password_change_done": Reads(),
    "password_reset": Reads(post=("email",)),
    "password_reset_done": Reads(),
    "password_reset_confirm": Reads(
        post=("new_password1", "new_password2"),
        valid={"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
    ),
    "password_reset_complete": Reads(),
    "healthz": Reads(),
    "favicon": Reads(),
    "overview": Reads(get=("weeks",)),
    "supplier-list": Reads(get=("weeks", "sort")),
    "supplier-detail": Reads(get=("weeks",)),
    "supplier-pack": Reads(get=("from", "to"), valid=PACK_PERIOD),
    "supplier-pack-subscription": Reads(get=None, post=("monthly",), valid={"monthly": "on"}),
    "trends": Reads(
        get=("item", "characteristic", "supplier"),
        valid={"item": "5", "characteristic": "Length", "supplier": str(matrix.SUPPLIER)},
    ),
    "inspection-list": Reads(get=(*LIST_FILTERS, *PAGING, "size")),
    "inspection-export": Reads(get=LIST_FILTERS),
    "inspection-xlsx": Reads(get=LIST_FILTERS),
    "inspection-detail": Reads(),
    "characteristic-choices": Reads(),
    "inspection-timeline": Reads(),
    "result-list": Reads(get=(*RESULT_FILTERS, *PAGING)),
    "result-csv": Reads(get=RESULT_FILTERS),
    "result-xlsx": Reads(get=RESULT_FILTERS),
    "sync-status": Reads(),
    "sync-now": POSTED,
    "live-updates": Reads(
        get=("cue", "view", "since", "filters", "inspection", "version", "figures"),
        valid={"view": "list", "since": "1", "filters": "status=Open"},
    ),
    "attachment-list": Reads(),
    "attachment-list-line": Reads(),
    "attachment-download": Reads(),
    "attachment-upload": Reads(get=None, post=("file",)),
    "attachment-upload-line": Reads(get=None, post=("file",)),
    "attachment-delete": POSTED,
    "attachment-retry": POSTED,
    "inspection-refresh": POSTED,
    "inspection-refresh-status": Reads(get=("since",)),
    "inspection-exported": Reads(get=("item",)),
    "inspection-mark-exported": POSTED,
    "inspection-reset-exported": POSTED,
    "exporting-bulk-selected": Reads(
        get=None,
        post=("action", "id", "confirmed"),
        valid={"action": "mark-exported", "id": "1", "confirmed": "1"},
    ),
    "exporting-bulk-filtered": Reads(
        get=None,
        post=("action", "query", "expected", "confirmed"),
        valid={
            "action": "mark-exported",
            "query": "status=Open",
            "expected": "1",
            "confirmed": "1",
        },
    ),
    "exporting-batches": Reads(),
    "exporting-batch": Reads(),
    "exporting-batch-retry": POSTED,
    "inspection-new": Reads(post=("action", *NEW_HEADER, *NEW_FORMSET), valid=NEW_VALID),
    "inspection-new-row": Reads(get=("chars-TOTAL_FORMS",)),
    "inspection-new-check": Reads(
        get=None,
        post=("changed", *NEW_HEADER, *NEW_FORMSET),
        valid=NEW_VALID | {"changed": "chars-0-min_value"},
    ),
    "inspection-new-row-removed": Reads(),
    "inspection-import": Reads(post=("file",)),
    "inspection-import-template": Reads(),
    "inspection-import-batch": Reads(),
    "inspection-import-send": POSTED,
    "inspection-import-progress": Reads(),
    "inspection-new-sending": Reads(),
    "inspection-new-sending-progress": Reads(),
    "names-suppliers": Reads(get=("q",)),
    "names-items": Reads(get=("q",)),
    "names-people": Reads(get=("q",)),
    "names-units": Reads(get=("q",)),
    "saved-view-manage": Reads(),
    "saved-view-save": Reads(
        get=None,
        post=("name", "query", "page"),
        valid={"name": "Mine", "query": "overdue=1", "page": "inspections"},
    ),
    "saved-view-open": Reads(),
    "saved-view-rename": Reads(get=None, post=("name",), valid={"name": "Renamed"}),
    "saved-view-delete": POSTED,
    "saved-view-share": Reads(get=None, post=("shared",), valid={"shared": "1"}),
    "notification-list": Reads(get=("show", "before")),
    "notification-bell": Reads(),
    "notification-open": Reads(),
    "notification-read": Reads(get=None, post=("open", "show"), valid={"open": "1"}),
    "notification-read-all": Reads(get=None, post=("show",)),
    "notification-settings": Reads(
        post=(
            "kinds",
            "suppliers",
            "items",
            "delivery",
            "digest_hour",
            "time_zone",
            "weekly_summary",
            "reset",
        ),
        valid={
            "kinds": "rejected",
            "delivery": "daily",
            "digest_hour": "7",
            "time_zone": "UTC",
        },
    ),  # fmt: skip
    "note-write": Reads(get=None, post=("text", "line"), valid={"text": "A note"}),
    "note-people": Reads(get=("q",)),
    "notifications-unsubscribe": Reads(post=()),
    "inspection-assignee": Reads(),
    "inspection-assign": Reads(get=None, post=("assignee",), valid={"assignee": "1"}),
    "inspection-take": POSTED,
    "inspection-unassign": POSTED,
    "assignment-bulk-selected": Reads(
        get=None, post=("id", "query", "assignee"), valid={"id": "1", "query": "status=Open"}
    ),
    "assignment-bulk-filtered": Reads(
        get=None, post=("query", "assignee"), valid={"query": "status=Open"}
    ),
    "inspection-report-pdf": Reads(),
    "report-bulk-selected": Reads(get=None, post=("id", "query"), valid={"id": "1"}),
    "report-job": Reads(),
    "report-job-download": Reads(),
    "preferences-columns": Reads(
        get=None,
        post=("list", "column", "all", "query"),
        valid={"list": "inspections", "column": "status", "query": "status=Open"},
    ),
    "preferences-language": Reads(
        get=None, post=("language", "next"), valid={"language": "fr", "next": "/inspections/"}
    ),
}
# What every request may carry, whatever the view: read by middleware.
EVERY_REQUEST_COOKIES = ("tz",)


# --- the URLs -------------------------------------------------------------------------------------

PATH_KWARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def routes() -> dict[str, str]:
    """Each URL name's full route (`inspections/<int:coupa_id>/`), outside Django's admin."""
    return {route.name: route.path for route in every_route()}


def test_every_url_declares_the_parameters_its_view_reads() -> None:
    names = set(routes())
    assert sorted(names - set(PARAMETERS)) == [], "declare what these views read in PARAMETERS"
    assert sorted(set(PARAMETERS) - names) == [], "these entries name URLs that no longer exist"


def test_every_number_in_a_path_is_a_bounded_id() -> None:
    """`<id:...>` (ASCII digits up to the database's integer), never Django's unbounded `int`."""
    converters = {
        (name, match["converter"])
        for name, route in routes().items()
        for match in PATH_KWARG.finditer(route)
    }
    assert {converter for _, converter in converters} <= {"id", None, "str"}, converters
