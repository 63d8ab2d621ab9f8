from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class RoutetoolAdminSite(admin.AdminSite):
    site_header = "Routetool — platformbeheer"
    site_title = "Routetool platformbeheer"
    index_title = "Platformbeheer"

    def has_permission(self, request):
        # Platform staff only. A coalition's beheerder works in the app (/coalitiebeheer/,
        # the routekaart editor), where every pick-list and every write is limited to the own
        # coalition; the ModelAdmins keep their coalition scoping as a second line.
        user = request.user
        return user.is_active and user.is_superuser


class RoutetoolAdminConfig(AdminConfig):
    default_site = "config.admin.RoutetoolAdminSite"
