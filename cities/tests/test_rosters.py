"""Who served when: a roster as of a day on the city and member-state pages, in the API and the admin;
the secretariat appoints, hands over and ends offices, and an overlap names the present holder."""

import datetime

import pytest
from django.utils import timezone

from ascn_portal.accounts.models import User
from cities.choices import AppointmentRole
from cities.models import Appointment, Chairmanship, City, MemberState

pytestmark = pytest.mark.django_db

D = datetime.date
HANDOVER = D(2021, 7, 1)


@pytest.fixture
def anan():
    return User.objects.create_user("anan@bangkok.example", full_name="Anan First")


@pytest.fixture
def busaba():
    return User.objects.create_user("busaba@bangkok.example", full_name="Busaba Second")


@pytest.fixture
def first_term(anan):
    return Appointment.objects.create(
        user=anan, role=AppointmentRole.CSCO, city=City.objects.get(slug="bangkok"), starts_on=D(2019, 1, 1)
    )


@pytest.fixture
def handed_over(client, secretariat, first_term, busaba):
    """The secretariat hands Bangkok's CSCO office from Anan to Busaba on 1 July 2021, in the admin."""
    client.force_login(secretariat)
    response = client.post(
        f"/admin/cities/appointment/{first_term.pk}/hand-over/",
        {"successor": busaba.pk, "on": "2021-07-01", "title": "Director"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Anan First served until 30 June 2021; Busaba Second serves from 1 July 2021." in response.text
    client.logout()
    return Appointment.objects.get(user=busaba)


def test_a_hand_over_ends_one_term_the_day_before_and_starts_the_next(handed_over, first_term):
    first_term.refresh_from_db()
    assert first_term.ends_on == D(2021, 6, 30)
    assert (handed_over.starts_on, handed_over.ends_on, handed_over.title) == (HANDOVER, None, "Director")
    assert handed_over.history.first().history_user.email == "sec@asean.example"


@pytest.mark.parametrize(
    ("day", "holder"), [("2021-06-30", "Anan First"), ("2021-07-01", "Busaba Second"), ("2021-07-02", "Busaba Second")]
)
def test_the_city_page_shows_the_holder_on_each_side_of_the_hand_over(client, handed_over, day, holder):
    page = client.get(f"/cities/bangkok/?as_of={day}")
    assert page.status_code == 200
    csco = page.text.split('id="csco-heading"')[1].split("</section>")[0]
    assert holder in csco
    assert ({"Anan First", "Busaba Second"} - {holder}).pop() not in csco
    assert "Other officers, past and future (1)" in page.text  # the other holder, with their term


@pytest.mark.parametrize(
    ("day", "holder"), [("2021-06-30", "Anan First"), ("2021-07-01", "Busaba Second"), ("2021-07-02", "Busaba Second")]
)
def test_the_api_answers_as_of_a_day(client, handed_over, day, holder):
    city = client.get(f"/api/v1/cities/bangkok/?as_of={day}").json()
    assert city["chief_smart_city_officer"]["name"] == holder
    listed = {c["slug"]: c for c in client.get(f"/api/v1/cities/?as_of={day}&member_state=TH").json()["results"]}
    assert listed["bangkok"]["chief_smart_city_officer"]["name"] == holder


def test_before_anyone_served_there_is_nobody_and_today_is_the_default(client, handed_over):
    assert client.get("/api/v1/cities/bangkok/?as_of=2018-12-31").json()["chief_smart_city_officer"] is None
    today = client.get("/api/v1/cities/bangkok/").json()["chief_smart_city_officer"]
    assert (today["name"], today["since"], today["until"]) == ("Busaba Second", "2021-07-01", None)
    assert "Not recorded for that day." in client.get("/cities/bangkok/?as_of=2018-12-31").text


def test_a_malformed_day_is_a_400_with_a_message(client, first_term):
    assert client.get("/api/v1/cities/?as_of=2021-13-01").json() == {"as_of": ["Give a day as YYYY-MM-DD."]}
    assert client.get("/api/v1/member-states/TH/?as_of=yesterday").status_code == 400
    page = client.get("/cities/bangkok/?as_of=not-a-day")
    assert page.status_code == 400
    assert "Showing today." in page.text


def test_the_member_state_page_and_api_answer_for_the_national_representative(client, secretariat, people_nr):
    old, new = people_nr
    page = client.get("/member-states/th/?as_of=2020-12-31")
    assert page.status_code == 200
    nr = page.text.split('id="nr-heading"')[1].split("</section>")[0]
    assert old.full_name in nr and new.full_name not in nr
    assert new.full_name in client.get("/member-states/TH/?as_of=2021-01-01").text.split('id="nr-heading"')[1]
    assert client.get("/api/v1/member-states/TH/?as_of=2020-12-31").json()["national_representative"]["name"] == (
        old.full_name
    )
    listed = {s["code"]: s for s in client.get("/api/v1/member-states/?as_of=2021-01-01").json()["results"]}
    assert listed["TH"]["national_representative"]["name"] == new.full_name
    assert client.get("/member-states/XX/").status_code == 404


@pytest.fixture
def people_nr():
    old = User.objects.create_user("old.nr@example.org", full_name="Old Representative")
    new = User.objects.create_user("new.nr@example.org", full_name="New Representative")
    thailand = MemberState.objects.get(code="TH")
    role = AppointmentRole.NATIONAL_REPRESENTATIVE
    Appointment.objects.create(
        user=old, role=role, member_state=thailand, starts_on=D(2018, 1, 1), ends_on=D(2020, 12, 31)
    )
    Appointment.objects.create(user=new, role=role, member_state=thailand, starts_on=D(2021, 1, 1))
    return old, new


def test_the_chair_of_each_year_is_in_the_api(client, people_nr):
    old, new = people_nr
    Chairmanship.objects.update_or_create(year=2019, defaults={"member_state": MemberState.objects.get(code="TH")})
    chairs = {c["year"]: c for c in client.get("/api/v1/chairs/").json()}
    assert chairs[2019]["member_state"] == "TH"
    assert chairs[2019]["chair"]["name"] == old.full_name
    assert client.get("/api/v1/chairs/2019/").json()["chair"]["until"] == "2020-12-31"
    assert client.get("/api/v1/chairs/1950/").status_code == 404
    assert "2019: Old Representative" in client.get("/member-states/TH/").text


def test_the_admin_refuses_an_overlapping_term_naming_the_holder(client, secretariat, first_term, busaba):
    client.force_login(secretariat)
    bangkok = City.objects.get(slug="bangkok")
    response = client.post(
        "/admin/cities/appointment/add/",
        {"user": busaba.pk, "role": "csco", "city": bangkok.pk, "title": "", "starts_on": "2024-03-01", "ends_on": ""},
    )
    assert response.status_code == 200
    assert (
        "Bangkok already has a Chief Smart City Officer for that term: Anan First, serving since 1 January 2019. "
        "End that term first, or hand the office over from its page."
    ) in response.text
    assert not Appointment.objects.filter(user=busaba).exists()


def test_the_city_inline_refuses_an_overlap_too(client, secretariat, first_term, busaba):
    """The same check on the city's page in the admin, where most appointments are typed."""
    client.force_login(secretariat)
    bangkok = City.objects.get(slug="bangkok")
    page = client.get(f"/admin/cities/city/{bangkok.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({f: [n.pk for n in form.initial[f]] for f in ["networks"] if f in form.initial})
    data.update(_inline_management(page))
    prefix = "appointments"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-1-user": busaba.pk,
            f"{prefix}-1-role": "csco",
            f"{prefix}-1-starts_on": "2024-03-01",
            f"{prefix}-1-city": bangkok.pk,
        }
    )
    response = client.post(f"/admin/cities/city/{bangkok.pk}/change/", data)
    assert "Anan First, serving since 1 January 2019" in response.text
    assert not Appointment.objects.filter(user=busaba).exists()


def _inline_management(page) -> dict:
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update({f"{fs.prefix}-{k}": v for k, v in fs.management_form.initial.items()})
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is not None:
                    data[f"{fs.prefix}-{i}-{name}"] = getattr(value, "pk", value)
    return data


def test_a_hand_over_that_would_overlap_a_later_term_is_refused(client, secretariat, first_term, busaba, anan):
    """Anan's term ended in 2020 and Busaba's began in 2021: handing Anan's over again is refused."""
    first_term.ends_on = D(2020, 12, 31)
    first_term.save()
    client.force_login(secretariat)
    response = client.post(
        f"/admin/cities/appointment/{first_term.pk}/hand-over/", {"successor": busaba.pk, "on": "2022-01-01"}
    )
    assert "This term ended before that day" in response.text
    response = client.post(
        f"/admin/cities/appointment/{first_term.pk}/hand-over/", {"successor": anan.pk, "on": "2020-06-01"}
    )
    assert "already holds this office" in response.text
    first_term.refresh_from_db()
    assert first_term.ends_on == D(2020, 12, 31)
    assert Appointment.objects.count() == 1 + Appointment.objects.exclude(pk=first_term.pk).count()
    assert not Appointment.objects.filter(user=busaba).exists()


def test_ending_terms_from_the_list_keeps_them_on_record(client, secretariat, first_term):
    client.force_login(secretariat)
    response = client.post(
        "/admin/cities/appointment/", {"action": "end_today", "_selected_action": [first_term.pk]}, follow=True
    )
    today = timezone.localdate()
    assert "1 term(s) ended" in response.text
    first_term.refresh_from_db()
    assert first_term.ends_on == today
    again = client.post(
        "/admin/cities/appointment/", {"action": "end_today", "_selected_action": [first_term.pk]}, follow=True
    )
    assert "This term already ended" in again.text


def test_the_admin_list_answers_who_served_on_a_day(client, secretariat, handed_over):
    client.force_login(secretariat)
    page = client.get("/admin/cities/appointment/?as_of=2021-06-30&role__exact=csco")
    rows = {str(a.user) for a in page.context["cl"].result_list}
    assert "Anan First" in rows and "Busaba Second" not in rows
    page = client.get("/admin/cities/appointment/?as_of=2021-07-01&role__exact=csco")
    rows = {str(a.user) for a in page.context["cl"].result_list}
    assert "Busaba Second" in rows and "Anan First" not in rows


def test_people_without_the_admin_cannot_hand_over(client, csco_cebu, first_term, busaba):
    client.force_login(csco_cebu)
    response = client.post(
        f"/admin/cities/appointment/{first_term.pk}/hand-over/", {"successor": busaba.pk, "on": "2021-07-01"}
    )
    assert response.status_code in (302, 403)
    first_term.refresh_from_db()
    assert first_term.ends_on is None
    assert not Appointment.objects.filter(user=busaba).exists()


def test_the_member_state_page_costs_the_same_for_more_cities_and_terms(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get("/member-states/TH/?as_of=2021-01-01").status_code == 200
