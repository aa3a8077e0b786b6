"""The review pack's PDF, read back with pypdf: supplier 10's quarter and nothing else."""

from __future__ import annotations

import io

import pypdf
import pytest
import time_machine

from qualityhub.reports.pack import PackPeriod, build_pack, last_full_quarter, pack_pdf
from tests.reports import pack_world
from tests.reports.pack_world import BAND, BORE, NOW, OURS

pytestmark = pytest.mark.django_db
Q2 = PackPeriod(NOW.date().replace(month=4, day=1), NOW.date().replace(month=6, day=30))


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        pack_world.build()
        yield


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def pack_text(world) -> str:
    _name, pdf = pack_pdf(OURS, Q2, "en")
    assert pdf.startswith(b"%PDF")
    return text_of(pdf)


def test_the_default_period_is_the_last_full_quarter() -> None:
    assert last_full_quarter(NOW.date()) == Q2
    january = last_full_quarter(NOW.date().replace(month=1, day=5))
    assert (january.first_day.isoformat(), january.last_day.isoformat()) == (
        "2024-10-01",
        "2024-12-31",
    )


def test_the_title_names_the_supplier_and_the_period(pack_text) -> None:
    assert "Supplier review pack" in pack_text
    assert "Supplier 10" in pack_text
    assert "2025-04-01" in pack_text and "2025-06-30" in pack_text
    assert "Generated at 2025-07-15 09:00" in pack_text
    assert "Data synced at 2025-07-15 08:55" in pack_text


def test_the_scorecard_figures_are_the_quarters(world, pack_text) -> None:
    card = build_pack(OURS, Q2).card
    # 3 listed + 12 + 6 + 4 + 3 measured inspections, all due in the quarter.
    assert card.inspections == 28
    assert (card.acceptance.part, card.acceptance.whole) == (26, 28)
    assert f"{card.acceptance.percent_value} %" == "92.9 %"
    assert "92.9 %" in pack_text
    assert "26 accepted of 28 decided" in pack_text
    assert "3 failing of 32 characteristics" in pack_text and "9.4 %" in pack_text


def test_spc_of_the_three_most_measured_with_their_cp_and_cpk(pack_text) -> None:
    cp, cpk = pack_world.expected_capability(BORE, BAND)
    section = pack_text.split("Pump housing · Bore diameter", 1)[1]
    limits_row = section.split("Cp Cpk", 1)[1].split("\n")[1]
    assert limits_row.split()[-2:] == [cp, cpk]
    for name in ("Bore diameter", "Wall thickness", "Flange width"):
        assert f"Pump housing · {name}" in pack_text
    assert "Hidden depth" not in pack_text  # the fourth most measured
    assert "Other gauge" not in pack_text  # another supplier's


def test_the_pareto_counts_this_supplier_s_failures(pack_text) -> None:
    worst = pack_text.split("Worst characteristics", 1)[1]
    assert "Surface finish · code SCRATCH 2 66.7 % 66.7 %" in worst
    assert "Marking · code MISSING 1 33.3 % 100.0 %" in worst


def test_rejected_and_contradicting_lists_hold_this_supplier_and_period_only(pack_text) -> None:
    rejected, contradicting = pack_text.split("Rejected inspections", 1)[1].split(
        "Decisions that contradict our verdict", 1
    )
    assert "PO-REJ-101" in rejected and "PO-REJCON-103" in rejected
    assert "PO-CON-102" not in rejected
    assert "PO-CON-102" in contradicting and "PO-REJCON-103" in contradicting
    assert "PO-REJ-101" not in contradicting
    for outside in ("PO-EARLY-901", "PO-OTHER-902"):
        assert outside not in pack_text


def test_a_quiet_period_still_makes_a_pack(world) -> None:
    quiet = PackPeriod(Q2.first_day.replace(year=2024), Q2.last_day.replace(year=2024))
    text = text_of(pack_pdf(OURS, quiet, "en")[1])
    assert "No inspection of this supplier was due in the period." in text
    assert "PO-" not in text
