"""The inspection detail page, its refresh flow and the characteristic results list."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from qualityhub.attachments.models import Attachment
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.sync.models import SyncRun

pytestmark = pytest.mark.django_db


def _row(html: str, characteristic_id: int) -> str:
    match = re.search(
        rf'<tr class="verdict-(\w+)" data-characteristic-id="{characteristic_id}" '
        rf'data-verdict="(\w+)">(.*?)</tr>',
        html,
        re.S,
    )
    assert match, f"no row for characteristic {characteristic_id}"
    assert match.group(1) == match.group(2)
    return match.group(0)


def test_the_detail_page_needs_a_signed_in_user(client, synced) -> None:
    assert client.get("/inspections/1/").status_code == 302


def test_an_unknown_inspection_is_404(signed_in, synced) -> None:
    assert signed_in.get("/inspections/987654/").status_code == 404


def test_the_spec_example_shows_each_verdict_with_its_limits(signed_in, synced) -> None:
    html = signed_in.get("/inspections/1/").content.decode()
    assert 'data-inspection-id="1" data-verdict="fail"' in html
    color = _row(html, 1)
    assert 'data-verdict="fail"' in color
    assert "Yellow" in color and "No colour" in color and "Fail" in color
    residue = _row(html, 2)
    assert 'data-verdict="pass"' in residue
    assert "&gt; 0 and &lt; 0.1" in residue
    assert "0.32" in residue and "0.05" in residue
    assert "<svg" in residue  # the tolerance bar
    reducing = _row(html, 3)
    assert 'data-verdict="marginal"' in reducing
    assert "69.00" in reducing and "Marginal" in reducing


def test_a_numeric_characteristic_links_to_its_trend_and_a_choice_does_not(signed_in, synced):
    html = signed_in.get("/inspections/1/").content.decode()
    inspection = Inspection.objects.get(coupa_id=1)
    residue = Characteristic.objects.get(coupa_id=2)
    link = re.search(r'href="([^"]+)" data-testid="trend-link"', _row(html, 2)).group(1)
    response = signed_in.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.wsgi_request.GET.dict() == {
        "item": str(inspection.item_id),
        "characteristic": residue.name,
        "supplier": str(inspection.supplier_id),
    }
    assert 'data-testid="trend-link"' not in _row(html, 1)  # Color: a choice


def test_characteristics_are_listed_in_line_order(signed_in, synced) -> None:
    html = signed_in.get("/inspections/1/").content.decode()
    positions = [html.index(f'data-characteristic-id="{i}"') for i in (1, 2, 3)]
    assert positions == sorted(positions)


def test_a_rounding_that_changes_the_verdict_is_warned_about(signed_in, synced) -> None:
    line = Characteristic.objects.get(coupa_id=2)
    line.recorded_numeric = line.recorded_numeric.__class__("0.095")
    line.verdict = "fail"
    line.rounding_changed_verdict = True
    line.save()
    html = signed_in.get("/inspections/1/").content.decode()
    assert 'data-testid="rounding-warning"' in html
    assert "raw 0.095" in html and "0.10" in html


def test_a_closed_accepted_inspection_with_failures_gets_a_disagreement_banner(
    signed_in, synced
) -> None:
    Inspection.objects.filter(coupa_id=1).update(review_decision="Accepted", disagreement=True)
    html = signed_in.get("/inspections/1/").content.decode()
    assert 'data-testid="disagreement"' in html
    assert "Accepted in Coupa" in html


def test_the_history_shows_the_same_supplier_and_item(signed_in, synced) -> None:
    inspection = (
        Inspection.objects.exclude(item_id=1).exclude(item_id__isnull=True).order_by("coupa_id")
    ).first()
    response = signed_in.get(f"/inspections/{inspection.coupa_id}/")
    history = response.context["history"]
    assert len(history) <= 10
    assert all(h.coupa_id != inspection.coupa_id for h in history)
    expected = list(
        Inspection.objects.filter(supplier_id=inspection.supplier_id, item_id=inspection.item_id)
        .exclude(coupa_id=inspection.coupa_id)
        .order_by("-coupa_id")
        .values_list("coupa_id", flat=True)[:10]
    )
    assert [h.coupa_id for h in history] == expected


def test_allowed_choice_values_load_on_demand(signed_in, synced) -> None:
    html = signed_in.get("/inspections/1/characteristics/1/choices/").content.decode()
    assert "Yellow" in html and "light yellow" in html and "No colour" in html
    assert signed_in.get("/inspections/1/characteristics/2000000/choices/").status_code == 404


def test_the_detail_page_costs_at_most_seven_queries(
    signed_in, synced, django_assert_max_num_queries
) -> None:
    """Six for the inspection, its lines, limits, attachments and history; one for every name it
    shows (supplier, people, unit: one UNION)."""
    inspection = Inspection.objects.get(coupa_id=1)
    for index in range(5):
        Attachment.objects.create(
            coupa_id=900_000 + index, inspection=inspection, file_name=f"f{index}.pdf"
        )
    signed_in.get("/inspections/1/")  # warm the session and freshness caches
    with django_assert_max_num_queries(7):
        response = signed_in.get("/inspections/1/")
    assert len(response.context["rows"]) == 3
    assert len(response.context["header_attachments"]) == 5


def test_refresh_queues_the_task_and_answers_with_a_poller(signed_in, synced) -> None:
    response = signed_in.post("/inspections/1/refresh/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'data-testid="refreshing"' in html
    assert "/inspections/1/refresh/status/?since=" in html


def test_refresh_rejects_get(signed_in, synced) -> None:
    assert signed_in.get("/inspections/1/refresh/").status_code == 405


def test_refresh_status_keeps_polling_until_the_run_finished(signed_in, synced) -> None:
    since = timezone.now()
    pending = signed_in.get(f"/inspections/1/refresh/status/?since={since.isoformat()}")
    assert 'data-testid="refreshing"' in pending.content.decode()
    SyncRun.objects.create(mode="one", target_id=1, started_at=timezone.now(), outcome="succeeded")
    done = signed_in.get("/inspections/1/refresh/status/", {"since": since.isoformat()})
    assert done["HX-Retarget"] == "#inspection-main"
    assert 'id="inspection-main"' in done.content.decode()


def test_a_failed_refresh_says_why(signed_in, synced) -> None:
    since = timezone.now()
    SyncRun.objects.create(
        mode="one",
        target_id=1,
        started_at=timezone.now(),
        outcome="failed",
        message="Coupa is unavailable (503)",
    )
    failed = signed_in.get("/inspections/1/refresh/status/", {"since": since.isoformat()})
    html = failed.content.decode()
    assert 'data-testid="refresh-failed"' in html
    assert "Coupa is unavailable (503)" in html


def test_results_list_filters_by_characteristic_name_and_verdict(signed_in, synced) -> None:
    response = signed_in.get("/results/", {"name": "Reducing", "verdict": "marginal"})
    rows = response.context["page"].rows
    assert rows
    assert all(r.name.startswith("Reducing") and r.verdict == "marginal" for r in rows)
    assert 3 in [r.coupa_id for r in rows]


def test_results_list_filters_by_supplier_and_item(signed_in, synced) -> None:
    rows = signed_in.get("/results/", {"supplier": 1, "item": 1}).context["page"].rows
    assert rows
    assert all(r.inspection.supplier_id == 1 and r.inspection.item_id == 1 for r in rows)


def test_results_list_costs_a_few_queries(signed_in, synced, django_assert_max_num_queries) -> None:
    signed_in.get("/results/")
    with django_assert_max_num_queries(6):  # ... and the rows' supplier names, in one query
        signed_in.get("/results/", {"verdict": "fail"})


def test_the_navigation_and_freshness_show_on_every_page(signed_in, synced) -> None:
    html = signed_in.get("/").content.decode()
    for label in ("Overview", "Inspections", "Results", "Sync status"):
        assert f">{label}</a>" in html
    assert 'data-testid="sync-freshness"' in html
    assert "Synced" in html
    assert "priya" in html


def test_the_freshness_warns_when_the_last_sync_failed(signed_in, synced) -> None:
    from qualityhub.sync.freshness import forget_freshness

    SyncRun.objects.create(
        mode="incremental",
        started_at=timezone.now(),
        finished_at=timezone.now(),
        outcome="failed",
        message="Coupa is down",
    )
    forget_freshness()
    html = signed_in.get("/inspections/").content.decode()
    assert "Last sync failed" in html
    forget_freshness()


def test_sync_status_lists_runs_and_their_errors(signed_in, synced) -> None:
    SyncRun.objects.create(
        mode="full",
        started_at=timezone.now(),
        finished_at=timezone.now(),
        outcome="succeeded",
        skipped=1,
        errors=[{"coupa_id": 77, "reason": "inspection 77: supplierId is 'x'"}],
    )
    html = signed_in.get("/sync/").content.decode()
    assert "inspection 77: supplierId" in html
