"""The tolerance bar in Chromium: the marker's colour and shape follow the line's verdict."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from qualityhub.inspections.models import Characteristic
from qualityhub.verdicts import CharacteristicInput, Limit, evaluate_characteristic

pytestmark = pytest.mark.browser

GREEN = "rgb(25, 135, 84)"  # Bootstrap's --bs-success in light mode
RED = "rgb(220, 53, 69)"  # --bs-danger


def record(line: Characteristic, value: str) -> None:
    """Put `value` on a cached line and judge it as the sync would."""
    line.recorded_numeric = Decimal(value)
    limits = [Limit(x.limit_type, x.operator, x.value) for x in line.limits.all()]
    judgement = evaluate_characteristic(
        CharacteristicInput(
            "numeric", True, line.target, line.precision, limits, line.recorded_numeric, None
        )
    )
    line.verdict = judgement.verdict
    line.verdict_reason = judgement.reason
    line.save()


def bar_of(page, line: Characteristic):
    return page.locator(f'tr[data-characteristic-id="{line.coupa_id}"] svg.tolerance-bar')


def colour_of(marker) -> str:
    return marker.evaluate("m => getComputedStyle(m).fill === 'none' ? "
                           "getComputedStyle(m).stroke : getComputedStyle(m).fill")  # fmt: skip


def test_a_pass_far_above_at_least_96_is_a_green_arrow_and_a_fail_at_below_001_a_red_cross(
    signed_in, live_server
) -> None:
    page = signed_in
    content = Characteristic.objects.filter(name="Ethanol content").first()
    assert content is not None, "the sandbox has no ethanol inspection"
    residue = Characteristic.objects.get(inspection=content.inspection, name="Non-volatile residue")
    record(content, "132.9")
    record(residue, "0.01")
    assert (content.verdict, residue.verdict) == ("pass", "fail")

    page.goto(f"{live_server.url}/inspections/{content.inspection_id}/")

    passing = bar_of(page, content)
    expect(passing).to_have_attribute("data-verdict", "pass")
    expect(passing).to_have_attribute("data-arrow", "high")
    arrow = passing.locator("polygon.marker.arrow")
    expect(arrow).to_have_class("marker arrow verdict-pass")
    assert colour_of(arrow) == GREEN
    # The arrow lies beyond the scale's right end, and the label says it in words.
    scale = passing.locator("rect.scale")
    scale_end = float(scale.get_attribute("x")) + float(scale.get_attribute("width"))
    points = [float(p.split(",")[0]) for p in arrow.get_attribute("points").split()]
    assert min(points) > scale_end
    label = passing.get_attribute("aria-label")
    assert "132.9" in label and "≥ 96" in label and "Pass" in label and "beyond" in label

    failing = bar_of(page, residue)
    expect(failing).to_have_attribute("data-verdict", "fail")
    expect(failing).to_have_attribute("data-arrow", "")
    cross = failing.locator("path.marker.cross")
    expect(cross).to_have_class("marker cross verdict-fail")
    assert colour_of(cross) == RED
    # On the "< 0.01" limit: the cross is at the band's high end, where the limit is written.
    band = failing.locator("rect.band")
    band_end = float(band.get_attribute("x")) + float(band.get_attribute("width"))
    assert float(cross.get_attribute("data-x")) == pytest.approx(band_end, abs=0.11)
    assert float(failing.locator("text", has_text="< 0.01").get_attribute("x")) == pytest.approx(
        band_end, abs=0.11
    )
    assert "Fail" in failing.get_attribute("aria-label")


def test_every_bar_on_a_page_takes_its_lines_verdict(signed_in, live_server) -> None:
    page = signed_in
    failing = Characteristic.objects.filter(verdict="fail", value_type="numeric").first()
    page.goto(f"{live_server.url}/inspections/{failing.inspection_id}/")
    rows = page.locator("tr[data-characteristic-id]:has(svg.tolerance-bar)")
    assert rows.count() >= 1
    for index in range(rows.count()):
        row = rows.nth(index)
        verdict = row.get_attribute("data-verdict")
        marker = row.locator("svg.tolerance-bar .marker")
        expect(marker).to_have_count(1)
        assert f"verdict-{verdict}" in marker.get_attribute("class").split()
        width = float(row.locator("svg.tolerance-bar").get_attribute("width"))
        x = marker.get_attribute("data-x")
        assert x is None or 0 <= float(x) <= width
