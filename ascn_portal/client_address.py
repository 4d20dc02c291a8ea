"""The client's address, the one way the portal reads it: for the API's rate limit and the sign-in lock-out.

Without a proxy in front (`DJANGO_BEHIND_PROXY` off) it is the connection's address, and any
`X-Forwarded-For` a client sends is ignored. Behind proxies, each appends to `X-Forwarded-For` the
address it received the request from, so of that header only the last `DJANGO_PROXY_HOPS` entries
were written by proxies the portal trusts; the first of those is the client's address. Whatever a
client wrote before them is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    hops = settings.PROXY_HOPS
    if len(forwarded) < hops:  # the proxies did not write what they should: trust only the connection
        return remote
    return _valid(forwarded[-hops]) or remote
