"""Numbers and dates in the reader's language: the decimal mark changes, never a digit."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from qualityhub.inspections.models import Characteristic
from qualityhub.ui.jinja import day, minute, number, reader_zone
from qualityhub.verdicts import format_value, limit_text
from qualityhub.verdicts.display import display_limits, display_value, localized
from qualityhub.verdicts.limits import Limit
from tests.web.conftest import synced  # noqa: F401 - the module's synced cache
from tests.web.test_list_rows import inspection, render

MOMENT = datetime(2026, 11, 25, 14, 5, tzinfo=UTC)


def _row(html: str, characteristic_id: int) -> str:
    match = re.search(rf'<tr [^>]*data-characteristic-id="{characteristic_id}".*?</tr>', html, re.S)
    assert match, f"no row for characteristic {characteristic_id}"
    return match.group(0)


@pytest.mark.parametrize(
    ("language", "short", "long", "decimal"),
    [
        ("en", "2026-11-25", "2026-11-25 14:05", "96.5"),
        ("de", "25.11.2026", "25.11.2026 14:05", "96,5"),
        ("fr", "25/11/2026", "25/11/2026 14:05", "96,5"),
        ("es", "25/11/2026", "25/11/2026 14:05", "96,5"),
    ],
)
def test_the_jinja_filters_write_the_readers_language(language, short, long, decimal):
    with translation.override(language):
        zone = reader_zone(None)["zone"]
        assert day(MOMENT, zone) == day(date(2026, 11, 25), zone) == short
        assert minute(MOMENT, zone) == long
        assert minute(MOMENT, UTC) == long  # a plain time zone, as a caller may pass
        assert number(Decimal("96.500000")) == decimal
        assert number(Decimal("50.000000")) == "50"
        assert number(None, "–") == "–"


def test_the_machine_forms_keep_the_point_in_every_language():
    limits = [Limit("min", "ge", Decimal("96.5")), Limit("max", "lt", Decimal("100.25"))]
    with translation.override("de"):
        assert format_value(Decimal("6011.0000"), 4) == "6011.0000"
        assert limit_text(limits) == "≥ 96.5 and < 100.25"
        assert display_value(Decimal("6011.0000"), 4) == "6011,0000"
    with translation.override("en"):
        assert display_limits(limits) == "≥ 96.5 and < 100.25"


@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.integers(min_value=0, max_value=10),
)
def test_the_german_display_read_back_is_the_english_one(value, precision):
    with translation.override("en"):
        english = display_value(value, precision)
    with translation.override("de"):
        german = display_value(value, precision)
    assert "." not in german
    assert german.replace(",", ".") == english
    if "E" not in english:
        assert Decimal(german.replace(",", ".")) == Decimal(format_value(value, precision))


def test_localized_changes_only_the_decimal_mark():
    with translation.override("de"):
        text = "≥ 0.000001 and ≤ 123456789.123456789"
        assert localized(text) == "≥ 0,000001 and ≤ 123456789,123456789"
        assert localized("1.5E+101") == "1,5E+101"
        assert localized("NaN") == "NaN"


def test_the_list_shows_dates_and_numbers_in_german():
    row = inspection(
        item_quantity=Decimal("12.500000"),
        sample_size=Decimal("3"),
        due_date=datetime(2026, 11, 30, 10, 0, tzinfo=UTC),
        modified_at=MOMENT,
    )
    with translation.override("de"):
        html = render(row)
    assert ">12,5</td>" in html and ">3</td>" in html
    assert '"col-due_date col-p1">30.11.2026</td>' in html
    assert '"col-modified col-p2">25.11.2026 14:05</td>' in html
    with translation.override("en"):
        english = render(row)
    assert ">12.5</td>" in english
    assert '"col-due_date col-p1">2026-11-30</td>' in english
    assert '"col-modified col-p2">2026-11-25 14:05</td>' in english


@pytest.mark.django_db
def test_the_detail_page_shows_values_and_limits_with_their_digits_in_german(
    signed_in,
    synced,  # noqa: F811
):
    line = Characteristic.objects.get(coupa_id=2)  # Residue: > 0 and < 0.1
    line.recorded_numeric = Decimal("6011.0000")
    line.precision = 4
    line.save()
    german = signed_in.get("/inspections/1/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    residue = _row(german, 2)
    assert "6011,0000" in residue and "6011.0000" not in residue
    assert "&gt; 0 und &lt; 0,1" in residue or "&gt; 0 and &lt; 0,1" in residue
    assert "0.1<" not in residue
    english = signed_in.get("/inspections/1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    residue = _row(english, 2)
    assert "6011.0000" in residue and "&gt; 0 and &lt; 0.1" in residue


def _characteristic(**fields):
    from qualityhub.creation.forms import CharacteristicForm
    from tests.creation.conftest import SEED_ROWS

    row = CharacteristicForm({**SEED_ROWS[1], **fields})
    row.is_valid()
    return row


def _header(**fields):
    from qualityhub.creation.forms import HeaderForm
    from tests.creation.conftest import SEED_HEADER

    form = HeaderForm({**SEED_HEADER, **fields})
    form.is_valid()
    return form


@pytest.mark.django_db
def test_a_german_engineer_may_type_the_decimal_comma_and_the_point_keeps_its_meaning():
    with translation.override("de"):
        row = _characteristic(target="96,5", min_value="0,5", max_value="100.25")
        assert not row.errors
        assert (row.cleaned_data["target"], row.cleaned_data["min_value"]) == ("96.5", "0.5")
        assert row.cleaned_data["max_value"] == "100.25"
        assert _header(item_quantity="12,5").cleaned_data["item_quantity"] == Decimal("12.5")
        assert _header(item_quantity="1.000").cleaned_data["item_quantity"] == Decimal("1")
        # Grouping marks are never guessed at: refused, not mis-read.
        for typed in ("1.234,5", "1,2,3"):
            assert "target" in _characteristic(target=typed).errors
            assert "item_quantity" in _header(item_quantity=typed).errors


@pytest.mark.django_db
def test_in_english_a_comma_is_refused_as_before():
    with translation.override("en"):
        assert "target" in _characteristic(target="96,5").errors
        assert "item_quantity" in _header(item_quantity="1,000").errors
        assert _characteristic(target="96.5").cleaned_data["target"] == "96.5"
