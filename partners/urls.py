from django.urls import path

from ascn_portal import converters  # noqa: F401  <id:...> and <year:...>

from . import views

app_name = "partners"

urlpatterns = [
    path("twinnings/", views.twinning_board, name="twinning_board"),
    path("partners/<slug:slug>/", views.partner_detail, name="partner_detail"),
    path("partners/<slug:slug>/profile/", views.partner_profile, name="partner_profile"),
    path("partnerships/pipeline/", views.pipeline, name="pipeline"),
    path("partnerships/finalised/<year:year>/", views.finalised, name="finalised"),
    path("partnerships/<id:pk>/move/<str:action>/", views.partnership_move, name="partnership_move"),
]
