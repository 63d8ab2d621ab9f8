"""The write side of the access matrix: every URL pattern that accepts a POST, every persona,
a placement in and out of their scope. Where a persona may not write, NOTHING changes: no row
in any table of ours (nor django-auditlog's change log) and no task queued for after the commit.
Where the persona may write, the same POST must change something — proof that the data each
entry sends is a real write, so a pass is not an invalid form passing for everyone.

Which patterns accept a POST is asked of the views themselves (a POST as superuser that does not
answer 405), so a new write endpoint fails `test_every_post_endpoint_is_in_the_write_matrix`
until it has an entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from routetool.acties import formulier_soort
from routetool.models import Actie, Wie

from .conftest import met_totp
from .factories import UserFactory
from .test_access_matrix import Doel, Patroon, _maak_doel, alle_patronen, urls_voor

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

IHUB = Path(__file__).resolve().parents[2] / "shared" / "ihub"

PERSONAS = [
    "contact_swv_a",
    "contact_swv_b",
    "medewerker_schakenbosch",
    "medewerker_rijnstroom",
    "procesregisseur",
    "penvoerder",
    "beheerder",
    "procesregisseur_andere_coalitie",
    "penvoerder_andere_coalitie",
    "beheerder_andere_coalitie",
    "aanbieder_ihub",
    "superuser",
    "deelnemer_doel",
    "deelnemer_elders",
    "anoniem",
]

# Tables whose rows are not "a change": reads are logged (that is the point of the access log),
# an import's scratch rows come and go, sessions are logins.
NIET_GETELD = {"coalitie.Toegangslog", "plaatsingen.ImportRij"}
ONZE_APPS = ("coalitie", "plaatsingen", "routetool", "rapportage")


def stand() -> dict:
    """Every row of every table of ours, plus the change log (without read entries)."""
    uit = {}
    for app in ONZE_APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.label in NIET_GETELD:
                continue
            qs = model.objects.order_by("pk")
            if model._meta.label == "coalitie.User":
                qs = qs.defer("last_login")  # a login is not a write
                uit[model._meta.label] = [
                    (u.pk, u.email, u.is_active, u.is_superuser) for u in qs.only("pk")
                ]
                continue
            uit[model._meta.label] = list(qs.values_list())
    uit["auditlog"] = list(
        LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).values_list("pk", "changes")
    )
    return uit


# --- The matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schrijven:
    """How to POST to a pattern for `doel`, and which personas may (for that doel)."""

    data: Callable[[Doel], dict] = lambda d: {}
    mag: Callable[[Doel], set[str]] = lambda d: set()
    # Patterns whose URL needs different kwargs for writing than the read matrix builds.
    urls: Callable[[Patroon, Doel], list[str]] | None = None
    bestanden: Callable[[Doel], dict] | None = None


GEEN_SCHRIJVER = Schrijven()  # accepts a POST, but no persona writes anything through it


def _eerste_actie(d: Doel) -> Actie:
    return Actie.objects.filter(plaatsing=d.plaatsing).order_by("pk").first()


def _mail_mislukt(d: Doel) -> dict:
    """Set-up inside the entry's own transaction (rolled back after it): the list's mail failed
    for good, the only state in which a resend changes anything."""
    from rapportage.models import Maandlijst, MaandlijstStatus

    Maandlijst.objects.filter(pk=d.extra["maandlijst_pk"]).update(status=MaandlijstStatus.MISLUKT)
    return {}


def _actie_schrijvers(d: Doel) -> set[str]:
    wie = _eerste_actie(d).wie
    rol = {Wie.SWV: "contact_swv_b", Wie.INSTELLINGSSCHOOL: "medewerker_rijnstroom"}.get(wie)
    return {"procesregisseur", "superuser"} | ({rol} if rol else set())


def _afronden_data(d: Doel) -> dict:
    actie = _eerste_actie(d)
    assert formulier_soort(actie.code) in ("notitie", "bevestigen"), actie.code
    return {f"actie{actie.pk}-notitie": "afgerond in de schrijfmatrix"}


def _swv_contact(d: Doel) -> int:
    """A contact person of the placement's SWV (made before the entry's snapshot)."""
    from coalitie.models import Rol

    from .factories import LidmaatschapFactory

    return LidmaatschapFactory(
        rol=Rol.SWV_CONTACTPERSOON, swv=d.plaatsing.verantwoordelijk_swv
    ).user_id


def _upload(d: Doel) -> dict:
    inhoud = (IHUB / "ihub-export-2025-10-01.csv").read_bytes()
    return {"bestand": SimpleUploadedFile("export.csv", inhoud)}


def _profiel_formulier(naam: str) -> dict:
    from plaatsingen.importeren.profiel_forms import _veldnaam
    from plaatsingen.resources import IhubPlaatsingResource

    kolommen = {_veldnaam(k): f"{k} bij de aanbieder" for k in IhubPlaatsingResource.kolommen()}
    return {"naam": naam, "datumformaat": "%d/%m/%Y", **kolommen}


def _profiel_json(d: Doel) -> dict:
    import json

    inhoud = json.dumps({"naam": "Uit een bestand", "kolommen": {}, "datumformaat": "%Y-%m-%d"})
    return {"bestand": SimpleUploadedFile("profiel.json", inhoud.encode())}


def _admin_verwijderen(
    app_model: str, object_id: Callable[[Doel], object], *, superuser_mag: bool = True
) -> dict:
    """The pupil-data admin: a delete (confirmed), a bulk delete from the list, a change POST.
    Deleting is for superusers only, and not even for them where the object must stay (the
    change log; a pupil with placements; a monthly list); the change form is read-only."""
    mag = {"superuser"} if superuser_mag else set()
    return {
        f"admin:{app_model}_delete": Schrijven(data=lambda d: {"post": "yes"}, mag=lambda d: mag),
        f"admin:{app_model}_changelist": Schrijven(
            data=lambda d: {
                "action": "delete_selected",
                "_selected_action": [object_id(d)],
                "post": "yes",
            },
            mag=lambda d: mag,
        ),
        # An empty change POST is an invalid form even for the superuser: nothing may change.
        f"admin:{app_model}_change": GEEN_SCHRIJVER,
        f"admin:{app_model}_add": GEEN_SCHRIJVER,
    }


SCHRIJF_MATRIX: dict[str, Schrijven] = {
    "home": GEEN_SCHRIJVER,
    "plaatsingen:detail": GEEN_SCHRIJVER,
    "plaatsingen:nieuw": Schrijven(
        data=lambda d: {
            "instellingsschool": d.plaatsing.instellingsschool_id,
            "leerlingnummer": "770001",  # iHUB numbers are digits (plaatsingen/plausibel.py)
            "roepnaam": "Schrijf",
            "achternaam": "Proef",
            "startdatum": "2025-11-03",
            "verblijf": "gesloten",
            "verantwoordelijk_swv": d.plaatsing.verantwoordelijk_swv_id,
        },
        mag=lambda d: {"medewerker_rijnstroom", "superuser"},
    ),
    "routetool:overzicht": GEEN_SCHRIJVER,
    # Te doen, exports and meldingen read (a download is logged, which is not a change); the
    # POSTs of Te doen write through the same services as the placement page.
    "tedoen": GEEN_SCHRIJVER,
    "plaatsingen:export": GEEN_SCHRIJVER,
    "routetool:overzicht_export": GEEN_SCHRIJVER,
    "coalitie:meldingen": GEEN_SCHRIJVER,
    "coalitie:melding_open": GEEN_SCHRIJVER,  # someone else's melding (pk 0): 404 for all
    "coalitie:meldingen_gelezen": GEEN_SCHRIJVER,  # only the user's own (none here)
    "routetool:tedoen_afronden": Schrijven(
        data=lambda d: {"een": _eerste_actie(d).pk}, mag=_actie_schrijvers
    ),
    "routetool:tedoen_overslaan": Schrijven(
        data=lambda d: {"een": _eerste_actie(d).pk, "bulk-reden": "overgeslagen in de matrix"},
        mag=lambda d: {"procesregisseur", "superuser"},
    ),
    "routetool:tedoen_uitschrijving": Schrijven(
        data=lambda d: {
            f"uit{d.plaatsing.pk}-datum": "01-10-2025",
            f"uit{d.plaatsing.pk}-reden": "mbo",
        },
        mag=lambda d: {"medewerker_rijnstroom", "procesregisseur", "superuser"},
    ),
    "routetool:transitie": Schrijven(
        data=lambda d: {
            "naar": "afgesloten",
            "versie": type(d.plaatsing).objects.get(pk=d.plaatsing.pk).versie,
            "afbreken": "on",
            "reden_keuze": "anders",
            "reden": "afgebroken in de schrijfmatrix",
            "bevestigd": "on",
        },
        mag=lambda d: {"procesregisseur", "superuser"},
    ),
    # Corrections (issue 19): the school of the placement and the procesregisseur.
    "routetool:uitschrijving": Schrijven(
        data=lambda d: {"einddatum": d.plaatsing.startdatum.isoformat(), "reden": "mbo"},
        mag=lambda d: {"medewerker_rijnstroom", "procesregisseur", "superuser"},
    ),
    "routetool:leerling_corrigeren": Schrijven(
        data=lambda d: {"roepnaam": "Gecorrigeerd", "achternaam": "Schrijfproef"},
        mag=lambda d: {"medewerker_rijnstroom", "procesregisseur", "superuser"},
    ),
    # The first action is open: reopening it changes nothing for anyone (the positive side is
    # in tests/test_correcties.py).
    "routetool:actie_heropenen": Schrijven(data=lambda d: {"reden": "heropend in de matrix"}),
    "routetool:uitstroomdatum": Schrijven(
        data=lambda d: {"datum": "2026-06-30"},
        mag=lambda d: {"contact_swv_b", "medewerker_rijnstroom", "procesregisseur", "superuser"},
    ),
    "routetool:actie_afronden": Schrijven(data=_afronden_data, mag=_actie_schrijvers),
    # The overdrachtsprofiel (issue 17): kept by the route's own people until the handover;
    # confirming needs uitstroom (the matrix's placement is in instroom: nobody; the positive
    # side is in tests/test_overdrachtsprofiel.py).
    "routetool:overdrachtsprofiel": Schrijven(
        data=lambda d: {"doelen_leerling": "diploma halen", "onderwijsbehoeften": "rust"},
        mag=lambda d: {"contact_swv_b", "medewerker_rijnstroom", "procesregisseur", "superuser"},
    ),
    "routetool:overdrachtsprofiel_bevestigen": Schrijven(
        data=lambda d: {"datum": "2025-11-20", "aanwezig_leerling": "on"}
    ),
    "routetool:actie_overslaan": Schrijven(
        data=lambda d: {f"overslaan{_eerste_actie(d).pk}-reden": "overgeslagen in de matrix"},
        mag=lambda d: {"procesregisseur", "superuser"},
    ),
    # The chain around the pupil (issue 17): the SWV or the procesregisseur names the
    # casusregisseur; while none is named the SWV's contacts (and always the procesregisseur)
    # invite and revoke deelnemers. A deelnemer manages nobody.
    "routetool:casusregisseur": Schrijven(
        data=lambda d: {"casusregisseur": _swv_contact(d)},
        mag=lambda d: {"contact_swv_b", "procesregisseur", "superuser"},
    ),
    "routetool:uitnodigen": Schrijven(
        data=lambda d: {
            "naam": "Nieuwe Partner",
            "email": "nieuw-partner@example.org",
            "organisatie": "Vervolgschool",
            "soort": "vervolgschool",
        },
        mag=lambda d: {"contact_swv_b", "procesregisseur", "superuser"},
    ),
    "routetool:intrekken": Schrijven(
        mag=lambda d: {"contact_swv_b", "procesregisseur", "superuser"}
    ),
    "deelnemer_start": GEEN_SCHRIJVER,
    # A POST search: it reads (and logs the read), it never writes.
    "coalitie:privacy_zoeken": Schrijven(
        data=lambda d: {"leerlingnummer": d.leerling.leerlingnummer}
    ),
    # Any beheerder may upload an export for their own coalition: there is no object in scope.
    # A provider's administration uploads too (its provider's schools, every coalition).
    "importeren:index": Schrijven(
        bestanden=_upload,
        mag=lambda d: {"beheerder", "beheerder_andere_coalitie", "superuser", "aanbieder_ihub"},
    ),
    "importeren:status": GEEN_SCHRIJVER,
    "importeren:bevestigen": Schrijven(mag=lambda d: {"beheerder", "superuser"}),
    # The matrix's import awaits confirmation, it did not fail: retrying changes nothing for
    # anyone. Who may retry a failed one: tests/test_import_kapot.py.
    "importeren:opnieuw": GEEN_SCHRIJVER,
    # Import profiles are shared by all coalitions: any beheerder maintains them, nobody else.
    "importeren:profiel_upload": Schrijven(
        bestanden=_profiel_json,
        mag=lambda d: {"beheerder", "beheerder_andere_coalitie", "superuser"},
    ),
    "importeren:profiel_nieuw": Schrijven(
        data=lambda d: _profiel_formulier("Nieuwe aanbieder"),
        mag=lambda d: {"beheerder", "beheerder_andere_coalitie", "superuser"},
    ),
    "importeren:profiel": Schrijven(
        data=lambda d: _profiel_formulier("Matrixaanbieder"),
        mag=lambda d: {"beheerder", "beheerder_andere_coalitie", "superuser"},
    ),
    "rapportage:opnieuw": Schrijven(mag=lambda d: {"beheerder", "superuser"}),
    # Resends only a mail that failed for good; the coalition's beheerder (rapportage.views).
    "rapportage:opnieuw_mailen": Schrijven(
        data=lambda d: _mail_mislukt(d), mag=lambda d: {"beheerder", "superuser"}
    ),
    "rapport:monitor_nieuw": Schrijven(
        data=lambda d: {"van": "2025-01-01", "tot": "2025-10-31"},
        mag=lambda d: {"procesregisseur", "penvoerder", "beheerder", "superuser"},
    ),
    # The coalition's goals (issue 18): its penvoerder and beheerder only.
    "rapport:doelen": Schrijven(
        data=lambda d: {"acties_op_tijd": "80"},
        mag=lambda d: {"penvoerder", "beheerder", "superuser"},
    ),
    **_admin_verwijderen("plaatsingen_leerling", lambda d: d.leerling.pk, superuser_mag=False),
    **_admin_verwijderen("plaatsingen_plaatsing", lambda d: d.plaatsing.pk),
    **_admin_verwijderen("plaatsingen_importbestand", lambda d: d.extra["importbestand_pk"]),
    **_admin_verwijderen(
        "rapportage_maandlijst", lambda d: d.extra["maandlijst_pk"], superuser_mag=False
    ),
    **_admin_verwijderen(
        "auditlog_logentry", lambda d: d.extra["logentry_pk"], superuser_mag=False
    ),
}

# POST endpoints that are no write on pupil data, and where they are tested instead.
BUITEN_DE_MATRIX = {
    "allauth (login, logout, password, MFA)": lambda p: (p.naam or "").startswith(
        ("account_", "mfa_")
    ),
    # Organisation data (coalitions, SWVs, schools, users, routekaarten): the coalition's own
    # beheerder edits it in the admin; scoped by CoalitieScopedAdmin (tests/test_security.py,
    # tests/test_route_routekaart_admin.py).
    "admin of organisation data and the admin's own pages": lambda p: (
        p.route.startswith("beheer/") and p.sleutel not in SCHRIJF_MATRIX
    ),
    # The in-app beheer of users, organisations and the routekaart: no pupil data; its write
    # side per coalition is in tests/test_beheer_app.py and tests/test_routekaart_beheer.py.
    "in-app beheer of organisation data": lambda p: (
        p.route.startswith("coalitiebeheer/") or (p.naam or "").startswith("routetool:routekaart")
    ),
}


def buiten_de_matrix(patroon: Patroon) -> bool:
    return any(regel(patroon) for regel in BUITEN_DE_MATRIX.values())


def post_patronen() -> list[Patroon]:
    """Patterns whose view accepts a POST: asked of the view (a superuser's empty POST inside
    a rolled-back savepoint), not of a list someone keeps."""
    doel = _maak_doel("Methode", "Vraag", "L00000POST", "VO 28-07", "Rijnstroom College")
    superuser = met_totp(UserFactory(is_superuser=True, is_staff=True))
    uit = []
    for patroon in alle_patronen():
        if buiten_de_matrix(patroon) or patroon.naam is None:
            continue
        url = urls_voor(patroon, doel)[0]
        client = Client(raise_request_exception=False)
        client.force_login(superuser)
        with transaction.atomic():
            status = client.post(url, {}).status_code
            transaction.set_rollback(True)
        if status != 405:
            uit.append(patroon)
    return uit


# --- The check ---------------------------------------------------------------------------------


def schrijven_als(
    user, naam: str | None, doel: Doel, capture, patronen: list[Patroon]
) -> tuple[list[str], list[str]]:
    """POST every entry as `user`; (changed where it must not, unchanged where it should)."""
    mocht_niet, deed_niet = [], []
    for patroon in patronen:
        entry = SCHRIJF_MATRIX[patroon.sleutel]
        mag = naam in entry.mag(doel)
        for url in urls_voor(patroon, doel):
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            with transaction.atomic():
                data = {**entry.data(doel), **(entry.bestanden(doel) if entry.bestanden else {})}
                voor = stand()
                with capture() as taken:
                    response = client.post(url, data)
                veranderd = stand() != voor or bool(taken)
                transaction.set_rollback(True)  # the next entry starts from the same data
            regel = f"{patroon.sleutel} ({url}) -> {response.status_code}"
            if response.status_code >= 500:
                mocht_niet.append(regel + " (serverfout)")
            elif veranderd and not mag:
                mocht_niet.append(regel)
            elif mag and not veranderd:
                deed_niet.append(regel)
    return mocht_niet, deed_niet


@pytest.fixture
def superuser(db):
    return met_totp(UserFactory(is_superuser=True, is_staff=True))


@pytest.fixture
def deelnemer_doel(doel):
    """A stamschool deelnemer of the matrix's own placement: may read it, writes nothing here
    (its first action is the SWV's)."""
    from .conftest import deelnemer_van

    return deelnemer_van(doel.plaatsing)


@pytest.fixture
def doel(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Rijnstroom, SWV B, coalition Zuid-West: inside the scope of half the personas.
    return _maak_doel(
        "Schrijfdoel", "Onaantastbaar", "L77777SCHRIJF", "VO 28-07", "Rijnstroom College"
    )


def test_every_post_endpoint_is_in_the_write_matrix():
    ontbrekend = sorted({p.sleutel for p in post_patronen()} - set(SCHRIJF_MATRIX))
    assert not ontbrekend, (
        "Deze URL-patronen nemen een POST aan maar staan niet in SCHRIJF_MATRIX "
        "(tests/test_access_matrix_schrijven.py): " + ", ".join(ontbrekend)
    )


def test_the_write_matrix_has_no_entries_for_patterns_that_no_longer_exist():
    bestaand = {p.sleutel for p in alle_patronen()}
    assert not sorted(set(SCHRIJF_MATRIX) - bestaand)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_post_changes_anything_a_persona_may_not_change(
    request, persona, doel, django_capture_on_commit_callbacks
):
    user = None if persona == "anoniem" else request.getfixturevalue(persona)
    patronen = [p for p in alle_patronen() if p.sleutel in SCHRIJF_MATRIX]
    mocht_niet, deed_niet = schrijven_als(
        user, persona, doel, django_capture_on_commit_callbacks, patronen
    )
    assert not mocht_niet, f"{persona} veranderde wat niet mocht: " + "; ".join(mocht_niet)
    assert not deed_niet, f"{persona} kon niet schrijven waar het mocht: " + "; ".join(deed_niet)


def test_a_write_without_its_scope_check_is_caught(
    monkeypatch, contact_swv_a, doel, django_capture_on_commit_callbacks
):
    """Let every placement through get_plaatsing_for_user and give everyone every route role:
    the out-of-scope SWV contact now changes the expected date, and the check must say so."""
    import sys

    import coalitie.toegang as toegang
    import plaatsingen.selectors as selectors
    from plaatsingen.models import Plaatsing

    origineel, rollen = selectors.get_plaatsing_for_user, toegang.route_rollen

    def zonder_filter(user, pk, *, write=False, queryset=None):
        return (queryset or Plaatsing.objects.met_lijstgegevens()).get(pk=int(pk))

    for module in list(sys.modules.values()):
        if getattr(module, "get_plaatsing_for_user", None) is origineel:
            monkeypatch.setattr(module, "get_plaatsing_for_user", zonder_filter)
        if getattr(module, "route_rollen", None) is rollen:
            monkeypatch.setattr(
                module, "route_rollen", lambda user, p: frozenset({Wie.SWV, Wie.PROCESREGISSEUR})
            )
    patronen = [p for p in alle_patronen() if p.sleutel == "routetool:uitstroomdatum"]
    mocht_niet, _ = schrijven_als(
        contact_swv_a, "contact_swv_a", doel, django_capture_on_commit_callbacks, patronen
    )
    assert mocht_niet
