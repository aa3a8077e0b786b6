"""The inspection list: filters, sorting, work queues, paging and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qualityhub.inspections.models import Inspection
from qualityhub.ui.filters import PRESETS

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [row.coupa_id for row in response.context["page"].rows]


def _all_pages(client, query: str) -> list[int]:
    """Follow the Next links to the end, collecting every row's id."""
    ids: list[int] = []
    url = f"/inspections/?{query}"
    while url:
        response = client.get(url)
        ids += _ids(response)
        cursor = response.context["page"].next_cursor
        base = response.context["query_without_paging"]
        url = f"/inspections/?{base}&after={cursor}" if cursor else ""
    return ids


def test_the_list_needs_a_signed_in_user(client, synced) -> None:
    response = client.get("/inspections/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_default_view_shows_the_most_recently_modified_first(signed_in, synced) -> None:
    response = signed_in.get("/inspections/")
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert len(rows) == 50
    modified = [row.modified_at for row in rows]
    assert modified == sorted(modified, reverse=True)
    assert b'data-inspection-id="' in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=Open", lambda i: i.status == "Open"),
        ("status=Open&status=Closed", lambda i: i.status in ("Open", "Closed")),
        ("decision=Rejected", lambda i: i.review_decision == "Rejected"),
        ("verdict=fail", lambda i: i.verdict == "fail"),
        ("verdict=pass", lambda i: i.verdict == "pass"),
        ("supplier=3", lambda i: i.supplier_id == 3),
        ("item=1", lambda i: i.item_id == 1),
        ("exported=yes", lambda i: i.exported),
        ("exported=no", lambda i: not i.exported),
        ("overdue=1", lambda i: i.status != "Closed" and i.due_date < timezone.now()),
        ("disagreement=1", lambda i: i.disagreement),
    ],
)
def test_each_filter_returns_exactly_the_matching_inspections(
    signed_in, synced, query, expected
) -> None:
    shown = set(_all_pages(signed_in, query))
    matching = {i.coupa_id for i in Inspection.objects.all() if expected(i)}
    assert shown == matching


def test_due_date_range_filters_inclusive_days(signed_in, synced) -> None:
    today = timezone.localdate()
    after, before = today - timedelta(days=3), today + timedelta(days=3)
    shown = set(_all_pages(signed_in, f"due_after={after}&due_before={before}"))
    matching = {
        i.coupa_id
        for i in Inspection.objects.all()
        if after <= timezone.localtime(i.due_date).date() <= before
    }
    assert shown == matching and matching


def test_text_search_finds_po_numbers_part_numbers_and_item_names(signed_in, synced) -> None:
    sample = Inspection.objects.exclude(ref_document_id="").order_by("coupa_id")[5]
    by_po = set(_all_pages(signed_in, f"q={sample.ref_document_id}"))
    assert sample.coupa_id in by_po
    assert all(
        Inspection.objects.get(coupa_id=i).ref_document_id.startswith(sample.ref_document_id)
        or sample.ref_document_id.lower() in Inspection.objects.get(coupa_id=i).item_name.lower()
        for i in by_po
    )
    word = Inspection.objects.get(coupa_id=1).item_name.split()[0]
    assert 1 in _all_pages(signed_in, f"q={word.lower()}")
    assert _all_pages(signed_in, "q=nothing-is-called-this") == []


def test_a_bad_filter_value_says_what_is_wrong(signed_in, synced) -> None:
    response = signed_in.get("/inspections/?supplier=acme&due_after=tomorrow")
    assert response.status_code == 200
    assert "“acme” is not a number." in response.content.decode()
    assert "is not a date" in response.content.decode()


@pytest.mark.parametrize(
    "sort",
    ["id", "external_id", "status", "decision", "verdict", "supplier", "item", "part", "po",
     "quantity", "sample", "due_date", "modified", "exported"],
)  # fmt: skip
@pytest.mark.parametrize("direction", ["", "-"])
def test_sorting_on_every_column_pages_through_every_row_once(
    signed_in, synced, sort, direction
) -> None:
    ids = _all_pages(signed_in, f"sort={direction}{sort}&size=100")
    assert sorted(ids) == sorted(Inspection.objects.values_list("coupa_id", flat=True))


def test_sorting_orders_by_the_column(signed_in, synced) -> None:
    rows = signed_in.get("/inspections/?sort=due_date").context["page"].rows
    assert [r.due_date for r in rows] == sorted(r.due_date for r in rows)
    rows = signed_in.get("/inspections/?sort=-quantity").context["page"].rows
    quantities = [r.item_quantity for r in rows if r.item_quantity is not None]
    assert quantities == sorted(quantities, reverse=True)


def test_previous_goes_back_to_the_same_rows(signed_in, synced) -> None:
    first = signed_in.get("/inspections/?sort=supplier")
    second = signed_in.get(f"/inspections/?sort=supplier&after={first.context['page'].next_cursor}")
    back = signed_in.get(
        f"/inspections/?sort=supplier&before={second.context['page'].previous_cursor}"
    )
    assert _ids(back) == _ids(first)
    assert set(_ids(first)).isdisjoint(_ids(second))


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.slug)
def test_every_work_queue_is_one_click_away(signed_in, synced, preset) -> None:
    page = signed_in.get("/inspections/")
    assert f'data-preset="{preset.slug}"'.encode() in page.content
    response = signed_in.get(f"/inspections/?{preset.query}")
    assert response.status_code == 200


def test_the_overdue_queue_holds_only_open_work_past_its_due_date(signed_in, synced) -> None:
    ids = _all_pages(signed_in, "overdue=1&sort=due_date")
    assert ids
    for inspection in Inspection.objects.filter(coupa_id__in=ids):
        assert inspection.status != "Closed"
        assert inspection.due_date < timezone.now()


def test_the_accepted_but_failing_queue(signed_in, synced) -> None:
    Inspection.objects.filter(coupa_id=1).update(review_decision="Accepted")
    ids = _all_pages(signed_in, "queue=accepted-failing")
    assert 1 in ids
    for inspection in Inspection.objects.filter(coupa_id__in=ids):
        assert (inspection.status, inspection.review_decision, inspection.verdict) == (
            "Closed",
            "Accepted",
            "fail",
        )


def test_htmx_gets_only_the_results_partial(signed_in, synced) -> None:
    response = signed_in.get(
        "/inspections/?verdict=fail", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    body = response.content.decode()
    # The region's inside: htmx swaps it into the page's #results, which stays.
    assert 'id="results"' not in body
    assert 'data-testid="match-count"' in body
    assert "<html" not in body


def test_empty_states_say_why(signed_in, synced) -> None:
    no_match = signed_in.get("/inspections/?q=zzzz-nothing").content.decode()
    assert 'data-empty="no-match"' in no_match
    Inspection.objects.all().delete()
    no_data = signed_in.get("/inspections/").content.decode()
    assert 'data-empty="no-data"' in no_data
    assert "Sync status" in no_data


@pytest.mark.parametrize("size", [25, 200])
def test_a_list_page_costs_at_most_seven_queries_whatever_its_size(
    signed_in, synced, django_assert_max_num_queries, size
) -> None:
    signed_in.get("/inspections/")  # warm the session and freshness caches
    with django_assert_max_num_queries(7):  # with the saved views' bar and the assignees
        response = signed_in.get(f"/inspections/?size={size}&verdict=fail&sort=due_date")
    assert len(response.context["page"].rows) <= size


def test_a_deep_page_costs_the_same_queries(
    signed_in, synced, django_assert_max_num_queries
) -> None:
    signed_in.get("/inspections/")
    last = Inspection.objects.order_by("modified_at").first()
    from qualityhub.ui.paging import encode_cursor

    with django_assert_max_num_queries(7):  # with the saved views' bar and the assignees
        signed_in.get(f"/inspections/?after={encode_cursor(last.modified_at, last.coupa_id)}")


def test_the_csv_export_has_every_matching_row_not_just_the_page(signed_in, synced) -> None:
    response = signed_in.get("/inspections/export.csv?status=Closed")
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], rows[1:]
    assert header[0] == "coupa_id"
    assert sorted(int(r[0]) for r in body) == sorted(
        Inspection.objects.filter(status="Closed").values_list("coupa_id", flat=True)
    )
    assert len(body) > 50


def test_the_csv_export_neutralises_formulas(signed_in, synced) -> None:
    Inspection.objects.filter(coupa_id=2).update(item_name='=HYPERLINK("http://evil")')
    response = signed_in.get("/inspections/export.csv?q=2")
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_the_count_reads_only_the_key(signed_in, synced) -> None:
    """The capped count under the list reads the key alone, not the page's columns, for up to
    a thousand rows."""
    with CaptureQueriesContext(connection) as captured:
        assert signed_in.get("/inspections/?status=Open").status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT")]
    assert len(counts) == 1
    inner = counts[0].split("FROM (SELECT ", 1)[1].split(" FROM ", 1)[0]
    assert inner.count(",") == 0, inner
