"""Token authentication that remembers when each token was last used (at most one write a minute).

Each process remembers when it last recorded a token's use, so a program polling every second
costs no write on most requests. knox would also read all of the user's other tokens on every
request to delete the expired ones; here only the token presented is checked, and expired
tokens are deleted by the daily `api.delete_expired_tokens`.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from knox.auth import TokenAuthentication

from ascn_portal.accounts.models import ApiTokenInfo

LAST_USE_PRECISION = datetime.timedelta(minutes=1)


_recorded: dict[str, datetime.datetime] = {}  # token -> when this process last recorded its use


class TrackedTokenAuthentication(TokenAuthentication):
    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        last = _recorded.get(token.pk)
        if last is None or now - last >= LAST_USE_PRECISION:
            stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_PRECISION)
            ApiTokenInfo.objects.filter(stale, token_id=token.pk).update(last_used_at=now)
            _recorded[token.pk] = now
        return user, token

    def _cleanup_token(self, auth_token) -> bool:
        """True (and the token deleted) when the token presented has expired."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
