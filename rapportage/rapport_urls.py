"""Report pages under /rapportage/ (the monthly lists live under /maandlijsten/)."""

from django.urls import path

from . import doelen_views, landelijk_views
from . import rapport_views as views

app_name = "rapport"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("monitor/", views.monitor_index, name="monitor_index"),
    path("monitor/coalitie/<int:coalitie_pk>/", views.monitor_nieuw, name="monitor_nieuw"),
    path("monitor/<int:pk>/", views.monitor_status, name="monitor_status"),
    path("monitor/<int:pk>/download/", views.monitor_download, name="monitor_download"),
    path(
        "monitor/<int:pk>/download.xlsx",
        views.monitor_download,
        {"soort": "xlsx"},
        name="monitor_xlsx",
    ),
    path("monitor/doelen/<int:coalitie_pk>/", doelen_views.doelen, name="doelen"),
    path("landelijk/", landelijk_views.overzicht, name="landelijk"),
    path("landelijk/landelijk.csv", landelijk_views.overzicht_csv, name="landelijk_csv"),
    path("landelijk/landelijk.pdf", landelijk_views.overzicht_pdf, name="landelijk_pdf"),
    path("landelijk/<int:coalitie_pk>/", landelijk_views.coalitie, name="landelijk_coalitie"),
    path(
        "landelijk/<int:coalitie_pk>/monitor.pdf",
        landelijk_views.coalitie_pdf,
        name="landelijk_coalitie_pdf",
    ),
    path("plaatsing/<int:pk>/routeoverzicht.pdf", views.routeoverzicht, name="routeoverzicht"),
]
