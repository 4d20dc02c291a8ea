import datetime

import pytest

from ascn_portal.testing.matrix import check_matrix
from cities.models import Appointment, City
from partners.models import Partner

pytestmark = pytest.mark.django_db


def bangkok():
    return City.objects.get(slug="bangkok")


def cebu():
    return City.objects.get(slug="cebu-city")


def japan():
    return Partner.objects.get(slug="japan")


def test_contact_details_are_for_network_members_only(request):
    check_matrix(
        request,
        [
            ("anonymous", "accounts.view_contact_details", None, False),
            ("outsider", "accounts.view_contact_details", None, False),
            ("secretariat", "accounts.view_contact_details", None, True),
            ("nr_thailand", "accounts.view_contact_details", None, True),
            ("csco_bangkok", "accounts.view_contact_details", None, True),
            ("team_bangkok", "accounts.view_contact_details", None, True),
            ("partner_contact", "accounts.view_contact_details", None, True),
        ],
    )


def test_only_the_secretariat_keeps_the_directory(request):
    rows = []
    for rule in ["cities.change_city", "cities.add_appointment", "partners.change_partner", "accounts.view_user"]:
        rows += [
            ("secretariat", rule, bangkok if "city" in rule else None, True),
            ("csco_bangkok", rule, bangkok if "city" in rule else None, False),
            ("nr_thailand", rule, None, False),
            ("partner_contact", rule, None, False),
            ("outsider", rule, None, False),
            ("anonymous", rule, None, False),
        ]
    rows += [
        ("secretariat", "cities.delete_city", bangkok, False),  # retire a city; only a superuser deletes
        ("secretariat", "cities", None, True),
        ("csco_bangkok", "cities", None, False),
    ]
    check_matrix(request, rows)


def test_a_city_officer_starts_plans_for_their_own_city_only(request):
    check_matrix(
        request,
        [
            ("csco_bangkok", "action_plans.create_plan", bangkok, True),
            ("team_bangkok", "action_plans.create_plan", bangkok, True),
            ("csco_bangkok", "action_plans.create_plan", cebu, False),
            ("nr_thailand", "action_plans.create_plan", bangkok, False),
            ("partner_contact", "action_plans.create_plan", bangkok, False),
            ("anonymous", "action_plans.create_plan", bangkok, False),
        ],
    )


def test_an_ended_term_confers_nothing(request, csco_bangkok):
    Appointment.objects.filter(user=csco_bangkok).update(
        starts_on=datetime.date(2019, 1, 1), ends_on=datetime.date(2020, 12, 31)
    )
    check_matrix(
        request,
        [
            ("csco_bangkok", "action_plans.create_plan", bangkok, False),
            ("csco_bangkok", "accounts.view_contact_details", None, False),
        ],
    )


def test_a_deactivated_account_holds_no_office(request, secretariat, csco_bangkok):
    for user in (secretariat, csco_bangkok):
        user.is_active = False
        user.save()
    check_matrix(
        request,
        [
            ("secretariat", "cities.change_city", bangkok, False),
            ("csco_bangkok", "action_plans.create_plan", bangkok, False),
        ],
    )


@pytest.mark.parametrize(
    ("starts", "ends", "holds"),
    [(0, None, True), (-30, 0, True), (-30, -1, False), (1, None, False), (-365, 30, True)],
)  # fmt: skip
def test_offices_count_from_their_first_to_their_last_day_as_their_querysets_say(
    starts, ends, holds, csco_bangkok, partner_contact, django_assert_num_queries
):
    from django.utils import timezone

    from ascn_portal.accounts.offices import forget_offices as forget_roles
    from cities.offices import roles_of
    from partners.models import PartnerContact
    from partners.offices import partner_ids_of

    today = timezone.localdate()
    term = {"starts_on": today + datetime.timedelta(days=starts),
            "ends_on": None if ends is None else today + datetime.timedelta(days=ends)}  # fmt: skip
    Appointment.objects.filter(user=csco_bangkok).update(**term)
    PartnerContact.objects.filter(user=partner_contact).update(**term)
    assert Appointment.objects.active().filter(user=csco_bangkok).exists() is holds
    assert PartnerContact.objects.active().filter(user=partner_contact).exists() is holds
    for user in (csco_bangkok, partner_contact):
        forget_roles(user)
        with django_assert_num_queries(1):  # every office, and the secretariat, in one statement
            roles = roles_of(user)
            assert user.is_secretariat is False
        assert (roles.any or bool(partner_ids_of(user))) is holds


def test_the_secretariat_is_known_from_the_same_statement(secretariat, django_assert_num_queries):
    from ascn_portal.accounts.offices import forget_offices as forget_roles
    from cities.offices import roles_of

    forget_roles(secretariat)
    with django_assert_num_queries(1):
        roles_of(secretariat)
        assert secretariat.is_secretariat is True


def test_the_secretariats_workplace_is_the_secretariats(request):
    """Partnerships corrected in the admin, their consortia, the record of spreadsheet imports, offices
    handed over: the secretariat only; nobody adds a partnership or deletes one there."""
    people = ["csco_bangkok", "team_bangkok", "nr_thailand", "partner_contact", "outsider", "anonymous"]
    rules_ = [
        "partners.change_projectpartnership", "partners.add_consortiummember", "partners.change_consortiummember",
        "partners.delete_consortiummember", "spreadsheets", "spreadsheets.view_importjob", "cities.change_appointment",
        "cities.add_appointment", "partners.add_twinning", "partners.change_twinning",
    ]  # fmt: skip
    rows = [("secretariat", rule, None, True) for rule in rules_]
    rows += [(person, rule, None, False) for person in people for rule in rules_]
    rows += [
        ("secretariat", "partners.add_projectpartnership", None, False),
        ("secretariat", "partners.delete_projectpartnership", None, False),
        ("secretariat", "spreadsheets.change_importjob", None, False),
        ("secretariat", "spreadsheets.delete_importjob", None, False),
    ]
    check_matrix(request, rows)


def test_the_monitoring_round_belongs_to_the_secretariat_and_each_city(request, secretariat):
    import datetime

    from monitoring.models import CityReport, MonitoringRound

    round_ = MonitoringRound.objects.create(year=2025, deadline=datetime.date(2099, 1, 1), opened_by=secretariat)
    report = CityReport.objects.create(round=round_, city=bangkok())
    people = ["secretariat", "nr_thailand", "csco_bangkok", "team_bangkok", "csco_cebu", "partner_contact", "outsider",
              "anonymous"]  # fmt: skip
    allowed = {
        "monitoring.open_round": {"secretariat"},
        "monitoring.review_city_report": {"secretariat"},
        "monitoring.submit_city_report": {"csco_bangkok"},
        "monitoring.view_city_report": {"secretariat", "nr_thailand", "csco_bangkok", "team_bangkok"},
        "monitoring.view_round": {"secretariat", "nr_thailand", "csco_bangkok", "team_bangkok", "csco_cebu",
                                  "partner_contact"},
        "monitoring.view_project_figures": {"secretariat", "nr_thailand", "csco_bangkok", "team_bangkok", "csco_cebu",
                                            "partner_contact"},
        "action_plans.view_progress": {"secretariat", "nr_thailand", "csco_bangkok", "team_bangkok", "csco_cebu",
                                       "partner_contact"},
        "action_plans.file_any_progress": {"csco_bangkok", "csco_cebu"},
    }  # fmt: skip
    objects = {"monitoring.submit_city_report": report, "monitoring.view_city_report": report,
               "monitoring.review_city_report": report}  # fmt: skip
    check_matrix(request, [(person, rule, (lambda r=rule: objects.get(r)), person in who)
                           for rule, who in allowed.items() for person in people])  # fmt: skip
