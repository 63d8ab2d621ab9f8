from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from .admin_base import CoalitieScopedAdmin, EigenKeuzesMixin
from .beheer.toegang import keuzes_voor, lidmaatschappen_voor
from .forms import UitnodigingForm
from .models import (
    NIET_DOOR_BEHEERDER,
    Coalitie,
    Instellingsschool,
    Lidmaatschap,
    Locatie,
    Rol,
    Samenwerkingsverband,
    School,
    User,
)
from .selectors import aanbieder_namen
from .services import gebruiker_uitnodigen
from .toegang import beheerde_coalities, is_beheerder


@admin.register(Coalitie)
class CoalitieAdmin(CoalitieScopedAdmin):
    list_display = ["naam", "landsdeel", "penvoerder"]
    coalitie_filter = "pk__in"
    beheerder_mag_wijzigen = False
    search_fields = ["naam"]


@admin.register(Samenwerkingsverband)
class SamenwerkingsverbandAdmin(CoalitieScopedAdmin):
    list_display = ["code", "naam", "sector", "coalitie"]
    list_filter = ["sector"]
    search_fields = ["code", "naam"]
    beheerder_mag_wijzigen = False


class LocatieInline(EigenKeuzesMixin, admin.TabularInline):
    model = Locatie
    extra = 0

    def has_add_permission(self, request, obj=None):
        return is_beheerder(request.user)

    has_change_permission = has_add_permission

    def has_view_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Instellingsschool)
class InstellingsschoolAdmin(CoalitieScopedAdmin):
    list_display = ["naam", "aanbieder", "coalitie"]
    search_fields = ["naam"]
    inlines = [LocatieInline]


@admin.register(School)
class SchoolAdmin(CoalitieScopedAdmin):
    list_display = ["brin", "naam", "swv"]
    search_fields = ["brin", "naam"]
    coalitie_filter = "swv__coalitie_id__in"
    list_select_related = ["swv"]
    autocomplete_fields = ["swv"]


class LidmaatschapInline(EigenKeuzesMixin, admin.TabularInline):
    model = Lidmaatschap
    extra = 1
    fields = ["rol", "swv", "instellingsschool", "coalitie", "aanbieder"]

    def get_queryset(self, request):
        # A beheerder sees (and can change or remove) only the roles in its own coalition.
        return lidmaatschappen_voor(request.user)

    def get_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.fields
        return [f for f in self.fields if f != "aanbieder"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The provider as the schools name it, picked from those names: a typo would tie the
        # account to no school at all.
        if db_field.name == "aanbieder":
            return forms.ChoiceField(
                label="Aanbieder",
                required=False,
                choices=[("", "---------")] + [(n, n) for n in aanbieder_namen()],
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        # Only a superuser grants the national role and a provider's administration: they span
        # coalitions, so a coalition's beheerder would grant rights over other coalitions.
        if db_field.name == "rol" and not request.user.is_superuser:
            kwargs["choices"] = [c for c in Rol.choices if c[0] not in NIET_DOOR_BEHEERDER]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(CoalitieScopedAdmin):
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fields = ["email", "first_name", "last_name", "is_active"]
    readonly_fields = ["email"]
    inlines = [LidmaatschapInline]
    add_form = UitnodigingForm

    def filter_op_coalities(self, qs, ids):
        return (
            qs.filter(lidmaatschappen__coalitie_id__in=ids)
            | qs.filter(lidmaatschappen__swv__coalitie_id__in=ids)
            | qs.filter(lidmaatschappen__instellingsschool__coalitie_id__in=ids)
        )

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
            kwargs["fields"] = None
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            user = request.user

            class EigenUitnodigingForm(form):
                def __init__(self, *args, **kw):
                    super().__init__(*args, **kw)
                    for naam in ("swv", "instellingsschool", "coalitie"):
                        veld = self.fields[naam]
                        veld.queryset = keuzes_voor(user, veld.queryset.model)
                    if not user.is_superuser:
                        self.fields["rol"].choices = [
                            c for c in Rol.choices if c[0] not in NIET_DOOR_BEHEERDER
                        ]
                        del self.fields["aanbieder"]

            return EigenUitnodigingForm
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(UitnodigingForm.base_fields)
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["first_name", "last_name", "is_active"])
            return
        data = form.cleaned_data
        ids = beheerde_coalities(request.user)
        org = data["swv"] or data["instellingsschool"] or data["coalitie"] or data.get("aanbieder")
        org_coalitie = getattr(org, "coalitie_id", None) or getattr(org, "pk", None)
        if ids is not None and org_coalitie not in ids:
            raise PermissionDenied
        user = gebruiker_uitnodigen(
            email=data["email"],
            voornaam=data["first_name"],
            achternaam=data["last_name"],
            rol=data["rol"],
            organisatie=org,
            door=request.user,
        )
        obj.pk = user.pk
        messages.success(request, f"Uitnodiging verstuurd naar {user.email}.")
