from django.urls import path

from ascn_portal import converters  # noqa: F401  <id:...> and <year:...>

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/calendar.ics", views.event_calendar, name="event_calendar"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/delegation/", views.register_delegation, name="register_delegation"),
    path("<slug:slug>/registrations/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/check-in/", views.check_in, name="check_in"),
    path("<slug:slug>/check-in/<id:pk>/", views.check_in_mark, name="check_in_mark"),
]
