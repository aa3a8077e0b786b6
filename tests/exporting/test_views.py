"""The detail page's controls, the list's bulk bar, the confirmation and the batch pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from qualityhub.audit.models import AuditEvent
from qualityhub.exporting import services
from qualityhub.exporting.models import Action, ExportBatch, ExportItem
from qualityhub.inspections.models import Inspection

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _closed_not_exported() -> list[int]:
    return sorted(
        Inspection.objects.filter(status="Closed", exported=False).values_list(
            "coupa_id", flat=True
        )
    )


# --- the detail page ------------------------------------------------------------------------


def test_the_detail_page_shows_the_flag_and_loads_the_controls_lazily(
    signed_in, cached, django_assert_max_num_queries
) -> None:
    signed_in.get("/inspections/2/")  # warm the session and freshness caches
    # 6, and one for the names the page shows (supplier, people, unit: one UNION)
    with django_assert_max_num_queries(7):
        html = signed_in.get("/inspections/2/").content.decode()
    assert 'id="exported-controls"' in html
    assert 'hx-get="/inspections/2/exported/" hx-trigger="load"' in html
    assert 'action="/inspections/2/' in html  # a plain form too, for a page without script


def test_marking_exported_shows_sending_and_announces_the_timeline(
    signed_in, cached, engineer
) -> None:
    response = signed_in.post("/inspections/7/mark-exported/", **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "timeline-changed"
    html = response.content.decode()
    item = ExportItem.objects.get(inspection_id=7)
    assert (
        "sending…" in html and f"?item={item.pk}" in html and 'hx-trigger="load delay:1s"' in html
    )
    event = AuditEvent.objects.get(pk=item.event_id)
    assert (event.action, event.outcome, event.user) == ("mark-exported", "pending", engineer)
    assert event.summary == "Mark exported in Coupa"


def test_a_second_click_while_sending_adds_no_request(signed_in, cached) -> None:
    signed_in.post("/inspections/7/mark-exported/", **HTMX)
    signed_in.post("/inspections/7/mark-exported/", **HTMX)
    assert ExportItem.objects.filter(inspection_id=7).count() == 1
    assert AuditEvent.objects.filter(inspection_id=7).count() == 1


def test_the_poll_ends_with_the_flag_once_coupa_answered(signed_in, cached, coupa_client) -> None:
    signed_in.post("/inspections/8/mark-exported/", **HTMX)
    item = ExportItem.objects.get(inspection_id=8)
    still = signed_in.get(f"/inspections/8/exported/?item={item.pk}", **HTMX)
    assert "sending…" in still.content.decode() and "HX-Trigger" not in still

    services.send_items(coupa_client, [item.pk])

    done = signed_in.get(f"/inspections/8/exported/?item={item.pk}", **HTMX)
    html = done.content.decode()
    assert done["HX-Trigger"] == "timeline-changed"
    assert 'data-exported="yes"' in html and "Reset exported" in html
    assert "hx-trigger" not in html.split("</span>")[0]  # polling stopped
    assert "hx-swap-oob=\"innerHTML:[data-testid='exported']\"" in html
    assert ">yes</span>" in html


def test_a_failure_shows_coupas_reason_and_a_way_to_try_again(
    signed_in, cached, coupa, coupa_client
) -> None:
    coupa.control("DELETE", "inspections/9")
    Inspection.objects.filter(coupa_id=9).update(exported=False)
    signed_in.post("/inspections/9/mark-exported/", **HTMX)
    services.send_items(coupa_client, [ExportItem.objects.get(inspection_id=9).pk])
    html = signed_in.get("/inspections/9/exported/", **HTMX).content.decode()
    assert 'data-testid="export-failed"' in html
    assert "Quality inspection 9 not found" in html
    assert "Try again: Mark exported" in html


def test_reset_asks_for_confirmation(signed_in, cached) -> None:
    Inspection.objects.filter(coupa_id=10).update(exported=True)
    html = signed_in.get("/inspections/10/exported/", **HTMX).content.decode()
    assert 'data-confirm="Reset the exported flag of inspection 10 in Coupa?' in html
    signed_in.post("/inspections/10/reset-exported/", **HTMX)
    assert ExportItem.objects.get(inspection_id=10).batch.action == Action.RESET


def test_without_htmx_the_post_returns_to_the_detail_page(signed_in, cached) -> None:
    response = signed_in.post("/inspections/11/mark-exported/")
    assert response.status_code == 302 and response["Location"] == "/inspections/11/"
    assert ExportItem.objects.filter(inspection_id=11).exists()


def test_the_controls_need_a_signed_in_user_and_a_post(signed_in, cached) -> None:
    stranger = Client()
    assert stranger.post("/inspections/7/mark-exported/").status_code == 302
    assert stranger.get("/inspections/7/exported/").status_code == 302
    assert (
        stranger.post("/exporting/bulk/filtered/", {"action": "mark-exported"}).status_code == 302
    )
    assert signed_in.get("/inspections/7/mark-exported/").status_code == 405
    assert signed_in.post("/inspections/987654/mark-exported/").status_code == 404
    assert not ExportItem.objects.exists()


# --- the list's bulk bar and the confirmation -----------------------------------------------


def test_the_list_has_a_checkbox_per_row_and_the_bulk_bar(
    signed_in, cached, django_assert_max_num_queries
) -> None:
    signed_in.get("/inspections/")
    with django_assert_max_num_queries(7):  # the list page's bound: saved views' bar, assignees
        response = signed_in.get("/inspections/?status=Closed&exported=no")
    html = response.content.decode()
    count = len(_closed_not_exported())
    assert html.count('name="id" value="') == count
    assert "data-bulk-all" in html and 'src="/static/qualityhub/bulk.js" defer' in html
    assert f'data-confirm="Mark all {count} inspection{"s" if count != 1 else ""} matching' in html
    assert 'name="query" value="status=Closed&amp;exported=no"' in html
    assert f'name="expected" value="{count}"' in html
    assert "<script>" not in html and "onclick" not in html


def test_the_bulk_bar_comes_with_the_results_partial(signed_in, cached) -> None:
    html = signed_in.get("/inspections/?status=Closed", HTTP_HX_TARGET="results", **HTMX)
    assert 'id="bulk"' in html.content.decode()


def test_confirmed_selected_rows_start_a_batch(signed_in, cached, engineer) -> None:
    response = signed_in.post(
        "/exporting/bulk/selected/",
        {"action": "mark-exported", "id": ["3", "5"], "confirmed": "1", "query": "status=Closed"},
    )
    batch = ExportBatch.objects.get()
    assert response["Location"] == f"/exporting/batches/{batch.pk}/"
    assert (batch.scope, batch.action, batch.total, batch.created_by) == (
        "selected",
        "mark-exported",
        2,
        engineer,
    )
    assert sorted(batch.items.values_list("inspection_id", flat=True)) == [3, 5]


def test_the_whole_filtered_set_is_confirmed_with_its_exact_count(signed_in, cached) -> None:
    ids = _closed_not_exported()
    form = {"action": "mark-exported", "query": "status=Closed&exported=no"}
    page = signed_in.post("/exporting/bulk/filtered/", form)
    assert page.status_code == 200 and not ExportBatch.objects.exists()
    html = page.content.decode()
    assert f'data-testid="bulk-count">{len(ids)}<' in html
    assert f'name="expected" value="{len(ids)}"' in html

    response = signed_in.post(
        "/exporting/bulk/filtered/", form | {"expected": str(len(ids)), "confirmed": "1"}
    )
    assert response.status_code == 302
    batch = ExportBatch.objects.get()
    assert batch.scope == "filtered" and batch.query == form["query"]
    assert sorted(batch.items.values_list("inspection_id", flat=True)) == ids


def test_a_set_that_changed_since_the_page_is_confirmed_again(signed_in, cached) -> None:
    ids = _closed_not_exported()
    Inspection.objects.filter(coupa_id=ids[0]).update(exported=True)
    response = signed_in.post(
        "/exporting/bulk/filtered/",
        {
            "action": "mark-exported",
            "query": "status=Closed&exported=no",
            "expected": str(len(ids)),
            "confirmed": "1",
        },
    )
    assert response.status_code == 200 and not ExportBatch.objects.exists()
    assert f'data-testid="bulk-count">{len(ids) - 1}<' in response.content.decode()


def test_nothing_selected_is_refused_with_a_message(signed_in, cached) -> None:
    response = signed_in.post(
        "/exporting/bulk/selected/", {"action": "mark-exported", "confirmed": "1"}
    )
    assert response.status_code == 400
    assert "No inspection was selected" in response.content.decode()
    bad = signed_in.post("/exporting/bulk/selected/", {"action": "delete", "id": "3"})
    assert bad.status_code == 400
    assert not ExportBatch.objects.exists()


def test_a_set_over_the_cap_is_refused_with_a_message(signed_in, db) -> None:
    Inspection.objects.bulk_create(
        Inspection(coupa_id=50_000 + n, due_date=timezone.now(), supplier_id=77)
        for n in range(services.MAX_BULK + 1)
    )
    response = signed_in.post(
        "/exporting/bulk/filtered/",
        {"action": "mark-exported", "query": "supplier=77", "confirmed": "1", "expected": "5001"},
    )
    assert response.status_code == 400
    assert "at most 5,000 at a time" in response.content.decode()
    assert not ExportBatch.objects.exists()


# --- batch pages ----------------------------------------------------------------------------


def test_the_batch_page_polls_while_sending_then_lists_failures(
    signed_in, cached, coupa, coupa_client
) -> None:
    coupa.control("DELETE", "inspections/12")
    batch = services.start_batch(Action.MARK, "selected", [12, 13, 14])
    sending = signed_in.get(f"/exporting/batches/{batch.pk}/").content.decode()
    assert 'data-done="no"' in sending and 'hx-trigger="load delay:2s"' in sending
    assert 'data-testid="count-pending">3 sending' in sending

    services.send_items(coupa_client, list(batch.items.values_list("pk", flat=True)))

    partial = signed_in.get(
        f"/exporting/batches/{batch.pk}/", HTTP_HX_TARGET="batch-progress", **HTMX
    )
    html = partial.content.decode()
    assert html.lstrip().startswith('<section id="batch-progress"')
    assert 'data-done="yes"' in html and "hx-trigger" not in html
    assert 'data-testid="count-succeeded">2 done' in html
    assert 'data-testid="count-failed">1 failed' in html
    assert 'data-inspection-id="12" data-outcome="failed"' in html
    assert "Quality inspection 12 not found" in html
    assert "Send the 1 not done again" in html


def test_sending_the_failed_ones_again_makes_a_new_batch(
    signed_in, cached, coupa, coupa_client
) -> None:
    coupa.control("DELETE", "inspections/15")
    batch = services.start_batch(Action.MARK, "selected", [15, 19])
    services.send_items(coupa_client, list(batch.items.values_list("pk", flat=True)))
    response = signed_in.post(f"/exporting/batches/{batch.pk}/retry/")
    retry = ExportBatch.objects.get(retry_of=batch)
    assert response["Location"] == f"/exporting/batches/{retry.pk}/"
    assert list(retry.items.values_list("inspection_id", flat=True)) == [15]
    nothing = signed_in.post(f"/exporting/batches/{retry.pk}/retry/", follow=True)
    assert "Nothing in this batch needs sending again." in nothing.content.decode()


def test_recent_bulk_actions_are_listed(signed_in, cached, engineer) -> None:
    services.start_batch(Action.RESET, "filtered", [3, 4], user=engineer, query="status=Closed")
    html = signed_in.get("/exporting/batches/").content.decode()
    assert "Reset exported" in html and "priya" in html
    assert signed_in.get("/exporting/batches/999/").status_code == 404
