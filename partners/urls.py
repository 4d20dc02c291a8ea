from django.urls import path

from ascn_portal import converters  # noqa: F401  <id:...> and <year:...>

from . import views

app_name = "partners"

urlpatterns = [
    path("partnerships/pipeline/", views.pipeline, name="pipeline"),
    path("partnerships/finalised/<year:year>/", views.finalised, name="finalised"),
    path("partnerships/<id:pk>/move/<str:action>/", views.partnership_move, name="partnership_move"),
]
