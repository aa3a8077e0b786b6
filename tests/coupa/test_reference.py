"""Core's reference records read leniently: either key spelling, bad fields left empty with a
reason, unreadable records skipped with a reason, text bounded and without invisible characters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from qualityhub.coupa.reference import (
    MAX_TEXT,
    Skipped,
    SupplierRecord,
    UnitRecord,
    UserRecord,
    parse_reference,
    parse_references,
)

SUPPLIER = {
    "id": 1,
    "created-at": "2019-01-26T09:00:00-08:00",
    "updated-at": "2025-03-16T10:13:00-08:00",
    "name": "Northwind Polymers Ltd",
    "display-name": "Northwind Polymers",
    "number": "SUP-00001",
    "status": "active",
    "primary-contact": {"id": 701, "email": "a.okoro@northwind-polymers.example"},
}


def test_a_supplier_as_coupa_documents_it() -> None:
    record = parse_reference("suppliers", SUPPLIER)
    assert record == SupplierRecord(
        coupa_id=1,
        name="Northwind Polymers Ltd",
        display_name="Northwind Polymers",
        number="SUP-00001",
        status="active",
        updated_at=datetime(2025, 3, 16, 10, 13, tzinfo=timezone(timedelta(hours=-8))),
    )
    assert record.label == "Northwind Polymers"


def test_underscored_keys_and_ids_as_text_are_read_too() -> None:
    record = parse_reference(
        "suppliers", {"id": "8", "name": "Acme", "display_name": "ACME", "updated_at": None}
    )
    assert (record.coupa_id, record.display_name, record.updated_at) == (8, "ACME", None)


def test_a_user_without_fullname_is_named_from_first_and_last_name() -> None:
    record = parse_reference(
        "users",
        {"id": 10, "firstname": "Lucie", "lastname": "Moreau", "login": "l.moreau",
         "email": "l.moreau@buyer.example.com", "active": "false"},
    )  # fmt: skip
    assert record == UserRecord(
        10, "Lucie Moreau", "l.moreau", "l.moreau@buyer.example.com", False, None
    )


def test_a_unit() -> None:
    record = parse_reference("uoms", {"id": 4, "code": "KG", "name": "Kilogram", "active": True})
    assert record == UnitRecord(4, "KG", "Kilogram", None)


@pytest.mark.parametrize(
    ("kind", "data", "reason"),
    [
        ("suppliers", {"name": "No id"}, "no usable id"),
        ("suppliers", {"id": 0, "name": "Zero"}, "no usable id"),
        ("suppliers", {"id": 2**63, "name": "Too big"}, "no usable id"),
        ("suppliers", {"id": True, "name": "Bool"}, "no usable id"),
        ("suppliers", {"id": "1.5", "name": "Half"}, "no usable id"),
        ("suppliers", {"id": 3}, "supplier 3 has no name"),
        ("suppliers", {"id": 3, "name": None, "display-name": ""}, "supplier 3 has no name"),
        ("users", {"id": 5, "email": "x@example.com"}, "user 5 has neither a name nor a login"),
        ("uoms", {"id": 6, "name": "Kilogram"}, "unit 6 has no code"),
        ("uoms", ["not", "an", "object"], "is list, not an object"),
        ("uoms", None, "is NoneType, not an object"),
    ],
)
def test_an_unreadable_record_is_skipped_with_a_reason(kind, data, reason) -> None:
    skipped = parse_reference(kind, data)
    assert isinstance(skipped, Skipped)
    assert reason in skipped.reason


def test_a_field_of_the_wrong_type_is_left_empty_with_a_reason() -> None:
    page = parse_references(
        "suppliers",
        [{"id": 9, "name": "Nine", "number": {"x": 1}, "updated-at": "yesterday", "status": []}],
    )
    (record,) = page
    assert (record.number, record.updated_at, record.status) == ("", None, "")
    assert len(page.problems) == 3
    assert all(problem.startswith("supplier 9: ") for problem in page.problems)


def test_a_page_keeps_its_readable_records_and_counts_what_came() -> None:
    page = parse_references(
        "uoms", [{"id": 1, "code": "KG"}, {"id": "x"}, {"id": 3, "code": "EA", "name": 12}]
    )
    assert [r.coupa_id for r in page] == [1, 3]
    assert page[1].name == "12"  # a number where text was expected is its digits
    assert page.received == 3
    assert len(page.skipped) == 1


def test_hostile_text_is_kept_as_text_bounded_and_without_invisible_characters() -> None:
    record = parse_reference(
        "suppliers",
        {
            "id": 1,
            "name": "<script>alert('x')</script> & \"Sons\"",
            "display-name": "a\u202eb" + "x" * 10_000,
            "number": Decimal("42"),
        },
    )
    assert record.name == "<script>alert('x')</script> & \"Sons\""
    assert record.display_name.startswith("ab") and len(record.display_name) == MAX_TEXT
    assert record.number == "42"


def test_times_keep_their_offset_and_compare_as_moments() -> None:
    record = parse_reference(
        "uoms", {"id": 1, "code": "KG", "updated-at": "2026-12-06T12:00:00+02:00"}
    )
    assert record.updated_at == datetime(2026, 12, 6, 10, tzinfo=UTC)


def test_an_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_references("invoices", [])
