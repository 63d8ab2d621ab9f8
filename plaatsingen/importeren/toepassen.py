"""Carry out a `Plan` in ONE transaction with bulk operations, then drive the route."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from coalitie.audit import log_toegang_voor_leerlingen
from coalitie.models import School
from plaatsingen.models import (
    ImportBestand,
    ImportStatus,
    Leerling,
    Plaatsing,
    PlaatsingWijziging,
)
from routetool import services as route

from .plan import LEERLING_VELDEN, PLAATSING_VELDEN, VELD_LABEL, Plan, _in_stukken, toon

BATCH = 1000
SCHOOL_VELDEN = {"stamschool_id", "vervolgschool_id"}


class Verouderd(Exception):
    """A placement changed between planning and applying; the caller plans again."""


def _vergrendel_en_controleer(plan: Plan) -> None:
    """Lock the placements we are about to change and check nobody changed them meanwhile.

    Planning runs outside the transaction (so the browser sees its progress); a service that
    saved one of these placements in between would otherwise be overwritten with stale values.
    """
    gepland = {w.plaatsing.pk: w.plaatsing for w in plan.gewijzigd}
    for stuk in _in_stukken(gepland):
        rijen = (
            Plaatsing.objects.select_for_update()
            .filter(pk__in=stuk)
            .order_by()
            .values_list("pk", *PLAATSING_VELDEN, "vervolgplek_soort")
        )
        for pk, *waarden in rijen:
            p = gepland[pk]
            if waarden != [getattr(p, v) for v in (*PLAATSING_VELDEN, "vervolgplek_soort")]:
                raise Verouderd


def pas_toe(plan: Plan, *, import_bestand: ImportBestand, door) -> None:
    assert not plan.fouten, "a plan with errors is never applied"
    nu = timezone.now()
    with transaction.atomic():
        _vergrendel_en_controleer(plan)

        nieuwe_scholen = [
            School(brin=brin, naam=naam, swv_id=swv_id)
            for brin, (naam, swv_id) in plan.nieuwe_scholen.items()
        ]
        School.objects.bulk_create(nieuwe_scholen, batch_size=BATCH)
        school_id = {s.brin: s.pk for s in plan.scholen.values()}
        school_id.update({s.brin: s.pk for s in nieuwe_scholen})

        nieuwe_leerlingen = [
            Leerling(leerlingnummer=nummer, **velden)
            for nummer, velden in plan.nieuwe_leerlingen.items()
        ]
        Leerling.objects.bulk_create(nieuwe_leerlingen, batch_size=BATCH)
        leerling_id = {le.leerlingnummer: le.pk for le in plan.leerlingen.values()}
        leerling_id.update({le.leerlingnummer: le.pk for le in nieuwe_leerlingen})
        for leerling, verschil in plan.gewijzigde_leerlingen:
            for veld, (_oud, nieuw) in verschil.items():
                setattr(leerling, veld, nieuw)
        Leerling.objects.bulk_update(
            [le for le, _ in plan.gewijzigde_leerlingen], LEERLING_VELDEN, batch_size=BATCH
        )

        # Changed placements first: an uitschrijving closes the open placement before a new
        # placement of the same pupil is created (one open placement per pupil).
        gewijzigde_velden: set[str] = set()
        uitgeschreven = []
        for w in plan.gewijzigd:
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
                [w.plaatsing for w in plan.gewijzigd if w.velden],
                sorted(gewijzigde_velden) + ["gewijzigd_op"],
                batch_size=BATCH,
            )

        nieuw = [
            Plaatsing(
                leerling_id=leerling_id[r.leerlingnummer],
                instellingsschool_id=r.instellingsschool_id,
                locatie_id=r.locatie_id,
                startdatum=r.startdatum,
                einddatum=r.einddatum,
                verblijf=r.verblijf,
                stamschool_id=school_id.get(r.stamschool_brin),
                verantwoordelijk_swv_id=r.verantwoordelijk_swv_id,
                niveau=r.niveau,
                leerjaar=r.leerjaar,
                reden_uitschrijving=r.reden_uitschrijving,
                vervolgschool_id=school_id.get(r.vervolgschool_brin),
                vervolgplek_soort="school" if r.vervolgschool_brin else "",
                # The route starts at the start date; set here so route_starten need not update.
                fase_sinds=r.startdatum,
            )
            for r in plan.nieuw
        ]
        Plaatsing.objects.bulk_create(nieuw, batch_size=BATCH)

        geschiedenis = []

        def noteer(plaatsing, veld, oud, nieuw_):
            geschiedenis.append(
                PlaatsingWijziging(
                    plaatsing=plaatsing,
                    import_bestand=import_bestand,
                    veld=veld,
                    oud=toon(plan, veld, oud)[:255],
                    nieuw=toon(plan, veld, nieuw_)[:255],
                    op=nu,
                )
            )

        for w in plan.gewijzigd:
            for veld, (oud, nieuw_) in w.velden.items():
                noteer(w.plaatsing, VELD_LABEL.get(veld, veld), oud, nieuw_)
            for veld, (oud, nieuw_) in w.leerling_velden.items():
                noteer(w.plaatsing, f"leerling: {veld}", oud, nieuw_)
        for p, r in zip(nieuw, plan.nieuw, strict=True):
            sleutel = (r.leerlingnummer, r.instellingsschool_id, r.startdatum)
            for veld, (oud, nieuw_) in plan.leerling_wijziging_bij_nieuw.get(sleutel, {}).items():
                noteer(p, f"leerling: {veld}", oud, nieuw_)
        PlaatsingWijziging.objects.bulk_create(geschiedenis, batch_size=BATCH)

        # The route: only what is new in this file, so a re-import never notifies again.
        if nieuw:
            route.route_starten(plaatsingen=nieuw, door=door, via_import=True)
        uitgeschreven += [p for p in nieuw if p.einddatum is not None]
        if uitgeschreven:
            route.uitschrijving_verwerken(plaatsingen=uitgeschreven, door=door)

        # Each pupil whose data this file wrote gets an entry in their own access log.
        log_toegang_voor_leerlingen(
            None,
            actie="geimporteerd",
            leerling_ids=sorted(
                {p.leerling_id for p in nieuw} | {w.plaatsing.leerling_id for w in plan.gewijzigd}
            ),
            user=door,
            omschrijving=f"iHUB-import {import_bestand.pk}",
        )

        import_bestand.status = ImportStatus.GEIMPORTEERD
        import_bestand.geimporteerd_op = nu
        import_bestand.aantal_rijen = plan.aantal_rijen
        import_bestand.aantal_nieuw = len(plan.nieuw)
        import_bestand.aantal_gewijzigd = len(plan.gewijzigd)
        import_bestand.aantal_ongewijzigd = plan.ongewijzigd
        import_bestand.aantal_nieuwe_scholen = len(plan.nieuwe_scholen)
        import_bestand.fouten = []
        import_bestand.meldingen = plan.meldingen
        import_bestand.voortgang_stap = "klaar"
        import_bestand.save(
            update_fields=[
                "status",
                "geimporteerd_op",
                "aantal_rijen",
                "aantal_nieuw",
                "aantal_gewijzigd",
                "aantal_ongewijzigd",
                "aantal_nieuwe_scholen",
                "fouten",
                "meldingen",
                "voortgang_stap",
            ]
        )
