from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partners/recommended/", views.recommended, name="recommended"),
    path("projects/<int:pk>/interest/", views.express_interest, name="express_interest"),
    path("partnerships/pipeline/", views.pipeline, name="pipeline"),
    path("partnerships/finalised/<int:year>/", views.finalised, name="finalised"),
    path("partnerships/<int:pk>/move/<str:action>/", views.partnership_move, name="partnership_move"),
]
