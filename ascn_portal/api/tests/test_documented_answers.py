"""The API answers as its documentation says where Django or DRF would answer otherwise."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/v1/projects/abc/", "/api/v1/nothing-here/", "/api/v1/cities/x/y/z/"])
def test_a_path_that_matches_no_route_is_a_json_404_with_debug_on_or_off(settings, debug, path):
    settings.DEBUG = debug
    response = APIClient().get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/partnerships/", {"project": 1, "support_type": "financing"}),
        ("get", "/api/v1/partnerships/", None),
        ("post", "/api/v1/events/ascn-annual-meeting-2018/register/", {}),
        ("get", "/api/v1/events/ascn-annual-meeting-2018/registrations/", None),
    ],
)
def test_an_anonymous_call_of_what_needs_a_sign_in_is_a_401_with_its_challenge(method, path, body):
    response = getattr(APIClient(), method)(path, body, format="json") if body is not None else APIClient().get(path)
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("ordering", ["colour", "-colour", "title,colour", " title", "title,"])
def test_an_unknown_ordering_is_a_400_naming_it(ordering):
    response = APIClient().get("/api/v1/projects/", {"ordering": ordering})
    assert response.status_code == 400 and "ordering" in response.json()
    assert "choose from estimated_cost_usd, title, starts_on, updated_at" in response.json()["ordering"][0]


def test_known_orderings_and_the_empty_one_are_taken():
    for ordering in ("title", "-updated_at,title", ""):
        assert APIClient().get("/api/v1/projects/", {"ordering": ordering}).status_code == 200


def test_the_schema_names_the_values_a_filter_takes():
    schema = APIClient().get("/api/schema/?format=json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    assert "TH" in parameters["member_state"]["enum"] and "bangkok" in parameters["city"]["enum"]
    assert "quality-environment" in parameters["focus_area"]["enum"]
    assert parameters["ordering"]["pattern"].startswith("^(-?(estimated_cost_usd|title")
    responses = schema["paths"]["/api/v1/partnerships/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "409", "413", "422", "429"} <= set(responses)


@pytest.mark.parametrize("value", ["0.0", "2018.0", "1e3", "12a"])
def test_a_whole_number_filter_takes_digits_only(value):
    response = APIClient().get("/api/v1/cities/", {"joined_year": value})
    assert response.status_code == 400 and "joined_year" in response.json()
