from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from plaatsingen import views as plaatsingen_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", plaatsingen_views.home, name="home"),
    path("", include("plaatsingen.urls")),
    path("route/", include("routetool.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("coalitie.urls")),
    path("maandlijsten/", include("rapportage.urls")),
    path("rapportage/", include("rapportage.rapport_urls")),
    path("import/", include("plaatsingen.importeren.urls")),
    path("coalitiebeheer/", include("coalitie.beheer.urls")),
    path("beheer/", admin.site.urls),
]
