"""The admin is for beheerders, each limited to their own coalition (superusers see all)."""

from django.contrib import admin

from .models import Rol
from .selectors import scope_van


def beheerde_coalities(request) -> frozenset[int] | None:
    """Coalition ids the user manages; None means all (superuser)."""
    scope = scope_van(request.user)
    if scope.is_superuser:
        return None
    return scope.coalities(Rol.BEHEERDER)


class CoalitieScopedAdmin(admin.ModelAdmin):
    """Subclasses say how a row belongs to a coalition with `coalitie_filter`."""

    coalitie_filter: str = "coalitie_id__in"
    beheerder_mag_wijzigen = True

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = beheerde_coalities(request)
        if ids is None:
            return qs
        return self.filter_op_coalities(qs, ids)

    def filter_op_coalities(self, qs, ids):
        return qs.filter(**{self.coalitie_filter: ids}).distinct()

    def _is_beheerder(self, request) -> bool:
        ids = beheerde_coalities(request)
        return ids is None or bool(ids)

    def has_module_permission(self, request):
        return self._is_beheerder(request)

    def has_view_permission(self, request, obj=None):
        return self._is_beheerder(request)

    def has_change_permission(self, request, obj=None):
        return self._is_beheerder(request) and (
            request.user.is_superuser or self.beheerder_mag_wijzigen
        )

    def has_add_permission(self, request):
        return self.has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Deleting organisations or pupils is for superusers; beheerders deactivate instead.
        return request.user.is_superuser
