"""Demo users for every role and demo placements from a sample iHUB export kept in the project."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from coalitie.models import (
    Coalitie,
    Instellingsschool,
    Lidmaatschap,
    Rol,
    Samenwerkingsverband,
    User,
)
from plaatsingen.models import Plaatsing

DEMO_EXPORT = Path(__file__).resolve().parents[2] / "demodata" / "ihub-demo-export.csv"
DEMO_WACHTWOORD = "demo-Routetool-2025"

# (e-mail, voornaam, achternaam, rol, organisatie)
DEMO_GEBRUIKERS = [
    ("swv@demo.routetool.nl", "Sanne", "de Wit", Rol.SWV_CONTACTPERSOON, ("swv", "VO 28-06")),
    ("swv2@demo.routetool.nl", "Karim", "El Amrani", Rol.SWV_CONTACTPERSOON, ("swv", "VO 28-10")),
    (
        "school@demo.routetool.nl",
        "Ilse",
        "Verbeek",
        Rol.MEDEWERKER_INSTELLINGSSCHOOL,
        ("school", "Schakenbosch Onderwijs & Werk"),
    ),
    ("regie@demo.routetool.nl", "Mark", "Jansen", Rol.PROCESREGISSEUR, ("coalitie", "zuid-west")),
    ("penvoerder@demo.routetool.nl", "Fatima", "Bouali", Rol.PENVOERDER, ("coalitie", "zuid-west")),
    ("beheer@demo.routetool.nl", "Peter", "van Dam", Rol.BEHEERDER, ("coalitie", "zuid-west")),
]


def _organisatie(soort: str, sleutel: str):
    if soort == "swv":
        return {"swv": Samenwerkingsverband.objects.get(code=sleutel)}
    if soort == "school":
        return {"instellingsschool": Instellingsschool.objects.get(naam=sleutel)}
    return {"coalitie": Coalitie.objects.get(slug=sleutel)}


class Command(BaseCommand):
    help = "Maakt demogebruikers voor elke rol en demoplaatsingen uit een voorbeeldexport (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for email, voornaam, achternaam, rol, (soort, sleutel) in DEMO_GEBRUIKERS:
                user, created = User.objects.get_or_create(
                    email=email, defaults={"first_name": voornaam, "last_name": achternaam}
                )
                if created:
                    user.set_password(DEMO_WACHTWOORD)
                    user.save(update_fields=["password"])
                Lidmaatschap.objects.get_or_create(
                    user=user, rol=rol, **_organisatie(soort, sleutel)
                )
        if not Plaatsing.objects.exists():
            call_command("import_ihub", str(DEMO_EXPORT), stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(f"\nDemo-logins (wachtwoord voor allemaal: {DEMO_WACHTWOORD}):")
        for email, _voornaam, _achternaam, rol, (_soort, sleutel) in DEMO_GEBRUIKERS:
            self.stdout.write(f"  {email:<32} {Rol(rol).label} — {sleutel}")
