"""The list's rows (a Jinja2 fragment): what a reader sees in each cell, and nothing unescaped."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import timezone

from qualityhub.directory.names import Name, supplier_fallback
from qualityhub.inspections.views.inspections import SORTS
from qualityhub.preferences.columns import choice_from
from qualityhub.ui.addresses import address_for_each
from qualityhub.ui.jinja import fragment
from qualityhub.ui.paging import Sort

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def inspection(**overrides) -> SimpleNamespace:
    values = {
        "coupa_id": 1001,
        "external_inspection_id": "EXT-1",
        "status": "Open",
        "review_decision": "",
        "verdict": "pass",
        "failing_count": 0,
        "supplier_id": 7,
        "item_id": 40,
        "item_name": "Bolt M8",
        "supplier_part_number": "S-1",
        "buyer_part_number": "B-1",
        "ref_document_id": "PO-1",
        "ref_document_item": "0010",
        "item_quantity": Decimal("50.000000"),
        "sample_size": None,
        "due_date": NOW + timedelta(days=3),
        "modified_at": NOW - timedelta(hours=1),
        "exported": False,
        "gone_at": None,
    }
    return SimpleNamespace(**(values | overrides))


def render(*rows, can_select=False, suppliers=None, assignees=None) -> str:
    context = {
        "rows": rows,
        "suppliers": suppliers
        or {row.supplier_id: supplier_fallback(row.supplier_id) for row in rows},
        "sort": Sort.parse("-modified", SORTS, "-modified"),
        "query_without_sort": "",
        "can_select": can_select,
        "assignees": assignees or {},
        "now": NOW,
        "detail_url": address_for_each("inspection-detail"),
        "columns": choice_from("inspections", ()),  # every column
    }
    return str(fragment("inspections/list_table.html", context))


def test_every_text_from_coupa_is_escaped():
    script = '<script>alert("x")</script>'
    html = render(
        inspection(
            external_inspection_id=script,
            status=script,
            review_decision=script,
            item_name=script,
            supplier_part_number=script,
            buyer_part_number=script,
            ref_document_id=script,
            ref_document_item=script,
            verdict='"><img src=x>',
        )
    )
    assert "<script>" not in html and "<img" not in html
    # 8 cells, and the row's status and the item's name as attributes (data-status, title)
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 10


def test_a_row_links_to_its_detail_page_and_shows_the_numbers_as_coupa_meant_them():
    html = render(inspection(failing_count=2, verdict="fail"))
    assert '<a href="/inspections/1001/">1001</a>' in html
    assert 'data-verdict="fail"' in html and "(2 failing)" in html
    quantity = '<td class="col-quantity col-p4 text-end">'
    sample = '<td class="col-sample col-p4 text-end">'
    assert f"{quantity}50</td>{sample}</td>" in html  # no sample size
    assert '"col-part col-p4">S-1 / B-1</td><td class="col-po col-p4">PO-1 / 0010</td>' in html


def test_overdue_only_when_past_due_and_not_closed():
    late = render(inspection(due_date=NOW - timedelta(days=1)))
    closed = render(inspection(due_date=NOW - timedelta(days=1), status="Closed"))
    assert 'col-p1 overdue" data-overdue="1"' in late and "⚠" in late
    assert "overdue" not in closed


def test_gone_badge_and_select_box_only_where_they_apply():
    assert "gone</span>" in render(inspection(gone_at=NOW))
    assert "gone</span>" not in render(inspection())
    assert 'name="id" value="1001"' in render(inspection(), can_select=True)
    assert 'name="id"' not in render(inspection(), can_select=False)


def test_dates_are_shown_in_the_readers_time_zone():
    row = inspection(due_date=datetime(2026, 11, 30, 23, 30, tzinfo=UTC), modified_at=NOW)
    with timezone.override(ZoneInfo("Europe/Berlin")):
        html = render(row)
    assert '"col-due_date col-p1">2026-12-01</td>' in html  # 00:30 on the 1st in Berlin
    assert '"col-modified col-p2">2026-11-26 13:00</td>' in html


def test_the_supplier_shows_its_name_with_its_number_beside_it_and_on_hover():
    name = Name(7, "Northwind Polymers", "SUP-0007", known=True)
    html = render(inspection(), suppliers={7: name})
    assert (
        '<td title="Northwind Polymers · SUP-0007 · Coupa id 7" data-supplier-id="7">'
        'Northwind Polymers <span class="small text-muted">SUP-0007</span></td>'
    ) in html


def test_a_supplier_the_directory_does_not_know_reads_as_its_id():
    html = render(inspection())
    assert (
        '<td title="Supplier 7 · Coupa id 7" data-supplier-id="7" data-unnamed>Supplier 7</td>'
        in html
    )


def test_a_suppliers_name_and_number_are_escaped():
    script = '<script>alert("x")</script>'
    name = Name(7, f"A & B {script}", f"'{script}", known=True)
    html = render(inspection(), suppliers={7: name})
    assert "<script>" not in html
    assert "A &amp; B &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&#x27;&lt;script&gt;" in html


def test_the_assignee_is_shown_escaped_and_blank_when_nobody():
    html = render(inspection(), assignees={1001: "<b>ana</b>"})
    assert 'data-assignee="&lt;b&gt;ana&lt;/b&gt;"' in html
    assert "<b>ana</b>" not in html
    assert 'data-assignee=""' in render(inspection())
