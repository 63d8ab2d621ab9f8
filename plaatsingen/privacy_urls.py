from django.urls import path

from . import privacy_nen7513
from . import privacy_views as views

# The namespace is still "coalitie" (where these pages started), so every link keeps its name.
app_name = "coalitie"

urlpatterns = [
    path("privacy/", views.privacy_zoeken, name="privacy_zoeken"),
    path("privacy/leerlingen/<int:pk>/log/", views.leerling_log, name="leerling_log"),
    path("privacy/leerlingen/<int:pk>/log.csv", views.leerling_log_csv, name="leerling_log_csv"),
    path(
        "privacy/leerlingen/<int:pk>/log-nen7513.csv",
        privacy_nen7513.leerling_log_nen7513,
        name="leerling_log_nen7513",
    ),
]
