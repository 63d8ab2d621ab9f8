from django.urls import path

from . import (
    correctie_views,
    deelnemer_views,
    overdracht_views,
    routekaart_beheer,
    tedoen_views,
    views,
)

app_name = "routetool"

urlpatterns = [
    path("overzicht/", views.overzicht, name="overzicht"),
    path("routekaart/<int:coalitie_pk>/", routekaart_beheer.routekaart, name="routekaart"),
    path(
        "routekaart/<int:coalitie_pk>/<str:fase>/<slug:code>/",
        routekaart_beheer.routekaart_actie,
        name="routekaart_actie",
    ),
    path("overzicht/export.xlsx", views.overzicht_export, name="overzicht_export"),
    path("plaatsingen/<int:pk>/overgang/", views.transitie, name="transitie"),
    path("plaatsingen/<int:pk>/uitstroomdatum/", views.uitstroomdatum, name="uitstroomdatum"),
    path("acties/<int:actie_pk>/afronden/", views.actie_afronden, name="actie_afronden"),
    path("acties/<int:actie_pk>/overslaan/", views.actie_overslaan, name="actie_overslaan"),
    path("acties/<int:actie_pk>/heropenen/", correctie_views.heropenen, name="actie_heropenen"),
    path(
        "plaatsingen/<int:pk>/uitschrijving/",
        correctie_views.uitschrijving,
        name="uitschrijving",
    ),
    path("plaatsingen/<int:pk>/leerling/", correctie_views.leerling, name="leerling_corrigeren"),
    path(
        "plaatsingen/<int:pk>/overdrachtsprofiel/",
        overdracht_views.bewerken,
        name="overdrachtsprofiel",
    ),
    path(
        "plaatsingen/<int:pk>/overdrachtsprofiel/bevestigen/",
        overdracht_views.bevestigen,
        name="overdrachtsprofiel_bevestigen",
    ),
    path(
        "plaatsingen/<int:pk>/casusregisseur/",
        deelnemer_views.casusregisseur,
        name="casusregisseur",
    ),
    path("plaatsingen/<int:pk>/deelnemers/", deelnemer_views.uitnodigen, name="uitnodigen"),
    path("deelnemers/<int:pk>/intrekken/", deelnemer_views.intrekken, name="intrekken"),
    path("te-doen/afronden/", tedoen_views.afronden, name="tedoen_afronden"),
    path("te-doen/overslaan/", tedoen_views.overslaan, name="tedoen_overslaan"),
    path(
        "te-doen/uitschrijving/<int:pk>/",
        tedoen_views.uitschrijving,
        name="tedoen_uitschrijving",
    ),
]
