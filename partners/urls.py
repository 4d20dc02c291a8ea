from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partnerships/pipeline/", views.pipeline, name="pipeline"),
    path("partnerships/finalised/<int:year>/", views.finalised, name="finalised"),
    path("partnerships/<int:pk>/move/<str:action>/", views.partnership_move, name="partnership_move"),
]
