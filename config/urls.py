from django.contrib import admin
from django.urls import include, path

from plaatsingen import views as plaatsingen_views

urlpatterns = [
    path("", plaatsingen_views.home, name="home"),
    path("", include("plaatsingen.urls")),
    path("accounts/", include("allauth.urls")),
    path("beheer/", admin.site.urls),
]
