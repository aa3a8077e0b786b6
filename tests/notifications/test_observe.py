"""Events from what the sync writes: which rows make which event, under which key, within the
look-back window; and 10,000 of them published in bulk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qualityhub.notifications.models import Event, Notification
from qualityhub.notifications.observe import drafts_for_written, observe_written
from tests.conftest import make_user

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def row(coupa_id=1234, decision="", verdict="pass", reviewed=NOW - HOUR, modified=NOW - HOUR):
    return SimpleNamespace(
        coupa_id=coupa_id,
        status="Closed" if decision else "In Buyer Review",
        review_decision=decision,
        verdict=verdict,
        reviewed_date=reviewed if decision else None,
        modified_at=modified,
        supplier_id=8,
        supplier_name="Acme",
        item_id=70,
        item_name="bolt M8",
    )


def line(coupa_id=5, verdict="marginal", numeric=Decimal("10.0200"), **recorded):
    return SimpleNamespace(
        coupa_id=coupa_id,
        name="Diameter",
        verdict=verdict,
        recorded_numeric=numeric,
        recorded_text=recorded.get("text", ""),
        recorded_code=recorded.get("code", ""),
        recorded_qualitative=recorded.get("qualitative", ""),
        recorded_decision=recorded.get("decision"),
    )


def keys(written) -> list[str]:
    return [draft.key for draft in drafts_for_written(written, NOW)]


def test_a_rejection_is_an_event_keyed_by_its_review() -> None:
    (draft,) = drafts_for_written([(row(decision="Rejected"), [])], NOW)
    assert draft.key == "rejected:1234:2026-12-06T11:00:00+00:00"
    assert draft.summary == "Inspection 1234 (Acme, bolt M8) was rejected"
    assert (draft.kind, draft.inspection_id, draft.supplier_id, draft.item_id) == (
        "rejected",
        1234,
        8,
        70,
    )
    assert draft.at == NOW - HOUR


def test_the_same_review_seen_in_another_offset_is_the_same_key() -> None:
    berlin = (NOW - HOUR).astimezone(ZoneInfo("Europe/Berlin"))
    assert keys([(row(decision="Rejected", reviewed=berlin), [])]) == [
        "rejected:1234:2026-12-06T11:00:00+00:00"
    ]


def test_an_acceptance_of_a_failing_inspection_is_an_event_a_passing_one_is_not() -> None:
    assert keys([(row(decision="Accepted", verdict="fail"), [])]) == [
        "accepted-failing:1234:2026-12-06T11:00:00+00:00"
    ]
    assert keys([(row(decision="Accepted", verdict="pass"), [])]) == []
    assert keys([(row(decision="Accepted", verdict="incomplete"), [])]) == []


def test_a_marginal_line_is_one_event_per_recorded_value() -> None:
    same = keys([(row(), [line(numeric=Decimal("10.02"))])])
    assert same == keys([(row(), [line(numeric=Decimal("10.0200"))])]) == ["marginal:5:10.02"]
    assert keys([(row(), [line(numeric=Decimal("10.03"))])]) == ["marginal:5:10.03"]
    (draft,) = drafts_for_written([(row(), [line()])], NOW)
    assert draft.summary == "Inspection 1234 (Acme, bolt M8): Diameter is marginal (10.02)"
    assert draft.characteristic_id == 5


def test_a_marginal_choice_is_keyed_by_a_digest_of_what_was_chosen() -> None:
    first = keys([(row(), [line(numeric=None, code="B", text="Slight scratch")])])
    again = keys([(row(), [line(numeric=None, code="B", text="Slight scratch")])])
    other = keys([(row(), [line(numeric=None, code="C", text="Scratch")])])
    assert first == again and first != other and len(first[0]) < 60


def test_passing_failing_and_pending_lines_make_no_marginal_event() -> None:
    lines = [line(1, "pass"), line(2, "fail"), line(3, "pending"), line(4, "marginal")]
    assert keys([(row(), lines)]) == ["marginal:4:10.02"]


def test_what_happened_before_the_look_back_window_is_history_not_news(settings) -> None:
    settings.NOTIFY_LOOKBACK_DAYS = 3
    old = NOW - 3 * DAY - HOUR
    assert keys([(row(decision="Rejected", reviewed=old, modified=NOW), [])]) == []
    assert keys([(row(modified=old), [line()])]) == []
    assert keys([(row(decision="Rejected", reviewed=NOW - 3 * DAY + HOUR), [])]) != []


def test_a_rejection_coupa_does_not_date_is_dated_by_the_records_change() -> None:
    rejected = row(decision="Rejected")
    rejected.reviewed_date = None
    assert keys([(rejected, [])]) == ["rejected:1234:-"]
    rejected.modified_at = NOW - 10 * DAY
    assert keys([(rejected, [])]) == []


def test_a_supplier_without_a_name_yet_is_named_by_its_id() -> None:
    nameless = row(decision="Rejected")
    nameless.supplier_name, nameless.item_name = "", ""
    (draft,) = drafts_for_written([(nameless, [])], NOW)
    assert draft.summary == "Inspection 1234 (supplier 8) was rejected"


@pytest.mark.django_db
def test_ten_thousand_observed_changes_are_published_in_bulk(engineer) -> None:
    """The queries grow by the thousand rows (publish's batches), never per notification:
    100,000 notifications of 10,000 rejections take about 140 queries."""

    def observe(first_id: int) -> tuple[int, int]:
        written = [(row(first_id + n, decision="Rejected"), []) for n in range(10_000)]
        with CaptureQueriesContext(connection) as queries:
            made = observe_written(written, NOW)
        return made, len(queries)

    made_alone, queries_alone = observe(1)
    for n in range(9):
        make_user(f"engineer{n}", "Quality engineer")
    made_ten, queries_ten = observe(100_001)
    assert (made_alone, made_ten) == (10_000, 100_000)
    assert Notification.objects.count() == 110_000
    assert Event.objects.count() == 20_000
    # 4 to read who listens, then per 1,000 events: known keys, insert, read back, and the
    # notifications in inserts of 1,000 rows.
    assert queries_alone <= 4 + 10 * 4 + 4  # and the savepoint
    assert queries_ten <= 4 + 10 * (3 + 10) + 4
    assert queries_ten < made_ten / 500
