"""First pass over an export: check every row on its own and park the valid ones.

One streaming pass: each row is checked against the reference data (fetched whole, once) and,
when valid, written to the scratch table `ImportRij` in batches. What needs more than one row
(the same placement twice) is asked of that table afterwards in one query. Memory holds one
batch of rows, the capped errors and the schools named in the file.
"""

from __future__ import annotations

import uuid

from django.db.models import F, Min, Window
from django.utils import timezone

from coalitie import toegang
from coalitie.models import Instellingsschool, Locatie, Samenwerkingsverband, School, Verblijf
from config.bulk import bulk_insert
from plaatsingen.models import Geslacht, ImportRij, Leerling, Niveau, RedenUitschrijving
from plaatsingen.resources import IhubPlaatsingResource

from . import normaliseren as norm
from .lezen import Gelezen
from .plan import MAX_FOUTEN, Plan, Voortgang, in_stukken

BATCH = 2000
VOORTGANG_ELKE = 500


def _sleutel(kopje: str) -> str:
    return " ".join(kopje.lower().split())


def _toegestane_scholen(door) -> set[int] | None:
    """Instellingsschool ids a user may import; None means all (the system, a superuser).
    The command line imports as SYSTEEM."""
    toegang.vereis_actor(door)
    if toegang.is_systeem(door):
        return None
    coalities = toegang.beheerde_coalities(door)
    if coalities is None:
        return None
    return set(
        Instellingsschool.objects.filter(coalitie_id__in=coalities).values_list("pk", flat=True)
    )


def _kolommen(plan: Plan, kopjes: list[str]) -> dict[str, int] | None:
    """Column index per field, or None (with the errors noted) when a required one is missing."""
    kolommen = IhubPlaatsingResource.kolommen()  # column header → field name
    per_sleutel = {_sleutel(k): v for k, v in kolommen.items()}
    kolomnaam = {v: k for k, v in kolommen.items()}
    index: dict[str, int] = {}
    onbekend = []
    for i, kopje in enumerate(kopjes):
        veld = per_sleutel.get(_sleutel(kopje))
        if veld and veld not in index:
            index[veld] = i
        elif kopje:
            onbekend.append(kopje)
    if onbekend:
        plan.meldingen.append(
            "Deze kolommen kennen we niet; ze zijn genegeerd: " + ", ".join(onbekend) + "."
        )
    for veld in IhubPlaatsingResource.VERPLICHTE_KOLOMMEN:
        if veld not in index:
            plan.fout(
                f"De verplichte kolom '{kolomnaam[veld]}' ontbreekt; het bestand is afgewezen."
            )
    return None if plan.fouten else index


class _Regels:
    """The reference data every row is checked against (small tables, fetched once)."""

    def __init__(self, plan: Plan, door):
        self.swvs = dict(Samenwerkingsverband.objects.values_list("code", "pk"))
        plan.swv_codes = {pk: code for code, pk in self.swvs.items()}
        plan.school_namen = dict(Instellingsschool.objects.values_list("pk", "naam"))
        self.scholen_op_naam = {_sleutel(naam): pk for pk, naam in plan.school_namen.items()}
        self.locaties = {}
        for pk, school_id, naam in Locatie.objects.values_list(
            "pk", "instellingsschool_id", "naam"
        ):
            self.locaties[(school_id, _sleutel(naam))] = pk
            plan.locatie_namen[pk] = naam
        self.toegestaan = _toegestane_scholen(door)
        self.vandaag = timezone.localdate()
        self.verblijven = set(Verblijf.values)
        self.niveaus = set(Niveau.values)
        self.redenen = set(RedenUitschrijving.values)
        self.geslachten = set(Geslacht.values)
        self.max_lengte = {f.name: f.max_length for f in Leerling._meta.fields if f.max_length}
        self.kolomnaam = {v: k for k, v in IhubPlaatsingResource.kolommen().items()}


def controleer(
    plan: Plan, gelezen: Gelezen, *, partij: uuid.UUID, door, voortgang: Voortgang | None
) -> None:
    """Check every row; valid rows go to `ImportRij` under `partij`, errors to the plan."""
    index = _kolommen(plan, gelezen.kopjes)
    if index is None:
        return
    regels = _Regels(plan, door)
    school_namen_in_bestand: dict[str, tuple[str, int]] = {}
    buffer: list[dict] = []
    nu = timezone.now()
    for nummer, cellen in gelezen.rijen:
        if not any(c != "" for c in cellen):
            continue  # blank (trailing) lines
        plan.aantal_rijen += 1
        if voortgang and plan.aantal_rijen % VOORTGANG_ELKE == 0:
            voortgang("controleren", plan.aantal_rijen, gelezen.totaal_geschat)
        rij = _controleer_rij(plan, regels, index, nummer, cellen, school_namen_in_bestand)
        if rij is not None:
            # Parked even when the file is already rejected: the duplicates check below
            # looks among all valid rows, so the user gets every error in one go.
            rij.update(partij=partij, aangemaakt_op=nu)
            buffer.append(rij)
            if len(buffer) >= BATCH:
                bulk_insert(ImportRij, buffer)
                buffer.clear()
    bulk_insert(ImportRij, buffer)
    if voortgang:
        voortgang("controleren", plan.aantal_rijen, plan.aantal_rijen)
    if plan.aantal_rijen == 0 and not plan.fouten:
        plan.fout("Het bestand bevat geen plaatsingen.")
    plan.sluit_fouten_af(_dubbele_plaatsingen(partij, regels.kolomnaam))
    if not plan.fouten:
        _nieuwe_scholen(plan, school_namen_in_bestand)


def _controleer_rij(plan, regels: _Regels, index, nummer, cellen, scholen_in_bestand):
    """The row as `ImportRij` fields, or None when it has errors (noted in the plan)."""
    fouten: list[str] = []
    kolomnaam, max_lengte = regels.kolomnaam, regels.max_lengte

    def cel(veld):
        i = index.get(veld)
        return cellen[i] if i is not None and i < len(cellen) else ""

    def fout(veld, melding):
        fouten.append(f"regel {nummer}, kolom {kolomnaam[veld]}: {melding}")

    def waarde(veld, omzetten, *args):
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

    def tekst(veld):
        return waarde(veld, norm.tekst, max_lengte[veld])

    rij = {
        "regel": nummer,
        "leerlingnummer": tekst("leerlingnummer"),
        "achternaam": tekst("achternaam"),
        "tussenvoegsel": tekst("tussenvoegsel") or "",
        "roepnaam": tekst("roepnaam"),
        "geboortedatum": waarde("geboortedatum", norm.datum),
        "geslacht": (waarde("geslacht", norm.tekst, 1) or "").upper(),
        "postcode": tekst("postcode") or "",
        "woonplaats": tekst("woonplaats") or "",
    }
    if rij["geslacht"] and rij["geslacht"] not in regels.geslachten:
        fout("geslacht", f"onbekend geslacht '{cel('geslacht')}' (M, V of X)")
    if rij["geboortedatum"] and rij["geboortedatum"] > regels.vandaag:
        fout("geboortedatum", "de geboortedatum ligt in de toekomst")

    school_id = None
    school_naam = cel("instellingsschool")
    if school_naam == "":
        fout("instellingsschool", "verplichte waarde ontbreekt")
    else:
        school_id = regels.scholen_op_naam.get(_sleutel(school_naam))
        if school_id is None:
            fout("instellingsschool", f"onbekende instellingsschool '{school_naam}'")
        elif regels.toegestaan is not None and school_id not in regels.toegestaan:
            fout("instellingsschool", "instellingsschool hoort niet bij uw coalitie")
            school_id = None
    locatie_id = None
    locatie_naam = cel("locatie")
    if locatie_naam == "":
        fout("locatie", "verplichte waarde ontbreekt")
    elif school_id is not None:
        locatie_id = regels.locaties.get((school_id, _sleutel(locatie_naam)))
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
    rij.update(
        instellingsschool_id=school_id,
        locatie_id=locatie_id,
        startdatum=startdatum,
        einddatum=einddatum,
        verblijf=waarde("verblijf", norm.keuze, regels.verblijven, "verblijf"),
        niveau=waarde("niveau", norm.keuze, regels.niveaus, "niveau") or "",
        leerjaar=waarde("leerjaar", norm.geheel_getal),
        reden_uitschrijving=waarde(
            "reden_uitschrijving", norm.keuze, regels.redenen, "reden uitschrijving"
        )
        or "",
    )

    swv_id = None
    swv_ruw = cel("swv")
    if swv_ruw == "":
        fout("swv", "verplichte waarde ontbreekt")
    else:
        swv_id = regels.swvs.get(norm.swv_code(swv_ruw))
        if swv_id is None:
            fout("swv", f"onbekende SWV-code '{swv_ruw}'")
    rij["verantwoordelijk_swv_id"] = swv_id

    for soort in ("stamschool", "vervolgschool"):
        code = waarde(f"{soort}_brin", norm.brin) or ""
        rij[f"{soort}_brin"] = code
        if code and swv_id:
            naam = cel(f"{soort}_naam") or code
            scholen_in_bestand.setdefault(code, (naam[:200], swv_id))

    for tekst_ in fouten:
        plan.fout(tekst_)
    return None if fouten else rij


def _dubbele_plaatsingen(partij, kolomnaam) -> list[tuple[int, str]]:
    """The same placement (pupil, school, start date) on more than one line: every line after
    the first is an error. One query with a window over the parked rows."""
    rijen = (
        ImportRij.objects.filter(partij=partij)
        .annotate(
            eerste=Window(
                Min("regel"),
                partition_by=[F("leerlingnummer"), F("instellingsschool_id"), F("startdatum")],
            )
        )
        .filter(regel__gt=F("eerste"))
        .order_by("regel")
        .values_list("regel", "eerste")[: MAX_FOUTEN + 1]
    )
    return [
        (regel, f"regel {regel}, kolom {kolomnaam['leerlingnummer']}: dezelfde plaatsing staat "
         f"ook op regel {eerste}")
        for regel, eerste in rijen
    ]  # fmt: skip


def _nieuwe_scholen(plan: Plan, school_namen_in_bestand: dict[str, tuple[str, int]]) -> None:
    for stuk in in_stukken(school_namen_in_bestand):
        for school in School.objects.filter(brin__in=stuk).only("pk", "brin", "naam"):
            plan.scholen[school.brin] = school
            plan.brin_van[school.pk] = school.brin
    plan.nieuwe_scholen = {
        brin: waarde for brin, waarde in school_namen_in_bestand.items() if brin not in plan.scholen
    }
