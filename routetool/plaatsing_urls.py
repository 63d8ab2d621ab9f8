"""The `plaatsingen:` URLs. Composed here because the placement page is a route page (see
`plaatsing_views`) while registering a placement is plaatsingen's own view."""

from django.urls import path

from plaatsingen import views as plaatsingen_views

from . import plaatsing_views

app_name = "plaatsingen"

urlpatterns = [
    path("plaatsingen/export.xlsx", plaatsing_views.export, name="export"),
    path("plaatsingen/nieuw/", plaatsingen_views.plaatsing_nieuw, name="nieuw"),
    path("plaatsingen/<int:pk>/", plaatsing_views.plaatsing_detail, name="detail"),
]
