import datetime

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_partner_creates_uses_and_revokes_a_token(client, partner_contact, csco_bangkok):
    client.force_login(partner_contact)
    page = client.post("/accounts/tokens/", {"name": "Project sync", "days": 30})
    key = page.context["new_key"]
    assert page.status_code == 200 and key in page.content.decode() and page["Cache-Control"] == "no-store"
    token = AuthToken.objects.get(user=partner_contact)
    assert token.info.name == "Project sync" and token.info.last_used_at is None
    assert abs(token.expiry - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)
    assert key not in client.get("/accounts/tokens/").content.decode()  # shown once only

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/partnerships/").status_code == 200
    token.info.refresh_from_db()
    assert token.info.last_used_at is not None
    assert "Project sync" in client.get("/accounts/tokens/").content.decode()

    client.force_login(csco_bangkok)
    assert client.post(f"/accounts/tokens/{token.digest}/revoke/").status_code == 404  # not theirs
    assert api.get("/api/v1/partnerships/").status_code == 200
    client.force_login(partner_contact)
    assert client.post(f"/accounts/tokens/{token.digest}/revoke/").status_code == 302
    assert api.get("/api/v1/partnerships/").status_code == 401


def test_an_expired_token_is_refused(partner_contact):
    token, key = AuthToken.objects.create(partner_contact, expiry=datetime.timedelta(days=1))
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/partnerships/").status_code == 401


@pytest.mark.parametrize(("data", "message"), [({"name": "", "days": 30}, "This field is required"),
                                               ({"name": "X", "days": 400}, "less than or equal to 365"),
                                               ({"name": "X", "days": 0}, "greater than or equal to 1")])  # fmt: skip
def test_bad_token_input_creates_nothing(client, partner_contact, data, message):
    client.force_login(partner_contact)
    response = client.post("/accounts/tokens/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not AuthToken.objects.exists()


def test_signing_in_is_needed(client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_expired_token_is_deleted_when_presented_and_the_rest_by_the_daily_task(partner_contact):
    from ascn_portal.api.tasks import delete_expired_tokens

    past = timezone.now() - datetime.timedelta(seconds=1)
    used, used_key = AuthToken.objects.create(partner_contact, expiry=datetime.timedelta(days=1))
    idle, _ = AuthToken.objects.create(partner_contact, expiry=datetime.timedelta(days=1))
    live, live_key = AuthToken.objects.create(partner_contact, expiry=datetime.timedelta(days=1))
    AuthToken.objects.filter(pk__in=[used.pk, idle.pk]).update(expiry=past)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {used_key}")
    assert api.get("/api/v1/partnerships/").status_code == 401
    assert set(AuthToken.objects.values_list("pk", flat=True)) == {idle.pk, live.pk}
    assert delete_expired_tokens() == 1
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [live.pk]
    api.credentials(HTTP_AUTHORIZATION=f"Token {live_key}")
    assert api.get("/api/v1/partnerships/").status_code == 200


def test_a_token_request_reads_the_token_once_and_records_its_use_at_most_once_a_minute(
    partner_contact, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):  # other tokens of the same person are not read on each request
        AuthToken.objects.create(partner_contact, expiry=datetime.timedelta(days=1))
    token, key = AuthToken.objects.create(partner_contact, expiry=datetime.timedelta(days=1))
    from ascn_portal.accounts.models import ApiTokenInfo

    ApiTokenInfo.objects.create(token=token, name="Sync")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as first:
        assert api.get("/api/v1/focus-areas/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert api.get("/api/v1/focus-areas/").status_code == 200
    writes = [q["sql"] for q in first.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(writes) == 1 and not any(q["sql"].startswith("UPDATE") for q in second.captured_queries)
    assert sum("knox_authtoken" in q["sql"] for q in second.captured_queries) == 1
    assert ApiTokenInfo.objects.get(token=token).last_used_at is not None
