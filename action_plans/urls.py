from django.urls import path

from ascn_portal import converters  # noqa: F401  <id:...> and <year:...>

from . import views

app_name = "action_plans"

urlpatterns = [
    path("cities/<slug:slug>/action-plans/new/", views.plan_create, name="plan_create"),
    path("action-plans/<id:pk>/", views.plan_detail, name="plan_detail"),
    path("action-plans/<id:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("action-plans/<id:pk>/validate/<str:what>/", views.validate, name="validate"),
    path("action-plans/<id:pk>/projects/new/", views.project_edit, name="project_new"),
    path("action-plans/<id:pk>/projects/<id:project_pk>/", views.project_edit, name="project_edit"),
    path("action-plans/<id:pk>/projects/<id:project_pk>/row/", views.project_row, name="project_row"),
    path("action-plans/<id:pk>/projects/<id:project_pk>/delete/", views.project_delete, name="project_delete"),
    path("action-plans/<id:pk>/move/<str:action>/", views.plan_move, name="plan_move"),
    path("action-plans/<id:pk>/documents/", views.attachment_upload, name="attachment_upload"),
    path("action-plans/<id:pk>/documents/<id:attachment_pk>/", views.attachment_download, name="attachment"),
    path(
        "action-plans/<id:pk>/documents/<id:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"
    ),
    path("action-plans/<id:pk>/comments/", views.plan_comment, name="plan_comment"),
]
