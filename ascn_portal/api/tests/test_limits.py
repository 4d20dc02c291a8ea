"""What broke the API as a server error, now answered: concurrent writes that meet a constraint,
bodies nested deep or too large, values out of range in the path."""

import json
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from events.tests.factories import event
from partners.models import ProjectPartnership

# Each write, and who may make it (the body is read only after the permission is checked).
WRITES = [
    ("post", "/api/v1/partnerships/", "partner_contact"),
    ("patch", "/api/v1/action-plans/{plan}/", "csco_bangkok"),
    ("post", "/api/v1/partnerships/{partnership}/move/", "csco_bangkok"),
    ("post", "/api/v1/events/{event}/register/", "csco_bangkok"),
]


def test_eight_expressions_of_interest_at_once_make_one_partnership_and_no_server_error(
    transactional_db, partner_contact
):
    published = project(draft_plan(state=PlanState.APPROVED), title="Flood early warning")
    body = {"project": published.pk, "support_type": "financing", "message": "Keen."}
    start, answers = threading.Barrier(8), []

    def express():
        try:
            api = APIClient()
            api.force_authenticate(partner_contact)
            start.wait(timeout=10)
            response = api.post("/api/v1/partnerships/", body, format="json")  # no Idempotency-Key
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=express) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for status, _ in answers)
    assert len(statuses) == 8 and statuses.count(201) == 1 and set(statuses) <= {201, 409}, statuses
    assert all("already has a live partnership" in json.dumps(data) for status, data in answers if status != 201)
    assert ProjectPartnership.objects.count() == 1


@pytest.fixture
def targets(db, partner_contact):
    plan = draft_plan(state=PlanState.APPROVED)
    partnership = ProjectPartnership.objects.create(project=project(plan), partner=partner_contact.partner_contacts
                                                    .get().partner, support_type="financing",
                                                    created_by=partner_contact)  # fmt: skip
    draft = draft_plan(title="Next plan", period_start=2031, period_end=2035)
    return {"plan": draft.pk, "partnership": partnership.pk, "event": event().slug}


@pytest.mark.parametrize(("method", "path", "person"), WRITES)
def test_a_body_nested_5000_deep_is_a_400_on_every_write(request, targets, method, path, person):
    api = APIClient()
    api.force_authenticate(request.getfixturevalue(person))
    deep = "[" * 5000 + "]" * 5000
    response = getattr(api, method)(path.format(**targets), deep, content_type="application/json")
    assert response.status_code == 400 and "nested too deep" in response.json()["detail"]
    nested = json.dumps({"project": 1, "message": "x"})[:-1] + ', "consortium": ' + "[" * 40 + "]" * 40 + "}"
    response = getattr(api, method)(path.format(**targets), nested, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(("method", "path", "person"), WRITES)
def test_a_body_over_the_limit_is_a_413(request, targets, settings, method, path, person):
    settings.API_MAX_BODY_BYTES = 10_000
    api = APIClient()
    api.force_authenticate(request.getfixturevalue(person))
    big = json.dumps({"message": "x" * 20_000})
    response = getattr(api, method)(path.format(**targets), big, content_type="application/json")
    assert response.status_code == 413 and "at most 10,000" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/projects/123456789012345678901/", "/api/v1/action-plans/99999999999999999999/",
     "/api/v1/partnerships/123456789012345678901/", "/api/v1/twinnings/123456789012345678901/"],
)  # fmt: skip
def test_an_id_out_of_range_is_a_json_404(db, path):
    response = APIClient().get(path)
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
