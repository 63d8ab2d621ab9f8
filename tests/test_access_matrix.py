"""The access matrix: every URL pattern of the project, every persona, a pupil they may not see.

The patterns are enumerated from the URL resolver (admin and allauth included), so a new page is
covered without anyone remembering: a pattern without an entry in MATRIX fails
`test_every_url_pattern_is_in_the_matrix`, naming it. Each entry says how to build the URL with
the ids of a placement/pupil the persona may not see; the check requests it and fails when the
pupil's name or number appears anywhere in the answer — HTML, CSV, PDF (text extracted with
pypdf), XLSX (openpyxl), ZIP (each member).

Entries marked `leerlinggegevens=False` carry no pupil data (allauth pages, organisation admin);
they are requested all the same, so a page that starts showing pupils is caught too.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coalitie.toegang import SYSTEEM
from plaatsingen.models import Leerling, Plaatsing

from .factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


# --- Enumerating the URL patterns ------------------------------------------------------------


@dataclass(frozen=True)
class Patroon:
    naam: str | None  # "namespace:name" or None
    route: str  # the full pattern string, e.g. "plaatsingen/<int:pk>/"
    pattern: URLPattern

    @property
    def sleutel(self) -> str:
        return self.naam or self.route


def alle_patronen() -> list[Patroon]:
    """Every URL pattern of the project, recursively, with namespaced names."""

    def walk(patterns, prefix: str, namespace: str | None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            else:
                naam = f"{namespace}:{p.name}" if namespace and p.name else p.name
                yield Patroon(naam=naam, route=prefix + str(p.pattern), pattern=p)

    return list(walk(get_resolver().url_patterns, "", None))


# --- The matrix -------------------------------------------------------------------------------


@dataclass
class Doel:
    """What a persona may not see: one placement, its pupil and objects derived from it."""

    plaatsing: Plaatsing
    leerling: Leerling
    geheimen: tuple[str, ...]  # strings that must never appear in an answer
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    kwargs: Callable[[Doel], dict] | None = None
    query: Callable[[Doel], dict] | None = None
    leerlinggegevens: bool = True
    # A literal path for unnamed patterns (regex or <path:...> routes without a name).
    pad: Callable[[Doel], str] | None = None


GEEN = Route(leerlinggegevens=False)  # public / no pupil data
PK_PLAATSING = Route(kwargs=lambda d: {"pk": d.plaatsing.pk})
PK_LEERLING = Route(kwargs=lambda d: {"pk": d.leerling.pk})


def _admin_model(app_model: str, object_id: Callable[[Doel], object], *, leerlinggegevens=False):
    """The five named and one unnamed pattern the admin makes for one registered model."""
    app, model = app_model.split("_", 1)
    oid = Route(kwargs=lambda d: {"object_id": object_id(d)}, leerlinggegevens=leerlinggegevens)
    return {
        f"admin:{app_model}_changelist": Route(leerlinggegevens=leerlinggegevens),
        f"admin:{app_model}_add": Route(leerlinggegevens=leerlinggegevens),
        f"admin:{app_model}_history": oid,
        f"admin:{app_model}_delete": oid,
        f"admin:{app_model}_change": oid,
        f"beheer/{app}/{model}/<path:object_id>/": Route(
            pad=lambda d: f"/beheer/{app}/{model}/{object_id(d)}/",
            leerlinggegevens=leerlinggegevens,
        ),
    }


def _maand(d: Doel) -> str:
    return d.extra.get("maand", "2025-10")


MATRIX: dict[str, Route] = {
    # Project pages
    "healthz": GEEN,
    "favicon": GEEN,
    "home": Route(),  # the list: must not list the pupil
    "plaatsingen:detail": PK_PLAATSING,
    "plaatsingen:nieuw": Route(),
    "plaatsingen:export": Route(query=lambda d: {"fase": "alle"}),  # XLSX of the list
    # Te doen and meldingen (the POSTs answer a GET with 405)
    "tedoen": Route(),
    "scholen_zoeken": Route(query=lambda d: {"q": "school"}, leerlinggegevens=False),
    "coalitie:meldingen": Route(),
    "coalitie:melding_open": Route(kwargs=lambda d: {"pk": 0}, leerlinggegevens=False),
    "coalitie:meldingen_gelezen": GEEN,
    "routetool:tedoen_afronden": GEEN,
    "routetool:tedoen_overslaan": GEEN,
    "routetool:tedoen_uitschrijving": PK_PLAATSING,
    # The route (routetool)
    "routetool:overzicht": Route(),
    "routetool:overzicht_export": Route(),
    "routetool:transitie": PK_PLAATSING,
    "routetool:uitstroomdatum": PK_PLAATSING,
    "routetool:overdrachtsprofiel": PK_PLAATSING,
    "routetool:overdrachtsprofiel_bevestigen": PK_PLAATSING,
    "routetool:actie_afronden": Route(kwargs=lambda d: {"actie_pk": d.extra.get("actie_pk", 0)}),
    "routetool:actie_overslaan": Route(kwargs=lambda d: {"actie_pk": d.extra.get("actie_pk", 0)}),
    "routetool:actie_heropenen": Route(kwargs=lambda d: {"actie_pk": d.extra.get("actie_pk", 0)}),
    "routetool:uitschrijving": PK_PLAATSING,
    # The chain around the pupil (issue 17): casusregisseur, deelnemers, a deelnemer's start page
    "routetool:casusregisseur": PK_PLAATSING,
    "routetool:uitnodigen": PK_PLAATSING,
    "routetool:intrekken": Route(kwargs=lambda d: {"pk": d.extra.get("deelnemer_pk", 0)}),
    "deelnemer_start": Route(),
    "routetool:leerling_corrigeren": PK_PLAATSING,
    # Privacy / audit log (coalitie)
    "coalitie:privacy_zoeken": Route(),  # a POST search; the GET page shows no pupil
    "coalitie:leerling_log": PK_LEERLING,
    "coalitie:leerling_log_csv": PK_LEERLING,
    "coalitie:leerling_log_nen7513": PK_LEERLING,
    # iHUB import (beheerders of the coalition that uploaded it)
    "importeren:index": Route(),
    "importeren:status": Route(kwargs=lambda d: {"pk": d.extra.get("importbestand_pk", 0)}),
    "importeren:bevestigen": Route(kwargs=lambda d: {"pk": d.extra.get("importbestand_pk", 0)}),
    # In-app beheer of a coalition (users, organisations): no pupil data; the write side of
    # these pages is covered per coalition in tests/test_beheer_app.py.
    "beheer:index": GEEN,
    "beheer:gebruikers": GEEN,
    "beheer:gebruiker_nieuw": GEEN,
    "beheer:gebruiker": Route(kwargs=lambda d: {"pk": 1}, leerlinggegevens=False),
    "beheer:rol_intrekken": Route(kwargs=lambda d: {"pk": 1, "lid_pk": 1}, leerlinggegevens=False),
    "beheer:deactiveren": Route(kwargs=lambda d: {"pk": 1}, leerlinggegevens=False),
    "beheer:uitnodiging_opnieuw": Route(kwargs=lambda d: {"pk": 1}, leerlinggegevens=False),
    "beheer:organisaties": GEEN,
    "beheer:stamschool_nieuw": GEEN,
    "beheer:stamschool": Route(kwargs=lambda d: {"pk": 1}, leerlinggegevens=False),
    "beheer:instellingsschool": Route(
        kwargs=lambda d: {"pk": d.plaatsing.instellingsschool_id}, leerlinggegevens=False
    ),
    "beheer:locatie_nieuw": Route(
        kwargs=lambda d: {"school_pk": d.plaatsing.instellingsschool_id}, leerlinggegevens=False
    ),
    "beheer:locatie": Route(
        kwargs=lambda d: {"school_pk": d.plaatsing.instellingsschool_id, "pk": 1},
        leerlinggegevens=False,
    ),
    "routetool:routekaart": Route(
        kwargs=lambda d: {"coalitie_pk": d.extra["coalitie_pk"]}, leerlinggegevens=False
    ),
    "routetool:routekaart_actie": Route(
        kwargs=lambda d: {
            "coalitie_pk": d.extra["coalitie_pk"],
            "fase": "instroom",
            "code": "bevestigd",
        },
        leerlinggegevens=False,
    ),
    "importeren:fouten_csv": Route(kwargs=lambda d: {"pk": d.extra.get("importbestand_pk", 0)}),
    "importeren:opnieuw": Route(kwargs=lambda d: {"pk": d.extra.get("importbestand_pk", 0)}),
    # Import profiles (shared by all coalities, no pupil data): every beheerder, nobody else.
    "importeren:profielen": GEEN,
    "importeren:profiel_upload": GEEN,
    "importeren:profiel_nieuw": GEEN,
    "importeren:profiel": Route(
        kwargs=lambda d: {"pk": d.extra["importprofiel_pk"]}, leerlinggegevens=False
    ),
    "importeren:profiel_json": Route(
        kwargs=lambda d: {"pk": d.extra["importprofiel_pk"]}, leerlinggegevens=False
    ),
    # Monthly lists (rapportage)
    "rapportage:index": Route(),
    "rapportage:detail": Route(kwargs=lambda d: {"pk": d.extra.get("maandlijst_pk", 0)}),
    "rapportage:download": Route(
        kwargs=lambda d: [
            {"pk": d.extra.get("maandlijst_pk", 0), "soort": soort} for soort in ("pdf", "xlsx")
        ]
    ),
    "rapportage:zip": Route(
        kwargs=lambda d: {"coalitie_pk": d.extra["coalitie_pk"], "maand": _maand(d)}
    ),
    "rapportage:opnieuw": Route(
        kwargs=lambda d: {"coalitie_pk": d.extra["coalitie_pk"], "maand": _maand(d)}
    ),
    "rapportage:opnieuw_mailen": Route(kwargs=lambda d: {"pk": d.extra.get("maandlijst_pk", 0)}),
    # Reports (rapportage): dashboard, coalitiemonitor, routeoverzicht of one placement
    "rapport:dashboard": Route(),
    "rapport:monitor_index": Route(),
    "rapport:monitor_nieuw": Route(kwargs=lambda d: {"coalitie_pk": d.extra["coalitie_pk"]}),
    "rapport:monitor_status": Route(kwargs=lambda d: {"pk": d.extra.get("monitor_pk", 0)}),
    "rapport:monitor_download": Route(kwargs=lambda d: {"pk": d.extra.get("monitor_pk", 0)}),
    "rapport:monitor_xlsx": Route(kwargs=lambda d: {"pk": d.extra.get("monitor_pk", 0)}),
    "rapport:doelen": Route(kwargs=lambda d: {"coalitie_pk": d.extra["coalitie_pk"]}),
    # The national view (landelijk role): suppressed counts per coalition, never a pupil.
    "rapport:landelijk": GEEN,
    "rapport:landelijk_csv": GEEN,
    "rapport:landelijk_pdf": GEEN,
    "rapport:landelijk_coalitie": Route(
        kwargs=lambda d: {"coalitie_pk": d.extra["coalitie_pk"]}, leerlinggegevens=False
    ),
    "rapport:landelijk_coalitie_pdf": Route(
        kwargs=lambda d: {"coalitie_pk": d.extra["coalitie_pk"]}, leerlinggegevens=False
    ),
    "rapport:routeoverzicht": PK_PLAATSING,
    # allauth: login, password, MFA — no pupil data
    "account_login": GEEN,
    "account_logout": GEEN,
    "account_inactive": GEEN,
    "account_signup": GEEN,
    "account_reauthenticate": GEEN,
    "account_email": GEEN,
    "account_email_verification_sent": GEEN,
    "account_change_password": GEEN,
    "account_set_password": GEEN,
    "account_reset_password": GEEN,
    "account_confirm_login_code": GEEN,
    "account_confirm_email": Route(kwargs=lambda d: {"key": "onbekend"}, leerlinggegevens=False),
    "account_reset_password_from_key_done": GEEN,
    "account_reset_password_from_key": Route(
        kwargs=lambda d: {"uidb36": "1", "key": "onbekend"}, leerlinggegevens=False
    ),
    "account_reset_password_done": GEEN,
    "mfa_index": GEEN,
    "mfa_authenticate": GEEN,
    "mfa_reauthenticate": GEEN,
    "mfa_activate_totp": GEEN,
    "mfa_deactivate_totp": GEEN,
    "mfa_view_recovery_codes": GEEN,
    "mfa_generate_recovery_codes": GEEN,
    "mfa_download_recovery_codes": GEEN,
    # The admin (beheerders of their own coalition; superusers)
    "admin:index": GEEN,
    "admin:login": GEEN,
    "admin:logout": GEEN,
    "admin:password_change": GEEN,
    "admin:password_change_done": GEEN,
    "admin:autocomplete": Route(
        query=lambda d: {
            "app_label": "coalitie",
            "model_name": "school",
            "field_name": "swv",
            "term": "VO",
        },
        leerlinggegevens=False,
    ),
    "admin:jsi18n": GEEN,
    "admin:view_on_site": Route(
        kwargs=lambda d: {
            "content_type_id": ContentType.objects.get_for_model(Plaatsing).pk,
            "object_id": d.plaatsing.pk,
        }
    ),
    "admin:app_list": Route(kwargs=lambda d: {"app_label": "auditlog"}),
    "beheer/(?P<url>.*)$": Route(pad=lambda d: f"/beheer/onbekend/{d.plaatsing.pk}/"),
    **_admin_model("plaatsingen_leerling", lambda d: d.leerling.pk, leerlinggegevens=True),
    **_admin_model("plaatsingen_plaatsing", lambda d: d.plaatsing.pk, leerlinggegevens=True),
    **_admin_model(
        "plaatsingen_importbestand",
        lambda d: d.extra.get("importbestand_pk", 0),
        leerlinggegevens=True,
    ),
    **_admin_model("plaatsingen_importprofiel", lambda d: 1),  # column names, no pupils
    **_admin_model("auth_group", lambda d: 1),
    **_admin_model("account_emailaddress", lambda d: 1),
    **_admin_model("mfa_authenticator", lambda d: 1),
    # The change log holds old -> new values, including names: only superusers may read it.
    **_admin_model("auditlog_logentry", lambda d: d.extra["logentry_pk"], leerlinggegevens=True),
    **_admin_model("coalitie_coalitie", lambda d: d.extra["coalitie_pk"]),
    **_admin_model("coalitie_samenwerkingsverband", lambda d: d.plaatsing.verantwoordelijk_swv_id),
    **_admin_model("coalitie_instellingsschool", lambda d: d.plaatsing.instellingsschool_id),
    **_admin_model("coalitie_school", lambda d: 1),
    **_admin_model("coalitie_user", lambda d: 1),
    **_admin_model("routetool_routekaart", lambda d: 1),
    **_admin_model(
        "rapportage_maandlijst", lambda d: d.extra.get("maandlijst_pk", 0), leerlinggegevens=True
    ),
}


def urls_voor(patroon: Patroon, doel: Doel) -> list[str]:
    """The URL(s) of a pattern for `doel`; `kwargs` may give a list (e.g. pdf and xlsx)."""
    from urllib.parse import urlencode

    route = MATRIX[patroon.sleutel]
    if route.pad is not None:
        urls = [route.pad(doel)]
    else:
        varianten = route.kwargs(doel) if route.kwargs else {}
        if isinstance(varianten, dict):
            varianten = [varianten]
        urls = [reverse(patroon.naam, kwargs=kw) for kw in varianten]
    if route.query:
        urls = [f"{url}?{urlencode(route.query(doel))}" for url in urls]
    return urls


# --- Reading every kind of answer ------------------------------------------------------------


def tekst_uit(data: bytes) -> str:
    """All text in an answer: HTML/CSV as is, PDF via pypdf, XLSX via openpyxl, ZIP per member."""
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            namen = zf.namelist()
            if "xl/workbook.xml" in namen:
                import openpyxl

                wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
                cellen = [
                    str(v)
                    for ws in wb.worksheets
                    for row in ws.iter_rows(values_only=True)
                    for v in row
                    if v is not None
                ]
                return "\n".join(cellen)
            return "\n".join(tekst_uit(zf.read(n)) for n in namen)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="ignore")
    return data.decode("utf-8", errors="ignore")


def antwoord_tekst(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return tekst_uit(data) + "\n" + response.get("Location", "")


# --- The check ---------------------------------------------------------------------------------


def lekken(user, doel: Doel, patronen: list[Patroon] | None = None) -> list[str]:
    """Request every pattern as `user` (None: anonymous); return the ones that leak `doel`."""
    gevonden = []
    for patroon in patronen or alle_patronen():
        client = Client()
        if user is not None:
            client.force_login(user)
        for url in urls_voor(patroon, doel):
            response = client.get(url)
            tekst = antwoord_tekst(response).casefold()
            if any(geheim.casefold() in tekst for geheim in doel.geheimen):
                gevonden.append(f"{patroon.sleutel} ({url}) -> {response.status_code}")
    return gevonden


def _maak_doel(roepnaam, achternaam, nummer, swv_code, school) -> Doel:
    leerling = LeerlingFactory(roepnaam=roepnaam, achternaam=achternaam, leerlingnummer=nummer)
    plaatsing = PlaatsingFactory(
        leerling=leerling,
        verantwoordelijk_swv=swv(swv_code),
        instellingsschool=instellingsschool(school),
        startdatum=dt.date(2025, 9, 1),
    )
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(leerling).first()
    doel = Doel(
        plaatsing=plaatsing,
        leerling=leerling,
        geheimen=(roepnaam, achternaam, nummer),
        extra={
            "coalitie_pk": plaatsing.instellingsschool.coalitie_id,
            "logentry_pk": entry.pk if entry else 0,
        },
    )
    _maak_afgeleide_objecten(doel)
    return doel


def _maak_afgeleide_objecten(doel: Doel) -> None:
    """Objects other apps derive from the placement (its route actions, the SWV's monthly
    list with it), made through their services when those exist."""
    try:
        from routetool.models import Actie
        from routetool.services import route_starten
    except ImportError:
        pass
    else:
        route_starten(plaatsingen=[doel.plaatsing], door=SYSTEEM)
        actie = Actie.objects.filter(plaatsing=doel.plaatsing).first()
        doel.extra["actie_pk"] = actie.pk if actie else 0
    from plaatsingen.deelnemers import deelnemer_uitnodigen

    # A deelnemer of this placement (someone else): the revoke URL gets a real id.
    doel.extra["deelnemer_pk"] = deelnemer_uitnodigen(
        plaatsing_id=doel.plaatsing.pk,
        naam="Stam Contact",
        email=f"stam-{doel.plaatsing.pk}@example.org",
        organisatie="Stamschool",
        soort="stamschool",
        door=SYSTEEM,
    ).pk
    try:
        from plaatsingen.models import ImportBestand
    except ImportError:
        pass
    else:
        # An import by a beheerder of the pupil's coalition whose preview lists the pupil.
        from coalitie.models import Rol

        from .factories import LidmaatschapFactory

        beheerder = LidmaatschapFactory(
            rol=Rol.BEHEERDER, coalitie=doel.plaatsing.instellingsschool.coalitie
        ).user
        ib = ImportBestand.objects.create(
            oorspronkelijke_naam="export.csv",
            sha256="0" * 64,
            door=beheerder,
            status="voorbeeld",
            voorbeeld={"nieuw": [[doel.leerling.leerlingnummer, "Rijnstroom College", "", ""]]},
        )
        doel.extra["importbestand_pk"] = ib.pk
        from plaatsingen.models import ImportProfiel

        profiel, _ = ImportProfiel.objects.get_or_create(
            naam="Matrixaanbieder",
            defaults={"kolommen": {"Leerlingnummer": "Nummer"}, "datumformaat": "%Y-%m-%d"},
        )
        doel.extra["importprofiel_pk"] = profiel.pk
    try:
        from rapportage.services import maandlijst_maken  # type: ignore[attr-defined]
    except ImportError:
        return
    lijst, _ = maandlijst_maken(
        swv=doel.plaatsing.verantwoordelijk_swv, maand=dt.date(2025, 10, 1), door=SYSTEEM
    )
    doel.extra["maandlijst_pk"] = lijst.pk
    doel.extra["maand"] = "2025-10"


@pytest.fixture
def doel_swv_b(db):
    """A pupil of SWV B at Rijnstroom: hidden from everyone but SWV B and coalition Zuid-West."""
    return _maak_doel(
        "Zwaluwstaart", "Geheimhouder", "L98765GEHEIM", "VO 28-07", "Rijnstroom College"
    )


@pytest.fixture
def doel_swv_a(db):
    """A pupil of SWV A at Rijnstroom: what the contact of SWV B may not see."""
    return _maak_doel(
        "Klaproosveld", "Verborgenhuis", "L12345VERBORGEN", "VO 28-06", "Rijnstroom College"
    )


PERSONAS = [
    "contact_swv_a",
    "contact_swv_b",
    "medewerker_schakenbosch",
    "procesregisseur_andere_coalitie",
    "penvoerder_andere_coalitie",
    "beheerder_andere_coalitie",
    "landelijk",
    "aanbieder_ihub",
    "deelnemer_elders",
    "anoniem",
]


# --- Tests -------------------------------------------------------------------------------------


def test_every_url_pattern_is_in_the_matrix():
    ontbrekend = sorted({p.sleutel for p in alle_patronen()} - set(MATRIX))
    assert not ontbrekend, (
        "Deze URL-patronen staan niet in MATRIX (tests/test_access_matrix.py); voeg ze toe met "
        "hoe de URL voor een onzichtbare plaatsing wordt gebouwd: " + ", ".join(ontbrekend)
    )


def test_the_matrix_has_no_entries_for_patterns_that_no_longer_exist():
    verouderd = sorted(set(MATRIX) - {p.sleutel for p in alle_patronen()})
    assert not verouderd, "MATRIX noemt patronen die niet meer bestaan: " + ", ".join(verouderd)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_a_pupil_to_a_persona_outside_its_scope(
    request, persona, doel_swv_a, doel_swv_b
):
    user = None if persona == "anoniem" else request.getfixturevalue(persona)
    doel = doel_swv_a if persona == "contact_swv_b" else doel_swv_b
    bekend = [p for p in alle_patronen() if p.sleutel in MATRIX]
    gelekt = lekken(user, doel, bekend)
    assert not gelekt, f"{persona} ziet een leerling buiten zijn bereik op: " + "; ".join(gelekt)


# Pages where the coalition's own beheerder does see the pupil: proof that the URL the matrix
# builds reaches real data and that the text extraction (PDF, XLSX, ZIP, CSV) finds the name.
# Without this, an entry pointing at a missing id would pass for every persona.
ZICHTBAAR_VOOR_BEHEERDER = [
    "home",
    "plaatsingen:export",
    "routetool:overzicht_export",
    "plaatsingen:detail",
    "coalitie:leerling_log",
    "coalitie:leerling_log_csv",
    "coalitie:leerling_log_nen7513",
    "rapportage:download",
    "rapportage:zip",
    "rapport:routeoverzicht",
    "importeren:status",
]


def test_the_matrix_sees_the_pupil_where_it_is_allowed(beheerder, doel_swv_b):
    patronen = [p for p in alle_patronen() if p.sleutel in ZICHTBAAR_VOOR_BEHEERDER]
    gezien = lekken(beheerder, doel_swv_b, patronen)
    verwacht = sum(len(urls_voor(p, doel_swv_b)) for p in patronen)
    assert len(gezien) == verwacht, "\n".join(gezien)


def test_pages_marked_without_pupil_data_show_none_even_to_the_pupils_coalition(
    beheerder, doel_swv_b
):
    """`leerlinggegevens=False` is a claim: check it as someone who may see the pupil."""
    patronen = [
        p for p in alle_patronen() if p.sleutel in MATRIX and not MATRIX[p.sleutel].leerlinggegevens
    ]
    assert lekken(beheerder, doel_swv_b, patronen) == []


def test_the_matrix_catches_a_view_without_its_visibility_check(
    monkeypatch, contact_swv_a, doel_swv_b
):
    """Remove the visibility filter from get_plaatsing_for_user (in every module that imported
    it) and the check must report the detail page as a leak."""
    import plaatsingen.selectors as selectors

    origineel = selectors.get_plaatsing_for_user

    def zonder_filter(user, pk, *, write=False, queryset=None):
        qs = queryset if queryset is not None else Plaatsing.objects.met_lijstgegevens()
        return qs.get(pk=int(pk))

    for module in list(sys.modules.values()):
        if getattr(module, "get_plaatsing_for_user", None) is origineel:
            monkeypatch.setattr(module, "get_plaatsing_for_user", zonder_filter)

    detail = [p for p in alle_patronen() if p.sleutel == "plaatsingen:detail"]
    assert lekken(contact_swv_a, doel_swv_b, detail)


def test_text_is_extracted_from_pdf_xlsx_and_zip():
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["B2"] = "Zwaluwstaart"
    xlsx = io.BytesIO()
    wb.save(xlsx)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("lijst.xlsx", xlsx.getvalue())
        zf.writestr("lijst.csv", "naam;Klaproosveld\n")
    tekst = tekst_uit(zipped.getvalue())
    assert "Zwaluwstaart" in tekst and "Klaproosveld" in tekst

    import weasyprint

    pdf = weasyprint.HTML(string="<p>Geheimhouder</p>").write_pdf()
    assert "Geheimhouder" in tekst_uit(pdf)


def test_the_national_role_gets_404_on_every_pupil_url(landelijk, doel_swv_b):
    """The national role (VO-raad, OCW) is in no pupil's scope: every URL about one placement
    or pupil answers 404, not a page without data."""
    patronen = [
        p
        for p in alle_patronen()
        if p.sleutel in MATRIX
        and MATRIX[p.sleutel].kwargs in (PK_PLAATSING.kwargs, PK_LEERLING.kwargs)
        and not p.sleutel.startswith("admin:")
    ]
    assert len(patronen) >= 5
    client = Client()
    client.force_login(landelijk)
    for patroon in patronen:
        for url in urls_voor(patroon, doel_swv_b):
            response = client.get(url)
            if response.status_code == 405:  # a form's POST-only URL
                response = client.post(url)
            assert response.status_code == 404, url
