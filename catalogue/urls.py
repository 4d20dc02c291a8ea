from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/interest/", views.express_interest, name="express_interest"),
    path("partners/recommended/", views.recommended, name="recommended"),
]
