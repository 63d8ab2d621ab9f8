"""Admin for pupils, placements and the import history: read-mostly and scoped.

Beheerders see what `zichtbaar_voor` gives them; only superusers change or delete. Changes to
placements go through the services (route) or the iHUB import, not through this admin.
"""

from django.contrib import admin

from coalitie import toegang

from .importeren.views import imports_zichtbaar_voor
from .models import ImportBestand, ImportProfiel, Leerling, Plaatsing, PlaatsingWijziging


class AlleenLezenVoorBeheerder(admin.ModelAdmin):
    def _mag_zien(self, request) -> bool:
        return toegang.is_beheerder(request.user)

    def has_module_permission(self, request):
        return self._mag_zien(request)

    def has_view_permission(self, request, obj=None):
        return self._mag_zien(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class WijzigingInline(admin.TabularInline):
    model = PlaatsingWijziging
    fields = ("op", "veld", "oud", "nieuw", "import_bestand")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Leerling)
class LeerlingAdmin(AlleenLezenVoorBeheerder):
    list_display = ("leerlingnummer", "achternaam", "roepnaam", "geboortedatum")
    search_fields = ("leerlingnummer", "achternaam")

    def get_queryset(self, request):
        return Leerling.objects.zichtbaar_voor(request.user)


@admin.register(Plaatsing)
class PlaatsingAdmin(AlleenLezenVoorBeheerder):
    list_display = (
        "leerling",
        "instellingsschool",
        "startdatum",
        "einddatum",
        "fase",
        "verantwoordelijk_swv",
    )
    list_filter = ("fase", "instellingsschool", "verblijf")
    list_select_related = ("leerling", "instellingsschool", "verantwoordelijk_swv")
    search_fields = ("leerling__leerlingnummer", "leerling__achternaam")
    raw_id_fields = ("leerling", "stamschool", "vervolgschool")
    date_hierarchy = "startdatum"
    inlines = [WijzigingInline]

    def get_queryset(self, request):
        return Plaatsing.objects.zichtbaar_voor(request.user)


@admin.register(ImportBestand)
class ImportBestandAdmin(AlleenLezenVoorBeheerder):
    list_display = (
        "oorspronkelijke_naam",
        "ontvangen_op",
        "door",
        "status",
        "aantal_nieuw",
        "aantal_gewijzigd",
        "aantal_ongewijzigd",
    )
    list_filter = ("status",)
    readonly_fields = [f.name for f in ImportBestand._meta.fields]

    def get_queryset(self, request):
        return imports_zichtbaar_voor(request.user)


@admin.register(ImportProfiel)
class ImportProfielAdmin(admin.ModelAdmin):
    """Import profiles are data that beheerders keep: column names, date format, spellings.

    The model's `clean` checks the shape (the same check as `import_ihub --profiel`)."""

    list_display = ("naam", "datumformaat", "gewijzigd_op")
    search_fields = ("naam",)

    def _is_beheerder(self, request) -> bool:
        return toegang.is_beheerder(request.user)

    def has_module_permission(self, request):
        return self._is_beheerder(request)

    def has_view_permission(self, request, obj=None):
        return self._is_beheerder(request)

    def has_add_permission(self, request):
        return self._is_beheerder(request)

    def has_change_permission(self, request, obj=None):
        # iHUB's own profile serves every coalition: only a superuser changes it.
        if obj is not None and obj.naam == "iHUB":
            return request.user.is_superuser
        return self._is_beheerder(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_beheerder(request) and (obj is None or obj.naam != "iHUB")
