from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class RoutetoolAdminSite(admin.AdminSite):
    site_header = "Routetool — beheer"
    site_title = "Routetool beheer"
    index_title = "Beheer"

    def has_permission(self, request):
        # The admin is for beheerders (scoped to their coalition by each ModelAdmin) and superusers.
        from coalitie.models import Rol
        from coalitie.selectors import scope_van

        user = request.user
        return user.is_active and (user.is_superuser or Rol.BEHEERDER in scope_van(user).rollen)


class RoutetoolAdminConfig(AdminConfig):
    default_site = "config.admin.RoutetoolAdminSite"
