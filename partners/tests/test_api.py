import pytest
from rest_framework.test import APIClient

from cities.models import FocusArea, MemberState
from partners.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_partners_filter_by_kind_country_focus_area_and_member_state(api):
    japan = Partner.objects.get(slug="japan")
    japan.focus_areas.add(FocusArea.objects.get(slug="built-infrastructure"))
    japan.member_states.add(MemberState.objects.get(code="TH"))
    japan.support_types = ["financing"]
    japan.save()

    assert api.get("/api/v1/partners/", {"kind": "sectoral_dialogue"}).json()["count"] == 4
    by_country = api.get("/api/v1/partners/", {"country": "jp"}).json()["results"]
    assert [p["slug"] for p in by_country] == ["city-of-yokohama", "japan"]  # Chonburi's twin is a Japanese city
    for params in ({"focus_area": "built-infrastructure"}, {"member_state": "TH"}, {"support_type": "financing"}):
        assert [p["slug"] for p in api.get("/api/v1/partners/", params).json()["results"]] == ["japan"], params
    body = api.get("/api/v1/partners/japan/").json()
    assert body["organisation_type"] == "10" and body["focus_areas"] == ["built-infrastructure"]


def test_the_european_union_has_no_country(api):
    assert api.get("/api/v1/partners/european-union/").json()["country"] == ""


@pytest.mark.parametrize(
    "params", [{"kind": "friend"}, {"focus_area": "nope"}, {"member_state": "ZZ"}, {"country": "JPN"}]
)
def test_bad_partner_filters_answer_400(api, params):
    response = api.get("/api/v1/partners/", params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_retired_partners_are_hidden_from_the_public_but_not_the_secretariat(api, secretariat):
    Partner.objects.filter(slug="russia").update(is_active=False)
    assert api.get("/api/v1/partners/russia/").status_code == 404
    assert api.get("/api/v1/partners/").json()["count"] == 16  # the 15 external partners and 2 twins, less Russia
    api.force_authenticate(secretariat)
    assert api.get("/api/v1/partners/russia/").status_code == 200


def test_partner_list_queries_do_not_grow(api, django_assert_max_num_queries):
    # count, partners, focus areas, member states, current contacts with users, active twinnings with cities
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/partners/", {"page_size": 100}).status_code == 200
