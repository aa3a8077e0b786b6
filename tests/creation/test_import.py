"""Import pages: upload, preview (nothing sent), and what is left alone."""

from __future__ import annotations

import csv
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from qualityhub.creation.example import EXAMPLE_SUPPLIER_NUMBER, example_csv
from qualityhub.creation.importing import COLUMNS
from qualityhub.creation.models import CreationRequest, ImportBatch
from tests.conftest import DATA_DIR, make_user
from tests.sandbox.helpers import Client

from .conftest import creates, form_data

IMPORT = "/inspections/import/"


def _upload(client, text: str, name: str = "inspections.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, text.encode())})


def _batch_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert re.fullmatch(r"/inspections/import/\d+/", response["Location"])
    return response["Location"]


def _with_errors() -> str:
    rows = list(csv.DictReader(io.StringIO(example_csv())))
    rows[3]["min_value"] = "12.10"  # above its maximum of 12.05
    rows[4]["quantitative"] = "sometimes"
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_the_preview_shows_what_will_be_created_and_every_rows_errors(
    signed_in, coupa, directory, django_assert_max_num_queries
) -> None:
    url = _batch_url(_upload(signed_in, _with_errors()))
    with django_assert_max_num_queries(4):
        page = signed_in.get(url).content.decode()

    assert page.count('data-testid="import-entry"') == 2
    summary = re.search(r'data-testid="preview-summary">(.*?)</p>', page, re.S)[1]
    assert re.sub(r"<[^>]+>", "", summary) == (
        "2 inspections in the file: 1 will be created (1 with warnings: see below), 1 will not "
        "(see below). Nothing has been sent yet."
    )
    assert 'data-where="row 5" data-column="min_value"' in page
    assert "The minimum is above the maximum." in page
    assert 'data-where="row 6" data-column="quantitative"' in page
    assert "Has errors: not sent." in page
    for name in ("Color", "Non-volatile residue", "Reducing substances", "Outer diameter"):
        assert f"<td>{name}</td>" in page
    assert "<td>&gt; 0 and &lt; 0.1</td>" in page
    assert "Create 1 inspection in Coupa" in page
    assert coupa.request_count()["total"] == 0
    assert not CreationRequest.objects.exists()


def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page(signed_in) -> None:
    response = _upload(signed_in, "due_date,colour\n2025-01-01,red\n")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Unknown column &#x27;colour&#x27;." in page
    assert not ImportBatch.objects.exists()


def test_an_upload_without_a_file_is_refused(signed_in) -> None:
    response = signed_in.post(IMPORT, {})
    assert response.status_code == 422
    assert "Choose a CSV or JSON file." in response.content.decode()


def test_the_example_csv_can_be_downloaded(signed_in) -> None:
    response = signed_in.get("/inspections/import/template.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == (DATA_DIR / "import_example.csv").read_text()


def test_an_inspection_already_created_is_not_sent_again(
    send_form, signed_in, coupa, directory
) -> None:
    created = send_form(form_data())
    new_id = int(created["Location"].strip("/").rsplit("/", 1)[-1])

    page = signed_in.get(_batch_url(_upload(signed_in, example_csv()))).content.decode()
    assert f"Already created as inspection {new_id}: not sent again." in page
    assert "Create 1 inspection in Coupa" in page
    assert creates(coupa) == 1


def test_someone_elses_import_is_not_shown(signed_in, client) -> None:
    url = _batch_url(_upload(signed_in, example_csv()))
    other = make_user("quinn", "Quality engineer")  # another engineer
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url + "send/").status_code == 404


def test_a_json_file_in_the_request_shape_is_previewed(signed_in) -> None:
    text = (DATA_DIR / "seed_create_request.json").read_text()
    page = signed_in.get(_batch_url(_upload(signed_in, text, "seed.json"))).content.decode()
    assert "Create 1 inspection in Coupa" in page
    assert 'data-entry="EXT_QI_004"' in page
    assert "entry-errors" not in page
    assert ImportBatch.objects.get().file_format == "json"


def test_the_example_writes_a_supplier_number_the_sandbox_serves(coupa) -> None:
    """The example's second inspection names its supplier by number: the number Coupa's Core
    API (here the sandbox's) gives supplier 4."""
    api = Client(coupa.url)
    supplier = api.get("/api/suppliers/4", api.token("core.supplier.read")).json()
    assert supplier["number"] == EXAMPLE_SUPPLIER_NUMBER
    assert EXAMPLE_SUPPLIER_NUMBER in example_csv().splitlines()[4]
