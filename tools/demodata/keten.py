"""The chain around the pupil in the demo (issue 17): every open placement gets a
casusregisseur of its SWV, and two partner logins are each invited to one placement (the
stamschool to one in instroom or verblijf, the vervolgschool to one in uitstroom). Idempotent."""

from __future__ import annotations

from coalitie.models import Lidmaatschap, Rol, Samenwerkingsverband, User
from coalitie.toegang import SYSTEEM, RouteRol
from plaatsingen import deelnemers
from plaatsingen.fasen import Fase
from plaatsingen.models import Deelnemer, Plaatsing
from routetool.overdrachtsprofiel import profiel_opslaan

# The warme overdracht the vervolgschool partner reads in the demo: made-up content in the
# pupil's words, no diagnosis.
DEMO_PROFIEL = {
    "doelen_leerling": "Ik wil mijn diploma halen en daarna een opleiding in de techniek doen.",
    "wensleerling": "Een kleine klas, dicht bij huis, en een vaste mentor.",
    "onderwijsbehoeften": "Korte opdrachten met duidelijke stappen; vooraf weten wat er komt.",
    "niveau": "vmbo-kader",
    "jaargroep": "3",
    "ondersteuning": "Eerste zes weken wekelijks een gesprek met de mentor en de ambulant "
    "begeleider; rooster vooraf doorgesproken.",
    "communicatie": "Mentor instellingsschool en casusregisseur van het SWV (zie de plaatsing).",
}

PARTNERS = [
    # email, name, organisation, soort, the phases to pick a placement from
    (
        "stamschool@demo.routetool.nl",
        "Ilse Verbeek",
        "Stamschool (demo)",
        RouteRol.STAMSCHOOL,
        (Fase.INSTROOM, Fase.VERBLIJF),
    ),
    (
        "vervolgschool@demo.routetool.nl",
        "Joost Mulder",
        "Vervolgschool (demo)",
        RouteRol.VERVOLGSCHOOL,
        (Fase.UITSTROOM,),
    ),
]


def _contact_van(swv: Samenwerkingsverband) -> User:
    """The first contact person of the SWV; an SWV without one in the demo gets a contact
    (no login of its own in the README: its password cannot be used)."""
    user = (
        User.objects.filter(
            is_active=True, lidmaatschappen__rol=Rol.SWV_CONTACTPERSOON, lidmaatschappen__swv=swv
        )
        .order_by("pk")
        .first()
    )
    if user is None:
        user, _ = User.objects.get_or_create(
            email=f"casus-{swv.code.lower().replace(' ', '')}@demo.routetool.nl",
            defaults={"first_name": "Casusregisseur", "last_name": swv.code},
        )
        Lidmaatschap.objects.get_or_create(user=user, rol=Rol.SWV_CONTACTPERSOON, swv=swv)
    return user


def demo_keten(*, wachtwoord: str) -> dict[str, int]:
    open_zonder = Plaatsing.objects.filter(casusregisseur__isnull=True, historisch=False).exclude(
        fase=Fase.AFGESLOTEN
    )
    swvs = Samenwerkingsverband.objects.in_bulk(
        set(open_zonder.values_list("verantwoordelijk_swv_id", flat=True))
    )
    contacten = {pk: _contact_van(swv) for pk, swv in swvs.items()}
    toegewezen = 0
    for p in open_zonder.only("pk", "verantwoordelijk_swv_id"):
        deelnemers.casusregisseur_toewijzen(
            plaatsing_id=p.pk, casusregisseur=contacten[p.verantwoordelijk_swv_id], door=SYSTEEM
        )
        toegewezen += 1
    uitgenodigd = 0
    for email, naam, organisatie, soort, fasen in PARTNERS:
        voornaam, _, achternaam = naam.partition(" ")
        user, nieuw = User.objects.get_or_create(
            email=email, defaults={"first_name": voornaam, "last_name": achternaam}
        )
        if nieuw:
            user.set_password(wachtwoord)
            user.save(update_fields=["password"])
        if Deelnemer.objects.filter(user=user, ingetrokken_op__isnull=True).exists():
            continue
        # A placement of the demo SWV (VO 28-06), so swv@demo sees the partner on its page.
        kandidaten = Plaatsing.objects.filter(fase__in=fasen, verantwoordelijk_swv__code="VO 28-06")
        if soort == RouteRol.STAMSCHOOL:
            kandidaten = kandidaten.filter(stamschool__isnull=False)  # a pupil with a stamschool
        plaatsing = (
            kandidaten.order_by("pk").first()
            or Plaatsing.objects.filter(fase__in=fasen).order_by("pk").first()
        )
        if plaatsing is None:
            continue
        deelnemers.deelnemer_uitnodigen(
            plaatsing_id=plaatsing.pk,
            naam=naam,
            email=email,
            organisatie=organisatie,
            soort=soort,
            door=SYSTEEM,
        )
        if soort == RouteRol.VERVOLGSCHOOL:
            profiel_opslaan(plaatsing_id=plaatsing.pk, door=SYSTEEM, gegevens=DEMO_PROFIEL)
        uitgenodigd += 1
    return {"casusregisseurs": toegewezen, "deelnemers": uitgenodigd}
