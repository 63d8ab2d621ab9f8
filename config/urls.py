from django.contrib import admin
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

from coalitie import scholen
from coalitie.toegang import Geweigerd
from config.health import healthz
from rapportage.tedoen_views import te_doen
from routetool import deelnemer_views, plaatsing_views


@require_safe
def favicon(request):
    """Browsers and PDF viewers ask for /favicon.ico whatever the page links: send them to the
    icon the pages link, so their first visit does not log a 404."""
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("", plaatsing_views.home, name="home"),
    path("te-doen/", te_doen, name="tedoen"),
    path("scholen/zoeken/", scholen.zoeken, name="scholen_zoeken"),
    path("mijn-plaatsingen/", deelnemer_views.start, name="deelnemer_start"),
    path("", include("routetool.plaatsing_urls")),
    path("route/", include("routetool.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("plaatsingen.privacy_urls")),
    path("maandlijsten/", include("rapportage.urls")),
    path("rapportage/", include("rapportage.rapport_urls")),
    path("import/", include("plaatsingen.importeren.urls")),
    path("coalitiebeheer/", include("coalitie.beheer.urls")),
    path("beheer/", admin.site.urls),
]


def verboden(request, exception=None):
    """The 403 page: the view's own reason only when it is a `Geweigerd` (safe to show)."""
    reden = str(exception) if isinstance(exception, Geweigerd) else ""
    return render(request, "403.html", {"reden": reden}, status=403)


handler403 = verboden
