import pytest
from django.urls import reverse

from cities.tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_network_at_a_glance(client):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="city-count">31<' in page
    assert 'data-testid="state-count">10<' in page
    assert 'data-testid="count-TH">6<' in page
    assert page.count('class="city-dot') == 31
    assert "asean-region.svg" in page


def test_home_names_the_ascn_chair_of_the_year(client, settings):
    from django.utils import timezone

    from ascn_portal.accounts.services import account_create
    from cities.models import Chairmanship, MemberState

    year = timezone.localdate().year
    Chairmanship.objects.update_or_create(year=year, defaults={"member_state": MemberState.objects.get(code="PH")})
    account_create(
        email="nr@ph.example",
        role="nr",
        full_name="Paz Representative",
        member_state=MemberState.objects.get(code="PH"),
    )
    page = client.get("/").content.decode()
    assert f"chairs ASEAN in {year}; the ASCN chair is Paz Representative" in page


def test_pages_carry_a_strict_content_security_policy_and_no_third_party_assets(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    page = response.content.decode()
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_city_list_filters_by_member_state_and_search(client):
    page = client.get("/cities/", {"member_state": "VN"}).content.decode()
    assert 'data-testid="result-count">\n    3 cities' in page
    assert "Da Nang City" in page and "Bangkok" not in page
    page = client.get("/cities/", {"q": "penh"}).content.decode()
    assert "Phnom Penh" in page and "1 city" in page


def test_city_list_with_a_bad_filter_says_what_is_wrong(client):
    response = client.get("/cities/", {"member_state": "XX", "joined_year": "soon"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page and "Enter a whole number" in page


def test_city_list_answers_htmx_with_the_results_only(client):
    response = client.get("/cities/", {"member_state": "SG"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "Singapore" in page


def test_city_list_queries_do_not_grow_with_cities(client, django_assert_max_num_queries):
    CityFactory.create_batch(40)
    # session-free anonymous page: cities count, cities page, memberships, CSCOs, member states for the form
    with django_assert_max_num_queries(6):
        assert client.get("/cities/").status_code == 200


def test_city_page_shows_people_with_contacts_for_members_only(client, csco_bangkok, nr_thailand, outsider):
    page = client.get("/cities/bangkok/").content.decode()
    assert "Busaba Officer" in page and "Director, Smart City Office" in page
    assert "Niran Representative" in page
    assert "csco@bangkok.example" not in page and "nr.th@example.org" not in page
    assert "Contact details are shown to signed-in members" in page

    client.force_login(outsider)
    assert "csco@bangkok.example" not in client.get("/cities/bangkok/").content.decode()

    client.force_login(nr_thailand)
    page = client.get("/cities/bangkok/").content.decode()
    assert "csco@bangkok.example" in page


def test_city_page_lists_networks_and_past_officers(client, csco_bangkok):
    import datetime

    from cities.models import Appointment

    Appointment.objects.filter(user=csco_bangkok).update(
        starts_on=datetime.date(2018, 1, 1), ends_on=datetime.date(2022, 12, 31)
    )
    page = client.get("/cities/bangkok/").content.decode()
    assert "C40" in page and "UCLG" in page and "World Council seat" in page
    assert "Other officers, past and future (1)" in page
    assert "<td>Busaba Officer</td>" in page and "Chief Smart City Officer (Director, Smart City Office)" in page
    assert "1 Jan 2018" in page and "31 Dec 2022" in page


def test_unknown_city_is_a_404(client):
    assert client.get("/cities/atlantis/").status_code == 404
    assert client.get(reverse("cities:city_detail", kwargs={"slug": "atlantis"})).status_code == 404
