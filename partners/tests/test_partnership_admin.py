"""Partnerships in the admin: the secretariat corrects terms and the consortium (recorded with who),
moves the stage only through the same moves as the pages (recorded and told), never as a field."""

from decimal import Decimal

import pytest

from ascn_portal.notifications.models import Notification
from partners.models import ConsortiumMember, PartnershipTransition

from .test_partnerships import interest, published  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(published, partner_contact):  # noqa: F811
    return interest(
        published, partner_contact,
        consortium=[{"company": "Nippon Koei", "country": "JP", "is_lead": True},
                    {"company": "Thai Engineering", "country": "TH", "is_lead": False}],
    )  # fmt: skip


def _change_form(client, partnership, **changes):
    page = client.get(f"/admin/partners/projectpartnership/{partnership.pk}/change/")
    assert page.status_code == 200
    members = list(partnership.consortium.order_by("pk"))
    data = {
        "support_type": partnership.support_type,
        "amount_usd": str(partnership.amount_usd or ""),
        "message": partnership.message,
        "consortium-TOTAL_FORMS": str(len(members)),
        "consortium-INITIAL_FORMS": str(len(members)),
        "consortium-MIN_NUM_FORMS": "0",
        "consortium-MAX_NUM_FORMS": "1000",
        "transitions-TOTAL_FORMS": str(partnership.transitions.count()),
        "transitions-INITIAL_FORMS": str(partnership.transitions.count()),
        "transitions-MIN_NUM_FORMS": "0",
        "transitions-MAX_NUM_FORMS": "1000",
    }
    for i, member in enumerate(members):
        data.update({f"consortium-{i}-id": member.pk, f"consortium-{i}-partnership": partnership.pk,
                     f"consortium-{i}-company": member.company, f"consortium-{i}-country": member.country})  # fmt: skip
        if member.is_lead:
            data[f"consortium-{i}-is_lead"] = "on"
    for i, transition in enumerate(partnership.transitions.order_by("at", "pk")):
        data.update({f"transitions-{i}-id": transition.pk, f"transitions-{i}-partnership": partnership.pk})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_secretariat_corrects_terms_and_moves_the_lead_in_one_save(client, secretariat, partnership):
    client.force_login(secretariat)
    data = _change_form(client, partnership, amount_usd="2500000", **{"consortium-0-is_lead": None,
                                                                       "consortium-1-is_lead": "on"})  # fmt: skip
    response = client.post(f"/admin/partners/projectpartnership/{partnership.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    partnership.refresh_from_db()
    assert partnership.amount_usd == Decimal("2500000")
    assert partnership.consortium.get(is_lead=True).company == "Thai Engineering"
    assert partnership.history.first().history_user == secretariat


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consortium-0-is_lead": None}, "Name exactly one lead company of the consortium."),
        ({"consortium-1-is_lead": "on"}, "Name exactly one lead company of the consortium."),
        ({"consortium-1-company": "nippon koei"}, "A company is listed twice in the consortium."),
        ({"consortium-1-country": "th"}, "Use the two-letter ISO 3166 code"),
        ({"amount_usd": "-5"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_a_bad_correction_is_refused_with_its_reason_and_nothing_changes(
    client, secretariat, partnership, changes, message
):
    client.force_login(secretariat)
    response = client.post(
        f"/admin/partners/projectpartnership/{partnership.pk}/change/", _change_form(client, partnership, **changes)
    )
    assert response.status_code == 200 and message in response.text
    partnership.refresh_from_db()
    assert partnership.amount_usd == Decimal("1000000")
    assert set(ConsortiumMember.objects.filter(partnership=partnership).values_list("company", "is_lead")) == {
        ("Nippon Koei", True), ("Thai Engineering", False),
    }  # fmt: skip


def test_the_stage_is_not_a_field_and_a_posted_stage_is_ignored(client, secretariat, partnership):
    client.force_login(secretariat)
    data = _change_form(client, partnership, stage="finalised", finalised_on="2026-01-01")
    assert client.post(f"/admin/partners/projectpartnership/{partnership.pk}/change/", data).status_code == 302
    partnership.refresh_from_db()
    assert (partnership.stage, partnership.finalised_on) == ("interest", None)


def test_stage_moves_go_through_the_service_recorded_and_told(client, secretariat, partnership, partner_contact):
    client.force_login(secretariat)
    url = "/admin/partners/projectpartnership/"
    response = client.post(url, {"action": "move_discuss", "_selected_action": [partnership.pk]}, follow=True)
    assert "1 partnership(s): Start discussion." in response.text
    partnership.refresh_from_db()
    assert partnership.stage == "discussion"
    transition = PartnershipTransition.objects.filter(partnership=partnership).latest("at")
    assert (transition.action, transition.by) == ("discuss", secretariat)
    told = Notification.objects.filter(message__kind="partnership.moved").values_list("recipient__email", flat=True)
    assert partner_contact.email in told
    refused = client.post(url, {"action": "move_finalise", "_selected_action": [partnership.pk]}, follow=True)
    assert "cannot be moved to" in refused.text
    partnership.refresh_from_db()
    assert partnership.stage == "discussion"
    page = client.get(f"/admin/partners/projectpartnership/{partnership.pk}/change/")
    assert "moves, as recorded" in page.text.lower() and "Recorded by the secretariat" in page.text


def test_nobody_adds_partnerships_in_the_admin_and_others_see_nothing(
    client, secretariat, csco_bangkok, partner_contact, partnership
):
    client.force_login(secretariat)
    assert client.get("/admin/partners/projectpartnership/add/").status_code == 403
    assert client.get(f"/admin/partners/projectpartnership/{partnership.pk}/history/").status_code == 200
    for person in (csco_bangkok, partner_contact):
        client.force_login(person)
        response = client.post(f"/admin/partners/projectpartnership/{partnership.pk}/change/", {"amount_usd": "1"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    partnership.refresh_from_db()
    assert partnership.amount_usd == Decimal("1000000")


def test_the_list_costs_the_same_for_more_partnerships(client, secretariat, partnership, django_assert_max_num_queries):
    client.force_login(secretariat)
    with django_assert_max_num_queries(12):
        assert client.get("/admin/partners/projectpartnership/").status_code == 200
