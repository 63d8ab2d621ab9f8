"""Validate a whole export and work out what importing it would do, without writing anything.

All lookups are fetched up front in a handful of queries (no query per row); the result is a
`Plan` that the preview shows and `toepassen.pas_toe` carries out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import BinaryIO

from django.utils import timezone

from coalitie.models import Instellingsschool, Locatie, Rol, Samenwerkingsverband, School, Verblijf
from coalitie.selectors import scope_van
from plaatsingen.models import (
    Geslacht,
    Leerling,
    Niveau,
    Plaatsing,
    RedenUitschrijving,
    VervolgplekSoort,
)
from plaatsingen.resources import IhubPlaatsingResource

from . import normaliseren as norm
from .lezen import BestandFout, lees

Voortgang = Callable[[str, int, int], None]
CHUNK = 5000  # ids per IN (...) query: well below SQLite's and PostgreSQL's parameter limits
VOORTGANG_ELKE = 500

LEERLING_VELDEN = (
    "achternaam",
    "tussenvoegsel",
    "roepnaam",
    "geboortedatum",
    "geslacht",
    "postcode",
    "woonplaats",
)
# Fields the export owns. Stamschool, vervolgschool and einddatum are only filled or changed by
# the export, never cleared by an empty cell: the SWV or the school may have recorded them by hand.
PLAATSING_VELDEN = (
    "locatie_id",
    "einddatum",
    "verblijf",
    "stamschool_id",
    "verantwoordelijk_swv_id",
    "niveau",
    "leerjaar",
    "reden_uitschrijving",
    "vervolgschool_id",
)
NIET_WISSEN = {"einddatum", "stamschool_id", "vervolgschool_id"}
VELD_LABEL = {
    "locatie_id": "locatie",
    "einddatum": "datum uitschrijving",
    "verblijf": "verblijf",
    "stamschool_id": "stamschool",
    "verantwoordelijk_swv_id": "SWV",
    "niveau": "niveau",
    "leerjaar": "leerjaar",
    "reden_uitschrijving": "reden uitschrijving",
    "vervolgschool_id": "vervolgschool",
    "vervolgplek_soort": "soort vervolgplek",
}


@dataclass(slots=True)
class Rij:
    regel: int
    leerlingnummer: str
    leerling: dict
    instellingsschool_id: int
    startdatum: dt.date
    locatie_id: int | None
    einddatum: dt.date | None
    verblijf: str
    stamschool_brin: str
    verantwoordelijk_swv_id: int
    niveau: str
    leerjaar: int | None
    reden_uitschrijving: str
    vervolgschool_brin: str


@dataclass
class Wijziging:
    plaatsing: Plaatsing | None  # None: a new placement (only leerling fields changed)
    rij: Rij
    velden: dict[str, tuple] = field(default_factory=dict)  # model field → (old, new)
    leerling_velden: dict[str, tuple] = field(default_factory=dict)


@dataclass
class Plan:
    fouten: list[str] = field(default_factory=list)
    meldingen: list[str] = field(default_factory=list)
    aantal_rijen: int = 0
    nieuw: list[Rij] = field(default_factory=list)
    gewijzigd: list[Wijziging] = field(default_factory=list)  # existing placements that change
    ongewijzigd: int = 0
    nieuwe_scholen: dict[str, tuple[str, int]] = field(default_factory=dict)  # brin → (naam, swv)
    leerlingen: dict[str, SimpleNamespace] = field(default_factory=dict)  # existing, by number
    nieuwe_leerlingen: dict[str, dict] = field(default_factory=dict)
    gewijzigde_leerlingen: list[tuple[Leerling, dict]] = field(default_factory=list)
    leerling_wijziging_bij_nieuw: dict[tuple, dict] = field(default_factory=dict)
    # lookups the apply step needs for display values
    scholen: dict[str, School] = field(default_factory=dict)
    swv_codes: dict[int, str] = field(default_factory=dict)
    locatie_namen: dict[int, str] = field(default_factory=dict)
    school_namen: dict[int, str] = field(default_factory=dict)

    @property
    def afgewezen(self) -> bool:
        return bool(self.fouten)


def _sleutel(kopje: str) -> str:
    return " ".join(kopje.lower().split())


def _in_stukken(waarden):
    waarden = list(waarden)
    for i in range(0, len(waarden), CHUNK):
        yield waarden[i : i + CHUNK]


def _toegestane_scholen(door) -> set[int] | None:
    """Instellingsschool ids a user may import; None means all (command line, superuser)."""
    if door is None:
        return None
    scope = scope_van(door)
    if scope.is_superuser:
        return None
    return set(
        Instellingsschool.objects.filter(
            coalitie_id__in=scope.coalities(Rol.BEHEERDER)
        ).values_list("pk", flat=True)
    )


def maak_plan(bron: BinaryIO, *, door=None, voortgang: Voortgang | None = None) -> Plan:
    plan = Plan()
    try:
        gelezen = lees(bron)
        _lees_rijen(plan, gelezen, door=door, voortgang=voortgang)
    except BestandFout as exc:
        plan.fouten.append(str(exc))
    return plan


def _lees_rijen(plan: Plan, gelezen, *, door, voortgang) -> None:
    kolommen = IhubPlaatsingResource.kolommen()  # column header → field name
    per_sleutel = {_sleutel(k): (k, v) for k, v in kolommen.items()}
    kolomnaam = {v: k for k, v in kolommen.items()}
    index: dict[str, int] = {}
    onbekend = []
    for i, kopje in enumerate(gelezen.kopjes):
        gevonden = per_sleutel.get(_sleutel(kopje))
        if gevonden and gevonden[1] not in index:
            index[gevonden[1]] = i
        elif kopje:
            onbekend.append(kopje)
    if onbekend:
        plan.meldingen.append(
            "Deze kolommen kennen we niet; ze zijn genegeerd: " + ", ".join(onbekend) + "."
        )
    for veld in IhubPlaatsingResource.VERPLICHTE_KOLOMMEN:
        if veld not in index:
            plan.fouten.append(
                f"De verplichte kolom '{kolomnaam[veld]}' ontbreekt; het bestand is afgewezen."
            )
    if plan.fouten:
        return

    # Small reference tables: fetched whole, once.
    swvs = dict(Samenwerkingsverband.objects.values_list("code", "pk"))
    plan.swv_codes = {pk: code for code, pk in swvs.items()}
    scholen_op_naam = {
        _sleutel(naam): pk for pk, naam in Instellingsschool.objects.values_list("pk", "naam")
    }
    plan.school_namen = dict(Instellingsschool.objects.values_list("pk", "naam"))
    locaties = {}
    for pk, school_id, naam in Locatie.objects.values_list("pk", "instellingsschool_id", "naam"):
        locaties[(school_id, _sleutel(naam))] = pk
        plan.locatie_namen[pk] = naam
    toegestaan = _toegestane_scholen(door)
    vandaag = timezone.localdate()
    verblijven = set(Verblijf.values)
    niveaus = set(Niveau.values)
    redenen = set(RedenUitschrijving.values)
    geslachten = set(Geslacht.values)
    max_lengte = {f.name: f.max_length for f in Leerling._meta.fields if f.max_length}

    rijen: list[Rij] = []
    eerste_regel: dict[tuple, int] = {}
    school_namen_in_bestand: dict[str, tuple[str, int]] = {}

    for nummer, cellen in gelezen.rijen:
        if not any(c != "" for c in cellen):
            continue  # blank (trailing) lines
        plan.aantal_rijen += 1
        if voortgang and plan.aantal_rijen % VOORTGANG_ELKE == 0:
            voortgang("controleren", plan.aantal_rijen, gelezen.totaal_geschat)
        fouten: list[str] = []

        def cel(veld, cellen=cellen):
            i = index.get(veld)
            return cellen[i] if i is not None and i < len(cellen) else ""

        def fout(veld, melding, nummer=nummer, fouten=fouten):
            fouten.append(f"regel {nummer}, kolom {kolomnaam[veld]}: {melding}")

        def waarde(veld, omzetten, *args, fout=fout):
            ruw = cel(veld)
            if ruw == "":
                if veld in IhubPlaatsingResource.VERPLICHTE_KOLOMMEN:
                    fout(veld, "verplichte waarde ontbreekt")
                return None
            try:
                return omzetten(ruw, *args)
            except norm.Ongeldig as exc:
                fout(veld, str(exc))
                return None

        leerlingnummer = waarde("leerlingnummer", norm.tekst, max_lengte["leerlingnummer"])
        leerling = {
            "achternaam": waarde("achternaam", norm.tekst, max_lengte["achternaam"]),
            "tussenvoegsel": waarde("tussenvoegsel", norm.tekst, max_lengte["tussenvoegsel"]) or "",
            "roepnaam": waarde("roepnaam", norm.tekst, max_lengte["roepnaam"]),
            "geboortedatum": waarde("geboortedatum", norm.datum),
            "geslacht": (waarde("geslacht", norm.tekst, 1) or "").upper(),
            "postcode": waarde("postcode", norm.tekst, max_lengte["postcode"]) or "",
            "woonplaats": waarde("woonplaats", norm.tekst, max_lengte["woonplaats"]) or "",
        }
        if leerling["geslacht"] and leerling["geslacht"] not in geslachten:
            fout("geslacht", f"onbekend geslacht '{cel('geslacht')}' (M, V of X)")
        if leerling["geboortedatum"] and leerling["geboortedatum"] > vandaag:
            fout("geboortedatum", "de geboortedatum ligt in de toekomst")

        school_id = None
        school_naam = cel("instellingsschool")
        if school_naam == "":
            fout("instellingsschool", "verplichte waarde ontbreekt")
        else:
            school_id = scholen_op_naam.get(_sleutel(school_naam))
            if school_id is None:
                fout("instellingsschool", f"onbekende instellingsschool '{school_naam}'")
            elif toegestaan is not None and school_id not in toegestaan:
                fout("instellingsschool", "instellingsschool hoort niet bij uw coalitie")
                school_id = None
        locatie_id = None
        locatie_naam = cel("locatie")
        if locatie_naam == "":
            fout("locatie", "verplichte waarde ontbreekt")
        elif school_id is not None:
            locatie_id = locaties.get((school_id, _sleutel(locatie_naam)))
            if locatie_id is None:
                fout("locatie", f"onbekende locatie '{locatie_naam}' van deze instellingsschool")

        startdatum = waarde("startdatum", norm.datum)
        einddatum = waarde("einddatum", norm.datum)
        if startdatum and einddatum and einddatum < startdatum:
            fout(
                "einddatum",
                f"de datum uitschrijving ({einddatum:%d-%m-%Y}) ligt vóór de datum inschrijving "
                f"({startdatum:%d-%m-%Y})",
            )
        verblijf = waarde("verblijf", norm.keuze, verblijven, "verblijf")
        niveau = waarde("niveau", norm.keuze, niveaus, "niveau") or ""
        leerjaar = waarde("leerjaar", norm.geheel_getal)
        reden = waarde("reden_uitschrijving", norm.keuze, redenen, "reden uitschrijving") or ""

        swv_id = None
        swv_ruw = cel("swv")
        if swv_ruw == "":
            fout("swv", "verplichte waarde ontbreekt")
        else:
            swv_id = swvs.get(norm.swv_code(swv_ruw))
            if swv_id is None:
                fout("swv", f"onbekende SWV-code '{swv_ruw}'")

        brins = {}
        for soort in ("stamschool", "vervolgschool"):
            code = waarde(f"{soort}_brin", norm.brin) or ""
            brins[soort] = code
            if code and swv_id:
                naam = cel(f"{soort}_naam") or code
                school_namen_in_bestand.setdefault(code, (naam[:200], swv_id))

        if not fouten and leerlingnummer and school_id and startdatum:
            sleutel = (leerlingnummer, school_id, startdatum)
            eerder = eerste_regel.get(sleutel)
            if eerder is not None:
                fout("leerlingnummer", f"dezelfde plaatsing staat ook op regel {eerder}")
            else:
                eerste_regel[sleutel] = nummer
        if fouten:
            plan.fouten.extend(fouten)
            continue
        rijen.append(
            Rij(
                regel=nummer,
                leerlingnummer=leerlingnummer,
                leerling=leerling,
                instellingsschool_id=school_id,
                startdatum=startdatum,
                locatie_id=locatie_id,
                einddatum=einddatum,
                verblijf=verblijf,
                stamschool_brin=brins["stamschool"],
                verantwoordelijk_swv_id=swv_id,
                niveau=niveau,
                leerjaar=leerjaar,
                reden_uitschrijving=reden,
                vervolgschool_brin=brins["vervolgschool"],
            )
        )
    if voortgang:
        voortgang("vergelijken", plan.aantal_rijen, plan.aantal_rijen)
    if plan.aantal_rijen == 0 and not plan.fouten:
        plan.fouten.append("Het bestand bevat geen plaatsingen.")
    if plan.fouten:
        return
    _vergelijk(plan, rijen, school_namen_in_bestand, kolomnaam)


def _vergelijk(plan: Plan, rijen: list[Rij], school_namen_in_bestand, kolomnaam) -> None:
    """Prefetch what exists (a few queries) and sort every row into new / changed / unchanged."""
    for stuk in _in_stukken(school_namen_in_bestand):
        for school in School.objects.filter(brin__in=stuk).only("pk", "brin", "naam"):
            plan.scholen[school.brin] = school
    plan.nieuwe_scholen = {
        brin: waarde for brin, waarde in school_namen_in_bestand.items() if brin not in plan.scholen
    }

    # Plain rows, not model instances: building 2 × 25,000 instances costs more than the
    # queries. Only what changes becomes a model instance (for bulk_update).
    leerlingen = plan.leerlingen
    for stuk in _in_stukken({r.leerlingnummer for r in rijen}):
        for pk, nummer, *waarden in Leerling.objects.filter(leerlingnummer__in=stuk).values_list(
            "pk", "leerlingnummer", *LEERLING_VELDEN
        ):
            leerlingen[nummer] = SimpleNamespace(
                pk=pk, leerlingnummer=nummer, **dict(zip(LEERLING_VELDEN, waarden, strict=True))
            )
    bestaand: dict[tuple, SimpleNamespace] = {}
    per_leerling: dict[int, list[SimpleNamespace]] = {}
    kolommen = ("pk", "leerling_id", "instellingsschool_id", "startdatum", *PLAATSING_VELDEN)
    kolommen += ("vervolgplek_soort",)
    for stuk in _in_stukken(le.pk for le in leerlingen.values()):
        for waarden in (
            Plaatsing.objects.filter(leerling_id__in=stuk).order_by().values_list(*kolommen)
        ):
            p = SimpleNamespace(**dict(zip(kolommen, waarden, strict=True)))
            bestaand[(p.leerling_id, p.instellingsschool_id, p.startdatum)] = p
            per_leerling.setdefault(p.leerling_id, []).append(p)
    bekend = {s.pk for s in plan.scholen.values()}
    school_ids = {
        pid
        for p in bestaand.values()
        for pid in (p.stamschool_id, p.vervolgschool_id)
        if pid and pid not in bekend
    }
    for stuk in _in_stukken(school_ids):
        for school in School.objects.filter(pk__in=stuk).only("pk", "brin", "naam"):
            plan.scholen.setdefault(school.brin, school)
    brin_van = {s.pk: s.brin for s in plan.scholen.values()}

    # The newest row of a pupil carries the pupil's current name and address.
    nieuwste: dict[str, Rij] = {}
    for rij in rijen:
        huidig = nieuwste.get(rij.leerlingnummer)
        if huidig is None or rij.startdatum >= huidig.startdatum:
            nieuwste[rij.leerlingnummer] = rij
    leerling_wijzigingen: dict[str, dict] = {}
    for nummer, rij in nieuwste.items():
        leerling = leerlingen.get(nummer)
        if leerling is None:
            plan.nieuwe_leerlingen[nummer] = rij.leerling
            continue
        verschil = {
            veld: (getattr(leerling, veld), nieuw)
            for veld, nieuw in rij.leerling.items()
            if getattr(leerling, veld) != nieuw
        }
        if verschil:
            leerling_wijzigingen[nummer] = verschil
            plan.gewijzigde_leerlingen.append(
                (Leerling(pk=leerling.pk, leerlingnummer=nummer, **rij.leerling), verschil)
            )

    open_na_import: dict[str, list[int]] = {}
    gezien: set[int] = set()
    for rij in rijen:
        leerling = leerlingen.get(rij.leerlingnummer)
        p = None
        if leerling is not None:
            p = bestaand.get((leerling.pk, rij.instellingsschool_id, rij.startdatum))
        leerling_verschil = (
            leerling_wijzigingen.get(rij.leerlingnummer)
            if nieuwste[rij.leerlingnummer] is rij
            else None
        )
        if p is None:
            plan.nieuw.append(rij)
            if leerling_verschil:
                plan.leerling_wijziging_bij_nieuw[
                    (rij.leerlingnummer, rij.instellingsschool_id, rij.startdatum)
                ] = leerling_verschil
            if rij.einddatum is None:
                open_na_import.setdefault(rij.leerlingnummer, []).append(rij.regel)
            continue
        gezien.add(p.pk)
        velden = _plaatsing_verschil(p, rij, plan, brin_van)
        if (p.einddatum if "einddatum" not in velden else velden["einddatum"][1]) is None:
            open_na_import.setdefault(rij.leerlingnummer, []).append(rij.regel)
        if velden or leerling_verschil:
            plan.gewijzigd.append(
                Wijziging(
                    plaatsing=Plaatsing(**vars(p)),
                    rij=rij,
                    velden=velden,
                    leerling_velden=leerling_verschil or {},
                )
            )
        else:
            plan.ongewijzigd += 1

    # A pupil is never at two schools at once: the database refuses it, so say which line.
    for nummer, regels in open_na_import.items():
        leerling = leerlingen.get(nummer)
        elders_open = 0
        if leerling is not None:
            elders_open = sum(
                1
                for p in per_leerling.get(leerling.pk, [])
                if p.pk not in gezien and p.einddatum is None
            )
        if len(regels) + elders_open > 1:
            for regel in regels if elders_open else regels[1:]:
                plan.fouten.append(
                    f"regel {regel}, kolom {kolomnaam['einddatum']}: deze leerling heeft al een "
                    "andere plaatsing zonder datum uitschrijving"
                )


def _plaatsing_verschil(p: Plaatsing, rij: Rij, plan: Plan, brin_van) -> dict[str, tuple]:
    nieuw = {
        "locatie_id": rij.locatie_id,
        "einddatum": rij.einddatum,
        "verblijf": rij.verblijf,
        "stamschool_id": rij.stamschool_brin or None,
        "verantwoordelijk_swv_id": rij.verantwoordelijk_swv_id,
        "niveau": rij.niveau,
        "leerjaar": rij.leerjaar,
        "reden_uitschrijving": rij.reden_uitschrijving,
        "vervolgschool_id": rij.vervolgschool_brin or None,
    }
    verschil = {}
    for veld, waarde in nieuw.items():
        oud = getattr(p, veld)
        if veld in ("stamschool_id", "vervolgschool_id"):
            oud = brin_van.get(oud) if oud else None  # compared by BRIN: new schools have no id
        if veld in NIET_WISSEN and waarde is None:
            continue
        if oud != waarde:
            verschil[veld] = (oud, waarde)
    if "vervolgschool_id" in verschil and p.vervolgplek_soort != VervolgplekSoort.SCHOOL:
        verschil["vervolgplek_soort"] = (p.vervolgplek_soort, VervolgplekSoort.SCHOOL.value)
    return verschil


def toon(plan: Plan, veld: str, waarde) -> str:
    """A value as the preview and the history show it."""
    if waarde is None or waarde == "":
        return "—"
    if isinstance(waarde, dt.date):
        return waarde.strftime("%d-%m-%Y")
    if veld == "locatie_id":
        return plan.locatie_namen.get(waarde, str(waarde))
    if veld == "verantwoordelijk_swv_id":
        return plan.swv_codes.get(waarde, str(waarde))
    if veld in ("stamschool_id", "vervolgschool_id"):
        school = plan.scholen.get(waarde)
        naam = school.naam if school else plan.nieuwe_scholen.get(waarde, ("",))[0]
        return f"{waarde} {naam}".strip()
    return str(waarde)
