"""A partner's program keeps a mirror of the lists: `updated_since=` gives what changed with tombstones for
what left, cursor pages walk a list in id order while it changes, and a walk while another connection
publishes and withdraws projects ends with the mirror equal to the server."""

import datetime
import random
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.models import PriorityProject
from action_plans.services import action_plan_transition
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.services import account_create, api_token_create
from ascn_portal.api.models import Tombstone
from ascn_portal.api.sync import TOMBSTONE_DAYS
from cities.models import City
from events.tests.factories import event
from partners.models import Partner, ProjectPartnership, Twinning

pytestmark = pytest.mark.django_db


def _since(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def walk(client, url, **params) -> tuple[list[dict], str]:
    """Every cursor page of a list: its items in order, and the time to sync from next."""
    items, response = [], client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        if not body["next"]:
            return items, body["next_updated_since"]
        response = client.get(body["next"])


def sync(client, url, mirror: dict, since: str | None) -> str:
    items, next_since = walk(client, url, **({"updated_since": since} if since else {"cursor": ""}), page_size=7)
    if since is None:
        mirror.clear()  # a whole walk (`"full": true`): keep only what it gives
    ids = [item["id"] for item in items]
    assert ids == sorted(ids) and len(ids) == len(set(ids)), "a walk gives each row once, in id order"
    for item in items:
        if item.get("removed"):
            mirror.pop(item["id"], None)
        else:
            mirror[item["id"]] = item
    return next_since


def api_token_client(user) -> APIClient:
    _, key = api_token_create(user=user, name="mirror", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _server(client, url) -> dict:
    body = client.get(url, {"page_size": 500}).json()
    assert body["count"] <= 500
    return {item["id"]: item for item in body["results"]}


@pytest.fixture
def catalogue(csco_bangkok):
    plan = draft_plan(state=PlanState.APPROVED)
    return plan, [project(plan, title=f"Project {n}") for n in range(5)]


def test_changes_since_a_time_with_tombstones_for_what_left(catalogue):
    plan, (a, b, c, d, e) = catalogue
    client = APIClient()
    since = timezone.now()
    b.title = "Renamed"
    b.save()
    a.open_to_partners = False  # the city takes it out of the catalogue
    a.save()
    c_id = c.pk
    c.delete()
    new = project(plan, title="Added")
    draft = project(draft_plan(city_slug="cebu-city"), title="A draft")  # nobody outside Cebu ever saw it
    draft.delete()
    body = client.get("/api/v1/projects/", {"updated_since": _since(since)}).json()
    assert "count" not in body and body["next"] is None
    by_id = {item["id"]: item for item in body["results"]}
    assert [item["id"] for item in body["results"]] == sorted([a.pk, b.pk, c_id, new.pk])
    assert by_id[a.pk]["removed"] is True and set(by_id[a.pk]) == {"id", "removed", "removed_at"}
    assert by_id[c_id]["removed"] is True
    assert by_id[b.pk]["title"] == "Renamed" and by_id[new.pk]["title"] == "Added"
    assert client.get("/api/v1/projects/", {"updated_since": _since(timezone.now())}).json()["results"] == []


def test_a_plan_approved_brings_its_projects_and_hides_its_closed_ones_from_its_officers(
    csco_bangkok, nr_thailand, secretariat
):
    plan = draft_plan()
    shown, closed = project(plan, title="Open one"), project(plan, title="Closed one", open_to_partners=False)
    officer = APIClient()
    officer.force_authenticate(csco_bangkok)
    since = _since(timezone.now())
    for action, by in [("submit", csco_bangkok), ("endorse", nr_thailand), ("approve", secretariat)]:
        action_plan_transition(plan=plan, action=action, by=by, comment="")
    public = APIClient().get("/api/v1/projects/", {"updated_since": since}).json()["results"]
    assert [item["id"] for item in public] == [shown.pk]  # the public never saw the closed one
    seen = {item["id"]: item for item in officer.get("/api/v1/projects/", {"updated_since": since}).json()["results"]}
    assert seen[shown.pk]["title"] == "Open one" and seen[closed.pk]["removed"] is True


def test_a_cursor_walk_gives_each_row_once_while_the_list_changes(catalogue):
    plan, projects = catalogue
    for n in range(20):
        project(plan, title=f"More {n}")
    client = APIClient()
    first = client.get("/api/v1/projects/", {"cursor": "", "page_size": 10}).json()
    seen = [item["id"] for item in first["results"]]
    PriorityProject.objects.filter(pk=seen[0]).update(title="Changed behind the cursor", updated_at=timezone.now())
    added = project(plan, title="Added during the walk")
    items, _ = walk(client, first["next"])
    ids = seen + [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == 26 and ids == sorted(ids) and ids[-1] == added.pk
    assert len(first["results"]) == 10


def test_partnerships_removed_are_told_to_their_sides_only(csco_bangkok, partner_contact, secretariat):
    plan = draft_plan(state=PlanState.APPROVED)
    flood = project(plan)
    mine = ProjectPartnership.objects.create(project=flood, partner=partner_contact.partner_contacts.first().partner,
                                             support_type="financing", created_by=partner_contact)  # fmt: skip
    other_partner = Partner.objects.exclude(pk=mine.partner_id).first()
    other = account_create(email="contact@other.example", role="partner", partner=other_partner,
                           password="a-Long-passw0rd!", full_name="Other Contact")  # fmt: skip
    since = _since(timezone.now())
    mine_id = mine.pk
    mine.delete()
    own, outsider, city = APIClient(), APIClient(), APIClient()
    own.force_authenticate(partner_contact)
    outsider.force_authenticate(other)
    city.force_authenticate(csco_bangkok)
    removed = [{"id": mine_id, "removed": True}]
    assert [
        {k: i[k] for k in ("id", "removed")}
        for i in own.get("/api/v1/partnerships/", {"updated_since": since}).json()["results"]
    ] == removed  # noqa: E501
    assert outsider.get("/api/v1/partnerships/", {"updated_since": since}).json()["results"] == []
    assert city.get("/api/v1/partnerships/", {"updated_since": since}).json()["results"][0]["id"] == mine_id
    assert APIClient().get("/api/v1/partnerships/", {"updated_since": since}).status_code == 401


def test_events_and_twinnings_sync_too(secretariat):
    shown, hidden_later = event(name="Annual meeting"), event(name="Workshop")
    twinning = Twinning.objects.create(
        city=City.objects.get(slug="phuket"), partner=Partner.objects.first(), status="ended"
    )
    since = _since(timezone.now())
    hidden_later.published = False
    hidden_later.save()
    shown.name = "Annual meeting 2026"
    shown.save()
    twinning_id = twinning.pk
    twinning.delete()
    events = {i["id"]: i for i in APIClient().get("/api/v1/events/", {"updated_since": since}).json()["results"]}
    assert events[shown.pk]["name"] == "Annual meeting 2026" and events[hidden_later.pk]["removed"] is True
    staff = APIClient()
    staff.force_authenticate(secretariat)  # the secretariat still sees the unpublished event: a change, not a removal
    events = {i["id"]: i for i in staff.get("/api/v1/events/", {"updated_since": since}).json()["results"]}
    assert events[hidden_later.pk]["name"] == "Workshop"
    twinnings = APIClient().get("/api/v1/twinnings/", {"updated_since": since}).json()["results"]
    assert twinnings == [{"id": twinning_id, "removed": True, "removed_at": twinnings[0]["removed_at"]}]


@pytest.mark.parametrize(("params", "field"), [
    ({"updated_since": "yesterday"}, "updated_since"),
    ({"updated_since": ""}, "updated_since"),
    ({"updated_since": "2026-13-01T00:00:00Z"}, "updated_since"),
    ({"cursor": "", "recommended": "maybe"}, "recommended"),
    ({"cursor": "", "page_size": "0"}, "page_size"),
])  # fmt: skip
def test_bad_sync_parameters_are_400s_that_say_what_is_wrong(catalogue, params, field):
    response = APIClient().get("/api/v1/projects/", params)
    assert response.status_code == 400 and field in response.json(), response.content


def test_an_offset_postgresql_would_refuse_is_read_in_utc(catalogue):
    body = APIClient().get("/api/v1/projects/", {"updated_since": "2027-05-06T01:18:30-16:25"})
    assert body.status_code == 200 and body.json()["results"] == []  # a time to come: nothing changed since


def test_a_time_within_a_day_of_the_calendars_ends_is_taken_as_it_means(catalogue):
    """Valid ISO 8601 times that are not in years 1 to 9999 once in UTC: the earliest asks for a whole
    walk, the latest for what changed after it (nothing)."""
    first = APIClient().get("/api/v1/projects/", {"updated_since": "0001-01-01T00:00:36+05:04"})
    assert first.status_code == 200 and first.json()["full"] is True and len(first.json()["results"]) == 5
    last = APIClient().get("/api/v1/projects/", {"updated_since": "9999-12-31T23:59:59-16:25"})
    assert last.status_code == 200 and last.json()["results"] == [] and last.json()["full"] is False


def test_a_forged_cursor_or_one_of_another_list_finds_nothing(catalogue):
    page = APIClient().get("/api/v1/projects/", {"cursor": "", "page_size": 2}).json()
    cursor = page["next"].split("cursor=")[1].split("&")[0]
    for url, value in [
        ("/api/v1/events/", cursor),
        ("/api/v1/projects/", "forged"),
        ("/api/v1/projects/", cursor[:-2]),
    ]:
        response = APIClient().get(url, {"cursor": value})
        assert response.status_code == 404 and "Invalid cursor" in response.json()["detail"]


def test_cursor_pages_come_in_id_order_whatever_the_ordering(catalogue):
    ids = [
        i["id"] for i in APIClient().get("/api/v1/projects/", {"cursor": "", "ordering": "-title"}).json()["results"]
    ]
    assert ids == sorted(ids)


def test_recommendations_stay_ranked_pages(catalogue, partner_contact):
    client = APIClient()
    client.force_authenticate(partner_contact)
    body = client.get("/api/v1/projects/", {"recommended": "true", "updated_since": _since(timezone.now())}).json()
    assert "count" in body and all("match" in item for item in body["results"])


def test_a_naive_time_is_read_in_the_readers_time_zone(catalogue, settings):
    plan, projects = catalogue
    since = timezone.now()
    projects[0].save()
    local = timezone.localtime(since, timezone.get_current_timezone()).replace(tzinfo=None)
    ids = [
        i["id"] for i in APIClient().get("/api/v1/projects/", {"updated_since": local.isoformat()}).json()["results"]
    ]
    assert ids == [projects[0].pk]


def test_a_sync_page_costs_the_same_queries_whatever_its_length(catalogue, django_assert_max_num_queries):
    plan, projects = catalogue
    since = _since(timezone.now() - datetime.timedelta(minutes=1))
    client = APIClient()
    with django_assert_max_num_queries(4):
        client.get("/api/v1/projects/", {"updated_since": since, "page_size": 500})
    for n in range(60):
        project(plan, title=f"More {n}").delete() if n % 3 == 0 else project(plan, title=f"More {n}")
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/projects/", {"updated_since": since, "page_size": 500}).json()
    assert len(body["results"]) == 5 + 60


def test_a_time_older_than_removals_are_kept_walks_the_whole_list(catalogue):
    plan, projects = catalogue
    projects[0].delete()
    body = APIClient().get("/api/v1/projects/", {"updated_since": "2000-01-01T00:00:00Z"}).json()
    assert body["full"] is True and len(body["results"]) == 4 and not any(i.get("removed") for i in body["results"])
    since = APIClient().get("/api/v1/projects/", {"updated_since": _since(timezone.now())}).json()
    assert since["full"] is False


def test_tombstones_older_than_kept_are_forgotten(catalogue):
    from ascn_portal.api.tasks import expire_tombstones

    plan, projects = catalogue
    projects[0].delete()
    Tombstone.objects.update(removed_at=timezone.now() - datetime.timedelta(days=TOMBSTONE_DAYS + 1))
    projects[1].delete()
    assert expire_tombstones() == 1 and Tombstone.objects.count() == 1


def test_a_token_client_mirrors_with_the_recipe(catalogue, partner_contact):
    """The recipe in the README, as a partner's program runs it with its token."""
    plan, projects = catalogue
    client = api_token_client(partner_contact)
    mirror = {}
    next_since = sync(client, "/api/v1/projects/", mirror, None)
    projects[0].open_to_partners = False
    projects[0].save()
    project(plan, title="New")
    sync(client, "/api/v1/projects/", mirror, next_since)
    assert mirror == _server(client, "/api/v1/projects/")


@pytest.mark.usefixtures("transactional_db")
def test_a_sync_walk_while_another_connection_publishes_and_withdraws_ends_equal(csco_bangkok):
    """A writer on its own connection publishes, changes, withdraws and deletes projects while the
    mirror syncs again and again in small pages; once the writer stops, one more sync makes the
    mirror equal to the server's list."""
    plan = draft_plan(state=PlanState.APPROVED)
    hidden_plan = draft_plan(city_slug="cebu-city")
    for n in range(30):
        project(plan, title=f"Project {n}", open_to_partners=n % 2 == 0)
    stop, errors = threading.Event(), []

    def writer():
        rng = random.Random(7)
        try:
            while not stop.is_set():
                ids = list(PriorityProject.objects.filter(plan=plan).values_list("pk", flat=True))
                choice = rng.random()
                target = PriorityProject.objects.get(pk=rng.choice(ids))
                if choice < 0.3:
                    target.open_to_partners = not target.open_to_partners  # published or withdrawn
                    target.save()
                elif choice < 0.55:
                    target.title = f"Edited {rng.randrange(10**6)}"
                    target.save()
                elif choice < 0.7 and len(ids) > 10:
                    target.delete()
                elif choice < 0.85:
                    project(plan, title=f"New {rng.randrange(10**6)}", open_to_partners=rng.random() < 0.7)
                else:
                    project(hidden_plan, title="Never published")
                time.sleep(0.005)
        except Exception as error:  # noqa: BLE001  reported by the test
            errors.append(error)
        finally:
            connection.close()

    client, mirror = APIClient(), {}
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        since = None
        for _ in range(6):
            since = sync(client, "/api/v1/projects/", mirror, since)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not errors, errors
    sync(client, "/api/v1/projects/", mirror, since)
    server = _server(client, "/api/v1/projects/")
    assert mirror == server and len(server) > 5
    assert Tombstone.objects.filter(resource="projects").exists()
