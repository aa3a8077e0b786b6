from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl
import pytest

from qualityhub.inspections.models import Characteristic, Inspection

DUE = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
# Half past midnight on the 26th in Berlin.
MODIFIED = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
BIG = Decimal("12345678901234567890.1234567890")


@pytest.fixture
def world(db):
    """Three inspections of two suppliers (10: 1 and 2, 20: 3), with lines whose values test
    the precision: 0.125 at 2 places, a value of 30 digits, 69 at 3 places, a choice."""
    first = Inspection.objects.create(
        coupa_id=1,
        supplier_id=10,
        supplier_name="Acme",
        item_id=5,
        item_name="Bracket",
        status="Closed",
        review_decision="Rejected",
        verdict="fail",
        item_quantity=Decimal("6011.0000000000"),
        sample_size=Decimal("12.5000000000"),
        due_date=DUE,
        modified_at=MODIFIED,
        exported=True,
        failing_count=1,
    )
    second = Inspection.objects.create(
        coupa_id=2, supplier_id=10, verdict="pass", due_date=DUE, modified_at=MODIFIED
    )
    third = Inspection.objects.create(
        coupa_id=3, supplier_id=20, supplier_name="Zeta", due_date=DUE, modified_at=MODIFIED
    )
    line = Characteristic.objects.create
    line(
        coupa_id=10,
        inspection=first,
        line_num=1,
        name="Length",
        recorded_numeric=Decimal("0.1250000000"),
        precision=2,
        verdict="fail",
    )
    line(coupa_id=11, inspection=first, line_num=2, name="Mass", recorded_numeric=BIG, precision=10)
    line(
        coupa_id=20,
        inspection=second,
        line_num=1,
        name="Length",
        recorded_numeric=Decimal("69"),
        precision=3,
        verdict="pass",
    )
    line(coupa_id=30, inspection=third, line_num=1, name="Colour", recorded_code="RED")
    return first, second, third


def body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def sheet(response):
    """The download's sheet, read back by openpyxl, and its rows as dicts by header."""
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    return workbook.active


def rows_of(worksheet) -> list[dict]:
    cells = list(worksheet.iter_rows())
    header = [c.value for c in cells[0]]
    return [dict(zip(header, row, strict=False)) for row in cells[1:]]
