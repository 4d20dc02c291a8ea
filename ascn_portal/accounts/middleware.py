import zoneinfo

from django.utils import timezone


class UserTimeZoneMiddleware:
    """Show times in the signed-in person's time zone (Asia/Singapore unless they chose another)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = getattr(request.user, "time_zone", None) if request.user.is_authenticated else None
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone)) if zone else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)
