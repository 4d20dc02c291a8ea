"""New projects reach the partners they fit, once, best first, in their weekly digest."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from action_plans.choices import PlanState
from action_plans.models import PlanTransition
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.services import account_create
from ascn_portal.notifications.choices import EmailState, Frequency
from ascn_portal.notifications.models import Notification
from ascn_portal.notifications.services import send_digests
from catalogue.reminders import announce_new_projects
from cities.models import FocusArea, MemberState
from partners.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_now(secretariat):
    plan = draft_plan(state=PlanState.APPROVED, title="Bangkok SCAP")
    PlanTransition.objects.create(plan=plan, action="approve", from_state=PlanState.ENDORSED,
                                  to_state=PlanState.APPROVED, by=secretariat)  # fmt: skip
    flood = project(plan, title="Flood early warning", stage="pipeline", support_sought=["financing"],
                    estimated_cost_usd=Decimal("3000000"), funding_secured_usd=Decimal("500000"))  # fmt: skip
    flood.focus_areas.set(FocusArea.objects.filter(slug="safety-and-security"))
    bus = project(plan, title="Electric buses", stage="implementation", support_sought=["technology"])
    bus.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    project(plan, title="Internal upgrade", open_to_partners=False, support_sought=["financing"])
    return plan


@pytest.fixture
def interests(partner_contact):
    japan = Partner.objects.get(slug="japan")
    japan.focus_areas.set(FocusArea.objects.filter(slug="safety-and-security"))
    japan.member_states.set(MemberState.objects.filter(code="TH"))
    japan.support_types, japan.stages = ["technology"], []
    japan.ticket_min_usd, japan.ticket_max_usd = Decimal(1_000_000), Decimal(5_000_000)
    japan.save()
    norway = Partner.objects.get(slug="norway")  # its contact wants only what nothing here is
    norway.focus_areas.clear()
    norway.member_states.set(MemberState.objects.filter(code="VN"))
    norway.support_types, norway.stages, norway.ticket_min_usd, norway.ticket_max_usd = [], [], None, None
    norway.save()
    other = account_create(email="contact@norway.example", role="partner", partner=norway, title="Adviser",
                           password="a-Long-passw0rd!")  # fmt: skip
    return japan, other


def test_a_partner_hears_of_the_new_projects_that_fit_it_best_first_with_reasons(approved_now, interests,
                                                                                  partner_contact):  # fmt: skip
    _, norway_contact = interests
    assert announce_new_projects() == 1
    note = Notification.objects.select_related("message").get(recipient=partner_contact)
    assert note.message.kind == "project.recommended" and note.message.link == "/partners/recommended/"
    projects = note.message.context["projects"]
    assert [p["title"] for p in projects] == ["Flood early warning", "Electric buses"]  # 7 points, then 6
    assert projects[0]["score"] == 7 and projects[0]["city"] == "Bangkok"
    assert projects[0]["reasons"] == "focus area: safety and security; member state: Thailand; ticket size fits"
    assert projects[1]["reasons"] == "member state: Thailand; support sought: technology; ticket size fits"
    assert not Notification.objects.filter(recipient=norway_contact).exists()  # nothing fits Norway
    # By default it waits for the weekly digest, where it is one line with the projects in order.
    assert note.state == EmailState.DIGEST and note.digest == Frequency.WEEKLY and not mail.outbox
    assert send_digests(frequency=Frequency.WEEKLY) == 1
    body = mail.outbox[0].body
    assert "New projects that fit your interests" in body
    assert body.index("Flood early warning (Bangkok;") < body.index("Electric buses (Bangkok;")


def test_each_project_is_announced_once(approved_now, interests, partner_contact):
    assert announce_new_projects() == 1
    assert announce_new_projects() == 0
    later = project(approved_now, title="Smart lighting", support_sought=["technology"])
    assert announce_new_projects() == 1
    latest = Notification.objects.filter(recipient=partner_contact).latest("pk").message.context["projects"]
    assert [p["title"] for p in latest] == [later.title]


def test_plans_approved_long_ago_are_not_news(approved_now, interests, partner_contact):
    PlanTransition.objects.filter(plan=approved_now).update(at=timezone.now() - datetime.timedelta(days=15))
    assert announce_new_projects() == 0
    assert not Notification.objects.filter(recipient=partner_contact).exists()


def test_a_contact_who_chose_immediate_email_gets_it_at_once(approved_now, interests, partner_contact, client):
    client.force_login(partner_contact)
    from ascn_portal.notifications.models import Preference

    Preference.objects.create(user=partner_contact, kind="project.recommended", email=True,
                              frequency=Frequency.IMMEDIATE)  # fmt: skip
    announce_new_projects()
    note = Notification.objects.get(recipient=partner_contact)
    assert note.state in (EmailState.PENDING, EmailState.SENT) and note.digest == ""
