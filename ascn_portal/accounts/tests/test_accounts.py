import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from ascn_portal.accounts.models import User
from ascn_portal.testing.outbox import deliver_pending
from cities.models import Appointment
from partners.models import PartnerContact

pytestmark = pytest.mark.django_db


def _invitation_path():
    deliver_pending()
    (message,) = mail.outbox
    return re.search(r"https?://[^/]+(/accounts/invitation/\S+/)", message.body).group(1)


def test_create_account_invites_a_csco_with_a_one_time_link(client):
    out = io.StringIO()
    call_command(
        "create_account",
        "Officer@Cebu.example",
        "--role",
        "csco",
        "--city",
        "cebu-city",
        "--name",
        "Carmen Officer",
        "--title",
        "City Administrator",
        stdout=out,
    )

    user = User.objects.get(email="officer@cebu.example")
    assert not user.has_usable_password() and user.invited_at
    assert Appointment.objects.get(user=user).city.slug == "cebu-city"
    assert "Invitation queued" in out.getvalue()
    path = _invitation_path()
    message = mail.outbox[0]
    assert message.to == ["officer@cebu.example"]
    assert "Chief Smart City Officer of Cebu City" in message.body
    assert message.alternatives and "Choose your password" in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    form_page = client.get(path, follow=True)
    assert "Welcome to the ASCN Portal" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "Smart-city-2026", "new_password2": "Smart-city-2026"}, follow=True
    )
    assert response.context["user"].email == "officer@cebu.example"  # signed in
    assert "Your password is set" in response.content.decode()

    client.logout()
    again = client.get(path, follow=True).content.decode()
    assert "This invitation no longer works" in again


def test_an_invitation_expires(client, settings):
    call_command("create_account", "late@example.org", "--role", "partner", "--partner", "japan", stdout=io.StringIO())
    settings.INVITATION_TIMEOUT = -1
    assert "This invitation no longer works" in client.get(_invitation_path(), follow=True).content.decode()


def test_a_password_reset_link_is_not_an_invitation(client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    call_command("create_account", "x@example.org", "--role", "partner", "--partner", "japan", stdout=io.StringIO())
    user = User.objects.get(email="x@example.org")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    page = client.get(f"/accounts/invitation/{uid}/{default_token_generator.make_token(user)}/", follow=True)
    assert "This invitation no longer works" in page.content.decode()


def test_create_account_with_a_password_from_stdin_sends_no_invitation(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Secretariat-pass-1\n"))
    call_command(
        "create_account", "staff@asean.example", "--role", "secretariat", "--password-stdin", stdout=io.StringIO()
    )
    user = User.objects.get(email="staff@asean.example")
    assert user.check_password("Secretariat-pass-1") and user.is_staff and user.is_secretariat
    assert mail.outbox == []


def test_create_account_refuses_a_second_csco_and_writes_nothing():
    call_command("create_account", "first@bkk.example", "--role", "csco", "--city", "bangkok", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already has a Chief Smart City Officer"):
        call_command(
            "create_account", "second@bkk.example", "--role", "csco", "--city", "bangkok", stdout=io.StringIO()
        )
    assert not User.objects.filter(email="second@bkk.example").exists()
    deliver_pending()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "csco"], "needs a city"),
        (["--role", "nr", "--member-state", "XX"], "no member state 'XX'"),
        (["--role", "city_team", "--city", "atlantis"], "no city 'atlantis'"),
        (["--role", "partner", "--partner", "acme"], "no partner 'acme'"),
    ],
)
def test_create_account_explains_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_account", "bad@example.org", *args, stdout=io.StringIO())
    assert not User.objects.filter(email="bad@example.org").exists()


def test_create_account_refuses_a_weak_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("12345678\n"))
    with pytest.raises(CommandError, match="too short|too common|entirely numeric"):
        call_command(
            "create_account", "weak@example.org", "--role", "secretariat", "--password-stdin", stdout=io.StringIO()
        )
    assert not User.objects.filter(email="weak@example.org").exists()


def test_create_account_adds_an_office_to_an_existing_person(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Phuket-team-2026\n"))
    call_command(
        "create_account",
        "both@example.org",
        "--role",
        "city_team",
        "--city",
        "phuket",
        "--password-stdin",
        stdout=io.StringIO(),
    )
    call_command("create_account", "both@example.org", "--role", "partner", "--partner", "canada", stdout=io.StringIO())
    user = User.objects.get(email="both@example.org")
    assert user.appointments.count() == 1 and PartnerContact.objects.filter(user=user).count() == 1
    assert [n.message.kind for n in user.notifications.all()] == ["account.appointed"]
    deliver_pending()
    assert mail.outbox[-1].subject == "You are now contact of Canada"


def test_create_api_token_prints_a_working_token_once(partner_contact):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "CONTACT@japan.example", "--days", "30", stdout=out, stderr=err)
    token = out.getvalue().strip()
    instance = AuthToken.objects.get(user=partner_contact)
    assert token not in instance.digest and "shown only this once" in err.getvalue()
    assert datetime.timedelta(days=29) < instance.expiry - instance.created <= datetime.timedelta(days=30)

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/partners/japan/").json()["contacts"][0]["email"] == "contact@japan.example"


def test_create_api_token_refuses_unknown_and_inactive_accounts(outsider):
    with pytest.raises(CommandError, match="No account"):
        call_command("create_api_token", "nobody@example.org", stdout=io.StringIO())
    outsider.is_active = False
    outsider.save()
    with pytest.raises(CommandError, match="not an active account"):
        call_command("create_api_token", outsider.email, stdout=io.StringIO())
    with pytest.raises(CommandError, match="between 1 and 3650"):
        call_command("create_api_token", outsider.email, "--days", "0", stdout=io.StringIO())
    assert not AuthToken.objects.exists()


def test_login_by_email_in_any_case_and_logout(client, csco_bangkok):
    response = client.post("/accounts/login/", {"username": "CSCO@Bangkok.example", "password": "a-Long-passw0rd!"})
    assert response.status_code == 302
    assert client.get("/").context["user"] == csco_bangkok
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_a_wrong_password_is_refused_with_a_message(client, csco_bangkok):
    response = client.post("/accounts/login/", {"username": "csco@bangkok.example", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()


def test_repeated_failures_lock_the_account_out(client, csco_bangkok, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "csco@bangkok.example", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "csco@bangkok.example", "password": "a-Long-passw0rd!"})
    assert response.status_code == 429
    assert not client.get("/").context["user"].is_authenticated


def test_password_reset_sends_a_link_that_works(client, csco_bangkok):
    client.post("/accounts/password_reset/", {"email": "csco@bangkok.example"})
    (message,) = mail.outbox
    path = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(path, follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Another-pass-22", "new_password2": "Another-pass-22"}
    )
    assert response.status_code == 302
    csco_bangkok.refresh_from_db()
    assert csco_bangkok.check_password("Another-pass-22")


def test_password_change_needs_the_old_password(client, csco_bangkok):
    client.force_login(csco_bangkok)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "nope",
            "new_password1": "Another-pass-22",
            "new_password2": "Another-pass-22",
        },
    )
    assert response.status_code == 200 and "Your old password was entered incorrectly" in response.content.decode()
    csco_bangkok.refresh_from_db()
    assert csco_bangkok.check_password("a-Long-passw0rd!")


@pytest.mark.parametrize(
    "args",
    [["--role", "csco", "--city", "bangkok"], ["--role", "nr", "--member-state", "th"],
     ["--role", "partner", "--partner", "japan"], ["--role", "secretariat"]],
)  # fmt: skip
def test_create_account_run_twice_says_the_office_is_held_and_changes_nothing(args):
    from ascn_portal.notifications.models import Notification

    first = io.StringIO()
    call_command("create_account", "twice@example.org", *args, "--name", "Tan Twice", stdout=first)
    assert "account ready" in first.getvalue()
    before = (User.objects.count(), Notification.objects.count())
    again = io.StringIO()
    call_command("create_account", "twice@example.org", *args, "--name", "Tan Twice", stdout=again)
    assert "already holds this office" in again.getvalue() and "nothing changed" in again.getvalue()
    assert (User.objects.count(), Notification.objects.count()) == before
