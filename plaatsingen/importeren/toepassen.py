"""Write what `vergelijken` found, one group of pupils at a time, inside the import's ONE
transaction (the caller's), with bulk operations; then drive the route for that group."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from types import SimpleNamespace

from django.db import connection

from coalitie import historie
from coalitie.audit import log_toegang_voor_leerlingen
from coalitie.models import School
from config.bulk import bulk_insert, sleutels_nemen
from plaatsingen.models import (
    Fase,
    ImportBestand,
    ImportStatus,
    Leerling,
    Plaatsing,
    PlaatsingWijziging,
)
from plaatsingen.routekoppeling import route

from .plan import LEERLING_VELDEN, VELD_LABEL, Plan, toon
from .vergelijken import Deel

BATCH = 1000
SCHOOL_VELDEN = {"stamschool_id", "vervolgschool_id"}
IMPORT_SLOT = 0x1B0B  # PostgreSQL advisory lock: one import writes at a time


def importslot() -> None:
    """Two imports at once would both create the same new pupils and schools: the second one
    waits here until the first has committed, then compares against what that one wrote."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_SLOT])


def scholen_aanmaken(plan: Plan) -> None:
    nieuwe = [
        School(brin=brin, naam=naam, swv_id=swv_id)
        for brin, (naam, swv_id) in plan.nieuwe_scholen.items()
    ]
    School.objects.bulk_create(nieuwe, batch_size=BATCH)
    for school in nieuwe:
        plan.scholen[school.brin] = school
        plan.brin_van[school.pk] = school.brin
    if nieuwe and connection.vendor == "postgresql":
        # The foreign-key checks of the placements (stamschool, vervolgschool; at COMMIT) are
        # planned from the school table's statistics. Loaded empty with the reference data they
        # say "0 rows", so every check would scan all schools (~36 us each, 1.2 s per 25,000
        # rows): with the new schools counted (own uncommitted rows count) it is an index probe.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {School._meta.db_table}")


def pas_toe(
    plan: Plan,
    deel: Deel,
    *,
    import_bestand: ImportBestand,
    door,
    nu: dt.datetime,
    nieuw_per_swv: defaultdict,
) -> None:
    school_id = {brin: school.pk for brin, school in plan.scholen.items()}

    leerling_id = dict(deel.leerling_ids)
    nieuwe_leerlingen = [
        {"leerlingnummer": n, **velden} for n, velden in deel.nieuwe_leerlingen.items()
    ]
    # Keys first, rows later (their COPYs run in the background until the next group,
    # bulk_achtergrond); the placements' keys in the same statement: each read waits for the
    # COPY then running.
    sleutels, plaatsing_sleutels = sleutels_nemen(
        Leerling, len(nieuwe_leerlingen), Plaatsing, len(deel.nieuw)
    )
    if sleutels:
        for rij, pk in zip(nieuwe_leerlingen, sleutels, strict=True):
            rij["id"] = pk
            leerling_id[rij["leerlingnummer"]] = pk
    else:
        leerling_id.update(_invoegen(Leerling, nieuwe_leerlingen, sleutel=("leerlingnummer",)))
    Leerling.objects.bulk_update(
        [le for le, _ in deel.gewijzigde_leerlingen], LEERLING_VELDEN, batch_size=BATCH
    )

    # Changed placements first: an uitschrijving closes the open placement before a new
    # placement of the same pupil is created (one open placement per pupil).
    gewijzigde_velden: set[str] = set()
    uitgeschreven = []
    for w in deel.gewijzigd:
        for veld, (oud, nieuw) in w.velden.items():
            if veld in SCHOOL_VELDEN:
                nieuw = school_id[nieuw]
            setattr(w.plaatsing, veld, nieuw)
            gewijzigde_velden.add(veld)
            if veld == "einddatum" and oud is None:
                uitgeschreven.append(w.plaatsing)
        w.plaatsing.gewijzigd_op = nu
    if gewijzigde_velden:
        Plaatsing.objects.bulk_update(
            [w.plaatsing for w in deel.gewijzigd if w.velden],
            sorted(gewijzigde_velden) + ["gewijzigd_op"],
            batch_size=BATCH,
        )

    if sleutels:
        # Queued now, before the route is worked out: the server starts on it meanwhile.
        bulk_insert(Leerling, nieuwe_leerlingen, zelfde_sleutels=True)

    rijen = [
        {
            "leerling_id": leerling_id[r.leerlingnummer],
            "instellingsschool_id": r.instellingsschool_id,
            "locatie_id": r.locatie_id,
            "startdatum": r.startdatum,
            "einddatum": r.einddatum,
            "verblijf": r.verblijf,
            "stamschool_id": school_id.get(r.stamschool_brin),
            "verantwoordelijk_swv_id": r.verantwoordelijk_swv_id,
            "niveau": r.niveau,
            "leerjaar": r.leerjaar,
            "reden_uitschrijving": r.reden_uitschrijving,
            "vervolgschool_id": school_id.get(r.vervolgschool_brin),
            "vervolgplek_soort": "school" if r.vervolgschool_brin else "",
            # The route starts at the start date; set here so route_starten need not update.
            "fase_sinds": r.startdatum,
        }
        for r in deel.nieuw
    ]
    if import_bestand.historisch:
        # History (an older export): stored and counted, but no route and nobody mailed.
        for rij in rijen:
            rij.update(historisch=True, fase=Fase.AFGESLOTEN, fase_sinds=rij["einddatum"])
        routes = None
    elif rijen:
        # The route of the new placements worked out first and written WITH them: no UPDATE of
        # the rows just written (see NieuweRoutes). Only what is new in this file gets a route,
        # so a re-import never notifies again.
        # Its reads (reference data, once per run) do not wait for the queued COPYs.
        routes = route().routes_voorbereiden(
            rijen=rijen, door=door, via_import=True, referentie=plan.route_referentie
        )
    else:
        routes = None
    # The new pks in the order of the rows (taken above, or bulk_insert's promise): no lookup
    # by natural key.
    plaatsing_rijen = (
        [{**rij, **velden} for rij, velden in zip(rijen, routes.velden, strict=True)]
        if routes
        else rijen
    )
    if plaatsing_sleutels:
        pks = plaatsing_sleutels
        pk = Plaatsing._meta.pk.attname
        bulk_insert(
            Plaatsing,
            [{**rij, pk: sleutel} for rij, sleutel in zip(plaatsing_rijen, pks, strict=True)],
            zelfde_sleutels=True,
        )
    else:
        pks = bulk_insert(Plaatsing, plaatsing_rijen, pks=True, zelfde_sleutels=True)
    # Light rows, not model instances: the history needs the fields the file gave.
    nieuw = [SimpleNamespace(pk=pk, **rij) for rij, pk in zip(rijen, pks, strict=True)]
    _geschiedenis(plan, deel, nieuw, import_bestand=import_bestand, nu=nu)
    _historie(plan, deel, nieuw, leerling_id, door=door, bron=f"iHUB-import {import_bestand.pk}")

    if import_bestand.historisch:
        _toegang_loggen(deel, nieuw, import_bestand, door)
        return
    # A corrected Datum inschrijving: deadlines that count from the start move with it.
    correcties = {w.plaatsing.pk: w.velden["startdatum"][0] for w in deel.gewijzigd
                  if "startdatum" in w.velden}  # fmt: skip
    if correcties:
        route().startdatum_gecorrigeerd(correcties=correcties)
    # The SWVs hear of all new placements in one mail per contact person, after the last group.
    if routes:
        routes.starten([p.pk for p in nieuw])
        for p in nieuw:
            nieuw_per_swv[p.verantwoordelijk_swv_id].append(p.pk)
    if uitgeschreven:
        route().uitschrijving_verwerken(plaatsingen=uitgeschreven, door=door)
    if routes:
        routes.uitschrijven()
    _toegang_loggen(deel, nieuw, import_bestand, door)


def _toegang_loggen(deel: Deel, nieuw: list, import_bestand, door) -> None:
    # Each pupil whose data this file wrote gets an entry in their own access log.
    log_toegang_voor_leerlingen(
        None,
        actie="geimporteerd",
        leerling_ids=sorted(
            {p.leerling_id for p in nieuw} | {w.plaatsing.leerling_id for w in deel.gewijzigd}
        ),
        user=door,
        omschrijving=f"iHUB-import {import_bestand.pk}",
    )


def _invoegen(model, rijen: list[dict], *, sleutel: tuple) -> dict:
    """Insert rows (dicts of attnames) and return their new pks by natural key.

    Through `bulk_insert` (COPY on PostgreSQL: several times faster than bulk_create for
    thousands of rows), which takes the pks from the sequence before it writes."""
    pks = bulk_insert(model, rijen, pks=True)
    if len(sleutel) == 1:
        return {rij[sleutel[0]]: pk for rij, pk in zip(rijen, pks, strict=True)}
    return {tuple(rij[k] for k in sleutel): pk for rij, pk in zip(rijen, pks, strict=True)}


def _geschiedenis(plan: Plan, deel: Deel, nieuw: list, *, import_bestand, nu) -> None:
    """Every changed field, old → new as the preview showed it, kept with the placement."""
    geschiedenis = []

    def noteer(plaatsing, veld, oud, nieuw_):
        geschiedenis.append(
            PlaatsingWijziging(
                plaatsing_id=plaatsing.pk,
                import_bestand=import_bestand,
                veld=veld,
                oud=toon(plan, veld, oud)[:255],
                nieuw=toon(plan, veld, nieuw_)[:255],
                op=nu,
            )
        )

    for w in deel.gewijzigd:
        for veld, (oud, nieuw_) in w.velden.items():
            noteer(w.plaatsing, VELD_LABEL.get(veld, veld), oud, nieuw_)
        for veld, (oud, nieuw_) in w.leerling_velden.items():
            noteer(w.plaatsing, f"leerling: {veld}", oud, nieuw_)
    for p, r in zip(nieuw, deel.nieuw, strict=True):
        for veld, (oud, nieuw_) in deel.leerling_wijziging_bij_nieuw.get(r.sleutel, {}).items():
            noteer(p, f"leerling: {veld}", oud, nieuw_)
    PlaatsingWijziging.objects.bulk_create(geschiedenis, batch_size=BATCH)


def _getoond(plan: Plan, veld: str, waarde):
    return None if waarde in (None, "") else toon(plan, veld, waarde)


def _historie(plan: Plan, deel: Deel, nieuw: list, leerling_id: dict, *, door, bron: str):
    """The same changes in the per-pupil history (`coalitie.historie`), written in bulk: the
    COPY and bulk updates above bypass the model saves auditlog listens to."""
    # Empty fields (None, "") are left out of a creation's entry (`zonder_leeg`).
    historie.aangemaakt(
        Leerling,
        {
            leerling_id[n]: {"leerlingnummer": n, **velden}
            for n, velden in deel.nieuwe_leerlingen.items()
        },
        door=door,
        bron=bron,
        zonder_leeg=True,
    )
    historie.vastleggen(
        Leerling,
        {le.pk: verschil for le, verschil in deel.gewijzigde_leerlingen},
        door=door,
        bron=bron,
    )
    historie.aangemaakt(
        Plaatsing, {p.pk: vars(p) for p in nieuw}, door=door, bron=bron, zonder_leeg=True
    )
    historie.vastleggen(
        Plaatsing,
        {
            w.plaatsing.pk: {
                veld: (_getoond(plan, veld, oud), _getoond(plan, veld, nieuw_))
                for veld, (oud, nieuw_) in w.velden.items()
            }
            for w in deel.gewijzigd
        },
        door=door,
        bron=bron,
    )


def uitkomst_opslaan(import_bestand: ImportBestand, plan: Plan, status: str, **extra) -> None:
    """The plan's counts, errors and notices on the history row (plus `extra` fields)."""
    velden = {
        "status": status,
        "aantal_rijen": plan.aantal_rijen,
        "aantal_nieuw": plan.aantal_nieuw,
        "aantal_gewijzigd": plan.aantal_gewijzigd,
        "aantal_ongewijzigd": plan.ongewijzigd,
        "aantal_nieuwe_scholen": len(plan.nieuwe_scholen),
        "fouten": plan.fouten,
        "meldingen": plan.meldingen,
        "voortgang_stap": "klaar",
        **extra,
    }
    for veld, waarde in velden.items():
        setattr(import_bestand, veld, waarde)
    import_bestand.save(update_fields=list(velden))


def afronden(import_bestand: ImportBestand, plan: Plan, nu: dt.datetime) -> None:
    uitkomst_opslaan(import_bestand, plan, ImportStatus.GEIMPORTEERD, geimporteerd_op=nu)
