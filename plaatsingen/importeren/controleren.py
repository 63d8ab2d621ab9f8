"""First pass over an export: check every row on its own and park the valid ones.

One streaming pass: each row is checked against the reference data (fetched whole, once) and,
when valid, written to the scratch table `ImportRij` in batches. What needs more than one row
(the same placement twice) is asked of that table afterwards in one query. Memory holds one
batch of rows, the capped errors and the schools named in the file.
"""

from __future__ import annotations

import operator
import uuid
from collections import Counter

from django.conf import settings
from django.db.models import F, Min, Window
from django.utils import timezone

from coalitie import toegang
from coalitie.models import Instellingsschool, Locatie, Samenwerkingsverband, School, Verblijf
from config.bulk import bulk_insert
from plaatsingen.models import Geslacht, ImportRij, Leerling, Niveau, RedenUitschrijving
from plaatsingen.resources import IhubPlaatsingResource

from . import normaliseren as norm
from .lezen import BestandFout, Gelezen
from .plan import MAX_FOUTEN, Plan, Voortgang, in_stukken
from .profielen import Profiel

BATCH = 2000
VOORTGANG_ELKE = 500
VERPLICHT = IhubPlaatsingResource.VERPLICHTE_KOLOMMEN


def _sleutel(kopje: str) -> str:
    return " ".join(kopje.lower().split())


def toegestane_scholen(
    door, coalitie_id: int | None = None, aanbieder: str = ""
) -> set[int] | None:
    """Instellingsschool ids an import may write; None means all.

    A coalition given (command line `--coalitie`, or the upload's) limits to its schools, a
    provider given (`--aanbieder`, or a provider account's upload) to that provider's schools in
    every coalition; `door` never goes beyond the schools it may import
    (`toegang.importeerbare_scholen`: a beheerder its coalitions', a provider's administration
    its provider's, both the union). The system or a superuser without a limit: every school."""
    grens = toegang.importeerbare_scholen(door)
    bereik = None
    if coalitie_id is not None or aanbieder:
        scholen = Instellingsschool.objects.all()
        if coalitie_id is not None:
            scholen = scholen.filter(coalitie_id=coalitie_id)
        if aanbieder:
            scholen = scholen.filter(aanbieder=aanbieder)
        bereik = set(scholen.values_list("pk", flat=True))
    if grens is None:
        return bereik
    return set(grens) if bereik is None else bereik & grens


def bereik_tekst(door, coalitie_id: int | None = None, aanbieder: str = "") -> str:
    """Whose schools the import covers, in the words of the skipped-rows notice."""
    eigen = set() if toegang.is_systeem(door) else toegang.aanbieders_van(door)
    if aanbieder and coalitie_id is None:
        return "uw aanbieder" if aanbieder in eigen else f"aanbieder {aanbieder}"
    if coalitie_id is None and eigen:
        return "uw coalitie of aanbieder" if toegang.is_beheerder(door) else "uw aanbieder"
    return "uw coalitie"


def _kolommen(plan: Plan, kopjes: list[str], profiel: Profiel) -> dict[str, int] | None:
    """Column index per field, or None (with the errors noted) when a required one is missing."""
    kolommen = IhubPlaatsingResource.kolommen()  # column header → field name
    if profiel.kolommen is None:
        kolomnaam = {v: k for k, v in kolommen.items()}
    else:  # the provider's header per field; a column the profile does not name is absent
        kolomnaam = {
            veld: profiel.kolommen[k] for k, veld in kolommen.items() if k in profiel.kolommen
        }
    plan.kolomnaam = {v: kolomnaam.get(v, k) for k, v in kolommen.items()}
    per_sleutel = {_sleutel(k): v for v, k in kolomnaam.items()}
    index: dict[str, int] = {}
    onbekend = []
    for i, kopje in enumerate(kopjes):
        veld = per_sleutel.get(_sleutel(kopje))
        if veld and veld in index:
            # Which of the two is meant cannot be guessed: the file is rejected.
            raise BestandFout(
                f"De kolom '{kolomnaam[veld]}' staat meer dan één keer in de kopregel "
                f"(kolom {index[veld] + 1} en {i + 1}); het bestand is afgewezen."
            )
        if veld:
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
                f"De verplichte kolom '{plan.kolomnaam[veld]}' ontbreekt; het bestand is afgewezen."
            )
    return None if plan.fouten else index


class _Regels:
    """The reference data every row is checked against (small tables, fetched once)."""

    def __init__(self, plan: Plan, door, coalitie_id, profiel: Profiel, aanbieder: str = ""):
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
        self.toegestaan = toegestane_scholen(door, coalitie_id, aanbieder)
        self.bereik = bereik_tekst(door, coalitie_id, aanbieder)
        self.laatst_overgeslagen = None
        self.coalitie_van = dict(Instellingsschool.objects.values_list("pk", "coalitie__naam"))
        self.vandaag = timezone.localdate()
        self.verblijven = set(Verblijf.values)
        self.niveaus = set(Niveau.values)
        self.redenen = set(RedenUitschrijving.values)
        self.geslachten = set(Geslacht.values)
        self.max_lengte = {f.name: f.max_length for f in Leerling._meta.fields if f.max_length}
        self.kolomnaam = plan.kolomnaam
        self.datumformaat = profiel.datumformaat
        # The provider's spellings per field (profile `waarden`, keyed by iHUB column).
        # Outcomes per distinct cell value, per field (MEMO_VELDEN); the row reader per index.
        self.memo: dict[str, dict] = {veld: {} for veld in MEMO_VELDEN}
        # The same per distinct text for the lookups by name and code (school, location, SWV).
        self.school_memo: dict = {}
        self.locatie_memo: dict = {}
        self.swv_memo: dict = {}
        self.lezer = self.lezer_index = None
        self.vertaling = {
            veld: profiel.waarden[kolom.lower()]
            for kolom, veld in IhubPlaatsingResource.kolommen().items()
            if kolom.lower() in profiel.waarden
        }


OVERGESLAGEN = object()  # a row of another coalition's school: not ours, not an error


def controleer(
    plan: Plan,
    gelezen: Gelezen,
    *,
    partij: uuid.UUID,
    door,
    voortgang: Voortgang | None,
    coalitie_id: int | None = None,
    profiel: Profiel | None = None,
    historisch: bool = False,
    aanbieder: str = "",
) -> None:
    """Check every row; valid rows go to `ImportRij` under `partij`, errors to the plan."""
    profiel = profiel or Profiel()
    index = _kolommen(plan, gelezen.kopjes, profiel)
    if index is None:
        return
    regels = _Regels(plan, door, coalitie_id, profiel, aanbieder)
    maximum = settings.IMPORT_MAX_RIJEN
    school_namen_in_bestand: dict[str, tuple[str, int]] = {}
    overgeslagen: Counter = Counter()
    open_bij_geschiedenis = 0
    buffer: list[dict] = []
    nu = timezone.now()
    gelezen_rijen = 0
    for nummer, cellen in gelezen.rijen:
        if not any(c != "" for c in cellen):
            continue  # blank (trailing) lines
        gelezen_rijen += 1
        if gelezen_rijen > maximum:
            raise BestandFout(_te_veel(maximum))
        if voortgang and gelezen_rijen % VOORTGANG_ELKE == 0:
            voortgang("controleren", gelezen_rijen, gelezen.totaal_geschat)
        rij = _controleer_rij(plan, regels, index, nummer, cellen, school_namen_in_bestand)
        if rij is OVERGESLAGEN:
            overgeslagen[regels.laatst_overgeslagen] += 1
            continue
        plan.aantal_rijen += 1
        if historisch and rij is not None and rij["einddatum"] is None:
            # History is what ended: an open placement belongs to the monthly import.
            open_bij_geschiedenis += 1
            plan.aantal_rijen -= 1
            continue
        if rij is not None:
            # Parked even when the file is already rejected: the duplicates check below
            # looks among all valid rows, so the user gets every error in one go. Every row
            # has the keys `_controleer_rij` gives (zelfde_sleutels).
            rij.update(partij=partij, aangemaakt_op=nu)
            buffer.append(rij)
            if len(buffer) >= BATCH:
                bulk_insert(ImportRij, buffer, zelfde_sleutels=True)
                buffer = []
    bulk_insert(ImportRij, buffer, zelfde_sleutels=True)
    if voortgang:
        voortgang("controleren", plan.aantal_rijen, plan.aantal_rijen)
    _meld_overgeslagen(plan, regels, overgeslagen)
    if open_bij_geschiedenis:
        plan.meldingen.append(
            f"{open_bij_geschiedenis} regels zonder datum uitschrijving overgeslagen: als "
            "geschiedenis worden alleen afgesloten plaatsingen geladen; lopende plaatsingen "
            "komen met de gewone maandelijkse import."
        )
    if plan.aantal_rijen == 0 and not plan.fouten:
        if overgeslagen:
            plan.fout(f"Het bestand bevat geen plaatsingen van scholen van {regels.bereik}.")
        elif not open_bij_geschiedenis:
            plan.fout("Het bestand bevat geen plaatsingen.")
    plan.sluit_fouten_af(_dubbele_plaatsingen(partij, regels.kolomnaam))
    if not plan.fouten:
        _nieuwe_scholen(plan, school_namen_in_bestand)


def _te_veel(maximum: int) -> str:
    return (
        f"Het bestand heeft meer dan {maximum:,} regels (de grens van deze installatie, "
        "IMPORT_MAX_RIJEN); het is afgewezen. Splits het bestand of vraag de beheerder de "
        "grens te verhogen."
    ).replace(",", ".", 1)


def _meld_overgeslagen(plan: Plan, regels: _Regels, overgeslagen: Counter) -> None:
    """One notice per school outside the import (another coalition's, another provider's), with
    its count, never an error per row."""
    for school_id, aantal in sorted(overgeslagen.items(), key=lambda x: plan.school_namen[x[0]]):
        plan.meldingen.append(
            f"{aantal} regels van {plan.school_namen[school_id]} "
            f"({regels.coalitie_van.get(school_id) or 'geen coalitie'}) overgeslagen: deze "
            f"school hoort niet bij {regels.bereik}."
        )
    plan.aantal_overgeslagen = sum(overgeslagen.values())


# Fields whose cells take few distinct values in any file (codes, choices, dates, places):
# each distinct value is checked once per import and its outcome remembered (`_Regels.memo`;
# a refusal is not remembered, so its message is made for every line). Names and numbers of
# pupils are not in it: the memo would grow with the file.
MEMO_VELDEN = frozenset(
    {
        "geboortedatum", "geslacht", "woonplaats", "startdatum", "einddatum", "verblijf",
        "niveau", "leerjaar", "reden_uitschrijving", "stamschool_brin", "vervolgschool_brin",
    }
)  # fmt: skip
MEMO_MAX = 50_000  # per field; beyond it values are checked each time (memory stays bounded)


def _onthouden(memo: dict, sleutel, bereken):
    """`bereken(sleutel)`, remembered per distinct text (or tuple holding text; other cell
    types, e.g. a spreadsheet's 1, 1.0 and True that are one dict key, every time; None: not
    remembered). Only for lookups that raise nothing."""
    if type(sleutel) is str or type(sleutel) is tuple:
        try:
            return memo[sleutel]
        except KeyError:
            uitkomst = bereken(sleutel)
            if len(memo) < MEMO_MAX:
                memo[sleutel] = uitkomst
            return uitkomst
    return bereken(sleutel)


def _cellen_lezer(index: dict[str, int]):
    """The row's cells per field as one dict, by one C-level lookup (an absent column or a
    short row gives "", as before)."""
    velden = tuple(index)
    breedte = max(index.values(), default=-1) + 1
    pak = operator.itemgetter(*(index[v] for v in velden))
    aanvulling = [""] * breedte

    def lees(cellen) -> dict:
        if len(cellen) < breedte:
            cellen = [*cellen, *aanvulling[len(cellen) :]]
        waarden = pak(cellen) if len(velden) > 1 else (pak(cellen),)
        return dict(zip(velden, waarden, strict=True))

    return lees


def _controleer_rij(plan, regels: _Regels, index, nummer, cellen, scholen_in_bestand):
    """The row as `ImportRij` fields, None when it has errors (noted in the plan), or
    OVERGESLAGEN when it is a row of a school this import does not cover."""
    fouten: list[str] = []
    kolomnaam, max_lengte, vertaling = regels.kolomnaam, regels.max_lengte, regels.vertaling
    if regels.lezer is None or regels.lezer_index is not index:
        regels.lezer, regels.lezer_index = _cellen_lezer(index), index
    ruw = regels.lezer(cellen)
    for veld, spelling in vertaling.items():
        waarde_ = ruw.get(veld, "")
        if isinstance(waarde_, str) and waarde_:
            ruw[veld] = spelling.get(" ".join(waarde_.lower().split()), waarde_)
    cel = ruw.get  # a column the file lacks: None here, "" below

    # Whose row is it? Rows of other coalitions' schools are not checked at all.
    school_id = None
    school_naam = cel("instellingsschool", "")
    if school_naam != "":
        school_id = _onthouden(
            regels.school_memo,
            school_naam,
            lambda naam: regels.scholen_op_naam.get(_sleutel(str(naam))),
        )
        if (
            school_id is not None
            and regels.toegestaan is not None
            and school_id not in regels.toegestaan
        ):
            regels.laatst_overgeslagen = school_id
            return OVERGESLAGEN

    def fout(veld, melding):
        fouten.append(f"regel {nummer}, kolom {kolomnaam[veld]}: {melding}")

    memo = regels.memo

    def waarde(veld, omzetten, *args):
        cel_ = cel(veld, "")
        if cel_ == "":
            if veld in VERPLICHT:
                fout(veld, "verplichte waarde ontbreekt")
            return None
        # Text cells only: 1, 1.0 and True of a spreadsheet are one dict key, not one outcome.
        bekend = memo.get(veld) if type(cel_) is str else None
        if bekend is not None:
            uitkomst = bekend.get(cel_, bekend)
            if uitkomst is not bekend:
                return uitkomst
        try:
            uitkomst = omzetten(cel_, *args)
        except norm.Ongeldig as exc:
            fout(veld, str(exc))
            return None
        if bekend is not None and len(bekend) < MEMO_MAX:
            bekend[cel_] = uitkomst
        return uitkomst

    def tekst(veld):
        return waarde(veld, norm.tekst, max_lengte[veld])

    def datum(veld):
        return waarde(veld, norm.datum, regels.datumformaat)

    rij = {
        "regel": nummer,
        "leerlingnummer": tekst("leerlingnummer"),
        "achternaam": tekst("achternaam"),
        "tussenvoegsel": tekst("tussenvoegsel") or "",
        "roepnaam": tekst("roepnaam"),
        "geboortedatum": datum("geboortedatum"),
        "geslacht": (waarde("geslacht", norm.tekst, 1) or "").upper(),
        "postcode": tekst("postcode") or "",
        "woonplaats": tekst("woonplaats") or "",
    }
    if rij["geslacht"] and rij["geslacht"] not in regels.geslachten:
        fout("geslacht", "onbekend geslacht (M, V of X)")
    if rij["geboortedatum"] and rij["geboortedatum"] > regels.vandaag:
        fout("geboortedatum", "de geboortedatum ligt in de toekomst")

    if school_naam == "":
        fout("instellingsschool", "verplichte waarde ontbreekt")
    elif school_id is None:
        fout("instellingsschool", "onbekende instellingsschool (niet in de referentiegegevens)")
    locatie_id = None
    locatie_naam = cel("locatie", "")
    if locatie_naam == "":
        fout("locatie", "verplichte waarde ontbreekt")
    elif school_id is not None:
        locatie_id = _onthouden(
            regels.locatie_memo,
            (school_id, locatie_naam) if type(locatie_naam) is str else None,
            lambda _: regels.locaties.get((school_id, _sleutel(str(locatie_naam)))),
        )
        if locatie_id is None:
            fout("locatie", "onbekende locatie van deze instellingsschool")

    startdatum = datum("startdatum")
    einddatum = datum("einddatum")
    if startdatum and einddatum and einddatum < startdatum:
        fout("einddatum", "de datum uitschrijving ligt vóór de datum inschrijving")
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
    swv_ruw = cel("swv", "")
    if swv_ruw == "":
        fout("swv", "verplichte waarde ontbreekt")
    else:
        swv_id = _onthouden(
            regels.swv_memo, swv_ruw, lambda code: regels.swvs.get(norm.swv_code(str(code)))
        )
        if swv_id is None:
            fout("swv", "onbekende SWV-code")
    rij["verantwoordelijk_swv_id"] = swv_id

    for soort in ("stamschool", "vervolgschool"):
        code = waarde(f"{soort}_brin", norm.brin) or ""
        rij[f"{soort}_brin"] = code
        if code and swv_id:
            naam = str(cel(f"{soort}_naam", "") or code)
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
        (regel, f"regel {regel}, kolom {kolomnaam['leerlingnummer']}: dubbele plaatsing: "
         f"dezelfde plaatsing als regel {eerste}")
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
