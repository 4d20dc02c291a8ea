from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("data/", views.index, name="index"),
    path("data/datapackage.json", views.datapackage, name="datapackage"),
    path("data/catalog.jsonld", views.dcat, name="dcat"),
    path("data/iati/activities.xml", views.iati_activities, name="iati_activities"),
    path("data/iati/activities-<str:code>.xml", views.iati_activities, name="iati_activities_of"),
    path("data/iati/organisation.xml", views.iati_organisation, name="iati_organisation"),
    path("data/<slug:slug>.<str:file_format>", views.download, name="download"),
]
