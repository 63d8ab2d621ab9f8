from django.urls import path

from . import views

app_name = "coalitie"

urlpatterns = [
    path("privacy/", views.privacy_zoeken, name="privacy_zoeken"),
    path("privacy/leerlingen/<int:pk>/log/", views.leerling_log, name="leerling_log"),
    path("privacy/leerlingen/<int:pk>/log.csv", views.leerling_log_csv, name="leerling_log_csv"),
]
