"""Route writes: start a route, fire transitions, complete or skip actions.

The contract other apps rely on (signatures fixed):
- `route_starten(plaatsingen=..., door=...)`: new placements enter `instroom`, get their actions,
  and the SWV contact persons are mailed (no personal data).
- `uitschrijving_verwerken(plaatsingen=..., door=...)`: an end date appeared; the route moves
  towards `uitstroom`.

Every service takes `door`: the user who acts, or `coalitie.toegang.SYSTEEM` for a system job;
`None` is refused (`vereis_actor`). What is allowed is read from `routetool/route.py`.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from coalitie import historie
from coalitie.models import Instellingsschool, Lidmaatschap, Rol
from coalitie.toegang import (
    actor_pk,
    als_gebruiker,
    mag_plaatsingen_invoeren,
    route_rollen,
    vereis_actor,
)
from config.bulk import bulk_insert, bulk_set
from config.bulk_achtergrond import zonder_wachten
from plaatsingen.models import Plaatsing

from . import bulkmelding, route, signaalvelden
from .models import Actie, ActieStatus, Routekaart, RoutekaartActie, TermijnSoort, Transitie
from .states import Fase
from .werkdagen import maanden_na, weken_na, werkdagen_na

GEWIJZIGD = "Deze plaatsing is intussen gewijzigd door iemand anders. Herlaad de pagina."
REDEN_UITSCHRIJVING = route.SYSTEEMOVERGANG_UITSCHRIJVING[2]


RouteFout = route.RouteFout  # raised by every service; views catch `services.RouteFout`


# --- deadlines and phase entry -------------------------------------------------------------


def uitstroomdatum_van(plaatsing) -> dt.date | None:
    return plaatsing.einddatum or plaatsing.verwachte_uitstroomdatum


def deadline_berekenen(soort: str, aantal: int, plaatsing, fasestart: dt.date) -> dt.date | None:
    """None when the date it hangs on is not known yet (it is filled in when it becomes known)."""
    uitstroom = uitstroomdatum_van(plaatsing)
    start_vervolg = plaatsing.vervolgplek_startdatum
    if soort == TermijnSoort.WERKDAGEN_NA_FASESTART:
        return werkdagen_na(fasestart, aantal)
    if soort == TermijnSoort.ELKE_N_MAANDEN:
        return maanden_na(fasestart, aantal)
    if soort == TermijnSoort.WEKEN_VOOR_VERWACHTE_UITSTROOM:
        doel = plaatsing.verwachte_uitstroomdatum or plaatsing.einddatum
        return doel - dt.timedelta(weeks=aantal) if doel else None
    if soort == TermijnSoort.VOOR_UITSTROOMDATUM:
        return uitstroom
    if soort == TermijnSoort.WERKDAGEN_NA_UITSTROOM:
        return werkdagen_na(uitstroom, aantal) if uitstroom else None
    if soort == TermijnSoort.WEKEN_NA_START_VERVOLGPLEK:
        return weken_na(start_vervolg, aantal) if start_vervolg else None
    if soort == TermijnSoort.MAANDEN_NA_START_VERVOLGPLEK:
        return maanden_na(start_vervolg, aantal) if start_vervolg else None
    raise ValueError(f"onbekende termijnsoort {soort}")


def _deadline_sleutel(plaatsing, fasestart: dt.date) -> tuple:
    """Everything of a placement `deadline_berekenen` reads (keep the two together)."""
    return (
        fasestart,
        plaatsing.einddatum,
        plaatsing.verwachte_uitstroomdatum,
        plaatsing.vervolgplek_startdatum,
    )


def _sjablonen_per_coalitie(coalitie_ids: set[int]) -> dict[int, list]:
    """The active routekaart actions per coalition; the defaults where it has no own routekaart."""
    per_coalitie: dict[int, list] = {cid: list(route.STANDAARD_ROUTEKAART) for cid in coalitie_ids}
    eigen = Routekaart.objects.filter(coalitie_id__in=coalitie_ids).prefetch_related("acties")
    for kaart in eigen:
        per_coalitie[kaart.coalitie_id] = [a for a in kaart.acties.all() if a.actief]
    return per_coalitie


def _fase_betreden(
    plaatsingen: list, fase: str, fasestart: dt.date | None
) -> dict[int, list[signaalvelden.ActieRij]]:
    """Create the phase's actions (copied from the routekaart) for every placement at once.
    `fasestart` None: each placement's own `fase_sinds`.

    Actions of this phase that a placement already has (e.g. uitstroom was postponed and is
    entered again) are not created twice. Returns per placement all its actions of this phase,
    the ones it had and the new ones (what the signal fields need, see `signaalvelden`).
    """
    if not plaatsingen:
        return {}
    sjablonen = _sjablonen_per_coalitie({p.instellingsschool.coalitie_id for p in plaatsingen})
    # Plain ids and no ordering: no join, so the planner cannot pick a nested loop over rows
    # that this same import transaction created (their statistics still say "empty").
    van_fase: dict[int, list[signaalvelden.ActieRij]] = {p.pk: [] for p in plaatsingen}
    for plaatsing_id, *kolommen in (
        Actie.objects.filter(plaatsing_id__in=list(van_fase), fase=fase)
        .order_by()
        .values_list("plaatsing_id", *signaalvelden.ACTIE_KOLOMMEN)
    ):
        van_fase[plaatsing_id].append(signaalvelden.ActieRij(*kolommen))
    bestaand = {(pk, a.code) for pk, acties in van_fase.items() for a in acties}
    nieuw = _nieuwe_acties(plaatsingen, fase, fasestart, sjablonen, bestaand)
    bulk_insert(Actie, nieuw)
    for a in nieuw:
        van_fase[a["plaatsing_id"]].append(signaalvelden.rij(a))
    return van_fase


def _nieuwe_acties(
    plaatsingen: list, fase: str, fasestart, sjablonen, bestaand=(), eigenaren=None, groepen=None
) -> list[dict]:
    """The phase's action rows (attnames, for `bulk_insert`) copied from the routekaart, in the
    order of `plaatsingen`; `plaatsing_id` is the row's pk at the time (None before insert).
    `eigenaren`, a list: gets each action's placement row, in the same order. `groepen`, a
    list: gets per placement (placement, first, end) of its actions in the result and a key
    that is equal for two placements exactly when their actions are alike but for
    `plaatsing_id` and `verplicht` (same codes, same deadlines), or None (see `_signalen`)."""
    # This phase's templates picked once per coalition, not once per placement, each with the
    # columns it gives every copy (an import makes ~135,000 actions).
    van_deze_fase = {
        cid: [
            (
                s,
                {
                    "fase": fase,
                    "volgorde": s.volgorde,
                    "code": s.code,
                    "omschrijving": s.omschrijving,
                    "wie": s.wie,
                    "termijn_soort": s.termijn_soort,
                    "aantal": s.aantal,
                },
            )
            for s in lijst
            if s.fase == fase
        ]
        for cid, lijst in sjablonen.items()
    }
    nieuw = []
    # Many placements share their dates (a start date per school day): each coalition's
    # actions with their deadlines are worked out once per distinct set of the dates the
    # deadlines depend on (`_deadline_sleutel`), and copied per placement.
    per_groep: dict[tuple, list] = {}
    verplicht = route.actie_is_verplicht
    for p in plaatsingen:
        eigen_start = fasestart or p.fase_sinds
        groep = (p.instellingsschool.coalitie_id, _deadline_sleutel(p, eigen_start))
        kopieen = per_groep.get(groep)
        if kopieen is None:
            kopieen = per_groep[groep] = [
                (s, vast, deadline_berekenen(s.termijn_soort, s.aantal, p, eigen_start))
                for s, vast in van_deze_fase[groep[0]]
            ]
        begin = len(nieuw)
        pk = p.pk
        for s, vast, deadline in kopieen:
            if bestaand and (pk, s.code) in bestaand:
                continue
            nieuw.append(
                {"plaatsing_id": pk, **vast, "verplicht": verplicht(s, p), "deadline": deadline}
            )
            if eigenaren is not None:
                eigenaren.append(p)
        if groepen is not None:
            # The templates of a coalition and the dates the deadlines hang on decide the
            # actions, unless some were skipped as already there.
            groepen.append((p, begin, len(nieuw), None if bestaand else groep))
    return nieuw


_ROUTE_VELDEN = (
    "pk",
    "fase",
    "fase_sinds",
    "startdatum",
    "einddatum",
    "verwachte_uitstroomdatum",
    "vervolgplek_startdatum",
    "verantwoordelijk_swv_id",
    "instellingsschool_id",
    "versie",
    *signaalvelden.VELDEN,
)


def _route_rijen(qs) -> list[SimpleNamespace]:
    """Lock the placements and read only what the route needs, as light rows.

    Imports start tens of thousands of routes at once; full model instances (with their school
    joined) cost more than all the route's SQL together. The rows quack like a Plaatsing for
    `_fase_betreden` and `deadline_berekenen`.
    """
    rijen = [
        SimpleNamespace(**dict(zip(_ROUTE_VELDEN, waarden, strict=True)))
        for waarden in qs.select_for_update().order_by("pk").values_list(*_ROUTE_VELDEN)
    ]
    scholen = Instellingsschool.objects.in_bulk({r.instellingsschool_id for r in rijen})
    for r in rijen:
        r.instellingsschool = scholen[r.instellingsschool_id]
    return rijen


def _lock(plaatsing_id: int):
    return (
        Plaatsing.objects.select_for_update(of=("self",))
        .select_related("instellingsschool")
        .get(pk=plaatsing_id)
    )


def _mag_invoeren(door, rijen) -> None:
    """Starting or ending routes in bulk: the system, or who may bring these placements in."""
    for r in rijen:
        # The school or its procesregisseur also records an uitschrijving by hand (correcties).
        if not (
            mag_plaatsingen_invoeren(
                door,
                instellingsschool_id=r.instellingsschool_id,
                coalitie_id=r.instellingsschool.coalitie_id,
            )
            or route_rollen(door, r) & {route.SCHOOL, route.REGIE}
        ):
            raise PermissionDenied("U mag voor deze instellingsschool geen plaatsingen invoeren.")


# --- contract: start and uitschrijving -----------------------------------------------------


def route_starten(
    *,
    plaatsingen: list,
    door,
    via_import: bool = False,
    mailen: bool = True,
) -> None:
    """New placements enter `instroom`; each SWV contact person gets ONE mail for the whole call.

    `mailen=False`: the caller starts routes in parts (a large import) and calls `swv_mailen`
    once at the end, so nobody gets one mail per part. Placements the caller is about to create
    (an import) go through `routes_voorbereiden` instead: their route is written with them."""
    vereis_actor(door)
    if not plaatsingen:
        return
    with transaction.atomic():
        pks = [p.pk for p in plaatsingen]
        # Idempotent: a placement whose route already started is left alone.
        gestart = set(
            Transitie.objects.filter(plaatsing_id__in=pks).values_list("plaatsing_id", flat=True)
        )
        rijen = _route_rijen(
            Plaatsing.objects.filter(pk__in=[pk for pk in pks if pk not in gestart])
        )
        if not rijen:
            return
        _mag_invoeren(door, rijen)
        # One UPDATE per chunk, only for rows not already right (the importer creates them in
        # instroom since their start date). bulk_update would send a CASE branch per placement,
        # which PostgreSQL plans very slowly for tens of thousands of rows.
        bij_te_werken = [
            p.pk for p in rijen if p.fase != Fase.INSTROOM or p.fase_sinds != p.startdatum
        ]
        bij_te_werken_set = set(bij_te_werken)
        for i in range(0, len(bij_te_werken), 2000):
            Plaatsing.objects.filter(pk__in=bij_te_werken[i : i + 2000]).update(
                fase=Fase.INSTROOM, fase_sinds=F("startdatum")
            )
        historie.vastleggen(
            Plaatsing,
            {
                p.pk: _fase_wijziging(p, Fase.INSTROOM, p.startdatum)
                for p in rijen
                if p.pk in bij_te_werken_set
            },
            door=door,
            bron="route gestart",
        )
        for p in rijen:
            p.fase, p.fase_sinds = Fase.INSTROOM, p.startdatum
        reden = "geïmporteerd uit iHUB-export" if via_import else "plaatsing geregistreerd"
        bulk_insert(
            Transitie,
            [
                {
                    "plaatsing_id": p.pk,
                    "van": "",
                    "naar": Fase.INSTROOM,
                    "door_id": actor_pk(door),
                    "reden": reden,
                }
                for p in rijen
            ],
        )
        # A placement that arrives already ended (history in the export) gets no instroom
        # actions: they would be overdue at once and nobody can still do them; the importer
        # moves it on to uitstroom, whose actions do matter (vervolgplek, thuiszitrisico).
        van_fase = _fase_betreden([p for p in rijen if p.einddatum is None], Fase.INSTROOM, None)
        waarden = {
            p.pk: (
                signaalvelden.opgeslagen(p),
                signaalvelden.na_fase_betreden(p, Fase.INSTROOM, van_fase.get(p.pk, [])),
            )
            for p in rijen
        }
        signaalvelden.opslaan(waarden)
        if mailen:
            per_swv = defaultdict(list)
            for p in rijen:
                per_swv[p.verantwoordelijk_swv_id].append(p.pk)
            swv_mailen(per_swv)


def _fase_wijziging(p, fase: str, sinds) -> dict[str, tuple]:
    """The history of a bulk phase change (these rows bypass the model saves auditlog sees)."""
    velden = {}
    if p.fase != fase:
        velden["fase"] = (p.fase, fase)
    if p.fase_sinds != sinds:
        velden["fase_sinds"] = (p.fase_sinds, sinds)
    return velden


def _actie_in_historie(actie, door, status: str) -> None:
    """A route step that changes no placement column still belongs in the pupil's history."""
    historie.vastleggen(
        Plaatsing,
        {actie.plaatsing_id: {f"actie: {actie.omschrijving}": (ActieStatus.OPEN.label, status)}},
        door=door,
        bron="route",
    )


def swv_mailen(per_swv: dict[int, list[int]]) -> None:
    """Announce new placements (ids per responsible SWV): one mail per contact person."""
    per_adres: dict[str, list[int]] = defaultdict(list)
    contacten = Lidmaatschap.objects.filter(
        rol=Rol.SWV_CONTACTPERSOON, swv_id__in=per_swv, user__is_active=True
    ).values_list("user__email", "swv_id")
    for email, swv_id in contacten:
        per_adres[email].extend(per_swv[swv_id])
    from .meldingen_route import nieuwe_plaatsingen

    nieuwe_plaatsingen(per_swv)  # in the app too, next to the mail
    for email, ids in per_adres.items():
        # After commit: a rolled-back import must not announce placements that do not exist.
        transaction.on_commit(_mail_later(email, sorted(set(ids))))


def _mail_later(email: str, ids: list[int]):
    from .tasks import nieuwe_plaatsingen_mailen

    return lambda: nieuwe_plaatsingen_mailen.delay(email, ids)


def uitschrijving_verwerken(*, plaatsingen: list, door, reden: str = REDEN_UITSCHRIJVING) -> None:
    """An einddatum appeared: open routes in instroom/verblijf move to uitstroom (system)."""
    vereis_actor(door)
    if not plaatsingen:
        return
    van, naar, _ = route.SYSTEEMOVERGANG_UITSCHRIJVING
    vandaag = timezone.localdate()
    with transaction.atomic():
        rijen = _route_rijen(
            Plaatsing.objects.filter(pk__in=[p.pk for p in plaatsingen], fase__in=list(van))
        )
        if not rijen:
            return
        _mag_invoeren(door, rijen)
        bulk_insert(
            Transitie,
            [
                {
                    "plaatsing_id": p.pk,
                    "van": p.fase,
                    "naar": naar,
                    "door_id": actor_pk(door),
                    "reden": reden,
                }
                for p in rijen
            ],
        )
        van_fase = _fase_betreden(rijen, naar, vandaag)
        historie.vastleggen(
            Plaatsing,
            {p.pk: _fase_wijziging(p, naar, vandaag) for p in rijen},
            door=door,
            bron=REDEN_UITSCHRIJVING,
        )
        # ONE update per placement: the new phase together with what its signals need (an
        # import moves thousands at once; every extra row version costs all of its indexes).
        bulk_set(
            Plaatsing,
            ["fase", "fase_sinds", "versie", *signaalvelden.VELDEN],
            {
                p.pk: (
                    naar,
                    vandaag,
                    p.versie + 1,
                    *signaalvelden.na_fase_betreden(p, naar, van_fase[p.pk]),
                )
                for p in rijen
            },
        )


def routes_voorbereiden(
    *, rijen: list[dict], door, via_import: bool = False, referentie: dict | None = None
) -> NieuweRoutes:
    """The routes of placements the caller is about to create (dicts of the attnames it sets,
    no pk yet), worked out before they are written: see `NieuweRoutes`. `referentie`: a dict
    the caller keeps for one transaction (an import's groups), in which the schools and
    routekaarten read are kept, so later groups read none again."""
    vereis_actor(door)
    return NieuweRoutes(rijen, door=door, via_import=via_import, referentie=referentie)


def _referentie(referentie: dict, school_ids: set[int]) -> tuple[dict, dict]:
    """The instellingsscholen `school_ids` and their coalitions' routekaart actions, read once
    per `referentie` (inside an import each read waits for the COPY then running)."""
    scholen = referentie.setdefault("scholen", {})
    per_coalitie = referentie.setdefault("sjablonen", {})
    if ontbrekend := school_ids - scholen.keys():
        # Reference data only: no need to wait for the COPYs still queued.
        with zonder_wachten():
            scholen.update(Instellingsschool.objects.in_bulk(ontbrekend))
    coalitie_ids = {scholen[pk].coalitie_id for pk in school_ids}
    if ontbrekend := coalitie_ids - per_coalitie.keys():
        with zonder_wachten():
            per_coalitie.update(_sjablonen_per_coalitie(ontbrekend))
    return scholen, {cid: per_coalitie[cid] for cid in coalitie_ids}


class NieuweRoutes:
    """What `route_starten` and then, for a placement that arrives already ended,
    `uitschrijving_verwerken` do to new placements, computed before the placements exist.

    `velden[i]` are the route columns of `rijen[i]` (phase, version, signal fields) as those two
    leave them: the caller writes them WITH the placement, so no UPDATE of the just-written rows
    follows (at 25,000 rows those UPDATEs cost more of PostgreSQL's time than the COPY of the
    placements: a second version of every row in every index). Once the rows have their pks,
    `starten(pks)` and `uitschrijven()` write the rest as the two services do, in their order:
    history, transitions and actions. Nothing is read back: the rows are new, so no route can
    have started and no action exists; what the caller did not set is the model default.
    """

    def __init__(
        self, rijen: list[dict], *, door, via_import: bool, referentie: dict | None = None
    ) -> None:
        self.door = door
        self.reden = "geïmporteerd uit iHUB-export" if via_import else "plaatsing geregistreerd"
        standaard = {f.attname: f.get_default() for f in Plaatsing._meta.concrete_fields}
        standaard = {veld: standaard[veld] for veld in _ROUTE_VELDEN[1:]}
        self.rijen = [SimpleNamespace(**{**standaard, **rij, "pk": None}) for rij in rijen]
        scholen, sjablonen = _referentie(
            {} if referentie is None else referentie, {p.instellingsschool_id for p in self.rijen}
        )
        for p in self.rijen:
            p.instellingsschool = scholen[p.instellingsschool_id]

        # route_starten: instroom since the start date; an ended placement gets no instroom
        # actions (they would be overdue at once), only its uitstroom ones below.
        self.start_historie = [_fase_wijziging(p, Fase.INSTROOM, p.startdatum) for p in self.rijen]
        for p in self.rijen:
            p.fase, p.fase_sinds = Fase.INSTROOM, p.startdatum
        self.instroom_van: list = []
        groepen: list = []
        self.instroom = _nieuwe_acties(
            [p for p in self.rijen if p.einddatum is None],
            Fase.INSTROOM,
            None,
            sjablonen,
            eigenaren=self.instroom_van,
            groepen=groepen,
        )
        self._signalen(self.rijen, Fase.INSTROOM, groepen, self.instroom)

        # uitschrijving_verwerken on the ones that arrive ended.
        van, naar, _ = route.SYSTEEMOVERGANG_UITSCHRIJVING
        vandaag = timezone.localdate()
        self.uit = [p for p in self.rijen if p.einddatum is not None and p.fase in van]
        self.uit_fase = [p.fase for p in self.uit]
        self.uit_historie = [_fase_wijziging(p, naar, vandaag) for p in self.uit]
        self.uitstroom_van: list = []
        groepen = []
        self.uitstroom = _nieuwe_acties(
            self.uit, naar, vandaag, sjablonen, eigenaren=self.uitstroom_van, groepen=groepen
        )
        self._signalen(self.uit, naar, groepen, self.uitstroom)
        for p in self.uit:
            p.fase, p.fase_sinds, p.versie = naar, vandaag, p.versie + 1

        namen = ("fase", "fase_sinds", "versie", *signaalvelden.VELDEN)
        pak = operator.attrgetter(*namen)
        self.velden = [dict(zip(namen, pak(p), strict=True)) for p in self.rijen]

    @staticmethod
    def _signalen(rijen: list, fase: str, groepen: list, acties: list[dict]) -> None:
        """Set the signal fields of `rijen` as `na_fase_betreden` gives them; `groepen` from
        `_nieuwe_acties` (the rows that got no action are not in it)."""
        open_ = ActieStatus.OPEN
        # tuple.__new__: the NamedTuple without its Python-level constructor.
        maak = functools.partial(tuple.__new__, signaalvelden.ActieRij)
        # `na_fase_betreden` reads the placement's stored values and its actions' phase, code,
        # status and deadline only: placements alike in both get the same values, worked out
        # once (an import's 25,000 rows have a few hundred distinct start dates).
        bekend: dict[tuple, tuple] = {}
        gedaan = set()
        for p, begin, eind, groep in groepen:
            gedaan.add(id(p))
            sleutel = None if groep is None else (groep, signaalvelden.opgeslagen(p))
            nieuw = bekend.get(sleutel) if sleutel is not None else None
            if nieuw is None:
                # What `signaalvelden.rij(a)` gives for an action just made (open, never done).
                van_fase = [
                    maak((a["fase"], a["code"], open_, a["deadline"], None, "", 0))
                    for a in acties[begin:eind]
                ]
                nieuw = signaalvelden.na_fase_betreden(p, fase, van_fase)
                if sleutel is not None:
                    bekend[sleutel] = nieuw
            vars(p).update(zip(signaalvelden.VELDEN, nieuw, strict=True))
        for p in rijen:
            if id(p) not in gedaan:
                sleutel = (None, signaalvelden.opgeslagen(p))
                nieuw = bekend.get(sleutel)
                if nieuw is None:
                    nieuw = bekend[sleutel] = signaalvelden.na_fase_betreden(p, fase, [])
                vars(p).update(zip(signaalvelden.VELDEN, nieuw, strict=True))

    def starten(self, pks: list[int]) -> None:
        """The rows were written with `velden`, `pks[i]` is the pk of `rijen[i]`."""
        for p, pk in zip(self.rijen, pks, strict=True):
            p.pk = pk
        _mag_invoeren(self.door, self.rijen)
        historie.vastleggen(
            Plaatsing,
            {p.pk: w for p, w in zip(self.rijen, self.start_historie, strict=True)},
            door=self.door,
            bron="route gestart",
        )
        door_id = actor_pk(self.door)
        bulk_insert(
            Transitie,
            [
                {
                    "plaatsing_id": p.pk,
                    "van": "",
                    "naar": Fase.INSTROOM,
                    "door_id": door_id,
                    "reden": self.reden,
                }
                for p in sorted(self.rijen, key=lambda p: p.pk)
            ],
            zelfde_sleutels=True,
        )
        # Told to observers, not left to triggers (routetool/bulkmelding.py).
        bulkmelding.invoegen(
            _met_pk(self.instroom_van, self.instroom),
            acties=self.instroom,
            plaatsingen=self.instroom_van,
            zelfde_sleutels=True,
        )

    def uitschrijven(self) -> None:
        naar, door_id = route.SYSTEEMOVERGANG_UITSCHRIJVING[1], actor_pk(self.door)
        volgorde = sorted(range(len(self.uit)), key=lambda i: self.uit[i].pk)
        bulk_insert(
            Transitie,
            [
                {
                    "plaatsing_id": self.uit[i].pk,
                    "van": self.uit_fase[i],
                    "naar": naar,
                    "door_id": door_id,
                    "reden": REDEN_UITSCHRIJVING,
                }
                for i in volgorde
            ],
            zelfde_sleutels=True,
        )
        bulkmelding.invoegen(
            _met_pk(self.uitstroom_van, self.uitstroom),
            acties=self.uitstroom,
            plaatsingen=self.uitstroom_van,
            zelfde_sleutels=True,
        )
        historie.vastleggen(
            Plaatsing,
            {self.uit[i].pk: self.uit_historie[i] for i in volgorde},
            door=self.door,
            bron=REDEN_UITSCHRIJVING,
        )


def _met_pk(eigenaren: list, acties: list[dict]) -> list[dict]:
    """The actions with their placement's pk, in the order of the placements' pks (as
    `route_starten` writes them; stable within a placement)."""
    for p, a in zip(eigenaren, acties, strict=True):
        a["plaatsing_id"] = p.pk
    return sorted(acties, key=operator.itemgetter("plaatsing_id"))


# --- transitions ---------------------------------------------------------------------------


open_verplichte_acties = route.open_verplichte_acties  # kept for callers


def transitie_uitvoeren(
    *, plaatsing_id: int, naar: str, door, versie: int, reden: str = "", afbreken: bool = False
) -> Transitie:
    """Move one placement to `naar`, as `route.OVERGANGEN` allows. `versie` is what the user's
    form showed: if someone else moved the placement meanwhile, the row lock makes us wait and
    then this check refuses."""
    vereis_actor(door)
    reden = (reden or "").strip()
    with transaction.atomic():
        plaatsing = _lock(plaatsing_id)
        if plaatsing.versie != int(versie):
            raise RouteFout(GEWIJZIGD)
        overgang = route.overgang_zoeken(plaatsing.fase, naar, afbreken=afbreken)
        if overgang is None:
            raise RouteFout(
                f"Een plaatsing in {Fase(plaatsing.fase).label} kan niet naar {Fase(naar).label}."
            )
        if not (route_rollen(door, plaatsing) & overgang.rollen):
            raise PermissionDenied(f"U mag '{overgang.label}' niet uitvoeren bij deze plaatsing.")
        if melding := overgang.weigering(plaatsing, reden):
            raise RouteFout(melding)
        return _overgang_toepassen(plaatsing, naar=naar, door=door, reden=reden)


def _overgang_toepassen(plaatsing, *, naar: str, door, reden: str) -> Transitie:
    vandaag = timezone.localdate()
    rij = Transitie.objects.create(
        plaatsing=plaatsing, van=plaatsing.fase, naar=naar, door=als_gebruiker(door), reden=reden
    )
    plaatsing.fase, plaatsing.fase_sinds = naar, vandaag
    plaatsing.versie += 1
    plaatsing.save(update_fields=["fase", "fase_sinds", "versie", "gewijzigd_op"])
    if naar != Fase.AFGESLOTEN:
        _fase_betreden([plaatsing], naar, vandaag)
    signaalvelden.bijwerken([plaatsing.pk])
    return rij


# --- actions -------------------------------------------------------------------------------


def _actie_locken(actie_id: int):
    """Lock the placement first, then the action: the same order as transitions (no deadlock)."""
    plaatsing_id = Actie.objects.values_list("plaatsing_id", flat=True).get(pk=actie_id)
    plaatsing = _lock(plaatsing_id)
    actie = Actie.objects.select_for_update().get(pk=actie_id)
    if plaatsing.fase == Fase.AFGESLOTEN:
        raise RouteFout("Deze route is afgesloten; acties kunnen niet meer worden gewijzigd.")
    if not actie.is_open:
        raise RouteFout("Deze actie is intussen al afgerond door iemand anders. Herlaad de pagina.")
    return plaatsing, actie


def mag_actie_doen(user, plaatsing, actie) -> bool:
    return route.mag_actie_doen(route_rollen(user, plaatsing), actie)


def actie_afronden(
    *, actie_id: int, door, notitie: str = "", gegevens: dict | None = None
) -> Actie:
    """Mark an action done, with the data it carries (see `routetool/acties.py`)."""
    vereis_actor(door)
    from .acties import gegevens_toepassen

    with transaction.atomic():
        plaatsing, actie = _actie_locken(actie_id)
        rollen = route_rollen(door, plaatsing)
        if not route.mag_actie_doen(rollen, actie):
            raise PermissionDenied("Deze actie is niet voor uw rol.")
        velden = gegevens_toepassen(plaatsing=plaatsing, actie=actie, gegevens=gegevens or {})
        if route.doet_namens(rollen, actie):
            # The SWV did a partner's action for it: the timeline and the PDF say so.
            actie.gegevens = {**actie.gegevens, "namens": actie.wie}
            velden = [*dict.fromkeys([*velden, "gegevens"])]
        actie.status = ActieStatus.GEDAAN
        actie.gedaan_door = als_gebruiker(door)
        actie.gedaan_op = timezone.now()
        actie.notitie = (notitie or "").strip()
        actie.save(update_fields=["status", "gedaan_door", "gedaan_op", "notitie", *velden])
        _actie_in_historie(actie, door, ActieStatus.GEDAAN.label)
        if actie.is_herhalend:
            _volgende_herhaling(actie)
        signaalvelden.bijwerken([plaatsing.pk])
        return actie


def _volgende_herhaling(actie: Actie) -> Actie:
    """A recurring action (every N months) comes back N months after it was done."""
    return Actie.objects.create(
        plaatsing_id=actie.plaatsing_id,
        fase=actie.fase,
        volgorde=actie.volgorde,
        code=actie.code,
        omschrijving=actie.omschrijving,
        wie=actie.wie,
        verplicht=actie.verplicht,
        termijn_soort=actie.termijn_soort,
        aantal=actie.aantal,
        deadline=maanden_na(timezone.localdate(), actie.aantal),
    )


def actie_overslaan(*, actie_id: int, door, reden: str) -> Actie:
    vereis_actor(door)
    reden = (reden or "").strip()
    with transaction.atomic():
        plaatsing, actie = _actie_locken(actie_id)
        if not route.mag_actie_overslaan(route_rollen(door, plaatsing)):
            raise PermissionDenied("Alleen de procesregisseur kan een actie overslaan.")
        if not reden:
            raise RouteFout("Geef een reden op om de actie over te slaan.")
        actie.status = ActieStatus.OVERGESLAGEN
        actie.reden_overslaan = reden
        actie.gedaan_door = als_gebruiker(door)
        actie.gedaan_op = timezone.now()
        actie.save(update_fields=["status", "reden_overslaan", "gedaan_door", "gedaan_op"])
        _actie_in_historie(actie, door, ActieStatus.OVERGESLAGEN.label)
        signaalvelden.bijwerken([plaatsing.pk])
        return actie


def plaatsing_bevestigen(*, plaatsing_id: int, door) -> Actie:
    """The SWV acknowledges a new placement with one click."""
    vereis_actor(door)
    actie = (
        Actie.objects.filter(
            plaatsing_id=plaatsing_id, code=route.BEVESTIGD, status=ActieStatus.OPEN
        )
        .order_by("pk")
        .first()
    )
    if actie is None:
        raise RouteFout("Deze plaatsing is al bevestigd.")
    return actie_afronden(actie_id=actie.pk, door=door)


UITSTROOM_AFHANKELIJK = (
    TermijnSoort.WEKEN_VOOR_VERWACHTE_UITSTROOM,
    TermijnSoort.VOOR_UITSTROOMDATUM,
    TermijnSoort.WERKDAGEN_NA_UITSTROOM,
)


def uitstroomdatum_vastleggen(*, plaatsing_id: int, door, datum: dt.date) -> None:
    """Record the expected uitstroom date; open actions that count from it move with it."""
    vereis_actor(door)
    with transaction.atomic():
        plaatsing = _lock(plaatsing_id)
        if not route.mag_uitstroomdatum_vastleggen(route_rollen(door, plaatsing)):
            raise PermissionDenied("U mag de verwachte uitstroomdatum niet wijzigen.")
        if plaatsing.fase == Fase.AFGESLOTEN:
            raise RouteFout("Deze route is afgesloten.")
        if datum < plaatsing.startdatum:
            raise RouteFout("De verwachte uitstroomdatum ligt vóór de datum van inschrijving.")
        plaatsing.verwachte_uitstroomdatum = datum
        plaatsing.save(update_fields=["verwachte_uitstroomdatum", "gewijzigd_op"])
        deadlines_bijwerken(plaatsing, UITSTROOM_AFHANKELIJK)


def deadlines_bijwerken(plaatsing, soorten) -> None:
    acties = list(
        Actie.objects.filter(
            plaatsing=plaatsing, status=ActieStatus.OPEN, termijn_soort__in=soorten
        )
    )
    for a in acties:
        a.deadline = deadline_berekenen(a.termijn_soort, a.aantal, plaatsing, plaatsing.fase_sinds)
    Actie.objects.bulk_update(acties, ["deadline"])
    signaalvelden.bijwerken([plaatsing.pk])


def routekaart_vullen_met_standaard(*, routekaart: Routekaart) -> None:
    """Copy the default actions into a coalition's new routekaart, to adjust from there."""
    RoutekaartActie.objects.bulk_create(
        [
            RoutekaartActie(
                routekaart=routekaart,
                fase=s.fase,
                volgorde=s.volgorde,
                code=s.code,
                omschrijving=s.omschrijving,
                wie=s.wie,
                termijn_soort=s.termijn_soort,
                aantal=s.aantal,
                verplicht=s.verplicht,
            )
            for s in route.STANDAARD_ROUTEKAART
        ]
    )


FASESTART_AFHANKELIJK = (TermijnSoort.WERKDAGEN_NA_FASESTART, TermijnSoort.ELKE_N_MAANDEN)


def startdatum_gecorrigeerd(*, correcties: dict[int, dt.date]) -> None:
    """The export corrected these placements' start dates (pk → the old date).

    A phase that began on the old start date (instroom, as the import starts it) now begins on
    the new one, and the open actions that count from the phase start move with it."""

    if not correcties:
        return
    with transaction.atomic():
        rijen = _route_rijen(Plaatsing.objects.filter(pk__in=list(correcties)))
        verschoven = {p.pk: p for p in rijen if p.fase_sinds == correcties[p.pk]}
        for p in verschoven.values():
            p.fase_sinds = p.startdatum
        bulk_set(Plaatsing, ["fase_sinds"], {pk: (p.fase_sinds,) for pk, p in verschoven.items()})
        acties = Actie.objects.filter(
            plaatsing_id__in=list(verschoven),
            status=ActieStatus.OPEN,
            termijn_soort__in=FASESTART_AFHANKELIJK,
        ).only("pk", "plaatsing_id", "fase", "termijn_soort", "aantal", "deadline")
        nieuw = {}
        for a in acties:
            p = verschoven[a.plaatsing_id]
            if a.fase == p.fase:
                nieuw[a.pk] = (deadline_berekenen(a.termijn_soort, a.aantal, p, p.fase_sinds),)
        bulk_set(Actie, ["deadline"], nieuw)
        signaalvelden.bijwerken(verschoven)
