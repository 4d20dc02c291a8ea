"""Token authentication that remembers when each token was last used (at most one write a minute)."""

import datetime

from django.db.models import Q
from django.utils import timezone
from knox.auth import TokenAuthentication

from ascn_portal.accounts.models import ApiTokenInfo

LAST_USE_PRECISION = datetime.timedelta(minutes=1)


class TrackedTokenAuthentication(TokenAuthentication):
    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_PRECISION)
        ApiTokenInfo.objects.filter(stale, token_id=token.pk).update(last_used_at=now)
        return user, token
