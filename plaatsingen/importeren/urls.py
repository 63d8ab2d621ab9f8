from django.urls import path

from . import views

app_name = "importeren"

urlpatterns = [
    path("", views.overzicht, name="index"),
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/bevestigen/", views.bevestigen, name="bevestigen"),
    path("<int:pk>/fouten.csv", views.fouten_csv, name="fouten_csv"),
    path("<int:pk>/opnieuw/", views.opnieuw, name="opnieuw"),
]
