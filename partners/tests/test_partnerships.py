from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.services import account_create
from ascn_portal.errors import Conflict
from ascn_portal.notifications.models import Notification
from catalogue.matchmaking import Interests, annotate_score, match
from cities.models import City, FocusArea, MemberState
from partners import services
from partners.choices import PARTNERSHIP_MOVES, PartnershipStage
from partners.models import Partner, PartnershipTransition, ProjectPartnership, Twinning

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return project(draft_plan(state=PlanState.APPROVED), title="Flood early warning", support_sought=["financing"])


def interest(project_, contact, **fields):
    values = {"support_type": "financing", "amount_usd": Decimal("1000000"), "message": "We can help.", **fields}
    return services.partnership_express_interest(project=project_, partner=Partner.objects.get(slug="japan"),
                                                 by=contact, **values)  # fmt: skip


def test_one_active_twinning_per_city_and_past_ones_are_kept(secretariat):
    bangkok = City.objects.get(slug="bangkok")
    japan, korea = Partner.objects.get(slug="japan"), Partner.objects.get(slug="republic-of-korea")
    first = services.twinning_save(twinning=Twinning(city=bangkok, partner=japan, status="active"), by=secretariat)
    with pytest.raises(ValidationError, match="already has an active twinning"):
        services.twinning_save(twinning=Twinning(city=bangkok, partner=korea, status="active"), by=secretariat)
    with pytest.raises(IntegrityError), transaction.atomic():
        Twinning.objects.create(city=bangkok, partner=korea, status="active")
    first.status = "ended"
    services.twinning_save(twinning=first, by=secretariat)
    services.twinning_save(twinning=Twinning(city=bangkok, partner=korea, status="active"), by=secretariat)
    assert list(bangkok.twinnings.order_by("pk").values_list("partner__slug", "status")) == [
        ("japan", "ended"), ("republic-of-korea", "active")]  # fmt: skip


def test_interest_is_told_to_the_city_and_recorded(published, partner_contact, csco_bangkok, secretariat):
    partnership = interest(published, partner_contact)
    assert partnership.stage == PartnershipStage.INTEREST and partnership.created_by == partner_contact
    assert PartnershipTransition.objects.get().action == "express_interest"
    told = set(
        Notification.objects.filter(message__kind="partnership.interest").values_list("recipient__email", flat=True)
    )
    assert {csco_bangkok.email, secretariat.email} <= told
    with pytest.raises(Conflict, match="already has a live partnership"):
        interest(published, partner_contact)


def test_only_a_partners_contact_and_only_on_a_published_project(published, csco_bangkok, partner_contact):
    with pytest.raises(PermissionDenied):
        interest(published, csco_bangkok)
    hidden = project(draft_plan("cebu-city", title="Cebu draft"), title="Draft idea")
    with pytest.raises(PermissionDenied):
        interest(hidden, partner_contact)
    closed = project(published.plan, title="Not open", open_to_partners=False)
    with pytest.raises(PermissionDenied):
        interest(closed, partner_contact)
    assert not ProjectPartnership.objects.exists()


@pytest.mark.parametrize(
    ("consortium", "message"),
    [
        ([{"company": "A Corp", "country": "JP"}], "exactly one lead"),
        ([{"company": "A Corp", "country": "JP", "is_lead": True}, {"company": "B", "country": "JP", "is_lead": True}],
         "exactly one lead"),
        ([{"company": "A Corp", "country": "JP", "is_lead": True}, {"company": "a corp", "country": "KR"}],
         "listed twice"),
        ([{"company": "A Corp", "country": "Japan", "is_lead": True}], "two-letter ISO"),
    ],
)  # fmt: skip
def test_consortium_rules(published, partner_contact, consortium, message):
    with pytest.raises(ValidationError, match=message):
        interest(published, partner_contact, consortium=consortium)
    assert not ProjectPartnership.objects.exists()


def test_a_consortium_is_kept_with_its_lead(published, partner_contact):
    partnership = interest(published, partner_contact, consortium=[
        {"company": "Yokohama Urban Solution Alliance", "country": "JP", "is_lead": True},
        {"company": "Amata", "country": "TH"}])  # fmt: skip
    assert [(m.company, m.is_lead) for m in partnership.consortium.all()] == [
        ("Yokohama Urban Solution Alliance", True), ("Amata", False)]  # fmt: skip


ROLES = ["partner_contact", "other_partner", "csco_bangkok", "team_bangkok", "csco_cebu", "nr_thailand",
         "secretariat", "outsider"]  # fmt: skip
CITY_SIDE = {"csco_bangkok", "team_bangkok", "secretariat"}


@pytest.fixture
def other_partner(db):
    korea = Partner.objects.get(slug="republic-of-korea")
    return account_create(email="contact@korea.example", role="partner", full_name="Ji-woo Contact",
                          password="a-Long-passw0rd!", partner=korea)  # fmt: skip


@pytest.mark.parametrize("stage", list(PartnershipStage.values))
def test_each_side_makes_only_its_own_moves(request, published, partner_contact, stage):
    partnership = interest(published, partner_contact)
    ProjectPartnership.objects.filter(pk=partnership.pk).update(stage=stage)
    for role in ROLES:
        person = request.getfixturevalue(role)
        for action, move in PARTNERSHIP_MOVES.items():
            allowed_role = role == "partner_contact" if action == "withdraw" else role in CITY_SIDE
            partnership.refresh_from_db()
            try:
                services.partnership_move(partnership=partnership, action=action, by=person, comment="ok")
            except PermissionDenied:
                assert not allowed_role, (role, action, stage)
            except Conflict as error:
                assert allowed_role and stage not in move.sources, (role, action, stage)
                assert "cannot be moved" in str(error)
            else:
                assert allowed_role and stage in move.sources, (role, action, stage)
                partnership.refresh_from_db()
                assert partnership.stage == move.target
                ProjectPartnership.objects.filter(pk=partnership.pk).update(stage=stage)
                continue
            partnership.refresh_from_db()
            assert partnership.stage == stage  # a refused move changes nothing


def test_a_move_is_recorded_and_told_to_the_other_side(published, partner_contact, csco_bangkok):
    partnership = interest(published, partner_contact)
    services.partnership_move(partnership=partnership, action="discuss", by=csco_bangkok, comment="Let us meet.")
    moved = Notification.objects.filter(message__kind="partnership.moved")
    assert set(moved.values_list("recipient__email", flat=True)) >= {partner_contact.email}
    assert csco_bangkok.email not in set(moved.values_list("recipient__email", flat=True))
    services.partnership_move(partnership=partnership, action="withdraw", by=partner_contact)
    last = Notification.objects.filter(message__kind="partnership.moved").order_by("-pk").first()
    assert last.recipient != partner_contact and last.message.context["did"] == "withdrew"
    assert list(partnership.transitions.values_list("action", flat=True)) == ["express_interest", "discuss", "withdraw"]


def test_matchmaking_scores_and_reasons_agree_with_the_database(published):
    japan = Partner.objects.get(slug="japan")
    japan.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    japan.member_states.set(MemberState.objects.filter(code="TH"))
    japan.support_types, japan.stages = ["financing"], ["pipeline"]
    japan.ticket_min_usd, japan.ticket_max_usd = Decimal("1000000"), Decimal("5000000")
    japan.save()
    published.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    other = project(published.plan, title="Small pilot", estimated_cost_usd=Decimal("100000"),
                    funding_secured_usd=Decimal("0"), support_sought=["technology"],
                    stage="implementation")  # fmt: skip
    interests = Interests.of(japan)
    found = match(interests, published)
    assert found.score == 10
    assert found.reasons == ["focus area: quality environment", "member state: Thailand", "support sought: financing",
                             "ticket size fits", "stage: pipeline / identification"]  # fmt: skip
    assert match(interests, other).reasons == ["member state: Thailand"]
    scores = dict(annotate_score(published.plan.projects.all(), interests).values_list("title", "match_score"))
    assert scores == {"Flood early warning": 10, "Small pilot": 2}


def test_a_withdrawal_is_told_to_the_city_side_and_not_to_the_partner(
    published, partner_contact, csco_bangkok, team_bangkok, secretariat
):
    partnership = interest(published, partner_contact)
    before = Notification.objects.count()
    services.partnership_move(partnership=partnership, action="withdraw", by=partner_contact, comment="Budget cut.")
    told = set(Notification.objects.order_by("pk")[before:].values_list("recipient__email", flat=True))
    assert told == {csco_bangkok.email, team_bangkok.email, secretariat.email}


def test_a_move_by_the_city_is_told_to_the_partner_and_the_city_not_the_secretariat(
    published, partner_contact, csco_bangkok, team_bangkok, secretariat
):
    partnership = interest(published, partner_contact)
    before = Notification.objects.count()
    services.partnership_move(partnership=partnership, action="discuss", by=csco_bangkok)
    told = set(Notification.objects.order_by("pk")[before:].values_list("recipient__email", flat=True))
    assert told == {partner_contact.email, team_bangkok.email}
