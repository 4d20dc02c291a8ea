"""The domain's errors beyond Django's own, raised by services and translated once for each surface.

Services raise Django's `ValidationError` (bad input: 400 in the API, messages next to the fields
on a page), Django's `PermissionDenied` (403) and these: `Conflict` when a move does not apply to
the record as it is now (409), and `StaleVersion` when the caller's copy is older than the record
(409, with the current record so a page can show what changed). The API's translation is
`ascn_portal.api.exceptions.exception_handler`.
"""


class Conflict(Exception):
    """What was asked does not fit the record's current state; nothing was written."""

    def __init__(self, message: str = "The record changed since you read it; reload and try again."):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


class StaleVersion(Conflict):
    """The record changed since the caller read it (optimistic locking); nothing was written."""

    def __init__(self, current, sent: int | None = None):
        noun = current._meta.verbose_name
        message = f"This {noun} was saved by someone else since you read it"
        if sent is not None:
            message += f" (version {current.version} now, you sent {sent}). Read it again and reapply your change."
        else:
            message += "."
        super().__init__(message)
        self.current = current
        self.sent = sent
