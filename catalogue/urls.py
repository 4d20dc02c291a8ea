from django.urls import path

from ascn_portal import converters  # noqa: F401  <id:...> and <year:...>

from . import views

app_name = "catalogue"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/<id:pk>/", views.project_detail, name="project_detail"),
    path("projects/<id:pk>/interest/", views.express_interest, name="express_interest"),
    path("partners/recommended/", views.recommended, name="recommended"),
]
