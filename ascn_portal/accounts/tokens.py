from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """One-time link to set a first password.

    Like a password reset token it dies once used (the password hash and last login change into
    the signature); it expires after INVITATION_TIMEOUT seconds rather than the reset timeout,
    and its own salt keeps the two kinds of link apart.
    """

    key_salt = "ascn_portal.accounts.InvitationTokenGenerator"

    def check_token(self, user, token):
        if user is None or not token:
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.INVITATION_TIMEOUT


invitation_token_generator = InvitationTokenGenerator()
