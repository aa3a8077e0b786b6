"""The assignment pages: the detail block, the picker, the list's column and queues, bulk
assignment, and what hostile input gets (a message, never a 500)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qualityhub.assignment import services
from qualityhub.assignment.models import Assignment
from qualityhub.inspections.models import Inspection
from qualityhub.notifications.models import Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SUPPLIER, OTHER_SUPPLIER = 5, 6


def make_inspections(count: int, supplier_id: int = SUPPLIER, start: int = 1, **fields):
    now = timezone.now()
    Inspection.objects.bulk_create(
        Inspection(
            coupa_id=coupa_id,
            supplier_id=supplier_id,
            item_id=70,
            status=fields.get("status", "In Buyer Review"),
            due_date=now + timedelta(days=3),
            modified_at=now - timedelta(minutes=coupa_id),
        )
        for coupa_id in range(start, start + count)
    )


@pytest.fixture
def ana(db):
    return make_user("ana", "Quality engineer")


@pytest.fixture
def world(db, engineer, ana):
    make_inspections(3)
    make_inspections(1, OTHER_SUPPLIER, start=10)
    return {"engineer": engineer, "ana": ana}


def test_the_detail_page_shows_the_assignee_and_says_it_is_ours_only(client, world) -> None:
    services.assign([1], world["ana"].pk, by=world["engineer"])
    client.force_login(make_user("grace", "Manager"))
    html = client.get("/inspections/1/").content.decode()
    assert 'data-testid="assignee">ana<' in html
    assert "Assignment lives in QualityHub only: Coupa has no such field." in html
    assert 'data-testid="take"' not in html  # a manager may not assign


def test_an_engineer_assigns_with_a_plain_form(signed_in, world) -> None:
    response = signed_in.post("/inspections/1/assign/", {"assignee": world["ana"].pk})
    assert response.status_code == 302
    assert response["Location"] == "/inspections/1/"
    assert Assignment.objects.get(inspection_id=1).assignee == world["ana"]
    page = signed_in.get("/inspections/1/").content.decode()
    assert "Assigned." in page
    assert 'data-testid="assignee">ana<' in page


def test_with_htmx_the_answer_is_the_block_again_and_the_timeline_refreshes(
    signed_in, world
) -> None:
    response = signed_in.post(
        "/inspections/1/take/", headers={"HX-Request": "true", "HX-Target": "assignee"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="assignee"')
    assert 'data-testid="assignee">priya<' in html
    assert response["HX-Trigger"] == "timeline-changed"


def test_the_timeline_shows_the_assignment(signed_in, world) -> None:
    signed_in.post("/inspections/1/assign/", {"assignee": world["ana"].pk})
    html = signed_in.get("/inspections/1/timeline/").content.decode()
    assert "Assigned to ana by priya (in QualityHub only)" in html


def test_the_assignee_gets_one_notification_and_the_taker_none(signed_in, world) -> None:
    signed_in.post("/inspections/1/assign/", {"assignee": world["ana"].pk})
    signed_in.post("/inspections/2/take/")
    assert Notification.objects.filter(user=world["ana"]).count() == 1
    assert Notification.objects.filter(user=world["engineer"]).count() == 0


def test_the_picker_lists_the_colleagues_who_may_see_the_supplier(signed_in, world) -> None:
    make_user("bea", "Buyer", suppliers=[OTHER_SUPPLIER])
    html = signed_in.get("/inspections/1/assignee/").content.decode()
    assert ">ana<" in html and ">priya<" in html and ">bea<" not in html
    partial = signed_in.get("/inspections/10/assignee/", headers={"HX-Request": "true"})
    assert ">bea<" in partial.content.decode()
    assert "<html" not in partial.content.decode()


@pytest.mark.parametrize(
    ("assignee", "message"),
    [
        ("", "Choose a colleague from the list."),
        ("abc", "Choose a colleague from the list."),
        ("-3", "Choose a colleague from the list."),
        ("99999999999999999999999", "Choose a colleague from the list."),
        ("987654", "not an active user"),
        ("out-of-scope", "may not see this inspection"),
    ],
)
def test_a_bad_assignee_gets_a_clear_message_never_a_500(
    signed_in, world, assignee, message
) -> None:
    if assignee == "out-of-scope":
        assignee = str(make_user("bea", "Buyer", suppliers=[OTHER_SUPPLIER]).pk)
    response = signed_in.post(
        "/inspections/1/assign/", {"assignee": assignee}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    plain = signed_in.post("/inspections/1/assign/", {"assignee": assignee}, follow=True)
    assert plain.status_code == 200
    assert message in plain.content.decode()
    assert not Assignment.objects.exists()


def test_a_buyer_limited_to_other_suppliers_gets_404(client, world) -> None:
    limited = make_user("lim", "Quality engineer", suppliers=[SUPPLIER])
    client.force_login(limited)
    for url in ("/inspections/10/assign/", "/inspections/10/take/", "/inspections/10/unassign/"):
        assert client.post(url, {"assignee": limited.pk}).status_code == 404
    assert client.get("/inspections/10/assignee/").status_code == 404
    assert not Assignment.objects.exists()


def test_the_list_shows_each_rows_assignee(signed_in, world) -> None:
    services.assign([2], world["ana"].pk, by=world["engineer"])
    html = signed_in.get("/inspections/").content.decode()
    assert 'data-assignee="ana"' in html
    assert html.count('data-assignee=""') == 3


def test_the_list_costs_one_query_for_its_assignees_whatever_their_number(
    signed_in, engineer, ana
) -> None:
    make_inspections(60)
    signed_in.get("/inspections/")  # warm the session and freshness caches
    with CaptureQueriesContext(connection) as none_assigned:
        signed_in.get("/inspections/?size=50")
    services.assign(range(1, 51), ana.pk, by=engineer)
    with CaptureQueriesContext(connection) as all_assigned:
        response = signed_in.get("/inspections/?size=50")
    assert response.content.decode().count('data-assignee="ana"') == 50
    assert len(all_assigned) == len(none_assigned) <= 7


def test_the_queues_assigned_to_me_and_unassigned_needing_review(signed_in, world) -> None:
    make_inspections(2, start=20, status="Open")
    services.take(1, by=world["engineer"])
    services.assign([2], world["ana"].pk, by=world["engineer"])

    def ids(query: str) -> list[int]:
        response = signed_in.get(f"/inspections/?{query}")
        return sorted(row.coupa_id for row in response.context["page"].rows)

    mine = signed_in.get("/inspections/?assignee=me")
    assert mine.context["heading"] == "Assigned to me"
    assert ids("assignee=me") == [1]
    unassigned = signed_in.get("/inspections/?status=In+Buyer+Review&assignee=nobody&sort=due_date")
    assert unassigned.context["heading"] == "Unassigned, needing review"
    assert ids("status=In+Buyer+Review&assignee=nobody") == [3, 10]
    assert ids("assignee=nobody") == [3, 10, 20, 21]


def test_an_unknown_assignee_filter_is_said_not_a_500(signed_in, world) -> None:
    response = signed_in.get("/inspections/?assignee=<script>")
    assert response.status_code == 200
    assert 'data-filter-error="assignee"' in response.content.decode()


def test_bulk_assignment_asks_for_a_colleague_then_assigns_the_selection(signed_in, world) -> None:
    make_user("bea", "Buyer", suppliers=[SUPPLIER])
    picker = signed_in.post("/assignment/bulk/selected/", {"id": ["1", "2", "10", "x"]})
    html = picker.content.decode()
    assert picker.status_code == 200
    assert 'data-testid="bulk-assign-count">3<' in html
    assert ">ana<" in html and ">bea<" not in html  # bea may not see supplier 6's inspection 10
    done = signed_in.post(
        "/assignment/bulk/selected/",
        {"id": ["1", "2", "10"], "assignee": world["ana"].pk, "query": "status=Open"},
    )
    assert done.status_code == 302
    assert done["Location"] == "/inspections/?status=Open"
    assigned = Assignment.objects.filter(assignee=world["ana"]).values_list("inspection_id")
    assert sorted(i for (i,) in assigned) == [1, 2, 10]
    assert Notification.objects.filter(user=world["ana"]).count() == 3


def test_bulk_assignment_of_everything_the_filters_match(signed_in, world) -> None:
    query = "status=In+Buyer+Review&assignee=nobody"
    signed_in.post("/inspections/1/take/")
    response = signed_in.post(
        "/assignment/bulk/filtered/", {"query": query, "assignee": world["ana"].pk}
    )
    assert response.status_code == 302
    mine = Assignment.objects.filter(assignee=world["ana"]).values_list("inspection_id")
    assert sorted(i for (i,) in mine) == [2, 3, 10]


def test_bulk_assignment_never_reaches_beyond_the_users_suppliers(client, world) -> None:
    limited = make_user("lim", "Quality engineer", suppliers=[SUPPLIER])
    client.force_login(limited)
    client.post("/assignment/bulk/selected/", {"id": ["1", "10"], "assignee": limited.pk})
    assert list(Assignment.objects.values_list("inspection_id", flat=True)) == [1]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"id": ["abc"]},
        {"id": ["1"], "assignee": "abc"},
        {"id": ["1"], "assignee": "987654"},
    ],
)
def test_bulk_assignment_answers_bad_input_with_a_message(signed_in, world, data) -> None:
    response = signed_in.post("/assignment/bulk/selected/", data)
    assert response.status_code == 400
    assert 'data-testid="bulk-assign-problem"' in response.content.decode()
    assert not Assignment.objects.exists()


def test_too_many_ids_are_refused_not_a_500(signed_in, world) -> None:
    response = signed_in.post("/assignment/bulk/selected/", {"id": [str(n) for n in range(6000)]})
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_a_buyer_may_not_assign(client, world) -> None:
    client.force_login(make_user("marco", "Buyer"))
    assert client.post("/inspections/1/take/").status_code == 403
    assert client.post("/assignment/bulk/selected/", {"id": ["1"]}).status_code == 403


def test_a_saved_view_keeps_the_assignee_filter() -> None:
    from qualityhub.savedviews.models import Page
    from qualityhub.savedviews.reading import LISTS, read_query

    reading = read_query(LISTS[Page.INSPECTIONS], "assignee=me&status=Open")
    assert reading.query == "assignee=me&status=Open"
    assert reading.ignored == []
    refused = read_query(LISTS[Page.INSPECTIONS], "assignee=ana")
    assert refused.query == ""
    assert [ignored.name for ignored in refused.ignored] == ["assignee"]
