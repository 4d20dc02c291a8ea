from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("data/", views.index, name="index"),
    path("data/<slug:slug>.<str:file_format>", views.download, name="download"),
]
