from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views import defaults

from cities import views as city_views
from partners import views as partner_views

from .health import health
from .site import views as site_views

admin.site.site_header = "ASCN Portal administration"
admin.site.site_title = "ASCN Portal"
admin.site.index_title = "Secretariat"

urlpatterns = [
    path("", site_views.home, name="home"),
    path("dashboard/", site_views.dashboard, name="dashboard"),
    path("", include("catalogue.urls")),
    path("", include("action_plans.urls")),
    path("cities/", include("cities.urls")),
    path("member-states/<str:code>/", city_views.member_state_detail, name="member_state_detail"),
    path("partners/", partner_views.partner_list, name="partner_list"),
    path("", include("partners.urls")),
    path("events/", include("events.urls")),
    path("", include("monitoring.urls")),
    path("", include("opendata.urls")),
    path("accounts/", include("ascn_portal.accounts.urls")),
    path("notifications/", include("ascn_portal.notifications.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/", include("ascn_portal.api_urls")),
]


def _is_api(request):
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    # Under /api/, ApiErrorsAsJsonMiddleware answers JSON, with debug on (which bypasses this) or off.
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "The server could not answer; the error has been logged."}, status=500)
    return defaults.server_error(request)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "You may not do this."}, status=403)
    return defaults.permission_denied(request, exception)


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error
