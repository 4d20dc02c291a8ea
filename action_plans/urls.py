from django.urls import path

from . import views

app_name = "action_plans"

urlpatterns = [
    path("projects/<int:pk>/progress/", views.progress_report_new, name="progress_new"),
    path("cities/<slug:slug>/action-plans/new/", views.plan_create, name="plan_create"),
    path("action-plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("action-plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("action-plans/<int:pk>/validate/<str:what>/", views.validate, name="validate"),
    path("action-plans/<int:pk>/projects/new/", views.project_edit, name="project_new"),
    path("action-plans/<int:pk>/projects/<int:project_pk>/", views.project_edit, name="project_edit"),
    path("action-plans/<int:pk>/projects/<int:project_pk>/row/", views.project_row, name="project_row"),
    path("action-plans/<int:pk>/projects/<int:project_pk>/delete/", views.project_delete, name="project_delete"),
    path("action-plans/<int:pk>/move/<str:action>/", views.plan_move, name="plan_move"),
    path("action-plans/<int:pk>/documents/", views.attachment_upload, name="attachment_upload"),
    path("action-plans/<int:pk>/documents/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path(
        "action-plans/<int:pk>/documents/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"
    ),
    path("action-plans/<int:pk>/comments/", views.plan_comment, name="plan_comment"),
]
