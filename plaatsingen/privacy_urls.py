from django.urls import path

from coalitie import meldingen_views

from . import privacy_nen7513
from . import privacy_views as views

# The namespace is still "coalitie" (where these pages started), so every link keeps its name.
app_name = "coalitie"

urlpatterns = [
    path("privacy/", views.privacy_zoeken, name="privacy_zoeken"),
    path("privacy/leerlingen/<int:pk>/log/", views.leerling_log, name="leerling_log"),
    path("privacy/leerlingen/<int:pk>/log.csv", views.leerling_log_csv, name="leerling_log_csv"),
    path("meldingen/", meldingen_views.lijst, name="meldingen"),
    path("meldingen/<int:pk>/openen/", meldingen_views.openen, name="melding_open"),
    path("meldingen/gelezen/", meldingen_views.alles_gelezen, name="meldingen_gelezen"),
    path(
        "privacy/leerlingen/<int:pk>/log-nen7513.csv",
        privacy_nen7513.leerling_log_nen7513,
        name="leerling_log_nen7513",
    ),
]
