import pytest

pytestmark = pytest.mark.django_db


def test_dates_are_shown_in_the_readers_time_zone(signed_in, synced) -> None:
    # Inspection 1 is due 2025-11-20T10:00:00Z.
    signed_in.cookies["tz"] = "Asia/Tokyo"
    assert "2025-11-20 19:00" in signed_in.get("/inspections/1/").content.decode()
    signed_in.cookies["tz"] = "America/New_York"
    assert "2025-11-20 05:00" in signed_in.get("/inspections/1/").content.decode()


def test_an_unknown_time_zone_falls_back_to_the_servers(signed_in, synced) -> None:
    signed_in.cookies["tz"] = "Mars/Olympus_Mons"
    assert "2025-11-20 10:00" in signed_in.get("/inspections/1/").content.decode()


def test_day_and_minute_print_what_the_date_filter_printed_in_the_readers_zone() -> None:
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    from django.template import Context, Template
    from django.utils import timezone

    template = Template(
        '{% load qualityhub %}{{ t|day }}|{{ t|minute }}|{{ t|date:"Y-m-d" }} {{ t|date:"H:i" }}'
    )
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 → 03:30 in Berlin that night
    for zone in ("UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata"):
        with timezone.override(ZoneInfo(zone)):
            day, minute, expected = template.render(Context({"t": moment})).split("|")
        assert f"{day} {minute[-5:]}" == expected and minute.startswith(day), zone
    assert Template("{% load qualityhub %}[{{ d|day }}]").render(Context({"d": None})) == "[]"
    assert Template("{% load qualityhub %}{{ d|day }}").render(
        Context({"d": date(2026, 1, 5)})
    ) == ("2026-01-05")


def test_the_readers_time_zone_ends_with_the_request(signed_in, synced) -> None:
    # A worker thread serves the next request (or task) after this one: the zone must not stay.
    from django.utils import timezone

    signed_in.cookies["tz"] = "Asia/Tokyo"
    signed_in.get("/inspections/1/")
    assert timezone.get_current_timezone_name() == "UTC"
