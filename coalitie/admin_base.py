"""The admin is for beheerders, each limited to their own coalition (superusers see all)."""

from django.contrib import admin

from .beheer.toegang import keuzes_voor
from .toegang import beheerde_coalities, is_beheerder


class EigenKeuzesMixin:
    """Foreign keys to organisations offer (and accept) only the beheerder's own coalition: a
    posted id of another coalition's school or SWV is a form error, so nothing can be moved to or
    created in another coalition."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            qs = keuzes_voor(request.user, db_field.related_model)
            if qs is not None:
                kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CoalitieScopedAdmin(EigenKeuzesMixin, admin.ModelAdmin):
    """Subclasses say how a row belongs to a coalition with `coalitie_filter`."""

    coalitie_filter: str = "coalitie_id__in"
    beheerder_mag_wijzigen = True

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = beheerde_coalities(request.user)
        if ids is None:
            return qs
        return self.filter_op_coalities(qs, ids)

    def filter_op_coalities(self, qs, ids):
        return qs.filter(**{self.coalitie_filter: ids}).distinct()

    def _is_beheerder(self, request) -> bool:
        return is_beheerder(request.user)

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
