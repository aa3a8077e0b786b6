"""Text from Coupa is shown as text everywhere: list, detail, fragments, results, trends,
scorecards, sync status, batches; chart data leaves the page only through json_script; the CSV
carries the raw text with formula-leading cells neutralised."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import urlencode

import pytest
from django.utils.html import escape

from qualityhub.ui.csvsafe import FORMULA_STARTS
from tests.accounts.test_role_matrix import EXPECTED
from tests.security.conftest import FORMULAS, HOSTILE, HTMX, ITEM, body_text, url_for

SHOWN = escape(HOSTILE)  # &lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img … {{7*7}}
# Markup that must never reach a page unescaped.
RAW = ("<script>alert(", "<img src=x", '"><img')
TREND_NAME = f"{HOSTILE} 2"  # the numeric line's name, on all three inspections
RESULTS = {**HTMX, "HX-Target": "results"}
# Each page or fragment that shows Coupa's text: (path, request headers).
PAGES = {
    "inspection list": ("/inspections/", {}),
    "inspection list, htmx results": ("/inspections/?status=Closed", RESULTS),
    "inspection search": (f"/inspections/?{urlencode({'q': HOSTILE})}", {}),
    "inspection detail": ("/inspections/1/", {}),
    "choice values": ("/inspections/1/characteristics/101/choices/", HTMX),
    "header attachments": ("/inspections/1/attachments/", HTMX),
    "line attachments": ("/inspections/1/characteristics/102/attachments/", HTMX),
    "timeline": ("/inspections/1/timeline/", HTMX),
    "results": ("/results/", {}),
    "results, htmx": ("/results/?verdict=fail", RESULTS),
    "results search": (f"/results/?{urlencode({'name': HOSTILE})}", {}),
    "trend": (f"/trends/?{urlencode({'item': ITEM, 'characteristic': TREND_NAME})}", {}),
    "trend starting points": ("/trends/", {}),
    "supplier scorecard": ("/suppliers/10/", {}),
    "sync status": ("/sync/", {}),
    "exported-flag batch": ("/exporting/batches/{export_batch_id}/", {}),
    "import batch": ("/inspections/import/{batch_id}/", {}),
    "new inspection request": ("/inspections/new/{request_id}/", {}),
}


def _get(client, page: str, world: dict) -> str:
    path, headers = PAGES[page]
    response = client.get(path.format(**world), headers=headers)
    assert response.status_code == 200, (page, response.status_code)
    return body_text(response)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_coupa_text_is_shown_escaped_on_every_page_that_shows_it(signed_in, hostile, page) -> None:
    html = _get(signed_in, page, hostile)
    assert [raw for raw in RAW if raw in html] == []
    assert SHOWN in html, f"the {page} does not show the Coupa text at all"


def test_no_page_of_the_matrix_shows_coupa_markup_unescaped(signed_in, hostile) -> None:
    """Every GET URL, as an engineer: whatever HTML it shows of the hostile world is escaped
    (the CSV export and the file download are not HTML and carry the raw text by design)."""
    leaks = {}
    for name, row in EXPECTED.items():
        if row.method != "GET" or name == "healthz":
            continue
        response = signed_in.get(url_for(name, hostile, row))
        assert response.status_code == row.engineer, (name, response)
        if not response["Content-Type"].startswith("text/html"):
            continue
        found = [raw for raw in RAW if raw in body_text(response)]
        if found:
            leaks[name] = found
    assert leaks == {}


def test_chart_data_goes_through_json_script_with_markup_escaped(signed_in, hostile) -> None:
    html = _get(signed_in, "trend", hostile)
    found = re.search(r'<script id="spc-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the trend page carries no chart data"
    payload = found.group(1)
    assert "<" not in payload and ">" not in payload and "&" not in payload.replace("\\u0026", "")
    data = json.loads(payload)
    assert len(data["points"]) == 3
    assert all(point["url"].startswith("/inspections/") for point in data["points"])


def test_json_script_escapes_markup_in_any_text_it_carries() -> None:
    """The page's only way of handing data to a script: `<`, `>` and `&` leave as \\u escapes,
    so a value cannot close the script element."""
    from django.template import Context, Template

    rendered = Template('{{ data|json_script:"x" }}').render(Context({"data": {"t": HOSTILE}}))
    payload = rendered.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "</script" not in payload.lower() and "<" not in payload
    assert json.loads(payload) == {"t": HOSTILE}


def test_the_csv_has_the_raw_text_and_neutralised_formulas(signed_in, hostile) -> None:
    text = body_text(signed_in.get("/inspections/export.csv"))
    rows = {row["coupa_id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"1", "2", "3"}
    # Text, not HTML: the CSV holds Coupa's characters as sent, never entities.
    assert rows["1"]["item_name"] == HOSTILE and rows["1"]["supplier_part_number"] == HOSTILE
    assert "&lt;" not in text
    formula_row = rows["3"]
    assert formula_row["supplier_part_number"] == "'" + FORMULAS["supplierPartNumber"]
    assert formula_row["buyer_part_number"] == "'" + FORMULAS["buyerPartNumber"]
    assert formula_row["ref_document_id"] == "'" + FORMULAS["refDocumentId"]
    assert formula_row["external_inspection_id"] == "'" + FORMULAS["externalInspectionId"]
    assert formula_row["item_name"] == "'\t=1+1"


def test_no_csv_cell_starts_a_formula(signed_in, hostile) -> None:
    text = body_text(signed_in.get("/inspections/export.csv"))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    risky = [c for c in cells if c.startswith(FORMULA_STARTS) and not _is_number(c)]
    assert risky == []


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),  # a negative number is data
        ("+0.5", "+0.5"),
        ("a=b", "a=b"),
    ],
)
def test_formula_cells_are_neutralised_and_numbers_kept(cell, shown) -> None:
    from qualityhub.ui.csvsafe import safe_cell

    assert safe_cell(cell) == shown


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- names from Coupa's Core API ------------------------------------------------------------------

NAME = f"Müller & Söhne 'A' {HOSTILE}"  # an ampersand, quotes and markup in one name


@pytest.fixture
def named(hostile) -> dict:
    """The hostile world's supplier, people, unit and item named with markup and quotes."""
    from django.utils import timezone

    from qualityhub.directory.models import Item, Person, Supplier, Unit
    from qualityhub.inspections.models import Inspection

    now = timezone.now()
    Supplier.objects.create(
        coupa_id=10, name=NAME, display_name=NAME, number=f'"{HOSTILE}', fetched_at=now
    )
    Person.objects.create(coupa_id=77, full_name=NAME, login=HOSTILE, fetched_at=now)
    Unit.objects.create(coupa_id=4, code="<b>", name=NAME, fetched_at=now)
    Item.objects.create(coupa_id=5, name=NAME, number=HOSTILE, fetched_at=now)
    Inspection.objects.filter(supplier_id=10).update(
        supplier_name=NAME, requested_by=77, created_by=77, modified_by=77, uom=4
    )
    return hostile


@pytest.mark.parametrize(
    "path",
    [
        "/inspections/",
        "/inspections/?supplier=10&item=5",
        f"/inspections/?{urlencode({'q': 'Müller & Söhne'})}",
        "/inspections/?sort=supplier",
        "/inspections/1/",
    ],
)
def test_names_are_shown_escaped_on_the_list_and_the_detail_page(signed_in, named, path) -> None:
    html = body_text(signed_in.get(path))
    assert [raw for raw in RAW + ("<b>",) if raw in html] == []
    assert escape(NAME) in html
    assert "Müller &amp; Söhne &#x27;A&#x27;" in html


def test_the_pickers_answer_names_as_json_text_not_html(signed_in, named) -> None:
    for kind in ("suppliers", "items", "people", "units"):
        response = signed_in.get(f"/names/{kind}/", {"q": "Müller & Söhne"})
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"
        results = json.loads(response.content)["results"]
        assert [r["text"] for r in results] in ([NAME], ["<b>"]), kind
        assert "&lt;" not in response.content.decode()  # data, not HTML: the picker escapes it


def test_the_csv_has_the_raw_name_with_formulas_neutralised(signed_in, named) -> None:
    from qualityhub.inspections.models import Inspection

    Inspection.objects.filter(coupa_id=3).update(supplier_name="=HYPERLINK(1)")
    text = body_text(signed_in.get("/inspections/export.csv"))
    rows = {row["coupa_id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["1"]["supplier_name"] == NAME
    assert rows["3"]["supplier_name"] == "'=HYPERLINK(1)"


# A supplier's name from Coupa's Core API, as hostile as a name gets (issue 15); helper pages
# resolve it from the directory at render time.
SUPPLIER_NAME = 'Müller & "Söhne" <script>alert(1)</script>'
NAME_PAGES = {
    "scorecards": ("/suppliers/", True),
    "supplier scorecard": ("/suppliers/{supplier_id}/", True),
    "trend of the supplier": (
        f"/trends/?{urlencode({'item': ITEM, 'characteristic': TREND_NAME})}"
        "&supplier={supplier_id}",
        True,
    ),
    "results": ("/results/", True),
    "results of the supplier": ("/results/?supplier={supplier_id}", True),
    "overview": ("/", False),  # names no supplier today: only nothing unescaped
}


@pytest.mark.parametrize("page", sorted(NAME_PAGES))
def test_supplier_names_are_shown_escaped_on_the_insight_pages(signed_in, hostile, page) -> None:
    from django.utils import timezone

    from qualityhub.directory.models import Supplier

    Supplier.objects.create(
        coupa_id=hostile["supplier_id"],
        name=SUPPLIER_NAME,
        number='SUP-"10"<b>',
        fetched_at=timezone.now(),
    )
    path, names_supplier = NAME_PAGES[page]
    response = signed_in.get(path.format(**hostile))
    assert response.status_code == 200, (page, response.status_code)
    html = body_text(response)
    assert "<script>alert(" not in html and "<b>" not in html
    if names_supplier:
        assert escape(SUPPLIER_NAME) in html, f"the {page} does not show the supplier's name"


MULLER = SUPPLIER_NAME


def test_supplier_names_are_escaped_on_the_creation_pages_and_the_import_preview(
    signed_in, engineer
) -> None:
    """A supplier's name from Coupa, chosen in the new-inspection form, written in an import,
    resolved and listed as a candidate of an ambiguous cell: shown as text everywhere."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from qualityhub.creation.importing import COLUMNS
    from qualityhub.directory.models import Supplier
    from tests.creation.conftest import SEED_HEADER, form_data

    now = timezone.now()
    twin = "Zwei <script>alert(1)</script>"
    Supplier.objects.bulk_create(
        [
            Supplier(coupa_id=12, name=MULLER, number="<b>SUP-12</b>", fetched_at=now),
            Supplier(coupa_id=13, name="Müller 2", display_name=twin, fetched_at=now),
            Supplier(coupa_id=14, name="Müller 3", display_name=twin, fetched_at=now),
        ]
    )
    refused = signed_in.post("/inspections/new/", form_data({**SEED_HEADER, "supplier_id": "12",
                                                             "item_quantity": "0"}))  # fmt: skip
    assert refused.status_code == 422
    header = {**SEED_HEADER, "due_date": "2025-12-20T10:00:00Z", "characteristic": "Length"}
    rows = [
        {**header, "supplier_id": cell, "external_id": f"ESC-{n}"}
        for n, cell in enumerate([MULLER, "12", twin.upper(), "<script>alert(1)</script>"])
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("names.csv", out.getvalue().encode())
    preview = signed_in.get(signed_in.post("/inspections/import/", {"file": upload})["Location"])

    for page, html in (("form", body_text(refused)), ("preview", body_text(preview))):
        assert [raw for raw in (*RAW, "<b>SUP-12", "<script>") if raw in html] == [], page
        assert escape(MULLER) in html, page
    html = body_text(preview)
    assert html.count(escape(MULLER)) >= 2  # written by name and by id, both resolved
    assert "(&lt;b&gt;SUP-12&lt;/b&gt;)" in html
    assert escape(f"{twin} (id 13); {twin} (id 14)") in html  # the ambiguous cell's candidates
    assert escape("No supplier has the name or number '<script>alert(1)</script>'.") in html
