"""The route of a placement, declared once: its phases, its transitions (with every guard and
who may fire them), who may do, skip or date what, the default routekaart, and the signals
(condition and label together).

The engine (`routetool/services.py`) reads this declaration; the placement page
(`routetool/pagina.py`), the forms, the overview, the digest and the reports ask it. None of
them restates a role, a guard or a signal. Which person holds which route role for a placement
is an access question, answered in `coalitie/toegang.py` (`route_rollen`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from coalitie import toegang
from coalitie.toegang import RouteRol, route_rollen

from .models import Actie, ActieStatus, NazorgAntwoord
from .models import TermijnSoort as T
from .states import OPEN_FASEN, Fase
from .werkdagen import werkdagen_voor


class RouteFout(Exception):
    """A route rule said no; the message is Dutch and safe to show to the user."""


SWV, SCHOOL, REGIE = RouteRol.SWV, RouteRol.INSTELLINGSSCHOOL, RouteRol.PROCESREGISSEUR
STAMSCHOOL_ROL, VERVOLGSCHOOL_ROL, AMBULANT_ROL = (
    RouteRol.STAMSCHOOL,
    RouteRol.VERVOLGSCHOOL,
    RouteRol.AMBULANT,
)
# Partners around one pupil (issue 17). Where one is not in the app (not invited, or not yet),
# the SWV of the placement does its actions for it ("namens de stamschool").
# The set itself is declared once, with the roles, in coalitie.toegang (a deelnemer's soort).
PARTNER_ROLLEN = frozenset(toegang.PARTNER_ROLLEN)

# --- phases -------------------------------------------------------------------------------

FASEN = tuple(Fase)  # in route order: instroom → verblijf → uitstroom → nazorg → afgesloten


# --- who may do what besides transitions --------------------------------------------------

ROLLEN_ACTIE_OVERSLAAN = frozenset({REGIE})
ROLLEN_UITSTROOMDATUM = frozenset({SWV, SCHOOL, REGIE})


def mag_actie_doen(rollen: frozenset[str], actie) -> bool:
    """The role the action is for does it; the procesregisseur may do any; the SWV of the
    placement may do a partner's action for it (a partner not in the app)."""
    return REGIE in rollen or actie.wie in rollen or doet_namens(rollen, actie)


def doet_namens(rollen: frozenset[str], actie) -> bool:
    """True when this person would do the action for the partner it belongs to (the page says
    "namens de stamschool"), not as that partner."""
    return actie.wie in PARTNER_ROLLEN and actie.wie not in rollen and SWV in rollen


def namens_tekst(actie) -> str:
    """What the page says when the SWV does a partner's action: "namens de stamschool"."""
    return f"namens de {RouteRol(actie.wie).label}"


def mag_actie_heropenen(rollen: frozenset[str], actie, user) -> bool:
    """A mistaken "done" is reopened by the one who did it, or the procesregisseur."""
    return REGIE in rollen or bool(rollen and actie.gedaan_door_id == getattr(user, "pk", None))


def mag_actie_overslaan(rollen: frozenset[str]) -> bool:
    return bool(rollen & ROLLEN_ACTIE_OVERSLAAN)


def mag_uitstroomdatum_vastleggen(rollen: frozenset[str]) -> bool:
    return bool(rollen & ROLLEN_UITSTROOMDATUM)


# --- what a partner sees of the route (issue 17: "only what their part needs") ---------------
# A deelnemer holds partner roles only. They see the phase and its dates, and every action with
# its status, deadline and the role that must act; the content (notes, recorded data, skip
# reasons, who did it) only of their own actions. Transition reasons, the names of the people
# who moved the route and the per-pupil history stay with the SWV, the school and the regie.
# Empty `rollen` (penvoerder, beheerder: read-only) is not a partner and reads as before.


def ziet_alleen_eigen_deel(rollen: frozenset[str]) -> bool:
    return bool(rollen) and rollen <= PARTNER_ROLLEN


def mag_actie_details_zien(rollen: frozenset[str], actie) -> bool:
    """Notes, recorded data, skip reason and who did it: everyone but a partner, and a partner
    for the actions that are theirs (`actie.wie` is their role)."""
    return not ziet_alleen_eigen_deel(rollen) or actie.wie in rollen


def mag_route_details_zien(rollen: frozenset[str]) -> bool:
    """Transition reasons, who moved the route, the per-pupil history: not for a partner."""
    return not ziet_alleen_eigen_deel(rollen)


# --- the overdrachtsprofiel (warme overdracht) ------------------------------------------------
# Who reads it: the people who run the route, and the school that receives the pupil. Built
# from the start until the handover; confirmed at the handover itself (uitstroom).
ROLLEN_PROFIEL_ZIEN = frozenset({SWV, SCHOOL, REGIE, VERVOLGSCHOOL_ROL})
ROLLEN_PROFIEL_BEWERKEN = frozenset({SWV, SCHOOL, REGIE})
FASEN_PROFIEL_BEWERKEN = (Fase.INSTROOM, Fase.VERBLIJF, Fase.UITSTROOM)


def mag_profiel_zien(rollen: frozenset[str]) -> bool:
    return bool(rollen & ROLLEN_PROFIEL_ZIEN)


def mag_profiel_bewerken(rollen: frozenset[str], plaatsing) -> bool:
    return bool(rollen & ROLLEN_PROFIEL_BEWERKEN) and plaatsing.fase in FASEN_PROFIEL_BEWERKEN


def mag_profiel_bevestigen(rollen: frozenset[str], plaatsing) -> bool:
    return bool(rollen & ROLLEN_PROFIEL_BEWERKEN) and plaatsing.fase == Fase.UITSTROOM


# --- guards of transitions -------------------------------------------------------------------
# A guard gets the (locked) placement and the typed reason; it returns a Dutch message when the
# transition must be refused, else None.


def open_verplichte_acties(plaatsing) -> list[Actie]:
    """Required actions of the current phase still open (recurring ones never block)."""
    return list(
        Actie.objects.filter(
            plaatsing=plaatsing, fase=plaatsing.fase, verplicht=True, status=ActieStatus.OPEN
        )
        .exclude(termijn_soort=T.ELKE_N_MAANDEN)
        .order_by("volgorde", "pk")
    )


def acties_van_fase_af(plaatsing, reden: str) -> str | None:
    open_acties = open_verplichte_acties(plaatsing)
    if not open_acties:
        return None
    namen = "; ".join(a.omschrijving for a in open_acties)
    return (
        f"De fase {Fase(plaatsing.fase).label} kan pas worden afgesloten als deze "
        f"verplichte acties gedaan of overgeslagen zijn: {namen}."
    )


def vervolgplek_bekend(plaatsing, reden: str) -> str | None:
    ontbreekt = []
    if not plaatsing.vervolgplek_soort:
        ontbreekt.append("de vervolgplek")
    if not plaatsing.vervolgplek_startdatum:
        ontbreekt.append("de startdatum op de vervolgplek")
    if ontbreekt:
        return "Nazorg kan pas starten als " + " en ".join(ontbreekt) + " is vastgelegd."
    return None


def uitgeschreven(plaatsing, reden: str) -> str | None:
    # A completed route ends with the pupil gone from the residential school: without the
    # date the monthly lists would keep counting the pupil and the monitor its stay.
    if not plaatsing.einddatum:
        return (
            "De route kan pas worden afgesloten als de datum van uitschrijving is vastgelegd "
            "(door de school, of via de iHUB-import)."
        )
    return None


# --- transitions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Overgang:
    naam: str
    van: tuple[str, ...]
    naar: str
    label: str  # the button text
    rollen: frozenset[str]  # who may fire it
    reden_verplicht: bool = False
    gevaarlijk: bool = False  # the page asks twice (a red button behind a fold-out)
    # Checked in this order after the reason; the first message refuses the transition.
    guards: tuple[Callable[..., str | None], ...] = ()

    @property
    def toelichting_verplicht(self) -> bool:
        """Whether the page's free-text box must be filled in: afbreken takes its reason from a
        list of standard reasons, so there the text is only needed with 'anders'."""
        return self.reden_verplicht and self.naam != "afbreken"

    def reden_guard(self, reden: str) -> str | None:
        if self.reden_verplicht and not reden:
            return f"Geef een reden op voor '{self.label}'."
        return None

    def blokkade(self, plaatsing) -> str | None:
        """Why this step cannot be taken now whatever reason is typed (None: it can). The page
        shows this beside the step instead of a button that would be refused."""
        for guard in self.guards:
            if melding := guard(plaatsing, ""):
                return melding
        return None

    def weigering(self, plaatsing, reden: str) -> str | None:
        """Why this transition may not happen now (None: it may). Roles are checked apart."""
        if melding := self.reden_guard(reden):
            return melding
        for guard in self.guards:
            if melding := guard(plaatsing, reden):
                return melding
        return None


OVERGANGEN = [
    Overgang(
        "verblijf",
        (Fase.INSTROOM,),
        Fase.VERBLIJF,
        "Naar verblijf",
        frozenset({SCHOOL, REGIE}),
        guards=(acties_van_fase_af,),
    ),
    Overgang(
        "uitstroom",
        (Fase.INSTROOM, Fase.VERBLIJF),
        Fase.UITSTROOM,
        "Naar uitstroom",
        frozenset({SCHOOL, REGIE}),
        guards=(acties_van_fase_af,),
    ),
    # Going back or aborting does not need the phase's actions done.
    Overgang(
        "uitstel",
        (Fase.UITSTROOM,),
        Fase.VERBLIJF,
        "Uitstroom uitstellen (terug naar verblijf)",
        frozenset({SCHOOL, REGIE}),
        reden_verplicht=True,
    ),
    Overgang(
        "nazorg",
        (Fase.UITSTROOM,),
        Fase.NAZORG,
        "Naar nazorg",
        frozenset({SWV, REGIE}),
        guards=(acties_van_fase_af, vervolgplek_bekend),
    ),
    Overgang(
        "afsluiten",
        (Fase.NAZORG,),
        Fase.AFGESLOTEN,
        "Route afsluiten",
        frozenset({SWV, REGIE}),
        guards=(acties_van_fase_af, uitgeschreven),
    ),
    Overgang(
        "afbreken",
        tuple(OPEN_FASEN),
        Fase.AFGESLOTEN,
        "Route afbreken",
        frozenset({REGIE}),
        reden_verplicht=True,
        gevaarlijk=True,
    ),
]
OVERGANGEN_OP_NAAM = {o.naam: o for o in OVERGANGEN}
# A route closed before nazorg was afgebroken: shown and counted apart from a completed route.
# Closing after nazorg is the normal end (also when the afbreken button was used there).
AFGEBROKEN_VAN = tuple(f for f in OPEN_FASEN if f != Fase.NAZORG)
# What the system does by itself (the import saw an einddatum): not fired by a person.
SYSTEEMOVERGANG_UITSCHRIJVING = (
    (Fase.INSTROOM, Fase.VERBLIJF),
    Fase.UITSTROOM,
    "uitschrijving in iHUB-export",
)


def overgang_zoeken(van: str, naar: str, *, afbreken: bool = False) -> Overgang | None:
    if afbreken:
        o = OVERGANGEN_OP_NAAM["afbreken"]
        return o if van in o.van and naar == o.naar else None
    for o in OVERGANGEN:
        if o.naam != "afbreken" and van in o.van and o.naar == naar:
            return o
    return None


def overgangen_voor(user, plaatsing) -> list[Overgang]:
    """The transitions this user may try now (guards are checked when fired)."""
    rollen = route_rollen(user, plaatsing)
    return [o for o in OVERGANGEN if plaatsing.fase in o.van and rollen & o.rollen]


def rollen_voor(user, plaatsing) -> frozenset[str]:
    """Kept for callers: the route roles of `user` (see `coalitie.toegang.route_rollen`)."""
    return route_rollen(user, plaatsing)


# --- the default routekaart -----------------------------------------------------------------
# Codes whose action has a form and effects of its own (routetool/acties/, one module per kind).
BEVESTIGD = "bevestigd"
STAMSCHOOL = "stamschool"
OVEREENKOMST = "overeenkomst"
PERSPECTIEF = "perspectief"
VERVOLGPLEK_IN_BEELD = "vervolgplek-in-beeld"
VERVOLGPLEK = "vervolgplek"
AMBULANT = "ambulant"
NAZORG_6W = "nazorg-6-weken"
NAZORG_3M = "nazorg-3-maanden"
# The partners' own actions (issue 17).
STAMSCHOOL_BEVESTIGT = "stamschool-bevestigt"
VOORTGANG_STAMSCHOOL = "voortgang-stamschool"
OVERDRACHT_GEACCEPTEERD = "overdracht-geaccepteerd"
INSCHRIJVING_BEVESTIGD = "inschrijving-bevestigd"


@dataclass(frozen=True)
class ActieSjabloon:
    fase: str
    code: str
    omschrijving: str
    wie: str
    termijn_soort: str
    aantal: int
    verplicht: bool = True
    volgorde: int = 0


def _s(fase, volgorde, code, omschrijving, wie, termijn, aantal, verplicht=True):
    return ActieSjabloon(fase, code, omschrijving, wie, termijn, aantal, verplicht, volgorde)


IN, V, U, N = Fase.INSTROOM, Fase.VERBLIJF, Fase.UITSTROOM, Fase.NAZORG
# A coalition's beheerder copies this into its own `Routekaart` in the admin and changes it there.
STANDAARD_ROUTEKAART = [
    _s(
        IN,
        1,
        BEVESTIGD,
        "SWV geïnformeerd en plaatsing bevestigd",
        SWV,
        T.WERKDAGEN_NA_FASESTART,
        5,
    ),
    _s(
        IN,
        2,
        STAMSCHOOL,
        "Stamschool geïnformeerd, contactpersoon vastgelegd (of: geen stamschool)",
        SWV,
        T.WERKDAGEN_NA_FASESTART,
        10,
    ),
    # The stamschool itself (a deelnemer, or the SWV for it): who its contact is and whether
    # the pupil stays enrolled there (with "geen stamschool" recorded, the SWV closes it in one
    # step for it).
    _s(
        IN,
        2,
        STAMSCHOOL_BEVESTIGT,
        "Stamschool bevestigt contactpersoon en of de leerling ingeschreven blijft",
        STAMSCHOOL_ROL,
        T.WERKDAGEN_NA_FASESTART,
        15,
    ),
    _s(
        IN,
        3,
        "onderwijsgegevens",
        "Onderwijsgegevens overgedragen (niveau, leerjaar, OPP)",
        SCHOOL,
        T.WERKDAGEN_NA_FASESTART,
        10,
    ),
    # Required only at schools that demand it (see `actie_is_verplicht`).
    _s(
        IN,
        4,
        OVEREENKOMST,
        "Samenwerkingsovereenkomst stamschool–instellingsschool getekend",
        STAMSCHOOL_ROL,
        T.WERKDAGEN_NA_FASESTART,
        20,
    ),
    _s(
        IN,
        5,
        "startgesprek",
        "Startgesprek gehouden (leerling, ouders, stamschool, instellingsschool, SWV)",
        SCHOOL,
        T.WERKDAGEN_NA_FASESTART,
        20,
    ),
    _s(
        V,
        1,
        PERSPECTIEF,
        "Onderwijsperspectief / uitstroomprofiel vastgesteld",
        SCHOOL,
        T.WERKDAGEN_NA_FASESTART,
        30,
    ),
    _s(
        V,
        2,
        "voortgangsgesprek",
        "Voortgangsgesprek met de stamschool",
        SCHOOL,
        T.ELKE_N_MAANDEN,
        3,
        verplicht=False,
    ),
    _s(
        V,
        2,
        VOORTGANG_STAMSCHOOL,
        "Stamschool neemt deel aan het voortgangsgesprek (aanwezigheid vastleggen)",
        STAMSCHOOL_ROL,
        T.ELKE_N_MAANDEN,
        3,
        verplicht=False,
    ),
    _s(
        V, 3, VERVOLGPLEK_IN_BEELD, "Vervolgplek in beeld", SWV, T.WEKEN_VOOR_VERWACHTE_UITSTROOM, 6
    ),
    _s(
        U,
        1,
        VERVOLGPLEK,
        "Vervolgplek vastgelegd: school (BRIN), mbo, arbeid of dagbesteding",
        SWV,
        T.VOOR_UITSTROOMDATUM,
        0,
    ),
    _s(U, 2, "warme-overdracht", "Warme overdracht gehouden", SCHOOL, T.VOOR_UITSTROOMDATUM, 0),
    # The receiving school (or mbo) accepts; the SWV does it for one not in the app.
    _s(
        U,
        2,
        OVERDRACHT_GEACCEPTEERD,
        "Vervolgschool accepteert de overdracht (overdrachtsprofiel)",
        VERVOLGSCHOOL_ROL,
        T.VOOR_UITSTROOMDATUM,
        0,
    ),
    _s(
        U,
        3,
        AMBULANT,
        "Ambulante overgangsbegeleiding toegekend (standaard 20 uur)",
        AMBULANT_ROL,
        T.VOOR_UITSTROOMDATUM,
        0,
    ),
    _s(
        U,
        4,
        INSCHRIJVING_BEVESTIGD,
        "Inschrijving op de vervolgplek bevestigd",
        VERVOLGSCHOOL_ROL,
        T.WERKDAGEN_NA_UITSTROOM,
        5,
    ),
    _s(
        N,
        1,
        NAZORG_6W,
        "Nazorg na 6 weken: gaat de leerling naar de vervolgplek?",
        SWV,
        T.WEKEN_NA_START_VERVOLGPLEK,
        6,
    ),
    _s(
        N,
        2,
        NAZORG_3M,
        "Nazorg na 3 maanden, daarna afsluiten",
        SWV,
        T.MAANDEN_NA_START_VERVOLGPLEK,
        3,
    ),
]


def actie_is_verplicht(sjabloon, plaatsing) -> bool:
    """Whether a placement's copy of a routekaart action is required."""
    if not sjabloon.verplicht:
        return False
    if sjabloon.code == OVEREENKOMST:
        # Only schools that demand it (Schakenbosch and Rijnstroom since 1 June 2025).
        vanaf = plaatsing.instellingsschool.overeenkomst_verplicht_vanaf
        return bool(vanaf and plaatsing.startdatum >= vanaf)
    return True


# --- signals ---------------------------------------------------------------------------------
# Each condition is on the placement's own columns only: what a signal needs from the actions
# is stored on the placement by the route services (`signaalvelden`), so counting over every
# open placement is one scan of one table and a filter a plain WHERE. The label is what lists,
# filters, the digest and the reports show; `uitleg` says in words exactly what the condition
# checks (the reports print it), so the two cannot drift apart.

LANG_VERBLIJF_MAANDEN = 6
CASUSREGISSEUR_WERKDAGEN = 5  # issue 17: an open placement without one is a signal after this


@dataclass(frozen=True)
class Signaal:
    key: str
    label: str
    uitleg: str
    voorwaarde: Callable[[dt.date], Q]


_OPEN = Q(fase__in=OPEN_FASEN)

SIGNALEN = [
    Signaal(
        "te_laat",
        "te laat",
        "een actie van de huidige fase is over haar termijn",
        lambda vandaag: _OPEN & Q(termijn_fase__lt=vandaag),
    ),
    Signaal(
        "niet_bevestigd",
        "niet bevestigd",
        "het SWV heeft de plaatsing niet binnen de termijn bevestigd",
        lambda vandaag: _OPEN & Q(termijn_bevestigen__lt=vandaag),
    ),
    Signaal(
        "thuiszitrisico",
        "thuiszitrisico",
        # What the condition checks: an einddatum without any vervolgplek recorded, or the
        # latest nazorg answer "nee". A recorded vervolgplek counts even if its enrolment is
        # not confirmed yet (that is the action "inschrijving bevestigd", with its own term).
        "uitgeschreven zonder vastgelegde vervolgplek, of de nazorg meldt dat de leerling "
        "niet naar de vervolgplek gaat",
        lambda vandaag: (
            _OPEN
            & (
                Q(einddatum__isnull=False, vervolgplek_soort="")
                | Q(laatste_nazorg_antwoord=NazorgAntwoord.NEE)
            )
        ),
    ),
    Signaal(
        "geen_stamschool",
        "geen stamschool",
        "na de termijn van de stamschool-actie is geen stamschool vastgelegd (en ook niet "
        "'geen stamschool')",
        lambda vandaag: (
            _OPEN
            & Q(stamschool__isnull=True, geen_stamschool=False, termijn_stamschool__lt=vandaag)
        ),
    ),
    Signaal(
        "geen_casusregisseur",
        "geen casusregisseur",
        f"{CASUSREGISSEUR_WERKDAGEN} werkdagen na de inschrijving heeft het SWV nog geen "
        "casusregisseur toegewezen",
        lambda vandaag: (
            _OPEN
            & Q(
                casusregisseur__isnull=True,
                historisch=False,
                startdatum__lt=werkdagen_voor(vandaag, CASUSREGISSEUR_WERKDAGEN),
            )
        ),
    ),
    Signaal(
        "lang_verblijf",
        "lang verblijf",
        f"langer dan {LANG_VERBLIJF_MAANDEN} maanden in verblijf zonder vastgesteld "
        "onderwijsperspectief",
        lambda vandaag: Q(
            fase=Fase.VERBLIJF,
            fase_sinds__lt=vandaag - relativedelta(months=LANG_VERBLIJF_MAANDEN),
            perspectief_gedaan=False,
        ),
    ),
]
SIGNALEN_OP_KEY = {s.key: s for s in SIGNALEN}


def signalen_uitleg() -> str:
    """One sentence per signal for reports: 'label: uitleg'."""
    return " ".join(f"{s.label[0].upper()}{s.label[1:]}: {s.uitleg}." for s in SIGNALEN)
