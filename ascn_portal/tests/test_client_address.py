"""One reading of the client's address, for the rate limit and the sign-in lock-out alike: a forged
X-Forwarded-For buys nothing, and behind a proxy one client's failures lock out only that client."""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from ascn_portal.client_address import client_address

pytestmark = pytest.mark.django_db


def _request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("behind", "hops", "remote", "forwarded", "client"),
    [
        (False, 1, "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy: the header is a client's word
        (True, 1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),  # one proxy wrote the client's address
        (True, 1, "10.0.0.2", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # what the client wrote first is ignored
        (True, 2, "10.0.0.3", "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),  # two proxies, two entries
        (True, 2, "10.0.0.3", "198.51.100.7", "10.0.0.3"),  # fewer entries than hops: only the connection
        (True, 1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (True, 1, "10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_the_client_is_the_address_the_trusted_proxies_wrote(settings, behind, hops, remote, forwarded, client):
    settings.BEHIND_PROXY, settings.PROXY_HOPS = behind, hops
    assert client_address(_request(remote, forwarded)) == client


@pytest.fixture
def two_a_minute(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "100/min"})


def test_an_invented_forwarded_address_does_not_escape_the_rate_limit(two_a_minute, settings):
    settings.BEHIND_PROXY = False
    api = APIClient()
    statuses = [api.get("/api/v1/focus-areas/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
                for n in range(5)]  # fmt: skip
    assert statuses == [200, 200, 429, 429, 429]


def test_behind_a_proxy_each_client_has_its_own_allowance(two_a_minute, settings):
    settings.BEHIND_PROXY, settings.PROXY_HOPS = True, 1
    api = APIClient(REMOTE_ADDR="10.0.0.2")  # every request comes from the load balancer
    first = [api.get("/api/v1/focus-areas/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code for _ in range(3)]
    other = api.get("/api/v1/focus-areas/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
    forged = api.get("/api/v1/focus-areas/", HTTP_X_FORWARDED_FOR="7.7.7.7, 198.51.100.1").status_code
    assert first == [200, 200, 429] and other == 200 and forged == 429


def _fail(client, email, address):
    return client.post("/accounts/login/", {"username": email, "password": "wrong"}, REMOTE_ADDR="10.0.0.2",
                       HTTP_X_FORWARDED_FOR=address)  # fmt: skip


def test_behind_a_proxy_wrong_passwords_lock_out_that_account_from_that_address_only(
    client, settings, csco_bangkok, csco_cebu
):
    settings.BEHIND_PROXY, settings.PROXY_HOPS, settings.AXES_FAILURE_LIMIT = True, 1, 3
    for _ in range(3):
        _fail(client, csco_bangkok.email, "198.51.100.1")
    good = {"password": "a-Long-passw0rd!", "REMOTE_ADDR": "10.0.0.2"}
    locked = client.post("/accounts/login/", {"username": csco_bangkok.email, "password": good["password"]},
                         REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")  # fmt: skip
    assert locked.status_code == 429
    # The same account from the office next door, and a colleague behind the same balancer, sign in.
    elsewhere = client.post("/accounts/login/", {"username": csco_bangkok.email, "password": good["password"]},
                            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")  # fmt: skip
    assert elsewhere.status_code == 302
    client.logout()
    colleague = client.post("/accounts/login/", {"username": csco_cebu.email, "password": good["password"]},
                            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")  # fmt: skip
    assert colleague.status_code == 302
