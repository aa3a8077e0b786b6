"""A buyer follows their suppliers' performance: the scorecards, the worst characteristics and
the trends, limited to the suppliers they are responsible for exactly as the lists are (none
assigned: every supplier), beside the engineer's and the manager's view of the same world."""

from __future__ import annotations

import re

import pytest

from tests.analytics.scorecard_world import NOW  # noqa: F401 (the clock frozen stops at)
from tests.analytics.trend_series import page, series, table_ids
from tests.conftest import make_user

pytestmark = pytest.mark.usefixtures("no_cached_ranking")

PEOPLE = {
    # who: (role, assigned suppliers)
    "engineer": ("Quality engineer", ()),
    "manager": ("Manager", ()),
    "unassigned buyer": ("Buyer", ()),
    "limited buyer": ("Buyer", (3, 4)),
}
EVERY_SUPPLIER = [1, 2, 3]  # the world's suppliers with an inspection due in the period


def shown_suppliers(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr data-supplier-id="(\d+)"', html)]


def pareto_rows(html: str) -> list[str]:
    table = re.search(r'<table[^>]*data-testid="pareto".*?</table>', html, re.S)
    assert table, "the page has no Pareto table"
    heads = re.findall(r'<tr data-pareto-row="\d+">\s*<th scope="row">(.*?)</th>', table[0], re.S)
    texts = (re.sub(r"<[^>]+>", "", head) for head in heads)
    return [re.sub(r"\s+\(.*\)", "", text).strip() for text in texts]  # without the answer


def navigation(html: str) -> list[str]:
    nav = re.search(r'data-testid="main-nav">(.*?)</ul>', html, re.S)
    assert nav, "the page has no navigation"
    return re.findall(r'class="nav-link[^"]*" href="[^"]*"[^>]*>([^<]+)</a>', nav[1])


@pytest.fixture
def person(client, world, request):
    role, suppliers = PEOPLE[request.param]
    client.force_login(make_user("someone", role, suppliers=suppliers))
    return client


@pytest.mark.parametrize(
    ("person", "ranked"),
    [
        ("engineer", EVERY_SUPPLIER),
        ("manager", EVERY_SUPPLIER),
        ("unassigned buyer", EVERY_SUPPLIER),
        ("limited buyer", [3]),  # 4 is theirs but has nothing due in the period
    ],
    indirect=["person"],
)
def test_the_ranking_shows_the_suppliers_each_person_follows(person, ranked) -> None:
    html = person.get("/suppliers/?sort=supplier").content.decode()
    assert shown_suppliers(html) == ranked
    for other in set(EVERY_SUPPLIER) - set(ranked):
        assert f"/suppliers/{other}/" not in html


@pytest.mark.parametrize("weeks", [4, 13, 26, 52])
def test_a_limited_buyers_ranking_holds_only_their_suppliers_in_every_period(
    client, world, weeks
) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[3, 4]))
    html = client.get(f"/suppliers/?weeks={weeks}").content.decode()
    assert set(shown_suppliers(html)) <= {3, 4}
    assert "of your supplier" in html or 'data-empty="no-suppliers"' in html


def test_a_limited_buyer_reads_the_card_and_pareto_of_their_supplier(client, world) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[3, 4]))
    html = client.get("/suppliers/3/").content.decode()
    assert pareto_rows(html) == ["Hardness"]
    assert 'data-metric="inspections">1<' in html
    quiet = client.get("/suppliers/4/")  # theirs, with nothing due in the period
    assert quiet.status_code == 200 and 'data-empty="period"' in quiet.content.decode()


@pytest.mark.parametrize("supplier", [1, 2, 5, 999])
def test_a_supplier_outside_a_limited_buyers_scope_is_not_found(client, world, supplier) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[3, 4]))
    for weeks in ("", "?weeks=4", "?weeks=52"):
        response = client.get(f"/suppliers/{supplier}/{weeks}")
        assert response.status_code == 404
        assert "Length" not in response.content.decode()


@pytest.mark.parametrize("person", ["unassigned buyer", "engineer", "manager"], indirect=True)
def test_a_person_without_assignments_reads_every_suppliers_pareto(person) -> None:
    assert pareto_rows(person.get("/suppliers/1/").content.decode()) == [
        "Length",
        "Color · code RED",
        "Color · code BLUE",
    ]
    assert pareto_rows(person.get("/suppliers/3/").content.decode()) == ["Hardness"]


@pytest.mark.parametrize(
    ("person", "links"),
    [
        ("engineer", ["Overview", "Inspections", "Results", "Suppliers", "Trends", "Sync status"]),
        ("manager", ["Overview", "Inspections", "Results", "Suppliers", "Trends", "Sync status"]),
        ("unassigned buyer", ["Inspections", "Results", "Suppliers", "Trends", "Sync status"]),
        ("limited buyer", ["Inspections", "Results", "Suppliers", "Trends", "Sync status"]),
    ],
    indirect=["person"],
)
def test_the_navigation_leads_each_person_to_the_scorecards(person, links) -> None:
    assert navigation(person.get("/suppliers/").content.decode()) == links


def test_the_overview_stays_with_engineers_and_managers(client, world) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[3]))
    assert client.get("/").status_code == 302  # to their review queue


@pytest.mark.django_db
def test_an_unassigned_buyer_reads_every_suppliers_trend_points(client) -> None:
    series("10 12", supplier=1, first_id=1)
    series("20 22", supplier=2, first_id=11)
    client.force_login(make_user("marco", "Buyer"))
    assert table_ids(page(client, item=7, characteristic="Diameter")) == [1, 11, 2, 12]
    assert table_ids(page(client, item=7, characteristic="Diameter", supplier=2)) == [11, 12]
    client.force_login(make_user("lena", "Buyer", suppliers=[2]))
    assert table_ids(page(client, item=7, characteristic="Diameter")) == [11, 12]
