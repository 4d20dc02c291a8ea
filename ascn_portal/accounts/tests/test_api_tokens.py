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
