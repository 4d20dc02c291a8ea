import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from ascn_portal.notifications.models import Notification
from events import services
from events.choices import RegistrationStatus
from events.models import Event, Registration
from events.reminders import remind_registered_of_events
from events.tests.factories import event

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
)


def kinds_of(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("message__kind", flat=True))


def test_seats_go_in_order_then_the_waitlist_and_a_cancellation_promotes_the_first(
    csco_bangkok, nr_thailand, csco_cebu, team_bangkok
):
    workshop = event(capacity=2)
    first = services.registration_self(event=workshop, by=csco_bangkok)
    second = services.registration_self(event=workshop, by=nr_thailand)
    third = services.registration_self(event=workshop, by=csco_cebu)
    fourth = services.registration_self(event=workshop, by=team_bangkok)
    assert [r.status for r in (first, second, third, fourth)] == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert (first.city.slug, first.member_state.code) == ("bangkok", "TH")  # what the figures count
    assert (second.city, second.member_state.code) == (None, "TH")

    promoted = services.registration_cancel(registration=first, by=csco_bangkok)
    assert promoted == third  # the first on the waitlist, not the last
    statuses = dict(Registration.objects.values_list("person__email", "status"))
    assert statuses[csco_bangkok.email] == CANCELLED and statuses[csco_cebu.email] == CONFIRMED
    assert statuses[team_bangkok.email] == WAITLISTED
    assert kinds_of(csco_cebu) == ["event.promoted", "event.registered"]
    assert Registration.objects.filter(event=workshop, status=CONFIRMED).count() == 2


def test_one_registration_per_person_and_cancelled_ones_may_come_back(csco_bangkok):
    workshop = event()
    registration = services.registration_self(event=workshop, by=csco_bangkok)
    with pytest.raises(ValidationError, match="already registered"):
        services.registration_self(event=workshop, by=csco_bangkok)
    services.registration_cancel(registration=registration, by=csco_bangkok)
    again = services.registration_self(event=workshop, by=csco_bangkok)
    assert again.status == CONFIRMED and Registration.objects.count() == 2


def test_two_people_taking_the_last_seat_at_once_never_overfill(transactional_db, csco_bangkok, csco_cebu, nr_thailand):
    workshop = event(capacity=2)
    services.registration_self(event=workshop, by=nr_thailand)  # one seat left
    barrier, results, errors = threading.Barrier(2), {}, []

    def take_seat(user):
        try:
            barrier.wait(timeout=10)
            results[user.email] = services.registration_self(event=Event.objects.get(pk=workshop.pk), by=user).status
        except Exception as error:  # noqa: BLE001  reported below
            errors.append(error)
        finally:
            connection.close()  # each thread had its own database connection

    threads = [threading.Thread(target=take_seat, args=(user,)) for user in (csco_bangkok, csco_cebu)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results.values()) == [CONFIRMED, WAITLISTED]
    assert Registration.objects.filter(event=workshop, status=CONFIRMED).count() == 2


def test_registration_only_within_its_window(csco_bangkok):
    now = timezone.now()
    not_yet = event(registration_opens_at=now + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="Registration opens on"):
        services.registration_self(event=not_yet, by=csco_bangkok)
    closed = event(registration_opens_at=now - datetime.timedelta(days=9),
                   registration_closes_at=now - datetime.timedelta(days=1))  # fmt: skip
    with pytest.raises(ValidationError, match="Registration closed on"):
        services.registration_self(event=closed, by=csco_bangkok)
    record = Event.objects.get(slug="smart-cities-governance-workshop-2018")  # held in 2018
    with pytest.raises(ValidationError, match="Registration closed"):
        services.registration_self(event=record, by=csco_bangkok)
    assert not Registration.objects.exists()


def test_who_may_register_themselves_depends_on_the_audience(csco_bangkok, outsider):
    public, members, invited = event(audience="public"), event(audience="network"), event(audience="delegations")
    assert services.registration_self(event=public, by=outsider).status == CONFIRMED
    with pytest.raises(PermissionDenied):
        services.registration_self(event=members, by=outsider)
    with pytest.raises(PermissionDenied):
        services.registration_self(event=invited, by=csco_bangkok)  # a delegation's lead registers it
    assert services.registration_self(event=members, by=csco_bangkok).status == CONFIRMED
    hidden = event(published=False)
    with pytest.raises(PermissionDenied):
        services.registration_self(event=hidden, by=csco_bangkok)
    assert Registration.objects.count() == 2


def members(*names):
    return [{"full_name": name, "email": f"{name.split()[0].lower()}@bangkok.example", "title": "Engineer"}
            for name in names]  # fmt: skip


def test_a_csco_registers_a_delegation_seats_first_then_the_waitlist(csco_bangkok):
    workshop = event(capacity=2, audience="delegations")
    registrations = services.delegation_register(
        event=workshop, by=csco_bangkok, delegation="city:bangkok",
        members=members("Anong Srisuk", "Chai Wong", "Dao Phan"),
    )  # fmt: skip
    assert [r.status for r in registrations] == [CONFIRMED, CONFIRMED, WAITLISTED]
    assert {r.registered_by for r in registrations} == {csco_bangkok}
    assert {r.city.slug for r in registrations} == {"bangkok"}
    dao = registrations[2].person
    assert not dao.has_usable_password()  # a newcomer gets an account to be told, not to sign in
    assert kinds_of(dao) == ["event.registered"]
    assert Notification.objects.get(recipient=dao).message.context["status"] == WAITLISTED


@pytest.mark.parametrize(
    ("lead", "delegation"),
    [("team_bangkok", "city:bangkok"), ("csco_cebu", "city:bangkok"), ("nr_thailand", "member_state:PH"),
     ("outsider", "city:bangkok"), ("partner_contact", "city:bangkok")],
)  # fmt: skip
def test_only_the_lead_of_a_delegation_registers_it(request, lead, delegation):
    workshop = event(audience="delegations")
    with pytest.raises(PermissionDenied):
        services.delegation_register(event=workshop, by=request.getfixturevalue(lead), delegation=delegation,
                                     members=members("Anong Srisuk"))  # fmt: skip
    assert not Registration.objects.exists()


def test_leads_of_each_kind_lead_their_own(nr_thailand, partner_contact):
    workshop = event(audience="delegations")
    assert [d.key for d in services.delegations_of(nr_thailand)] == ["member_state:TH"]
    keys = [d.key for d in services.delegations_of(partner_contact)]
    assert len(keys) == 1 and keys[0].startswith("partner:")
    registrations = services.delegation_register(event=workshop, by=partner_contact, delegation=keys[0],
                                                 members=members("Ken Sato"))  # fmt: skip
    assert registrations[0].partner is not None and registrations[0].member_state is None


@pytest.mark.parametrize(
    ("people", "message"),
    [
        ([], "at least one member"),
        ([{"full_name": "A", "email": "a@x.example"}, {"full_name": "B", "email": "A@x.example"}], "given twice"),
        ([{"full_name": "A", "email": "not an email"}], "valid email"),
    ],
)
def test_a_bad_delegation_is_refused_whole(csco_bangkok, people, message):
    workshop = event()
    with pytest.raises(ValidationError, match=message):
        services.delegation_register(event=workshop, by=csco_bangkok, delegation="city:bangkok", members=people)
    assert not Registration.objects.exists()


def test_who_may_cancel_a_registration(csco_bangkok, csco_cebu, secretariat, team_bangkok):
    workshop = event()
    [delegate] = services.delegation_register(event=workshop, by=csco_bangkok, delegation="city:bangkok",
                                              members=members("Anong Srisuk"))  # fmt: skip
    for stranger in (csco_cebu, team_bangkok):
        with pytest.raises(PermissionDenied):
            services.registration_cancel(registration=delegate, by=stranger)
    delegate.refresh_from_db()
    assert delegate.status == CONFIRMED
    services.registration_cancel(registration=delegate, by=csco_bangkok)  # the lead who registered them
    own = services.registration_self(event=workshop, by=csco_cebu)
    services.registration_cancel(registration=own, by=secretariat)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.registration_cancel(registration=own, by=csco_cebu)


def test_only_the_secretariat_checks_in_and_only_confirmed_delegates(csco_bangkok, secretariat, csco_cebu):
    workshop = event(capacity=1)
    seat = services.registration_self(event=workshop, by=csco_bangkok)
    waiting = services.registration_self(event=workshop, by=csco_cebu)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=seat, by=csco_bangkok)
    with pytest.raises(ValidationError, match="Only a confirmed registration"):
        services.registration_check_in(registration=waiting, by=secretariat)
    services.registration_check_in(registration=seat, by=secretariat)
    seat.refresh_from_db()
    assert seat.checked_in_at and seat.checked_in_by == secretariat
    with pytest.raises(ValidationError, match="already been checked in"):
        services.registration_cancel(registration=seat, by=csco_bangkok)


def test_a_new_time_or_venue_is_told_to_everyone_registered(csco_bangkok, csco_cebu, secretariat, outsider):
    workshop = event(capacity=1)
    services.registration_self(event=workshop, by=csco_bangkok)
    services.registration_self(event=workshop, by=csco_cebu)  # waitlisted: told too
    workshop.starts_at += datetime.timedelta(days=1)
    workshop.ends_at += datetime.timedelta(days=1)
    workshop.venue = "Suntec Convention Centre"
    assert services.event_save(event=workshop, by=secretariat) == ["time", "venue"]
    workshop.refresh_from_db()
    assert workshop.sequence == 1
    for person in (csco_bangkok, csco_cebu):
        assert "event.changed" in kinds_of(person)
    line = Notification.objects.filter(message__kind="event.changed").first().message.context
    assert line["changed"] == ["time", "venue"] and line["was"] != line["when"]
    workshop.description = "Now with a site visit."
    assert services.event_save(event=workshop, by=secretariat) == []  # not a change worth telling
    workshop.capacity = 2
    services.event_save(event=workshop, by=secretariat)  # a seat more: the waitlist moves up
    assert Registration.objects.filter(event=workshop, status=CONFIRMED).count() == 2
    with pytest.raises(PermissionDenied):
        services.event_save(event=workshop, by=outsider)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ends_at_minus_hours": 9}, "cannot end before it starts"),
        ({"capacity": -1}, "greater than or equal to 0"),
        ({"registration_closes_at_plus_days": 40}, "close by the end of the event"),
        ({"time_zone": "Mars/Olympus"}, "Choose a time zone"),
    ],
)
def test_bad_event_input_is_refused_with_a_clear_message(secretariat, fields, message):
    workshop = event()
    if "ends_at_minus_hours" in fields:
        workshop.ends_at = workshop.starts_at - datetime.timedelta(hours=1)
    elif "registration_closes_at_plus_days" in fields:
        workshop.registration_closes_at = timezone.now() + datetime.timedelta(days=40)
    else:
        for name, value in fields.items():
            setattr(workshop, name, value)
    with pytest.raises(ValidationError, match=message):
        services.event_save(event=workshop, by=secretariat)
    assert Event.objects.values().get(pk=workshop.pk) == Event.objects.values().get(pk=workshop.pk)
    fresh = Event.objects.get(pk=workshop.pk)
    assert fresh.capacity == 10 and fresh.time_zone == "Asia/Singapore" and fresh.ends_at > fresh.starts_at


def test_reminders_go_a_week_and_a_day_before_once_each(csco_bangkok, csco_cebu):
    workshop = event(capacity=1)
    services.registration_self(event=workshop, by=csco_bangkok)
    services.registration_self(event=workshop, by=csco_cebu)  # waitlisted: no reminder
    start = workshop.starts_at
    assert remind_registered_of_events(now=start - datetime.timedelta(days=8)) == 0
    assert remind_registered_of_events(now=start - datetime.timedelta(days=7) + datetime.timedelta(minutes=5)) == 1
    assert remind_registered_of_events(now=start - datetime.timedelta(days=6)) == 0  # once
    assert remind_registered_of_events(now=start - datetime.timedelta(hours=23)) == 1
    assert remind_registered_of_events(now=start - datetime.timedelta(hours=2)) == 0
    assert remind_registered_of_events(now=start + datetime.timedelta(hours=1)) == 0
    reminders = Notification.objects.filter(message__kind="event.reminder")
    assert sorted(r.message.context["days"] for r in reminders) == [1, 7]
    assert {r.recipient for r in reminders} == {csco_bangkok}


def test_an_event_registered_for_late_gets_only_the_day_before_reminder(csco_bangkok):
    soon = event(starts_at=timezone.now() + datetime.timedelta(hours=20),
                 ends_at=timezone.now() + datetime.timedelta(hours=28))  # fmt: skip
    services.registration_self(event=soon, by=csco_bangkok)
    assert remind_registered_of_events() == 1
    assert Notification.objects.get(message__kind="event.reminder").message.context["days"] == 1
