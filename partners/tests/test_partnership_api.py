import uuid
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from cities.models import FocusArea, MemberState
from partners.models import Partner, ProjectPartnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def published():
    return project(draft_plan(state=PlanState.APPROVED), title="Flood early warning", support_sought=["financing"])


def test_a_retried_post_with_the_same_key_creates_one_partnership(api, published, partner_contact):
    api.force_authenticate(partner_contact)
    key = str(uuid.uuid4())
    body = {"project": published.pk, "support_type": "financing", "amount_usd": "1500000.00", "message": "Keen.",
            "consortium": [{"company": "Hitachi", "country": "JP", "is_lead": True}]}  # fmt: skip
    first = api.post("/api/v1/partnerships/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = api.post("/api/v1/partnerships/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert ProjectPartnership.objects.count() == 1
    other = api.post("/api/v1/partnerships/", {**body, "amount_usd": "1"}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert other.status_code == 422 and ProjectPartnership.objects.count() == 1
    without_key = api.post("/api/v1/partnerships/", body, format="json")
    assert without_key.status_code == 409 and "already has a live partnership" in str(without_key.json())


@pytest.mark.parametrize(
    ("change", "field"),
    [({"support_type": "a gift"}, "support_type"), ({"amount_usd": "-5"}, "amount_usd"), ({"project": 0}, "project"),
     ({"consortium": [{"company": "A", "country": "JP"}]}, "consortium")],
)  # fmt: skip
def test_bad_interest_is_a_400_naming_the_field_and_writes_nothing(api, published, partner_contact, change, field):
    api.force_authenticate(partner_contact)
    body = {"project": published.pk, "support_type": "financing", **change}
    response = api.post("/api/v1/partnerships/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ProjectPartnership.objects.exists()


def test_who_may_do_what_through_the_partnerships_api(api, published, partner_contact, csco_bangkok, csco_cebu):
    api.force_authenticate(csco_bangkok)
    assert api.post("/api/v1/partnerships/", {"project": published.pk, "support_type": "financing"},
                    format="json").status_code == 403  # fmt: skip
    api.force_authenticate(partner_contact)
    created = api.post("/api/v1/partnerships/", {"project": published.pk, "support_type": "financing"}, format="json")
    pk = created.json()["id"]
    assert api.post(f"/api/v1/partnerships/{pk}/move/", {"action": "discuss"}, format="json").status_code == 403
    api.force_authenticate(csco_cebu)
    assert api.get(f"/api/v1/partnerships/{pk}/").status_code == 404
    assert api.post(f"/api/v1/partnerships/{pk}/move/", {"action": "discuss"}, format="json").status_code == 404
    api.force_authenticate(csco_bangkok)
    moved = api.post(
        f"/api/v1/partnerships/{pk}/move/", {"action": "discuss", "comment": "Let us meet."}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "discussion"
    assert api.post(f"/api/v1/partnerships/{pk}/move/", {"action": "complete"}, format="json").status_code == 409
    assert api.patch(f"/api/v1/partnerships/{pk}/", {"stage": "withdrawn"}, format="json").status_code == 403
    api.force_authenticate(partner_contact)
    assert api.patch(f"/api/v1/partnerships/{pk}/", {"stage": "finalised"}, format="json").status_code == 400
    withdrawn = api.patch(f"/api/v1/partnerships/{pk}/", {"stage": "withdrawn"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["stage"] == "withdrawn"
    assert [t["action"] for t in withdrawn.json()["transitions"]] == ["express_interest", "discuss", "withdraw"]
    assert ProjectPartnership.objects.get().stage == "withdrawn"


def test_an_unchanged_list_answers_304(api, published):
    first = api.get("/api/v1/projects/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = api.get("/api/v1/projects/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    project(published.plan, title="A new project")
    assert api.get("/api/v1/projects/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    detail = api.get(f"/api/v1/projects/{published.pk}/")
    assert api.get(f"/api/v1/projects/{published.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304


def test_recommended_projects_for_a_partner_best_first_with_reasons(api, published, partner_contact, csco_bangkok,
                                                                    django_assert_max_num_queries):  # fmt: skip
    japan = Partner.objects.get(slug="japan")
    japan.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    japan.member_states.set(MemberState.objects.filter(code="TH"))
    japan.support_types = ["financing"]
    japan.save()
    published.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    plan = published.plan
    project(plan, title="Only in Thailand", support_sought=["technology"])
    project(draft_plan("cebu-city", title="Cebu", state=PlanState.APPROVED), title="Elsewhere", support_sought=[])
    for n in range(20):
        project(
            plan, title=f"Filler {n}", support_sought=["technology"], estimated_cost_usd=Decimal(n * 1000000 + 600000)
        )
    api.force_authenticate(partner_contact)
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/projects/", {"recommended": "true", "page_size": 50}).json()
    titles = [p["title"] for p in body["results"]]
    assert titles[0] == "Flood early warning" and "Elsewhere" not in titles and len(titles) == 22
    assert body["results"][0]["match"] == {"score": 7, "reasons": [
        "focus area: quality environment", "member state: Thailand", "support sought: financing"]}  # fmt: skip
    api.force_authenticate(csco_bangkok)
    assert api.get("/api/v1/projects/", {"recommended": "true"}).status_code == 403
    assert api.get("/api/v1/projects/", {"recommended": "maybe"}).status_code == 400


def test_a_partner_without_interests_gets_an_empty_recommendation_list(api, published, partner_contact):
    api.force_authenticate(partner_contact)
    response = api.get("/api/v1/projects/", {"recommended": "true"})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_idempotency_keys_are_forgotten_after_a_day(api, published, partner_contact):
    import datetime

    from django.utils import timezone

    from ascn_portal.api.models import IdempotencyKey
    from ascn_portal.api.tasks import expire_idempotency_keys

    api.force_authenticate(partner_contact)
    api.post("/api/v1/partnerships/", {"project": published.pk, "support_type": "financing"}, format="json",
             HTTP_IDEMPOTENCY_KEY="old")  # fmt: skip
    other = project(published.plan, title="Smart street lighting")
    api.post("/api/v1/partnerships/", {"project": other.pk, "support_type": "technology"}, format="json",
             HTTP_IDEMPOTENCY_KEY="new")  # fmt: skip
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert expire_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
