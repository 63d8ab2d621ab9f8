from django.urls import path

from . import views

app_name = "plaatsingen"

urlpatterns = [
    path("plaatsingen/nieuw/", views.plaatsing_nieuw, name="nieuw"),
    path("plaatsingen/<int:pk>/", views.plaatsing_detail, name="detail"),
]
