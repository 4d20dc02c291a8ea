import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from cities.choices import AppointmentRole
from cities.models import Appointment, City
from cities.tests.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_api_root_lists_the_resources(api):
    body = api.get("/api/v1/").json()
    assert {"member-states", "cities", "focus-areas", "partners"} <= set(body)


def test_cities_filter_by_joined_year_gives_the_pilots(api):
    body = api.get("/api/v1/cities/", {"joined_year": 2018, "page_size": 100}).json()
    assert body["count"] == 26
    assert {c["joined_year"] for c in body["results"]} == {2018}


def test_cities_filter_by_member_state_and_text(api):
    body = api.get("/api/v1/cities/", {"member_state": "TH"}).json()
    assert {c["slug"] for c in body["results"]} == {
        "bangkok",
        "chonburi",
        "phuket",
        "chiang-mai",
        "khon-kaen",
        "rayong",
    }
    body = api.get("/api/v1/cities/", {"q": "jakarta"}).json()
    assert [c["slug"] for c in body["results"]] == ["jakarta"]
    body = api.get("/api/v1/cities/", {"network": "c40", "ordering": "-name"}).json()
    assert [c["slug"] for c in body["results"]] == ["singapore", "ho-chi-minh-city", "ha-noi", "jakarta", "bangkok"]


def test_city_detail_by_slug(api):
    body = api.get("/api/v1/cities/da-nang/").json()
    assert body["name"] == "Da Nang City"
    assert body["member_state"] == "VN"
    assert body["latitude"] == 16.0544
    assert body["networks"] == [{"acronym": "WeGO", "name": "World Smart Sustainable Cities Organization", "note": ""}]
    assert body["web_url"].endswith("/cities/da-nang/")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"member_state": "XX"}, "member_state"),
        ({"joined_year": "soon"}, "joined_year"),
        ({"kind": "metropolis"}, "kind"),
        ({"q": "bang\x00kok"}, "q"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "many"}, "page_size"),
        ({"page": ""}, "page"),
        ({"page": "first"}, "page"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_filter_values_answer_400_naming_the_field(api, params, field):
    response = api.get("/api/v1/cities/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()


def test_unknown_records_and_routes_answer_json_404(api):
    for path in [
        "/api/v1/cities/atlantis/",
        "/api/v1/member-states/XX/",
        "/api/v1/nothing/",
        "/api/v1/cities/?page=99",
    ]:
        response = api.get(path)
        assert response.status_code == 404, path
        assert "detail" in response.json()


def test_member_state_lookup_ignores_case_and_counts_cities(api):
    body = api.get("/api/v1/member-states/th/").json()
    assert body["code"] == "TH" and body["city_count"] == 6 and body["pilot_city_count"] == 3


def test_writes_are_refused_on_read_only_resources(api, secretariat):
    api.force_authenticate(secretariat)
    response = api.post("/api/v1/cities/", {"name": "X"}, format="json")
    assert response.status_code == 405
    assert City.objects.count() == 31


def test_page_size_is_capped_at_500(api):
    CityFactory.create_batch(480)
    body = api.get("/api/v1/cities/", {"page_size": 10000}).json()
    assert len(body["results"]) == 500 and body["next"]


def test_pagination_links(api):
    body = api.get("/api/v1/cities/", {"page_size": 10, "page": 2}).json()
    assert body["count"] == 31 and len(body["results"]) == 10
    assert "page=3" in body["next"] and body["previous"]


def _with_csco(city, n):
    from ascn_portal.accounts.models import User

    user = User.objects.create_user(f"csco{n}@example.org", full_name=f"Officer {n}")
    Appointment.objects.create(user=user, role=AppointmentRole.CSCO, city=city, title="CSCO")


def test_city_list_queries_do_not_grow_with_page_size(api):
    for n, city in enumerate(CityFactory.create_batch(60)):
        _with_csco(city, n)

    def queries(size):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/cities/", {"page_size": size}).status_code == 200
        return len(ctx)

    small, large = queries(2), queries(90)
    assert small == large
    # count, cities with member state, network memberships with networks, serving CSCOs with users
    assert 0 < large <= 5


def test_contact_details_only_for_network_members(api, csco_bangkok, outsider):
    def csco():
        return api.get("/api/v1/cities/bangkok/").json()["chief_smart_city_officer"]

    assert csco() == {
        "name": "Busaba Officer",
        "title": "Director, Smart City Office",
        "since": str(timezone.localdate()),
        "until": None,
    }
    api.force_authenticate(outsider)
    assert "email" not in csco()
    api.force_authenticate(csco_bangkok)
    assert csco()["email"] == "csco@bangkok.example"


def test_token_authentication_accepts_a_valid_token_and_refuses_others(api, partner_contact):
    _, token = AuthToken.objects.create(user=partner_contact, expiry=datetime.timedelta(days=1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/partners/japan/").json()["contacts"][0]["email"] == "contact@japan.example"

    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/cities/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_an_expired_or_revoked_token_is_refused(api, partner_contact):
    instance, token = AuthToken.objects.create(user=partner_contact, expiry=datetime.timedelta(days=1))
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/cities/").status_code == 401

    instance, token = AuthToken.objects.create(user=partner_contact, expiry=datetime.timedelta(days=1))
    instance.delete()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/cities/").status_code == 401


def test_tokens_are_stored_hashed(partner_contact):
    instance, token = AuthToken.objects.create(user=partner_contact, expiry=datetime.timedelta(days=1))
    stored = AuthToken.objects.filter(pk=instance.pk).values_list("digest", flat=True).get()
    assert token not in stored and len(stored) == 128


def test_anonymous_clients_are_throttled_with_a_json_429(api, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min"})
    statuses = [api.get("/api/v1/focus-areas/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/focus-areas/")
    assert "throttled" in response.json()["detail"].lower() and int(response["Retry-After"]) > 0


def test_signed_in_clients_have_their_own_larger_allowance(api, monkeypatch, outsider):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/min", "user": "3/min"})
    api.force_authenticate(outsider)
    assert [api.get("/api/v1/focus-areas/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_framework_resources(api):
    areas = api.get("/api/v1/focus-areas/").json()["results"]
    assert [a["slug"] for a in areas][:2] == ["civic-and-social", "health-and-well-being"] and len(areas) == 6
    assert api.get("/api/v1/strategic-outcomes/").json()["count"] == 3


def test_schema_and_docs_are_served_locally(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/cities/" in schema["paths"]
    assert "400" in schema["paths"]["/api/v1/cities/"]["get"]["responses"]
    docs = api.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "https://" not in docs


@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_city_list_items_are_what_the_city_serializer_writes(reader, csco_bangkok, secretariat):
    """The list writes plain dicts (`city_list_items`); `CitySerializer` is its schema and the detail's
    writer: the two give the same items, contact details included only for members."""
    import json

    from django.contrib.auth.models import AnonymousUser
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from ascn_portal.api.renderers import JSONRenderer
    from cities import selectors
    from cities.api.serializers import CitySerializer, city_list_items, city_values
    from cities.models import CityNetwork, CityNetworkMembership

    bangkok = City.objects.get(slug="bangkok")
    network = CityNetwork.objects.first() or CityNetwork.objects.create(name="Test network", acronym="TN", slug="tn")
    CityNetworkMembership.objects.get_or_create(city=bangkok, network=network, defaults={"note": "=member"})
    request = Request(APIRequestFactory().get("/api/v1/cities/", HTTP_HOST="testserver"))
    request.user = secretariat if reader == "member" else AnonymousUser()
    cities = list(selectors.cities_visible_to(request.user).order_by("name"))
    expected = CitySerializer(cities, many=True, context={"request": request}).data
    written = city_list_items(list(city_values(selectors.cities_visible_to(request.user).order_by("name"))),
                              {"request": request})  # fmt: skip
    as_json = lambda data: json.loads(JSONRenderer().render(data))  # noqa: E731  as a client reads them
    assert as_json(expected) == as_json(written)
    found = next(item for item in written if item["slug"] == "bangkok")
    assert found["chief_smart_city_officer"]["name"] == "Busaba Officer"
    assert ("email" in found["chief_smart_city_officer"]) is (reader == "member")
    assert found["web_url"] == "http://testserver/cities/bangkok/"


def test_the_city_list_costs_the_same_queries_for_500(api, django_assert_max_num_queries):
    CityFactory.create_batch(60)
    with django_assert_max_num_queries(6):
        body = api.get("/api/v1/cities/", {"page_size": 500}).json()
    assert len(body["results"]) == body["count"] > 60
