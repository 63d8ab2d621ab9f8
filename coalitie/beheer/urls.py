from django.urls import path

from . import views

app_name = "beheer"

urlpatterns = [
    path("", views.index, name="index"),
    path("gebruikers/", views.gebruikers, name="gebruikers"),
    path("gebruikers/nieuw/", views.gebruiker_nieuw, name="gebruiker_nieuw"),
    path("gebruikers/<int:pk>/", views.gebruiker, name="gebruiker"),
    path(
        "gebruikers/<int:pk>/rollen/<int:lid_pk>/intrekken/",
        views.rol_intrekken,
        name="rol_intrekken",
    ),
    path("gebruikers/<int:pk>/deactiveren/", views.deactiveren, name="deactiveren"),
    path("gebruikers/<int:pk>/uitnodiging/", views.uitnodiging_opnieuw, name="uitnodiging_opnieuw"),
    path("organisaties/", views.organisaties, name="organisaties"),
    path("organisaties/stamscholen/nieuw/", views.stamschool, name="stamschool_nieuw"),
    path("organisaties/stamscholen/<int:pk>/", views.stamschool, name="stamschool"),
    path(
        "organisaties/instellingsscholen/<int:pk>/",
        views.instellingsschool,
        name="instellingsschool",
    ),
    path(
        "organisaties/instellingsscholen/<int:school_pk>/locaties/nieuw/",
        views.locatie,
        name="locatie_nieuw",
    ),
    path(
        "organisaties/instellingsscholen/<int:school_pk>/locaties/<int:pk>/",
        views.locatie,
        name="locatie",
    ),
]
