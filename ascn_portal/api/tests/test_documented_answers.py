"""The API answers as its documentation says where Django or DRF would answer otherwise."""

import re

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


def _schema():
    return APIClient().get("/api/schema/?format=json").json()


def _declared(schema, method: str, path: str) -> dict:
    """The responses the schema declares for the operation that serves `method path`."""
    for template, operations in schema["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]["responses"]
    raise AssertionError(f"The schema has no operation for {method} {path}")


def assert_documented(schema, response):
    """The answer's status is one the schema declares for its operation, with the headers it says it has."""
    request = response.wsgi_request
    declared = _declared(schema, request.method, request.path)
    status = str(response.status_code)
    assert status in declared, f"{request.method} {request.path} answered {status}; documented: {sorted(declared)}"
    for header, spec in declared[status].get("headers", {}).items():
        assert not spec.get("required") or response.has_header(header), f"{status} without its {header}"


def test_a_second_expression_of_interest_is_a_409_as_documented_and_writes_nothing(partner_contact):
    from action_plans.choices import PlanState
    from action_plans.tests.factories import draft_plan, project
    from partners.models import PartnershipTransition, ProjectPartnership

    published = project(draft_plan(state=PlanState.APPROVED), title="Flood early warning")
    api = APIClient()
    api.force_authenticate(partner_contact)
    body = {"project": published.pk, "support_type": "financing", "message": "Keen."}
    first = api.post("/api/v1/partnerships/", body, format="json")
    before = list(ProjectPartnership.objects.values()), PartnershipTransition.objects.count()
    again = api.post("/api/v1/partnerships/", {**body, "message": "Still keen."}, format="json")
    assert first.status_code == 201 and again.status_code == 409, again.content
    assert "already has a live partnership" in again.json()["detail"]
    assert (list(ProjectPartnership.objects.values()), PartnershipTransition.objects.count()) == before
    schema = _schema()
    for response in (first, again):
        assert_documented(schema, response)


def test_recommendations_ask_an_anonymous_caller_to_sign_in_with_a_401_and_its_challenge(outsider, partner_contact):
    schema = _schema()
    for params in ({"recommended": "true"}, {"recommended": "1", "format": "csv"},
                   {"recommended": "true", "updated_since": "2026-01-01T00:00:00Z"}):  # fmt: skip
        anonymous = APIClient().get("/api/v1/projects/", params)
        assert anonymous.status_code == 401, (params, anonymous.content)
        assert anonymous["WWW-Authenticate"] == "Token"
        assert "sign in with a partner's token" in anonymous.content.decode()  # in JSON, or as a CSV row
        assert_documented(schema, anonymous)
    signed_in = APIClient()
    signed_in.force_authenticate(outsider)  # signed in, but for no partner: forbidden, not unknown
    forbidden = signed_in.get("/api/v1/projects/", {"recommended": "true"})
    assert forbidden.status_code == 403 and not forbidden.has_header("WWW-Authenticate")
    assert_documented(schema, forbidden)
    signed_in.force_authenticate(partner_contact)
    assert_documented(schema, signed_in.get("/api/v1/projects/", {"recommended": "true"}))


def test_every_401_the_schema_declares_carries_the_sign_in_challenge():
    schema = _schema()
    operations = [op for ops in schema["paths"].values() for op in ops.values() if "responses" in op]
    assert operations
    for operation in operations:
        assert operation["responses"]["401"]["headers"]["WWW-Authenticate"]["required"] is True


def test_the_schema_says_numbered_pages_may_repeat_or_skip_a_row_and_cursor_walks_do_not():
    schema = _schema()
    lists = {
        path: ops["get"] for path, ops in schema["paths"].items()
        if "get" in ops and any(p["name"] == "page" for p in ops["get"].get("parameters", []))
    }  # fmt: skip
    assert "/api/v1/projects/" in lists and "/api/v1/cities/" in lists
    for path, operation in lists.items():
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert "twice" in parameters["page"]["description"] and "skipped" in parameters["page"]["description"]
        assert "twice" in operation["description"] and "skipped" in operation["description"], path
        if "cursor" in parameters:
            assert "none is skipped" in parameters["cursor"]["description"]
            assert "give each row once" in operation["description"], path
    assert "cursor" in {p["name"] for p in lists["/api/v1/partnerships/"]["parameters"]}


def test_the_request_schema_refuses_in_text_what_the_server_refuses(partner_contact):
    """A NUL in a company's name is a 400, and the schema says so; a country keeps its own pattern."""
    from action_plans.choices import PlanState
    from action_plans.tests.factories import draft_plan, project
    from partners.models import ProjectPartnership

    schema = _schema()["components"]["schemas"]
    member = schema["ConsortiumMemberRequest"]["properties"]
    assert member["country"]["pattern"] == "^[A-Z]{2}$"
    company = re.compile(member["company"]["pattern"])
    assert company.search("Hitachi") and not company.search("Hit\x00achi") and not company.search("  ")
    message = re.compile(schema["PartnershipCreateRequest"]["properties"]["message"]["oneOf"][0]["pattern"])
    assert message.search("Keen.") and not message.search("Ke\x00en.")

    published = project(draft_plan(state=PlanState.APPROVED), title="Flood early warning")
    api = APIClient()
    api.force_authenticate(partner_contact)
    body = {"project": published.pk, "support_type": "financing",
            "consortium": [{"company": "Hit\x00achi", "country": "JP", "is_lead": True}]}  # fmt: skip
    refused = api.post("/api/v1/partnerships/", body, format="json")
    assert refused.status_code == 400 and "consortium" in refused.json()
    assert not ProjectPartnership.objects.exists()


def test_an_empty_format_is_documented_as_the_default_it_answers():
    parameters = {p["name"]: p for p in _schema()["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    assert parameters["format"]["schema"]["enum"] == ["", "csv", "json"]
    response = APIClient().get("/api/v1/projects/", {"format": ""})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
