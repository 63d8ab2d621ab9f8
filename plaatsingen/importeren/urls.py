from django.urls import path

from . import profiel_views, views

app_name = "importeren"

urlpatterns = [
    path("", views.overzicht, name="index"),
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/bevestigen/", views.bevestigen, name="bevestigen"),
    path("<int:pk>/fouten.csv", views.fouten_csv, name="fouten_csv"),
    path("<int:pk>/opnieuw/", views.opnieuw, name="opnieuw"),
    path("profielen/", profiel_views.profielen, name="profielen"),
    path("profielen/upload/", profiel_views.profiel_upload, name="profiel_upload"),
    path("profielen/nieuw/", profiel_views.profiel, name="profiel_nieuw"),
    path("profielen/<int:pk>/", profiel_views.profiel, name="profiel"),
    path("profielen/<int:pk>/profiel.json", profiel_views.profiel_json, name="profiel_json"),
]
