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


def test_the_readers_time_zone_ends_with_the_request(signed_in, synced) -> None:
    # A worker thread serves the next request (or task) after this one: the zone must not stay.
    from django.utils import timezone

    signed_in.cookies["tz"] = "Asia/Tokyo"
    signed_in.get("/inspections/1/")
    assert timezone.get_current_timezone_name() == "UTC"
