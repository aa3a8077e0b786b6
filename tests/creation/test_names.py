"""Choosing by name: the form's pickers show names and send Coupa's ids; the import reads a
supplier's name or number (a unit's code, a person's login or e-mail, an item's name), says
which cells name no one or several, and its preview shows names."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualityhub.coupa import wirejson
from qualityhub.creation.example import example_csv
from qualityhub.creation.importing import COLUMNS, MAX_INSPECTIONS
from qualityhub.creation.models import ImportBatch
from qualityhub.directory.models import Supplier
from tests.conftest import DATA_DIR, client_for, make_user

from .conftest import SEED_HEADER, creates, form_data

NEW = "/inspections/new/"
IMPORT = "/inspections/import/"
PICKERS = {
    "supplier_id": ("/names/suppliers/", "Supplier"),
    "item_id": ("/names/items/", "Item"),
    "uom": ("/names/units/", "Unit"),
    "requested_by": ("/names/people/", "Requester"),
}


def _select(page: str, name: str) -> str:
    found = re.search(rf'<select name="{name}"[^>]*>.*?</select>', page, re.S)
    assert found, f"no select named {name}"
    return found[0]


def _options(select: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each option."""
    return [
        (value, text, " selected" in attrs)
        for value, attrs, text in re.findall(
            r'<option value="([^"]*)"([^>]*)>(.*?)</option>', select
        )
    ]


def _error_for(page: str, field: str) -> str:
    found = re.search(rf'data-error-for="{re.escape(field)}">([^<]*)<', page)
    return found[1] if found else ""


def _supplier(coupa_id: int, name: str, number: str = "", display_name: str = "") -> Supplier:
    return Supplier.objects.create(
        coupa_id=coupa_id,
        name=name,
        display_name=display_name,
        number=number,
        fetched_at=timezone.now(),
    )


# --- the form ---------------------------------------------------------------------------------


def test_the_form_picks_supplier_item_unit_and_requester_by_name(signed_in) -> None:
    page = signed_in.get(NEW).content.decode()
    for name, (url, label) in PICKERS.items():
        select = _select(page, name)
        assert f'data-picker="{url}"' in select
        assert _options(select) == [("", "", True)]  # nothing chosen yet: no names to list
        assert re.search(rf'<label[^>]* for="id_{name}">{label}[ <]', page), label


def test_a_form_shown_again_names_what_was_chosen_and_keeps_the_ids(signed_in, directory) -> None:
    data = form_data({**SEED_HEADER, "item_quantity": "0"})  # refused: the form comes back
    response = signed_in.post(NEW, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert _options(_select(page, "supplier_id")) == [
        ("", "", False),
        ("1", "Northwind Polymers", True),
    ]
    assert 'data-detail="SUP-00001"' in _select(page, "supplier_id")
    assert _options(_select(page, "item_id"))[1] == ("1", "Inspection Material", True)
    assert _options(_select(page, "uom"))[1] == ("1", "EA", True)
    assert _options(_select(page, "requested_by"))[1] == ("10", "Lucie Moreau", True)


def test_an_id_the_directory_does_not_know_reads_as_the_id(signed_in, db) -> None:
    response = signed_in.post(NEW, form_data({**SEED_HEADER, "supplier_id": "99", "uom": ""}))
    page = response.content.decode()
    assert _options(_select(page, "supplier_id"))[1] == ("99", "Supplier 99", True)
    assert _error_for(page, "uom") == "This field is required."


def test_a_value_that_is_no_id_is_refused_and_not_offered_again(signed_in, db) -> None:
    hostile = "<script>alert(1)</script>" + "x" * 10_000
    page = signed_in.post(NEW, form_data({**SEED_HEADER, "supplier_id": hostile})).content.decode()
    assert _error_for(page, "supplier_id") == "Enter a whole number."
    assert _options(_select(page, "supplier_id")) == [("", "", False)]
    assert "<script>alert(1)" not in page


def test_a_supplier_the_user_may_not_see_is_refused_without_its_name(client, directory) -> None:
    lena = make_user("lena", "Quality engineer", suppliers=[4])
    client.force_login(lena)
    response = client.post(NEW, form_data())  # supplier 1
    assert response.status_code == 422
    page = response.content.decode()
    assert _error_for(page, "supplier_id") == (
        "Supplier 1 is not one of your suppliers: choose one you are responsible for."
    )
    assert "Northwind" not in page
    assert _options(_select(page, "supplier_id"))[1] == ("1", "Supplier 1", True)


def test_a_user_limited_to_the_supplier_may_send_it(client, directory, coupa, eager_celery):
    from django.test import TestCase

    lena = make_user("lena", "Quality engineer", suppliers=[1])
    client.force_login(lena)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(NEW, form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert creates(coupa) == 1


def test_the_chosen_supplier_goes_to_coupa_as_its_id(send_form, coupa, directory) -> None:
    response = send_form(form_data({**SEED_HEADER, "supplier_id": "4", "requested_by": "10"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    new_id = int(response["Location"].strip("/").rsplit("/", 1)[-1])
    client = client_for(coupa)
    try:
        stored = client.get_inspection_raw(new_id)
    finally:
        client.close()
    assert (stored["supplierId"], stored["uom"], stored["requestedBy"]) == (4, 1, 10)


# --- the import -------------------------------------------------------------------------------


def _rows(**header) -> list[dict[str, str]]:
    """The example's second inspection (two rows), its header cells changed."""
    rows = list(csv.DictReader(io.StringIO(example_csv())))[3:]
    for row in rows:
        row.update(header)
    return rows


def _csv(*inspections: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for number, rows in enumerate(inspections):
        for row in rows:  # an external id each, so consecutive inspections stay apart
            writer.writerow({**row, "external_id": row["external_id"] or f"IMP-{number}"})
    return out.getvalue()


def _preview(client, text: str, name: str = "names.csv"):
    response = client.post(IMPORT, {"file": SimpleUploadedFile(name, text.encode())})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    return ImportBatch.objects.get(pk=response["Location"].strip("/").rsplit("/", 1)[-1]), page


def _sent(entry: dict) -> dict:
    assert entry["errors"] == [], entry["errors"]
    return wirejson.loads(entry["payload"])


def _errors(entry: dict) -> list[tuple[str, str]]:
    return [(error["column"], error["message"]) for error in entry["errors"]]


def test_an_import_names_suppliers_units_people_and_items_as_people_know_them(
    signed_in, directory
) -> None:
    batch, page = _preview(
        signed_in,
        _csv(
            _rows(supplier_id="SUP-00004", uom="ea", requested_by="L.MOREAU"),
            _rows(supplier_id="northwind polymers", item_id="fas-00812"),
            _rows(
                supplier_id=" Zhejiang Hengda Packaging Co., Ltd. ",
                requested_by="l.moreau@buyer.example.com",
                item_id="Hex bolt M8x40 8.8",
            ),
            _rows(supplier_id="1", requested_by="lucie moreau"),
        ),
    )
    sent = [_sent(entry) for entry in batch.entries]
    assert [wire["supplierId"] for wire in sent] == [4, 1, 4, 1]
    assert {(wire["uom"], wire["requestedBy"], wire["itemId"]) for wire in sent} == {(1, 10, 2)}
    assert "Create 4 inspections in Coupa" in page
    suppliers = re.findall(r'"entry-supplier">(.*?)</span>\s*<span data-testid="entry-item"', page)
    texts = [re.sub(r"<[^>]+>", "", s) for s in suppliers]
    assert texts == [
        "Supplier Hengda Packaging (Zhejiang) (SUP-00004)",
        "Supplier Northwind Polymers (SUP-00001)",
        "Supplier Hengda Packaging (Zhejiang) (SUP-00004)",
        "Supplier Northwind Polymers (SUP-00001)",
    ]
    assert "Requester <span" in page and ">Lucie Moreau</span>" in page
    assert re.search(r"Qty 200 <span[^>]*>EA</span>", page)
    assert ">Hex bolt M8x40 8.8</span>" in page


def test_ambiguous_and_unknown_names_are_errors_on_their_row(signed_in, directory) -> None:
    _supplier(105, "Acme Components GmbH", "ACME-1", display_name="Acme")
    _supplier(106, "Acme Ltd", "ACME-2", display_name="Acme")
    batch, page = _preview(
        signed_in,
        _csv(
            _rows(supplier_id="ACME"),
            _rows(supplier_id="Nobody Inc", uom="furlong", requested_by="someone@else"),
            _rows(supplier_id="SUP-00004"),
        ),
    )
    ambiguous, unknown, fine = batch.entries
    assert _errors(ambiguous) == [
        (
            "supplier_id",
            "'ACME' could be 2 suppliers: Acme (ACME-1, id 105); Acme (ACME-2, id 106). "
            "Write the id of the one you mean.",
        )
    ]
    assert ambiguous["where"] == "rows 2–3" and ambiguous["errors"][0]["where"] == "row 2"
    assert _errors(unknown) == [
        ("supplier_id", "No supplier has the name or number 'Nobody Inc'."),
        ("uom", "No unit has the code or name 'furlong'."),
        ("requested_by", "No person has the login, e-mail or name 'someone@else'."),
    ]
    assert _sent(fine)["supplierId"] == 4
    assert "Create 1 inspection in Coupa" in page
    assert "&#x27;ACME&#x27; could be 2 suppliers" in page
    assert 'data-testid="entry-supplier">Supplier <code>ACME</code>' in page


def test_many_candidates_are_counted_not_all_listed(signed_in, directory) -> None:
    for coupa_id in range(130, 142):
        _supplier(coupa_id, f"Same {coupa_id}", display_name="Same")
    batch, _ = _preview(signed_in, _csv(_rows(supplier_id="same")))
    (message,) = [error["message"] for error in batch.entries[0]["errors"]]
    assert message.startswith("'same' could be 12 suppliers: Same (id 130); Same (id 131); ")
    assert message.count("(id ") == 5
    assert "; and 7 more. Write the id of the one you mean." in message


def test_a_whole_number_is_an_id_first_and_a_supplier_number_otherwise(
    signed_in, directory
) -> None:
    _supplier(107, "Numbered Ltd", "1001")
    _supplier(108, "Confusing Ltd", "4")  # supplier 4 exists: "4" stays supplier 4
    batch, _ = _preview(
        signed_in,
        _csv(_rows(supplier_id="1001"), _rows(supplier_id="4"), _rows(supplier_id="99")),
    )
    assert [_sent(entry)["supplierId"] for entry in batch.entries] == [107, 4, 99]
    assert [entry["names"]["supplier_id"]["text"] for entry in batch.entries] == [
        "Numbered Ltd",
        "Hengda Packaging (Zhejiang)",
        "Supplier 99",  # unknown to the directory: sent as Coupa's id, for Coupa to judge
    ]
    assert batch.entries[2]["names"]["supplier_id"]["known"] is False


def test_an_empty_directory_says_to_write_ids(signed_in) -> None:
    batch, _ = _preview(signed_in, _csv(_rows(supplier_id="Northwind"), _rows(supplier_id="4")))
    assert _errors(batch.entries[0]) == [
        (
            "supplier_id",
            "No supplier has the name or number 'Northwind'. QualityHub knows no supplier names "
            "yet: write Coupa's supplier id.",
        )
    ]
    assert _sent(batch.entries[1])["supplierId"] == 4


def test_numbers_that_are_no_ids_get_the_forms_own_message(signed_in, directory) -> None:
    batch, _ = _preview(
        signed_in,
        _csv(
            _rows(supplier_id="4.5"),
            _rows(supplier_id=str(2**63)),
            _rows(uom="0"),
            _rows(supplier_id="12-34"),  # no number: a supplier number no supplier has
        ),
    )
    assert [_errors(entry) for entry in batch.entries] == [
        [("supplier_id", "Enter a whole number.")],
        [("supplier_id", "Ensure this value is less than or equal to 9223372036854775807.")],
        [("uom", "Ensure this value is greater than or equal to 1.")],
        [("supplier_id", "No supplier has the name or number '12-34'.")],
    ]


def test_a_limited_user_resolves_only_their_own_suppliers(client, directory) -> None:
    lena = make_user("lena", "Quality engineer", suppliers=[4])
    client.force_login(lena)
    batch, page = _preview(
        client,
        _csv(
            _rows(supplier_id="Northwind Polymers"),
            _rows(supplier_id="1"),
            _rows(supplier_id="sup-00004"),
        ),
    )
    assert [_errors(entry) for entry in batch.entries] == [
        [("supplier_id", "None of your suppliers has the name or number 'Northwind Polymers'.")],
        [
            (
                "supplier_id",
                "Supplier 1 is not one of your suppliers: choose one you are responsible for.",
            )
        ],
        [],
    ]
    assert "SUP-00001" not in page


def test_hostile_cells_are_bounded_quoted_and_matched_in_any_case(signed_in, directory) -> None:
    formula = '=HYPERLINK("http://evil.example","x")'
    long_name = "Ä" * 10_000
    batch, page = _preview(
        signed_in,
        _csv(
            _rows(supplier_id="MÜLLER & SÖHNE GMBH"),
            _rows(supplier_id=formula),
            _rows(supplier_id=long_name),
            _rows(supplier_id="\u200fNorthwind Polymers"),
        ),
    )
    assert _sent(batch.entries[0])["supplierId"] == 2  # the sandbox's Müller & Söhne GmbH
    assert _errors(batch.entries[1]) == [
        ("supplier_id", f"No supplier has the name or number {formula!r}.")
    ]
    ((_, long_message),) = _errors(batch.entries[2])
    assert len(long_message) < 150 and long_message.endswith("…'.")
    assert _errors(batch.entries[3]) == [
        ("supplier_id", "No supplier has the name or number '\\u200fNorthwind Polymers'.")
    ]
    assert long_name not in page


def test_resolving_a_whole_file_costs_a_few_queries(
    signed_in, directory, django_assert_max_num_queries
) -> None:
    names = ["SUP-00004", "Northwind Polymers", "Nobody", "4", "99"]
    inspections = [
        _rows(supplier_id=names[n % 5], external_id=f"Q-{n}", uom="EA", requested_by="10")[:1]
        for n in range(MAX_INSPECTIONS)
    ]
    upload = SimpleUploadedFile("many.csv", _csv(*inspections).encode())
    # Session and user, 2 per named column (matches, names), 1 for the empty-directory check,
    # the batch's insert, and the request's own savepoints.
    with django_assert_max_num_queries(16):
        response = signed_in.post(IMPORT, {"file": upload})
    assert response.status_code == 302
    entries = ImportBatch.objects.get().entries
    assert len(entries) == MAX_INSPECTIONS
    assert sum(not entry["errors"] for entry in entries) == MAX_INSPECTIONS // 5 * 4


def test_a_json_import_stays_ids_and_its_preview_shows_names(signed_in, directory) -> None:
    text = (DATA_DIR / "seed_create_request.json").read_text()
    batch, page = _preview(signed_in, text, "seed.json")
    assert batch.entries[0]["names"]["supplier_id"]["text"] == "Northwind Polymers"
    assert ">Northwind Polymers</span>" in page and "(SUP-00001)" in page


@pytest.mark.parametrize("names", [None, {}])
def test_a_preview_stored_without_names_shows_the_cells(signed_in, engineer, names) -> None:
    """Batches previewed before names existed (or with none resolved) show what was typed."""
    entry = {
        "where": "row 2",
        "external_id": "OLD-1",
        "key_generated": False,
        "header": {"supplier_id": "8", "item_id": "", "uom": "1", "requested_by": "10"},
        "lines": [],
        "errors": [],
        "payload": "",
    }
    if names is not None:
        entry["names"] = names
    batch = ImportBatch.objects.create(user=engineer, file_name="old.csv", entries=[entry])
    page = signed_in.get(f"/inspections/import/{batch.pk}/").content.decode()
    assert 'data-testid="entry-supplier">Supplier <code>8</code>' in page
    assert 'data-testid="entry-item">Item <code>—</code>' in page


def test_a_full_import_of_distinct_names_resolves_in_any_case_on_every_database(db) -> None:
    """As many distinct supplier cells as an import may hold, in other cases than the
    directory's (non-ASCII ones too): each found, none refused for the query's size (SQLite
    refuses an expression deeper than 1,000 terms)."""
    from qualityhub.creation.resolving import Directory

    now = timezone.now()
    Supplier.objects.bulk_create(
        Supplier(coupa_id=n, name=f"Ångström Söhne {n}", number=f"S-{n}", fetched_at=now)
        for n in range(1, MAX_INSPECTIONS + 1)
    )
    cells = [f"ÅNGSTRÖM SÖHNE {n}" if n % 2 else f"ångström söhne {n}" for n in range(1, 501)]
    assert len(cells) == MAX_INSPECTIONS
    answer = Directory().resolve("supplier_id", cells)
    assert {cell: resolved.coupa_id for cell, resolved in answer.items()} == {
        cell: n for n, cell in enumerate(cells, 1)
    }
