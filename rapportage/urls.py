from django.urls import path

from . import views

app_name = "rapportage"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/opnieuw-mailen/", views.opnieuw_mailen, name="opnieuw_mailen"),
    path("<int:pk>/<str:soort>/", views.download, name="download"),
    path("coalitie/<int:coalitie_pk>/<str:maand>/zip/", views.zip_download, name="zip"),
    path("coalitie/<int:coalitie_pk>/<str:maand>/opnieuw/", views.opnieuw_maken, name="opnieuw"),
]
