"""A year's round in the browser's pages: opened by the secretariat, filled and submitted by the
city's CSCO after the check, returned with comments, resubmitted, accepted; every move recorded and
told; nobody else may take a step, and a report under review does not change."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from action_plans.models import ProgressReport
from ascn_portal.notifications.models import Notification
from monitoring.models import CityReport, MonitoringRound

pytestmark = pytest.mark.django_db

YEAR = 2025


def _told(kind):
    return set(Notification.objects.filter(message__kind=kind).values_list("recipient__email", flat=True))


@pytest.fixture
def opened(client, secretariat, network, csco_bangkok, csco_cebu):
    client.force_login(secretariat)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post("/monitoring/open/", {"year": YEAR, "deadline": deadline.isoformat(), "note": "Be brief."})
    assert response.status_code == 302
    client.logout()
    return MonitoringRound.objects.get(year=YEAR)


def _file(client, network, name, **data):
    project = network[name]
    url = f"/monitoring/{YEAR}/cities/{project.plan.city.slug}/projects/{project.pk}/"
    existing = ProgressReport.objects.filter(project=project, year=YEAR).first()
    version = existing.version if existing else 0
    body = {"status": "on_track", "percent_complete": 50, "narrative": "", "version": version, **data}
    return client.post(url, {k: v for k, v in body.items() if v is not None})


def test_opening_a_round_tells_the_cities_and_twice_is_refused(opened, client, secretariat):
    assert _told("monitoring.opened") == {"csco@bangkok.example", "csco@cebu.example"}
    client.force_login(secretariat)
    again = client.post("/monitoring/open/", {"year": YEAR, "deadline": "2099-12-31"})
    assert again.status_code == 400 and "The 2025 round is open already." in again.content.decode()
    past = client.post("/monitoring/open/", {"year": 2026, "deadline": "2020-01-01"})
    assert past.status_code == 400 and "The deadline has passed already" in past.content.decode()
    assert MonitoringRound.objects.count() == 1


def test_a_round_from_check_to_acceptance(opened, client, secretariat, csco_bangkok, network):
    client.force_login(csco_bangkok)
    page = client.get(f"/monitoring/{YEAR}/cities/bangkok/").content.decode()
    assert "“P2 rail link” has no progress report yet." in page  # blocking
    refused = client.post(f"/monitoring/{YEAR}/cities/bangkok/submit/")
    assert refused.status_code == 400 and "has no progress report yet" in refused.content.decode()
    # P2 fell from 20% (2024) to 10% without a word why: blocking.
    assert _file(client, network, "p2", percent_complete=10).status_code == 302
    page = client.get(f"/monitoring/{YEAR}/cities/bangkok/").content.decode()
    assert "went down from 20% (2024) to 10%; say why in the narrative." in page
    assert _file(client, network, "p2", percent_complete=10, narrative="Land acquisition stalled.").status_code == 302
    # funding above cost is refused next to the field
    response = _file(client, network, "p1", funding_secured_usd="2000000")
    assert response.status_code == 400 and "above the project&#x27;s cost" in response.content.decode()
    response = client.post(f"/monitoring/{YEAR}/cities/bangkok/submit/", {"version": 1})
    assert response.status_code == 302
    report = CityReport.objects.get(round=opened, city__slug="bangkok")
    assert report.state == "submitted" and "sec@asean.example" in _told("monitoring.submitted")
    # under review, the city's reports do not change
    assert _file(client, network, "p2", percent_complete=90, narrative="x").status_code == 409
    assert ProgressReport.objects.get(project=network["p2"], year=YEAR).percent_complete == 10

    client.force_login(secretariat)
    empty = client.post(f"/monitoring/{YEAR}/cities/bangkok/return/", {"comment": ""})
    assert empty.status_code == 400 and "Say what the city should change." in empty.content.decode()
    client.post(f"/monitoring/{YEAR}/cities/bangkok/return/", {"comment": "Add the 2025 funding of P2."})
    report.refresh_from_db()
    assert report.state == "returned" and "csco@bangkok.example" in _told("monitoring.returned")

    client.force_login(csco_bangkok)
    assert (
        _file(
            client, network, "p2", percent_complete=10, narrative="Stalled.", funding_secured_usd="250000"
        ).status_code
        == 302
    )
    assert client.post(f"/monitoring/{YEAR}/cities/bangkok/submit/").status_code == 302
    client.force_login(secretariat)
    client.post(f"/monitoring/{YEAR}/cities/bangkok/accept/")
    report.refresh_from_db()
    assert report.state == "accepted"
    assert [t.action for t in report.transitions.all()] == ["submit", "return", "submit", "accept"]
    assert ProgressReport.objects.get(project=network["p2"], year=YEAR).funding_secured_usd == Decimal(250000)
    page = client.get(f"/monitoring/{YEAR}/cities/").content.decode()
    assert "Accepted" in page


def test_a_stale_save_is_refused(opened, client, csco_bangkok, network):
    client.force_login(csco_bangkok)
    assert _file(client, network, "p1", percent_complete=55, version=1).status_code == 302  # from version 1
    stale = _file(client, network, "p1", percent_complete=60, version=1)
    assert stale.status_code == 409 and "saved by someone else since you read it" in stale.content.decode()
    assert ProgressReport.objects.get(project=network["p1"], year=YEAR).percent_complete == 55


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "accepted"])
def test_only_the_right_people_take_each_step_in_every_state(
    request, opened, client, network, state, secretariat, csco_bangkok, team_bangkok, nr_thailand, csco_cebu,
    partner_contact, outsider,
):  # fmt: skip
    report = CityReport.objects.create(round=opened, city=network["bangkok"].city, state=state)
    may = {
        "submit": {"csco_bangkok"} if state in ("draft", "returned") else set(),
        "return": {"secretariat"} if state == "submitted" else set(),
        "accept": {"secretariat"} if state == "submitted" else set(),
    }
    for person in ["secretariat", "csco_bangkok", "team_bangkok", "nr_thailand", "csco_cebu", "partner_contact",
                   "outsider"]:  # fmt: skip
        user = request.getfixturevalue(person)
        for action, allowed in may.items():
            assert user.has_perm(f"monitoring.{'submit' if action == 'submit' else 'review'}_city_report", report) == (
                person in allowed
                or (action != "submit" and person == "secretariat")
                or (action == "submit" and person == "csco_bangkok")
            ), (person, action, state)
    # Through the pages: a stranger to the city gets 404 and nothing moves.
    for person in (csco_cebu, partner_contact, outsider):
        client.force_login(person)
        for action in ("submit", "return", "accept"):
            assert client.post(f"/monitoring/{YEAR}/cities/bangkok/{action}/", {"comment": "x"}).status_code == 404
    client.force_login(team_bangkok)  # sees its city's report, takes no step
    assert client.get(f"/monitoring/{YEAR}/cities/bangkok/").status_code == 200
    for action in ("submit", "return", "accept"):
        assert client.post(f"/monitoring/{YEAR}/cities/bangkok/{action}/", {"comment": "x"}).status_code in (403, 409)
    report.refresh_from_db()
    assert report.state == state
    client.logout()
    assert client.get(f"/monitoring/{YEAR}/cities/bangkok/").status_code == 302  # to sign in


def test_the_round_page_shows_late_cities(opened, client, secretariat):
    MonitoringRound.objects.filter(pk=opened.pk).update(deadline=datetime.date(2025, 12, 31))
    client.force_login(secretariat)
    page = client.get("/monitoring/").content.decode()
    assert page.count("late</span>") == 2  # Bangkok and Cebu have not submitted


def test_the_rollup_and_the_report_are_public_with_figures_per_project_for_members(client, network, partner_contact):
    page = client.get(f"/monitoring/{YEAR}/").content.decode()
    assert "27.5%" in page and "<svg" in page and 'data-testid="chart-cost-funding"' in page
    assert 'data-testid="projects"' not in page
    client.force_login(partner_contact)
    assert 'data-testid="projects"' in client.get(f"/monitoring/{YEAR}/").content.decode()
    client.logout()
    report = client.get(f"/reports/{YEAR}/")
    assert report.status_code == 200 and "The ASEAN Smart Cities Network in 2025" in report.content.decode()
    assert client.get(f"/reports/{YEAR}/?format=pdf").status_code == 400
