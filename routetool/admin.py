from django.contrib import admin

from coalitie.admin_base import CoalitieScopedAdmin
from coalitie.models import Coalitie
from coalitie.toegang import beheerde_coalities

from .models import Routekaart, RoutekaartActie
from .services import routekaart_vullen_met_standaard


class RoutekaartActieInline(admin.TabularInline):
    model = RoutekaartActie
    extra = 0
    fields = [
        "fase",
        "volgorde",
        "code",
        "omschrijving",
        "wie",
        "termijn_soort",
        "aantal",
        "verplicht",
        "actief",
    ]

    def _mag(self, request) -> bool:
        ids = beheerde_coalities(request.user)
        return ids is None or bool(ids)

    def has_view_permission(self, request, obj=None):
        return self._mag(request)

    def has_add_permission(self, request, obj=None):
        return self._mag(request)

    def has_change_permission(self, request, obj=None):
        return self._mag(request)

    def has_delete_permission(self, request, obj=None):
        # Switch an action off with "actief" instead; deleting is for superusers.
        return request.user.is_superuser


@admin.register(Routekaart)
class RoutekaartAdmin(CoalitieScopedAdmin):
    """A beheerder copies the default routekaart for the coalition (it is filled on creation) and
    changes it here. Changes apply to phases that start after the change, never retroactively."""

    list_display = ["coalitie", "gewijzigd_op"]
    inlines = [RoutekaartActieInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "coalitie":
            ids = beheerde_coalities(request.user)
            if ids is not None:
                kwargs["queryset"] = Coalitie.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not form.instance.acties.exists():
            routekaart_vullen_met_standaard(routekaart=form.instance)
