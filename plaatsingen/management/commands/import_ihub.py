"""Import an iHUB export from the terminal: the same code path as the web import."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from coalitie.models import Coalitie
from coalitie.selectors import aanbieder_namen
from coalitie.toegang import SYSTEEM
from plaatsingen.importeren import services
from plaatsingen.importeren.profielen import Profiel, laad_json
from plaatsingen.importeren.verwerken import Opties, maak_plan
from plaatsingen.models import ImportStatus


class Command(BaseCommand):
    help = "Importeert een iHUB-export (CSV of XLSX). Met --dry-run wordt alleen gecontroleerd."

    def add_arguments(self, parser):
        parser.add_argument("pad", help="pad naar het CSV- of XLSX-bestand")
        parser.add_argument(
            "--dry-run", action="store_true", help="alleen controleren, niets opslaan"
        )
        bereik = parser.add_mutually_exclusive_group()
        bereik.add_argument(
            "--coalitie",
            help="alleen de regels van de scholen van deze coalitie (slug, bv. zuid-west); "
            "regels van andere scholen worden overgeslagen en gemeld",
        )
        bereik.add_argument(
            "--aanbieder",
            help="alleen de regels van de scholen van deze aanbieder, in elke coalitie (bv. "
            "iHUB: de naam of het begin ervan, zoals bij de instellingsscholen); regels van "
            "andere scholen worden overgeslagen en gemeld",
        )
        parser.add_argument(
            "--profiel",
            help="importprofiel van een andere aanbieder (JSON-bestand); het wordt ook "
            "opgeslagen, zodat het in beheer te zien en te wijzigen is",
        )
        parser.add_argument(
            "--historisch",
            action="store_true",
            help="oudere export als geschiedenis laden: geen route, geen mail",
        )

    def handle(self, *args, pad, dry_run, coalitie, aanbieder, profiel, historisch, **options):
        bestand = Path(pad)
        if not bestand.is_file():
            raise CommandError(f"Bestand niet gevonden: {bestand}")
        coalitie_obj = None
        if coalitie:
            coalitie_obj = Coalitie.objects.filter(slug=coalitie).first()
            if coalitie_obj is None:
                slugs = ", ".join(Coalitie.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(f"Onbekende coalitie '{coalitie}'. Bekend: {slugs}.")
        aanbieder_naam = _aanbieder(aanbieder) if aanbieder else ""
        profiel_obj = None
        if profiel:
            try:
                profiel_obj = laad_json(Path(profiel))
            except ValidationError as exc:
                fout = "Het profiel is niet bruikbaar: " + " ".join(exc.messages)
                raise CommandError(fout) from None
            self.stdout.write(f"Importprofiel '{profiel_obj.naam}' geladen.")
        balk = tqdm(desc="iHUB-import", unit=" rijen", file=self.stderr._out, leave=False)

        def voortgang(stap: str, verwerkt: int, totaal: int) -> None:
            balk.total = totaal or None
            balk.set_description(stap)
            balk.n = verwerkt
            balk.refresh()

        try:
            if dry_run:
                with bestand.open("rb") as f:
                    plan = maak_plan(
                        f,
                        door=SYSTEEM,
                        voortgang=voortgang,
                        opties=Opties(
                            coalitie_id=coalitie_obj.pk if coalitie_obj else None,
                            aanbieder=aanbieder_naam,
                            profiel=Profiel.van(profiel_obj),
                            historisch=historisch,
                        ),
                    )
                uitkomst = {
                    "status": ImportStatus.AFGEWEZEN if plan.fouten else "dry-run",
                    "rijen": plan.aantal_rijen,
                    "nieuw": plan.aantal_nieuw,
                    "gewijzigd": plan.aantal_gewijzigd,
                    "ongewijzigd": plan.ongewijzigd,
                    "scholen": len(plan.nieuwe_scholen),
                    "fouten": plan.fouten,
                    "meldingen": plan.meldingen,
                }
            else:
                with bestand.open("rb") as f:
                    import_bestand = services.import_bestand_aanmaken(
                        bestand=File(f),
                        naam=bestand.name,
                        door=SYSTEEM,
                        coalitie=coalitie_obj,
                        aanbieder=aanbieder_naam,
                        profiel=profiel_obj,
                        historisch=historisch,
                    )
                import_bestand = services.import_uitvoeren(
                    import_bestand_id=import_bestand.pk, voortgang=voortgang
                )
                uitkomst = {
                    "status": import_bestand.status,
                    "rijen": import_bestand.aantal_rijen,
                    "nieuw": import_bestand.aantal_nieuw,
                    "gewijzigd": import_bestand.aantal_gewijzigd,
                    "ongewijzigd": import_bestand.aantal_ongewijzigd,
                    "scholen": import_bestand.aantal_nieuwe_scholen,
                    "fouten": import_bestand.fouten,
                    "meldingen": import_bestand.meldingen,
                }
        finally:
            balk.close()

        for melding in uitkomst["meldingen"]:
            self.stdout.write(f"Let op: {melding}")
        if uitkomst["fouten"]:
            for fout in uitkomst["fouten"]:
                self.stderr.write(fout)
            raise CommandError(
                f"Het bestand is afgewezen ({len(uitkomst['fouten'])} fouten); er is niets opgeslagen."
            )
        if uitkomst["status"] == ImportStatus.DUBBEL:
            return
        voorvoegsel = "Controle (dry-run, niets opgeslagen)" if dry_run else "Geïmporteerd"
        self.stdout.write(
            self.style.SUCCESS(
                f"{voorvoegsel}: {uitkomst['rijen']} rijen — {uitkomst['nieuw']} nieuwe, "
                f"{uitkomst['gewijzigd']} gewijzigde, {uitkomst['ongewijzigd']} ongewijzigde "
                f"plaatsingen, {uitkomst['scholen']} nieuwe scholen."
            )
        )


def _aanbieder(gegeven: str) -> str:
    """The provider as the schools name it: the name itself, or the one name that begins with
    what was given ("iHUB" for "iHUB (Horizon Onderwijs)"), case aside."""
    namen = aanbieder_namen()
    gezocht = " ".join(gegeven.split()).lower()
    for naam in namen:
        if naam.lower() == gezocht:
            return naam
    passend = [naam for naam in namen if naam.lower().startswith(gezocht)]
    if len(passend) == 1:
        return passend[0]
    bekend = "; ".join(namen)
    if passend:
        raise CommandError(f"'{gegeven}' past bij meer dan één aanbieder. Bekend: {bekend}.")
    raise CommandError(f"Onbekende aanbieder '{gegeven}'. Bekend: {bekend}.")
