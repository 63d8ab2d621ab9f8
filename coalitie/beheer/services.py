"""Writes of a coalition's beheerder: users and organisations, never outside its coalitions.

Every function takes the acting user (`door`) and checks the organisation against the coalitions
it manages (`toegang`), inside the transaction: a forged form cannot reach another coalition.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..models import (
    Coalitie,
    Instellingsschool,
    Lidmaatschap,
    Locatie,
    Rol,
    Samenwerkingsverband,
    School,
    User,
)
from ..toegang import beheerde_coalities
from . import toegang


class BeheerFout(Exception):
    """A change that cannot be made; the message is Dutch and safe to show."""


def _coalitie_van(organisatie) -> int:
    if isinstance(organisatie, Coalitie):
        return organisatie.pk
    if isinstance(organisatie, Samenwerkingsverband | Instellingsschool):
        return organisatie.coalitie_id
    raise BeheerFout("Onbekende organisatie.")


def eigen_organisatie(door, organisatie) -> None:
    """PermissionDenied unless `door` manages the coalition the organisation belongs to."""
    ids = beheerde_coalities(door)
    if ids is not None and _coalitie_van(organisatie) not in ids:
        raise PermissionDenied("Dit hoort niet bij een coalitie die u beheert.")


def _lidmaatschap(user, rol: str, organisatie) -> Lidmaatschap:
    lid = Lidmaatschap(user=user, rol=rol)
    if isinstance(organisatie, Samenwerkingsverband):
        lid.swv = organisatie
    elif isinstance(organisatie, Instellingsschool):
        lid.instellingsschool = organisatie
    else:
        lid.coalitie = organisatie
    return lid


def rol_toekennen(*, door, user: User, rol: str, organisatie) -> Lidmaatschap:
    eigen_organisatie(door, organisatie)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        lid = _lidmaatschap(user, rol, organisatie)
        try:
            lid.full_clean()
        except Exception:
            raise BeheerFout("Deze persoon heeft deze rol bij deze organisatie al.") from None
        lid.save()
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
    return lid


def rol_intrekken(*, door, lidmaatschap: Lidmaatschap) -> None:
    eigen_organisatie(door, lidmaatschap.organisatie)
    if lidmaatschap.user_id == door.pk and lidmaatschap.rol == Rol.BEHEERDER:
        raise BeheerFout("U kunt uw eigen beheerdersrol niet intrekken; vraag een collega.")
    with transaction.atomic():
        Lidmaatschap.objects.select_for_update().filter(pk=lidmaatschap.pk).delete()


def gebruiker_deactiveren(*, door, user: User) -> int:
    """Remove every role the user holds in the coalitions `door` manages; the account itself
    is switched off only when no role is left anywhere (someone may also work for another
    coalition, whose access is not ours to take). Returns the number of roles removed."""
    if user.pk == door.pk:
        raise BeheerFout("U kunt uzelf niet deactiveren.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        eigen = toegang.lidmaatschappen_voor(door).filter(user=user)
        aantal = eigen.count()
        if not aantal:
            raise PermissionDenied("Deze gebruiker heeft geen rol in uw coalitie.")
        eigen.delete()
        if not Lidmaatschap.objects.filter(user=user).exists():
            user.is_active = False
            user.save(update_fields=["is_active"])
    return aantal


def uitnodiging_opnieuw(*, door, user: User) -> None:
    from ..services import uitnodiging_mailen

    if not toegang.lidmaatschappen_voor(door).filter(user=user).exists():
        raise PermissionDenied("Deze gebruiker heeft geen rol in uw coalitie.")
    if user.last_login is not None and user.has_usable_password():
        raise BeheerFout("Deze gebruiker heeft al ingelogd; een nieuwe uitnodiging is niet nodig.")
    lid = toegang.lidmaatschappen_voor(door).filter(user=user).first()
    uitnodiging_mailen(user=user, rol=lid.get_rol_display(), door=door)


def gebruiker_uitnodigen(*, door, email, voornaam, achternaam, rol, organisatie) -> User:
    """A new account with its first role and an invitation; an address that already has an
    account gets the role added (without telling the beheerder about other coalitions)."""
    from ..services import gebruiker_uitnodigen as nieuw_account

    eigen_organisatie(door, organisatie)
    bestaand = User.objects.filter(email=email.strip().lower()).first()
    if bestaand is not None:
        rol_toekennen(door=door, user=bestaand, rol=rol, organisatie=organisatie)
        return bestaand
    return nieuw_account(
        email=email,
        voornaam=voornaam,
        achternaam=achternaam,
        rol=rol,
        organisatie=organisatie,
        door=door,
    )


def naam_wijzigen(*, door, user: User, voornaam: str, achternaam: str) -> None:
    if not toegang.gebruikers_voor(door).filter(pk=user.pk).exists():
        raise PermissionDenied("Deze gebruiker heeft geen rol in uw coalitie.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.first_name, user.last_name = voornaam.strip(), achternaam.strip()
        user.save(update_fields=["first_name", "last_name"])


# --- Organisations ---------------------------------------------------------------------------


def stamschool_opslaan(*, door, school: School | None, brin: str, naam: str, swv) -> School:
    """Create or change a stamschool of an own SWV; it can never move to another coalition."""
    eigen_organisatie(door, swv)
    with transaction.atomic():
        if school is None:
            if School.objects.filter(brin=brin).exists():
                raise BeheerFout(f"Er is al een school met BRIN {brin}.")
            school = School(brin=brin)
        else:
            school = School.objects.select_for_update().select_related("swv").get(pk=school.pk)
            eigen_organisatie(door, school.swv)
        school.naam, school.swv = naam.strip(), swv
        school.full_clean()
        school.save()
    return school


def instellingsschool_wijzigen(*, door, school: Instellingsschool, aanbieder, vanaf) -> None:
    """Only what the coalition decides about its school; its coalition is not a field here."""
    eigen_organisatie(door, school)
    with transaction.atomic():
        school = Instellingsschool.objects.select_for_update().get(pk=school.pk)
        school.aanbieder, school.overeenkomst_verplicht_vanaf = aanbieder.strip(), vanaf
        school.save(update_fields=["aanbieder", "overeenkomst_verplicht_vanaf"])


def locatie_opslaan(*, door, locatie: Locatie | None, instellingsschool, **velden) -> Locatie:
    eigen_organisatie(door, instellingsschool)
    with transaction.atomic():
        if locatie is None:
            locatie = Locatie(instellingsschool=instellingsschool)
        else:
            locatie = Locatie.objects.select_for_update().get(pk=locatie.pk)
            eigen_organisatie(door, locatie.instellingsschool)
            locatie.instellingsschool = instellingsschool
        for k, v in velden.items():
            setattr(locatie, k, v.strip() if isinstance(v, str) else v)
        try:
            locatie.full_clean()
        except Exception:
            raise BeheerFout("Deze school heeft al een locatie met die naam.") from None
        locatie.save()
    return locatie
