import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ascn_portal.accounts.models import User
from cities.choices import AppointmentRole
from cities.models import Appointment, City, MemberState
from cities.selectors import ascn_chair

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def people():
    return [User.objects.create_user(f"p{i}@example.org", full_name=f"Person {i}") for i in range(3)]


def _nr(user, code="TH", **terms):
    return Appointment.objects.create(
        user=user,
        role=AppointmentRole.NATIONAL_REPRESENTATIVE,
        member_state=MemberState.objects.get(code=code),
        **terms,
    )


def _csco(user, slug="bangkok", **terms):
    return Appointment.objects.create(user=user, role=AppointmentRole.CSCO, city=City.objects.get(slug=slug), **terms)


def test_database_refuses_a_second_serving_nr_for_a_member_state(people):
    _nr(people[0], starts_on=D(2024, 1, 1))
    with pytest.raises(IntegrityError, match="cities_appointment_one_nr_per_state"), transaction.atomic():
        _nr(people[1], starts_on=D(2025, 6, 1))
    assert Appointment.objects.filter(role="nr").count() == 1


def test_database_refuses_a_second_serving_csco_for_a_city(people):
    _csco(people[0], starts_on=D(2024, 1, 1))
    with pytest.raises(IntegrityError, match="cities_appointment_one_csco_per_city"), transaction.atomic():
        _csco(people[1], starts_on=D(2024, 1, 1))


def test_overlapping_terms_are_refused_even_when_both_have_ended(people):
    _csco(people[0], starts_on=D(2020, 1, 1), ends_on=D(2021, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        _csco(people[1], starts_on=D(2021, 6, 1), ends_on=D(2022, 12, 31))


def test_successive_terms_are_allowed_and_the_past_stays_on_record(people):
    old = _nr(people[0], starts_on=D(2019, 1, 1), ends_on=D(2023, 12, 31))
    new = _nr(people[1], starts_on=D(2024, 1, 1))
    _nr(people[2], code="SG", starts_on=D(2024, 1, 1))  # another member state is unaffected
    _csco(people[0], starts_on=D(2024, 1, 1))
    _csco(people[1], slug="phuket", starts_on=D(2024, 1, 1))  # another city is unaffected

    assert list(Appointment.objects.filter(role="nr", member_state__code="TH").active()) == [new]
    assert list(Appointment.objects.filter(role="nr", member_state__code="TH").past()) == [old]


def test_the_office_must_match_the_role(people):
    with pytest.raises(IntegrityError, match="office_matches_role"), transaction.atomic():
        Appointment.objects.create(
            user=people[0], role=AppointmentRole.CSCO, member_state=MemberState.objects.get(code="TH")
        )
    with pytest.raises(IntegrityError, match="ends_after_start"), transaction.atomic():
        _csco(people[0], starts_on=D(2024, 1, 1), ends_on=D(2023, 1, 1))


def test_full_clean_explains_the_conflict_in_words(people):
    _csco(people[0], starts_on=D(2024, 1, 1))
    second = Appointment(
        user=people[1], role=AppointmentRole.CSCO, city=City.objects.get(slug="bangkok"), starts_on=D(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="already has a Chief Smart City Officer"):
        second.full_clean()


def test_a_person_sits_on_a_city_team_once_at_a_time(people):
    bangkok = City.objects.get(slug="bangkok")
    Appointment.objects.create(user=people[0], role=AppointmentRole.CITY_TEAM, city=bangkok, starts_on=D(2024, 1, 1))
    Appointment.objects.create(user=people[1], role=AppointmentRole.CITY_TEAM, city=bangkok, starts_on=D(2024, 1, 1))
    with pytest.raises(IntegrityError, match="one_team_seat_per_person"), transaction.atomic():
        Appointment.objects.create(
            user=people[0], role=AppointmentRole.CITY_TEAM, city=bangkok, starts_on=D(2025, 1, 1)
        )


def test_the_ascn_chair_is_the_nr_of_the_member_state_chairing_asean(people):
    _nr(people[0], code="SG", starts_on=D(2017, 1, 1), ends_on=D(2019, 12, 31))
    _nr(people[1], code="SG", starts_on=D(2020, 1, 1))

    chairmanship, chair = ascn_chair(2018)
    assert chairmanship.member_state.code == "SG"
    assert chair.user == people[0]
    assert ascn_chair(2019)[1] is None  # Thailand chaired; its NR is not on record
    assert ascn_chair(1999) == (None, None)
