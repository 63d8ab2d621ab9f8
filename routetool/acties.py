"""What completing a particular action records, by its code. The data lives on the action; what
the route itself needs (stamschool, vervolgplek) is also written on the placement."""

from __future__ import annotations

from coalitie.models import School
from plaatsingen.models import VervolgplekSoort

from . import routekaart_standaard as rk
from .models import NazorgAntwoord

# code -> the kind of form the page shows (default: a note only)
SOORT_FORMULIER = {
    rk.BEVESTIGD: "bevestigen",
    rk.STAMSCHOOL: "stamschool",
    "vervolgplek-in-beeld": "vervolgplek",
    rk.VERVOLGPLEK: "vervolgplek",
    rk.AMBULANT: "ambulant",
    rk.NAZORG_6W: "nazorg",
    rk.NAZORG_3M: "nazorg",
}


def formulier_soort(code: str) -> str:
    return SOORT_FORMULIER.get(code, "notitie")


def gegevens_toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    """Validate and apply the action's data; returns the changed action fields.

    Raises RouteFout with a Dutch message when something the action needs is missing.
    """
    from .services import RouteFout

    soort = formulier_soort(actie.code)
    if soort == "stamschool":
        school: School | None = gegevens.get("stamschool")
        geen = bool(gegevens.get("geen_stamschool"))
        if not school and not geen:
            raise RouteFout(
                "Kies de stamschool, of geef aan dat de leerling geen stamschool heeft."
            )
        if school and geen:
            raise RouteFout("Kies óf een stamschool óf 'geen stamschool', niet allebei.")
        plaatsing.stamschool, plaatsing.geen_stamschool = (None, True) if geen else (school, False)
        plaatsing.save(update_fields=["stamschool", "geen_stamschool", "gewijzigd_op"])
        actie.contact_naam = gegevens.get("contact_naam", "")
        actie.contact_email = gegevens.get("contact_email", "")
        actie.contact_telefoon = gegevens.get("contact_telefoon", "")
        return ["contact_naam", "contact_email", "contact_telefoon"]
    if soort == "vervolgplek":
        vervolgplek_vastleggen(
            plaatsing=plaatsing,
            soort=gegevens.get("vervolgplek_soort", ""),
            school=gegevens.get("vervolgschool"),
            omschrijving=gegevens.get("vervolgplek_omschrijving", ""),
            startdatum=gegevens.get("vervolgplek_startdatum"),
            startdatum_verplicht=actie.code == rk.VERVOLGPLEK,
        )
        return []
    if soort == "ambulant":
        if gegevens.get("uren_gepland") is None:
            raise RouteFout("Vul het aantal geplande uren ambulante begeleiding in.")
        actie.uren_gepland = gegevens["uren_gepland"]
        actie.uren_gebruikt = gegevens.get("uren_gebruikt")
        return ["uren_gepland", "uren_gebruikt"]
    if soort == "nazorg":
        _nazorg_op_zijn_tijd(plaatsing, actie)
        antwoord = gegevens.get("nazorg_antwoord", "")
        if antwoord not in NazorgAntwoord.values:
            raise RouteFout("Kies of de leerling naar de vervolgplek gaat: ja, deels of nee.")
        actie.nazorg_antwoord = antwoord
        return ["nazorg_antwoord"]
    return []


def _nazorg_op_zijn_tijd(plaatsing, actie) -> None:
    """The follow-up answers whether the pupil still attends after 6 weeks (3 months): given
    on the first day at the vervolgplek it says nothing, so it is refused until then."""
    import datetime as dt

    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from .services import RouteFout

    start = plaatsing.vervolgplek_startdatum
    if start is None:
        raise RouteFout("Leg eerst de startdatum op de vervolgplek vast.")
    if actie.code == rk.NAZORG_6W:
        vanaf, wanneer = start + dt.timedelta(weeks=6), "6 weken"
    elif actie.code == rk.NAZORG_3M:
        vanaf, wanneer = start + relativedelta(months=3), "3 maanden"
    else:
        return
    if timezone.localdate() < vanaf:
        raise RouteFout(
            f"Deze vraag kan vanaf {vanaf:%d-%m-%Y} worden beantwoord ({wanneer} na de start "
            "op de vervolgplek)."
        )


def vervolgplek_vastleggen(
    *, plaatsing, soort: str, school, omschrijving: str, startdatum, startdatum_verplicht: bool
) -> None:
    from .services import RouteFout

    if soort not in VervolgplekSoort.values:
        raise RouteFout("Kies de soort vervolgplek: school, mbo, arbeid of dagbesteding.")
    if soort == VervolgplekSoort.SCHOOL and not school:
        raise RouteFout("Kies de vervolgschool (BRIN).")
    if startdatum_verplicht and not startdatum:
        raise RouteFout("Vul de startdatum op de vervolgplek in.")
    plaatsing.vervolgplek_soort = soort
    plaatsing.vervolgschool = school if soort == VervolgplekSoort.SCHOOL else None
    plaatsing.vervolgplek_omschrijving = omschrijving or ""
    plaatsing.vervolgplek_startdatum = startdatum
    plaatsing.save(
        update_fields=[
            "vervolgplek_soort",
            "vervolgschool",
            "vervolgplek_omschrijving",
            "vervolgplek_startdatum",
            "gewijzigd_op",
        ]
    )
