"""Writes for organisations and users."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

REFERENTIEDATA_DIR = Path(__file__).resolve().parent / "referentiedata"


@dataclass
class ReferentieResultaat:
    coalities: int = 0
    swvs: int = 0
    instellingsscholen: int = 0
    locaties: int = 0
    gewijzigd: int = 0


def _lees(naam: str) -> list[dict[str, str]]:
    with open(REFERENTIEDATA_DIR / naam, encoding="utf-8", newline="") as f:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(f, delimiter=";")
        ]


def _upsert(model, lookup: dict, values: dict, resultaat: ReferentieResultaat):
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.save(update_fields=changed)
            resultaat.gewijzigd += 1
    elif created:
        resultaat.gewijzigd += 1
    return obj


def referentiedata_laden(*, apps=None) -> ReferentieResultaat:
    """Load the coalitions, SWVs and residential schools from the CSVs; running it again changes
    nothing. `apps` is the migration state when called from a data migration."""
    if apps is None:
        from django.apps import apps
    Coalitie = apps.get_model("coalitie", "Coalitie")
    Samenwerkingsverband = apps.get_model("coalitie", "Samenwerkingsverband")
    Instellingsschool = apps.get_model("coalitie", "Instellingsschool")
    Locatie = apps.get_model("coalitie", "Locatie")
    r = ReferentieResultaat()
    with transaction.atomic():
        coalities_csv = _lees("coalities.csv")
        coalities = {}
        for row in coalities_csv:
            coalities[row["slug"]] = _upsert(
                Coalitie,
                {"slug": row["slug"]},
                {"naam": row["naam"], "landsdeel": row["landsdeel"]},
                r,
            )
        swvs = {}
        for row in _lees("samenwerkingsverbanden.csv"):
            swvs[row["code"]] = _upsert(
                Samenwerkingsverband,
                {"code": row["code"]},
                {
                    "naam": row["naam"],
                    "sector": row["sector"],
                    "coalitie": coalities[row["coalitie"]],
                },
                r,
            )
        for row in coalities_csv:
            _upsert(Coalitie, {"slug": row["slug"]}, {"penvoerder": swvs[row["penvoerder_swv"]]}, r)
        for row in _lees("instellingsscholen.csv"):
            vanaf = row.get("overeenkomst_verplicht_vanaf")
            school = _upsert(
                Instellingsschool,
                {"naam": row["naam"]},
                {
                    "aanbieder": row["aanbieder"],
                    "coalitie": coalities[row["coalitie"]],
                    "overeenkomst_verplicht_vanaf": date.fromisoformat(vanaf) if vanaf else None,
                },
                r,
            )
            _upsert(
                Locatie,
                {"instellingsschool": school, "naam": row["locatie"]},
                {
                    "plaats": row["plaats"],
                    "jeugdhulpinstelling": row["jeugdhulpinstelling"],
                    "verblijf": row["verblijf"],
                },
                r,
            )
        r.coalities = Coalitie.objects.count()
        r.swvs = Samenwerkingsverband.objects.count()
        r.instellingsscholen = Instellingsschool.objects.count()
        r.locaties = Locatie.objects.count()
    return r


def gebruiker_uitnodigen(
    *, email: str, voornaam: str, achternaam: str, rol: str, organisatie, door
):
    """Create an account with a first role and mail a link to set the password.

    The account has no usable password until the invitee sets one through the link, which is
    allauth's password-reset key (valid as long as Django's PASSWORD_RESET_TIMEOUT).
    """
    from .models import Coalitie, Instellingsschool, Lidmaatschap, Samenwerkingsverband, User

    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=None, first_name=voornaam, last_name=achternaam
        )
        lid = Lidmaatschap(user=user, rol=rol)
        if isinstance(organisatie, Samenwerkingsverband):
            lid.swv = organisatie
        elif isinstance(organisatie, Instellingsschool):
            lid.instellingsschool = organisatie
        elif isinstance(organisatie, Coalitie):
            lid.coalitie = organisatie
        elif isinstance(organisatie, str) and rol == "aanbieder":
            lid.aanbieder = organisatie  # a provider, as the schools name it
        lid.full_clean()
        lid.save()
        uitnodiging_mailen(user=user, rol=lid.get_rol_display(), door=door)
    return user


def uitnodiging_mailen(*, user, rol: str, door) -> None:
    """Mail the link to set the password (allauth's reset key, valid PASSWORD_RESET_TIMEOUT),
    once the surrounding transaction commits. Also used to send an invitation again."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    key = default_token_generator.make_token(user)
    pad = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    context = {"user": user, "link": settings.SITE_URL + pad, "door": door, "rol": rol}
    transaction.on_commit(
        lambda: send_mail(
            subject="[Routetool] Uitnodiging voor de Routetool",
            message=render_to_string("coalitie/mail/uitnodiging.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )
