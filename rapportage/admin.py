from django.contrib import admin

from .models import Maandlijst, MaandlijstLog


class LogInline(admin.TabularInline):
    model = MaandlijstLog
    extra = 0
    can_delete = False
    readonly_fields = ["soort", "door", "ontvangers", "reden", "op"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Maandlijst)
class MaandlijstAdmin(admin.ModelAdmin):
    """Read-only: lists are made by the job and downloaded through the access-checked pages."""

    list_display = ["swv", "maand", "aantal_leerlingen", "status", "gemaakt_op"]
    list_filter = ["status", "maand"]
    search_fields = ["swv__code", "swv__naam"]
    exclude = ["pdf", "xlsx"]
    readonly_fields = ["swv", "maand", "aantal_leerlingen", "status", "gemaakt_op"]
    inlines = [LogInline]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
