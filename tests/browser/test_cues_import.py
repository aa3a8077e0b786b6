"""The import preview in Chromium: warnings beside their rows, and the rows still importable."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from qualityhub.creation.example import example_csv
from qualityhub.creation.importing import COLUMNS
from tests.browser.conftest import sign_in_through_form
from tests.creation.conftest import fill_directory

pytestmark = pytest.mark.browser


def test_the_preview_warns_beside_the_row_and_still_offers_to_create_it(
    page, live_server, engineer, tmp_path
) -> None:
    fill_directory()
    rows = list(csv.DictReader(io.StringIO(example_csv())))
    for row in rows[3:]:
        row["due_date"] = "2020-01-15T09:00:00Z"
    rows[3]["target"] = "12.10"  # its limits: ≥ 11.95 and ≤ 12.05
    upload = tmp_path / "inspections.csv"
    with upload.open("w", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    sign_in_through_form(page, live_server, "/inspections/import/")
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="Preview").click()

    entry = page.get_by_test_id("import-entry").nth(1)
    warnings = entry.get_by_test_id("entry-warnings").locator("li")
    expect(warnings).to_have_count(2)
    expect(warnings.nth(0)).to_contain_text("The due date 2020-01-15")
    expect(warnings.nth(0)).to_contain_text("is already past.")
    expect(warnings.nth(1)).to_contain_text("row 5")
    expect(warnings.nth(1)).to_contain_text("The target 12.10 is outside its own limits (≤ 12.05)")
    expect(entry.get_by_test_id("entry-state")).to_contain_text("will be created")
    expect(entry.get_by_test_id("entry-state")).to_contain_text("2 warnings")
    expect(entry.get_by_test_id("entry-errors")).to_have_count(0)
    expect(page.get_by_test_id("confirm-import")).to_be_enabled()
    expect(page.get_by_test_id("confirm-import")).to_have_text("Create 2 inspections in Coupa")
