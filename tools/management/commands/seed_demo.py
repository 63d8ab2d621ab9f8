"""Demo users for every role and demo placements from a sample iHUB export kept in the project."""

import csv
import datetime as dt
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from coalitie.models import (
    Coalitie,
    Instellingsschool,
    Lidmaatschap,
    Rol,
    Samenwerkingsverband,
    User,
)
from plaatsingen.models import ImportBestand, Plaatsing
from tools.demodata.maandexport import maandexport_schrijven
from tools.demodata.voortgang import demo_uitstroom, demo_voortgang, route_start_terugdateren

DEMO_EXPORT = Path(__file__).resolve().parents[2] / "demodata" / "ihub-demo-export.csv"
DEMO_WACHTWOORD = "demo-Routetool-2025"
DEMO_EXPORT_DATUM = dt.date(2025, 11, 1)
DATUM_KOLOMMEN = ("Geboortedatum", "Datum inschrijving", "Datum uitschrijving")


def verschoven_demo_export(doel: Path, vandaag: dt.date) -> int:
    """Write the demo export with every date moved by whole days so it looks current.

    The export is of 1 Nov 2025; it moves to the first day of the current month. Birth dates move
    too, so ages stay plausible. Returns the shift in days.
    """
    dagen = (vandaag.replace(day=1) - DEMO_EXPORT_DATUM).days
    with (
        DEMO_EXPORT.open(encoding="utf-8-sig", newline="") as bron,
        doel.open("w", encoding="utf-8", newline="") as uit,
    ):
        lezer = csv.DictReader(bron, delimiter=";")
        schrijver = csv.DictWriter(uit, fieldnames=lezer.fieldnames, delimiter=";")
        schrijver.writeheader()
        for rij in lezer:
            for kolom in DATUM_KOLOMMEN:
                if rij.get(kolom, "").strip():
                    datum = dt.datetime.strptime(rij[kolom].strip(), "%d-%m-%Y").date()
                    rij[kolom] = (datum + dt.timedelta(days=dagen)).strftime("%d-%m-%Y")
            schrijver.writerow(rij)
    return dagen


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
    (
        "regie-oost@demo.routetool.nl",
        "Anouk",
        "Hendriks",
        Rol.PROCESREGISSEUR,
        ("coalitie", "oost"),
    ),
    ("penvoerder@demo.routetool.nl", "Fatima", "Bouali", Rol.PENVOERDER, ("coalitie", "zuid-west")),
    ("beheer@demo.routetool.nl", "Peter", "van Dam", Rol.BEHEERDER, ("coalitie", "zuid-west")),
    ("landelijk@demo.routetool.nl", "Olga", "Cornelissen", Rol.LANDELIJK, ("landelijk", "")),
    # iHUB's own administration: imports the export of all its schools (Zuid-West and Oost).
    (
        "aanbieder@demo.routetool.nl",
        "Joost",
        "Vermeulen",
        Rol.AANBIEDER,
        ("aanbieder", "iHUB (Horizon Onderwijs)"),
    ),
]

# The demo coalition's own goals (streefwaarden, %), so its monitor shows actual vs target.
DEMO_DOELEN = {
    "vervolgplek_voor_uitstroom": 100,
    "geen_thuiszitter_3m": 100,
    "bevestigd_5_werkdagen": 90,
    "stamschool_vanaf_instroom": 80,
    "acties_op_tijd": 80,
}


def _organisatie(soort: str, sleutel: str):
    if soort == "landelijk":  # the national role belongs to no organisation
        return {}
    if soort == "aanbieder":  # a provider, as its schools name it
        return {"aanbieder": sleutel}
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
        # Idempotent: the demo placements are imported once, into an empty database.
        if not Plaatsing.objects.exists():
            with tempfile.TemporaryDirectory() as map_:
                export = Path(map_) / "ihub-demo-export.csv"
                dagen = verschoven_demo_export(export, timezone.localdate())
                self.stdout.write(f"Demo-export {dagen} dagen naar voren geschoven.")
                call_command("import_ihub", str(export), stdout=self.stdout, stderr=self.stderr)
            route_start_terugdateren()
            for email in ("regie@demo.routetool.nl", "regie-oost@demo.routetool.nl"):
                regisseur = User.objects.get(email=email)
                telling = demo_voortgang(regisseur=regisseur)
                afgerond = demo_uitstroom(regisseur=regisseur)
                self.stdout.write(
                    f"Demo-voortgang ({email}): {telling['verblijf']} naar verblijf, "
                    f"{telling['instroom']} blijven in instroom, "
                    f"{telling['overgeslagen']} overgeslagen; eerdere uitstroom: {afgerond}."
                )
        from tools.demodata.keten import PARTNERS, demo_keten

        keten = demo_keten(wachtwoord=DEMO_WACHTWOORD)
        self.stdout.write(
            f"Keten: {keten['casusregisseurs']} casusregisseurs toegewezen, "
            f"{keten['deelnemers']} partners uitgenodigd."
        )
        self._monitor_demo()
        self._maandexport()
        self.stdout.write(f"\nDemo-logins (wachtwoord voor allemaal: {DEMO_WACHTWOORD}):")
        for email, _voornaam, _achternaam, rol, (_soort, sleutel) in DEMO_GEBRUIKERS:
            self.stdout.write(f"  {email:<32} {Rol(rol).label} — {sleutel or 'alle coalities'}")
        for email, _naam, _org, soort, _fasen in PARTNERS:
            self.stdout.write(f"  {email:<32} deelnemer ({soort}) — één demoplaatsing")

    def _monitor_demo(self):
        """Goals for Zuid-West and its coalitiemonitor of the last half year, already made
        (idempotent: the command leaves an existing one alone). By name, not by import:
        plaatsingen does not depend on rapportage."""
        from django.apps import apps

        doel = apps.get_model("rapportage", "Doel")
        zuidwest = Coalitie.objects.get(slug="zuid-west")
        for soort, streef in DEMO_DOELEN.items():
            doel.objects.get_or_create(
                coalitie=zuidwest, soort=soort, defaults={"streefwaarde": streef}
            )
        call_command("coalitiemonitor", coalitie=["zuid-west"], stdout=self.stdout)

    def _maandexport(self) -> None:
        """The export of the next month, for the beheerder to upload (see README, Import).

        Dated from the seeding (the first import), so it keeps matching the demo's data."""
        eerste = ImportBestand.objects.order_by("pk").first()
        if eerste is None:
            return
        gezaaid = timezone.localtime(eerste.ontvangen_op).date().replace(day=1)
        doel = settings.VAR_DIR / "demo" / f"ihub-export-{gezaaid:%Y-%m-%d}.csv"
        if not doel.exists():
            with tempfile.TemporaryDirectory() as map_:
                bron = Path(map_) / "bron.csv"
                verschoven_demo_export(bron, gezaaid)
                maandexport_schrijven(bron, doel, timezone.localdate())
        self.stdout.write(f"Voorbeeldexport om te importeren (als beheerder): {doel}")
