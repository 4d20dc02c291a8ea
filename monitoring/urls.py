from django.urls import path

from ascn_portal import converters  # noqa: F401  <id:...> and <year:...>

from . import reports, views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.round_current, name="current"),
    path("monitoring/open/", views.round_open, name="open"),
    path("monitoring/<year:year>/", views.rollup_page, name="rollup"),
    path("monitoring/<year:year>/cities/", views.round_detail, name="round"),
    path("monitoring/<year:year>/cities/<slug:slug>/", views.city_report, name="city_report"),
    path("monitoring/<year:year>/cities/<slug:slug>/template.xlsx", views.city_template, name="city_template"),
    path("monitoring/<year:year>/cities/<slug:slug>/<str:action>/", views.city_report_move, name="city_report_move"),
    path("monitoring/<year:year>/cities/<slug:slug>/projects/<id:pk>/", views.project_report, name="project_report"),
    path("projects/<id:pk>/progress/", views.progress_report_page, name="progress"),
    path("reports/<year:year>/", reports.report_page, name="report"),
]
