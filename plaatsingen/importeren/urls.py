from django.urls import path

from . import views

app_name = "importeren"

urlpatterns = [
    path("", views.overzicht, name="index"),
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/bevestigen/", views.bevestigen, name="bevestigen"),
]
