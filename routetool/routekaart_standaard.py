"""The default routekaart of the coalitions (domain.md). Ships with the app; a coalition's
beheerder can copy it into its own `Routekaart` in the admin and change it there."""

from __future__ import annotations

from dataclasses import dataclass

from .models import TermijnSoort as T
from .models import Wie
from .states import Fase

# Codes with their own form and effects (see routetool/acties.py).
BEVESTIGD = "bevestigd"
STAMSCHOOL = "stamschool"
OVEREENKOMST = "overeenkomst"
PERSPECTIEF = "perspectief"
VERVOLGPLEK = "vervolgplek"
AMBULANT = "ambulant"
NAZORG_6W = "nazorg-6-weken"
NAZORG_3M = "nazorg-3-maanden"


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


STANDAARD = [
    ActieSjabloon(
        Fase.INSTROOM,
        BEVESTIGD,
        "SWV geïnformeerd en plaatsing bevestigd",
        Wie.SWV,
        T.WERKDAGEN_NA_FASESTART,
        5,
        volgorde=1,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.INSTROOM,
        STAMSCHOOL,
        "Stamschool geïnformeerd, contactpersoon vastgelegd (of: geen stamschool)",
        Wie.SWV,
        T.WERKDAGEN_NA_FASESTART,
        10,
        volgorde=2,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.INSTROOM,
        "onderwijsgegevens",
        "Onderwijsgegevens overgedragen (niveau, leerjaar, OPP)",
        Wie.INSTELLINGSSCHOOL,
        T.WERKDAGEN_NA_FASESTART,
        10,
        volgorde=3,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.INSTROOM,
        OVEREENKOMST,
        "Samenwerkingsovereenkomst stamschool–instellingsschool getekend",
        Wie.INSTELLINGSSCHOOL,
        T.WERKDAGEN_NA_FASESTART,
        20,
        volgorde=4,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.INSTROOM,
        "startgesprek",
        "Startgesprek gehouden (leerling, ouders, stamschool, instellingsschool, SWV)",
        Wie.INSTELLINGSSCHOOL,
        T.WERKDAGEN_NA_FASESTART,
        20,
        volgorde=5,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.VERBLIJF,
        PERSPECTIEF,
        "Onderwijsperspectief / uitstroomprofiel vastgesteld",
        Wie.INSTELLINGSSCHOOL,
        T.WERKDAGEN_NA_FASESTART,
        30,
        volgorde=1,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.VERBLIJF,
        "voortgangsgesprek",
        "Voortgangsgesprek met de stamschool",
        Wie.INSTELLINGSSCHOOL,
        T.ELKE_N_MAANDEN,
        3,
        verplicht=False,
        volgorde=2,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.VERBLIJF,
        "vervolgplek-in-beeld",
        "Vervolgplek in beeld",
        Wie.SWV,
        T.WEKEN_VOOR_VERWACHTE_UITSTROOM,
        6,
        volgorde=3,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.UITSTROOM,
        VERVOLGPLEK,
        "Vervolgplek vastgelegd: school (BRIN), mbo, arbeid of dagbesteding",
        Wie.SWV,
        T.VOOR_UITSTROOMDATUM,
        0,
        volgorde=1,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.UITSTROOM,
        "warme-overdracht",
        "Warme overdracht gehouden",
        Wie.INSTELLINGSSCHOOL,
        T.VOOR_UITSTROOMDATUM,
        0,
        volgorde=2,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.UITSTROOM,
        AMBULANT,
        "Ambulante overgangsbegeleiding toegekend (standaard 20 uur)",
        Wie.SWV,
        T.VOOR_UITSTROOMDATUM,
        0,
        volgorde=3,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.UITSTROOM,
        "inschrijving-bevestigd",
        "Inschrijving op de vervolgplek bevestigd",
        Wie.SWV,
        T.WERKDAGEN_NA_UITSTROOM,
        5,
        volgorde=4,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.NAZORG,
        NAZORG_6W,
        "Nazorg na 6 weken: gaat de leerling naar de vervolgplek?",
        Wie.SWV,
        T.WEKEN_NA_START_VERVOLGPLEK,
        6,
        volgorde=1,
    ),  # noqa: E501
    ActieSjabloon(
        Fase.NAZORG,
        NAZORG_3M,
        "Nazorg na 3 maanden, daarna afsluiten",
        Wie.SWV,
        T.MAANDEN_NA_START_VERVOLGPLEK,
        3,
        volgorde=2,
    ),  # noqa: E501
]
