"""Second pass: compare the parked rows with the database, one group of pupils at a time.

The rows come back from `ImportRij` ordered by pupil, cut into groups of about `DEEL` rows that
never split a pupil: everything that concerns more than one row (the newest row carries the
pupil's name and address; one open placement per pupil) is then decided inside one group.
Each group costs a few queries (pupils, their placements, schools not seen before).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from types import SimpleNamespace

from coalitie.models import School
from config.planvast import in_lijst
from plaatsingen.models import ImportRij, Leerling, Plaatsing, VervolgplekSoort

from .plan import (
    LEERLING_VELDEN,
    NIET_WISSEN,
    PLAATSING_VELDEN,
    Plan,
    Rij,
    Wijziging,
    in_stukken,
)

DEEL = 2000
RIJ_VELDEN = (
    "regel",
    "leerlingnummer",
    "instellingsschool_id",
    "startdatum",
    "locatie_id",
    "einddatum",
    "verblijf",
    "stamschool_brin",
    "verantwoordelijk_swv_id",
    "niveau",
    "leerjaar",
    "reden_uitschrijving",
    "vervolgschool_brin",
)
BESTAAND = ("pk", "leerling_id", "instellingsschool_id", "startdatum", *PLAATSING_VELDEN)
BESTAAND += ("vervolgplek_soort",)


@dataclass
class Deel:
    """What one group of pupils needs: the same shape the apply step writes."""

    rijen: list[Rij]
    nieuw: list[Rij] = field(default_factory=list)
    gewijzigd: list[Wijziging] = field(default_factory=list)
    leerling_ids: dict[str, int] = field(default_factory=dict)  # existing pupils
    nieuwe_leerlingen: dict[str, dict] = field(default_factory=dict)
    gewijzigde_leerlingen: list[tuple[Leerling, dict]] = field(default_factory=list)
    leerling_wijziging_bij_nieuw: dict[tuple, dict] = field(default_factory=dict)
    fouten: list[tuple[int, str]] = field(default_factory=list)


def delen(partij) -> Iterator[list[Rij]]:
    """The parked rows per group of whole pupils, each group in line order."""
    laatste = None
    while True:
        qs = ImportRij.objects.filter(partij=partij)
        if laatste is not None:
            qs = qs.filter(leerlingnummer__gt=laatste)
        nummers = list(
            qs.order_by("leerlingnummer").values_list("leerlingnummer", flat=True)[:DEEL]
        )
        if not nummers:
            return
        laatste = nummers[-1]
        rijen = []
        for waarden in (
            qs.filter(leerlingnummer__lte=laatste)
            .order_by("regel")
            .values_list(*RIJ_VELDEN, *LEERLING_VELDEN)
        ):
            rij = dict(zip(RIJ_VELDEN, waarden[: len(RIJ_VELDEN)], strict=True))
            leerling = dict(zip(LEERLING_VELDEN, waarden[len(RIJ_VELDEN) :], strict=True))
            rijen.append(Rij(leerling=leerling, **rij))
        yield rijen


@dataclass
class Gelezen:
    """What `vergelijk` compares a group with: its pupils and their placements (`lezen`)."""

    leerlingen: dict[str, SimpleNamespace]
    bestaand: dict[tuple, SimpleNamespace]
    per_leerling: dict[int, list[SimpleNamespace]]


def lezen(plan: Plan, rijen: list[Rij], *, vergrendelen: bool) -> Gelezen:
    """The reads of `vergelijk` (pupils, their placements, schools not seen before), apart
    from its work: the import sends them together, between two of its background COPYs.

    With `vergrendelen` (the import itself, inside its transaction) the pupils and placements
    read are locked until commit, so nothing can change them between comparing and writing.
    """
    # Planner-proof: always the unique index, also while the import grows the table (planvast).
    leerlingen_qs = Leerling.objects.filter(
        in_lijst("leerlingnummer", {r.leerlingnummer for r in rijen})
    )
    if vergrendelen:
        leerlingen_qs = leerlingen_qs.select_for_update()
    # Plain rows, not model instances: only what changes becomes an instance (for bulk_update).
    leerlingen = {}
    # In pk order as before, sorted here: an ORDER BY pk lets a planner that believes the
    # table empty walk the whole primary key instead (config/planvast).
    for pk, nummer, *waarden in sorted(
        leerlingen_qs.order_by().values_list("pk", "leerlingnummer", *LEERLING_VELDEN),
        key=itemgetter(0),
    ):
        leerlingen[nummer] = SimpleNamespace(
            pk=pk, leerlingnummer=nummer, **dict(zip(LEERLING_VELDEN, waarden, strict=True))
        )
    plaatsingen_qs = Plaatsing.objects.filter(
        in_lijst("leerling_id", [le.pk for le in leerlingen.values()])
    )
    if vergrendelen:
        plaatsingen_qs = plaatsingen_qs.select_for_update()
    bestaand: dict[tuple, SimpleNamespace] = {}
    per_leerling: dict[int, list[SimpleNamespace]] = {}
    for waarden in sorted(plaatsingen_qs.order_by().values_list(*BESTAAND), key=itemgetter(0)):
        p = SimpleNamespace(**dict(zip(BESTAAND, waarden, strict=True)))
        bestaand[(p.leerling_id, p.instellingsschool_id, p.startdatum)] = p
        per_leerling.setdefault(p.leerling_id, []).append(p)
    _scholen_ophalen(plan, rijen, bestaand.values())
    return Gelezen(leerlingen=leerlingen, bestaand=bestaand, per_leerling=per_leerling)


def vergelijk(
    plan: Plan,
    rijen: list[Rij],
    *,
    vergrendelen: bool,
    historisch: bool = False,
    gelezen: Gelezen | None = None,
) -> Deel:
    """Sort the rows of whole pupils into new / changed / unchanged against the database.
    `gelezen`: what `lezen(plan, rijen, vergrendelen=…)` gave (else it is read here)."""
    if gelezen is None:
        gelezen = lezen(plan, rijen, vergrendelen=vergrendelen)
    leerlingen, bestaand, per_leerling = gelezen.leerlingen, gelezen.bestaand, gelezen.per_leerling
    deel = Deel(rijen=rijen)
    deel.leerling_ids = {nummer: le.pk for nummer, le in leerlingen.items()}

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
            deel.nieuwe_leerlingen[nummer] = rij.leerling
            continue
        verschil = {
            veld: (getattr(leerling, veld), nieuw)
            for veld, nieuw in rij.leerling.items()
            if getattr(leerling, veld) != nieuw
        }
        if verschil and not historisch:  # an older export never overwrites today's data
            leerling_wijzigingen[nummer] = verschil
            deel.gewijzigde_leerlingen.append(
                (Leerling(pk=leerling.pk, leerlingnummer=nummer, **rij.leerling), verschil)
            )

    open_na_import: dict[str, list[int]] = {}
    gezien: set[int] = set()
    # Placements that some row names exactly: they cannot be the target of a correction.
    exact = set()
    for rij in rijen:
        leerling = leerlingen.get(rij.leerlingnummer)
        sleutel = (leerling.pk if leerling else None, rij.instellingsschool_id, rij.startdatum)
        if leerling is not None and (p := bestaand.get(sleutel)):
            exact.add(p.pk)
    for rij in rijen:
        leerling = leerlingen.get(rij.leerlingnummer)
        p = None
        gecorrigeerd = False
        if leerling is not None:
            p = bestaand.get((leerling.pk, rij.instellingsschool_id, rij.startdatum))
            if p is None and not historisch:
                p = _gecorrigeerde(per_leerling.get(leerling.pk, []), rij, exact | gezien)
                gecorrigeerd = p is not None
        leerling_verschil = (
            leerling_wijzigingen.get(rij.leerlingnummer)
            if nieuwste[rij.leerlingnummer] is rij
            else None
        )
        if p is not None and historisch:
            plan.ongewijzigd += 1  # history adds what is missing, never changes what is there
            gezien.add(p.pk)
            continue
        if p is None:
            deel.nieuw.append(rij)
            plan.noteer_nieuw(rij)
            if leerling_verschil:
                deel.leerling_wijziging_bij_nieuw[rij.sleutel] = leerling_verschil
            if rij.einddatum is None:
                open_na_import.setdefault(rij.leerlingnummer, []).append(rij.regel)
            continue
        gezien.add(p.pk)
        velden = _plaatsing_verschil(p, rij, plan)
        if gecorrigeerd:
            velden = {"startdatum": (p.startdatum, rij.startdatum), **velden}
        if (p.einddatum if "einddatum" not in velden else velden["einddatum"][1]) is None:
            open_na_import.setdefault(rij.leerlingnummer, []).append(rij.regel)
        if velden or leerling_verschil:
            wijziging = Wijziging(
                plaatsing=Plaatsing(**vars(p)),
                rij=rij,
                velden=velden,
                leerling_velden=leerling_verschil or {},
            )
            deel.gewijzigd.append(wijziging)
            plan.noteer_gewijzigd(wijziging)
        else:
            plan.ongewijzigd += 1

    # A pupil is never at two schools at once: the database refuses it, so say which line.
    kolom = plan.kolomnaam.get("einddatum", "Datum uitschrijving")
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
                deel.fouten.append(
                    (
                        regel,
                        f"regel {regel}, kolom {kolom}: deze leerling heeft al een andere "
                        "plaatsing zonder datum uitschrijving",
                    )
                )
    return deel


def _gecorrigeerde(plaatsingen: list, rij: Rij, bezet: set[int]):
    """The pupil's placement at this school that `rij` corrects the start date of, or None.

    iHUB corrects a Datum inschrijving by sending the same placement with another date. It is
    the same placement when the pupil has exactly one placement at this school that no row of
    the file names exactly and that is still open (or ends on the row's end date)."""
    kandidaten = [
        p
        for p in plaatsingen
        if p.instellingsschool_id == rij.instellingsschool_id
        and p.pk not in bezet
        and (p.einddatum is None or p.einddatum == rij.einddatum)
        and (rij.einddatum is None or rij.einddatum >= rij.startdatum)
    ]
    return kandidaten[0] if len(kandidaten) == 1 else None


def _scholen_ophalen(plan: Plan, rijen: list[Rij], bestaand) -> None:
    """Schools this group names (by BRIN) or its placements point at (by id), once per run."""
    brins = {b for r in rijen for b in (r.stamschool_brin, r.vervolgschool_brin) if b}
    brins -= plan.scholen.keys()
    brins -= plan.nieuwe_scholen.keys()
    ids = {
        pk
        for p in bestaand
        for pk in (p.stamschool_id, p.vervolgschool_id)
        if pk and pk not in plan.brin_van
    }
    for stuk in in_stukken(brins):
        for school in School.objects.filter(brin__in=stuk).only("pk", "brin", "naam"):
            plan.scholen[school.brin] = school
            plan.brin_van[school.pk] = school.brin
    for stuk in in_stukken(ids):
        for school in School.objects.filter(pk__in=stuk).only("pk", "brin", "naam"):
            plan.scholen.setdefault(school.brin, school)
            plan.brin_van[school.pk] = school.brin


def _plaatsing_verschil(p, rij: Rij, plan: Plan) -> dict[str, tuple]:
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
            # Compared by BRIN: schools new in this file have no id yet.
            oud = plan.brin_van.get(oud) if oud else None
        if veld in NIET_WISSEN and waarde is None:
            continue
        if oud != waarde:
            verschil[veld] = (oud, waarde)
    if "vervolgschool_id" in verschil and p.vervolgplek_soort != VervolgplekSoort.SCHOOL:
        verschil["vervolgplek_soort"] = (p.vervolgplek_soort, VervolgplekSoort.SCHOOL.value)
    return verschil
