"""Report pages under /rapportage/ (the monthly lists live under /maandlijsten/)."""

from django.urls import path

from . import rapport_views as views

app_name = "rapport"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("monitor/", views.monitor_index, name="monitor_index"),
    path("monitor/coalitie/<int:coalitie_pk>/", views.monitor_nieuw, name="monitor_nieuw"),
    path("monitor/<int:pk>/", views.monitor_status, name="monitor_status"),
    path("monitor/<int:pk>/download/", views.monitor_download, name="monitor_download"),
    path("plaatsing/<int:pk>/routeoverzicht.pdf", views.routeoverzicht, name="routeoverzicht"),
]
