"""Other providers through an import profile (same result as the iHUB form), and older exports
loaded as history (stored and counted, no route, no mail)."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from coalitie.toegang import SYSTEEM
from plaatsingen.importeren.profielen import controleer_profiel
from plaatsingen.models import (
    ImportBestand,
    ImportProfiel,
    ImportStatus,
    Leerling,
    Plaatsing,
)
from routetool.models import Actie, Transitie
from routetool.states import Fase

pytestmark = pytest.mark.django_db

IHUB = Path(__file__).resolve().parents[2] / "shared" / "ihub"
OKT = IHUB / "ihub-export-2025-10-01.csv"
NOV = IHUB / "ihub-export-2025-11-01.csv"

# A provider that names everything its own way, writes ISO dates and capitalises values.
KOLOMMEN = {
    "Leerlingnummer": "LeerlingID",
    "Achternaam": "Familienaam",
    "Tussenvoegsel": "Voorvoegsel",
    "Roepnaam": "Voornaam",
    "Geboortedatum": "Geboren",
    "Geslacht": "Sekse",
    "Postcode": "PC",
    "Woonplaats": "Plaats",
    "Instellingsschool": "School",
    "Locatie": "Vestiging",
    "Datum inschrijving": "Startdatum",
    "Datum uitschrijving": "Einddatum",
    "Verblijf": "Verblijfsvorm",
    "Stamschool BRIN": "Herkomst BRIN",
    "Stamschool naam": "Herkomst school",
    "SWV": "Samenwerkingsverband",
    "Niveau": "Onderwijsniveau",
    "Leerjaar": "Jaar",
    "Reden uitschrijving": "Reden vertrek",
    "Vervolgschool BRIN": "Vervolg BRIN",
    "Vervolgschool naam": "Vervolg school",
}
VERBLIJF = {"Gesloten JeugdzorgPlus": "gesloten", "Open residentieel": "open", "KWV": "kwv"}
NIVEAU = {"VMBO basis": "vmbo-bb", "VMBO kader": "vmbo-kb", "HAVO": "havo", "VWO": "vwo"}
PROFIEL = {
    "naam": "Voorbeeldaanbieder",
    "kolommen": KOLOMMEN,
    "datumformaat": "%Y-%m-%d",
    "waarden": {"Verblijf": VERBLIJF, "Niveau": NIVEAU},
}
DATUMS = ("Geboortedatum", "Datum inschrijving", "Datum uitschrijving")


@pytest.fixture(autouse=True)
def _na_de_novemberexport():
    with time_machine.travel(dt.datetime(2025, 11, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def als_aanbieder(pad: Path) -> bytes:
    """The iHUB file in the provider's form: other headers, order, dates, spellings, ','."""
    terug = {
        "verblijf": {v: k for k, v in VERBLIJF.items()},
        "niveau": {v: k for k, v in NIVEAU.items()},
    }
    with pad.open(encoding="utf-8-sig", newline="") as f:
        rijen = list(csv.DictReader(f, delimiter=";"))
    uit = io.StringIO()
    kopjes = list(reversed(KOLOMMEN.values())) + ["Interne code"]
    schrijver = csv.DictWriter(uit, fieldnames=kopjes, lineterminator="\n")
    schrijver.writeheader()
    for rij in rijen:
        nieuw = {"Interne code": "X1"}
        for ihub, hun in KOLOMMEN.items():
            waarde = (rij.get(ihub) or "").strip()
            if ihub in DATUMS and waarde:
                waarde = dt.datetime.strptime(waarde, "%d-%m-%Y").date().isoformat()
            if ihub in ("Verblijf", "Niveau"):
                waarde = terug[ihub.lower()].get(waarde, waarde)
            nieuw[hun] = waarde
        schrijver.writerow(nieuw)
    return uit.getvalue().encode()


def test_second_provider_with_its_profile_gives_the_same_result_as_the_ihub_form(tmp_path):
    profiel = tmp_path / "profiel.json"
    profiel.write_text(json.dumps(PROFIEL), encoding="utf-8")
    export = tmp_path / "aanbieder.csv"
    export.write_bytes(als_aanbieder(NOV))
    assert b"Gesloten JeugdzorgPlus" in export.read_bytes() and b"2025-" in export.read_bytes()

    call_command("import_ihub", str(export), "--profiel", str(profiel))
    ib = ImportBestand.objects.get()
    assert ib.status == ImportStatus.GEIMPORTEERD, ib.fouten[:3]
    assert ib.profiel.naam == "Voorbeeldaanbieder"
    assert ib.meldingen == ["Deze kolommen kennen we niet; ze zijn genegeerd: Interne code."]
    aantal = Plaatsing.objects.count()
    assert aantal == ib.aantal_nieuw > 400

    # The same data in iHUB's form finds everything already there, identical.
    call_command("import_ihub", str(NOV))
    ihub = ImportBestand.objects.order_by("pk").last()
    assert (ihub.aantal_nieuw, ihub.aantal_gewijzigd, ihub.aantal_ongewijzigd) == (0, 0, aantal)
    assert Plaatsing.objects.filter(verblijf="gesloten").exists()
    assert Plaatsing.objects.filter(niveau="vmbo-bb").exists()


def test_profile_errors_use_the_providers_column_and_date_format():
    from plaatsingen.importeren.profielen import Profiel
    from plaatsingen.importeren.verwerken import Opties, maak_plan

    rijen = list(csv.DictReader(io.StringIO(als_aanbieder(OKT).decode())))
    rijen[0]["Startdatum"] = "03-02-2025"  # iHUB's form, not this provider's
    uit = io.StringIO()
    schrijver = csv.DictWriter(uit, fieldnames=list(rijen[0]), lineterminator="\n")
    schrijver.writeheader()
    schrijver.writerows(rijen)
    profiel = Profiel.van(ImportProfiel.objects.create(**PROFIEL))
    plan = maak_plan(
        io.BytesIO(uit.getvalue().encode()), opties=Opties(profiel=profiel), door=SYSTEEM
    )
    assert plan.fouten == ["regel 2, kolom Startdatum: ongeldige datum (verwacht jjjj-mm-dd)"]
    assert not Plaatsing.objects.exists()


def test_an_unusable_profile_is_refused_with_dutch_reasons(tmp_path):
    with pytest.raises(ValidationError) as fout:
        controleer_profiel({"naam": "", "kolommen": {"Bestaat niet": "x"}, "datumformaat": "%Q"})
    tekst = " ".join(fout.value.messages)
    assert "geen naam" in tekst and "Bestaat niet" in tekst and "datumformaat" in tekst
    slecht = tmp_path / "slecht.json"
    slecht.write_text("{niet: json", encoding="utf-8")
    with pytest.raises(CommandError, match="geen leesbaar JSON"):
        call_command("import_ihub", str(NOV), "--profiel", str(slecht))


def test_ihub_profile_ships_and_a_beheerder_picks_another_in_the_upload_form(
    client, beheerder, django_capture_on_commit_callbacks
):
    assert ImportProfiel.objects.get(naam="iHUB").kolommen["Datum inschrijving"] == (
        "Datum inschrijving"
    )
    profiel = ImportProfiel.objects.create(**PROFIEL)
    client.force_login(beheerder)
    assert "Voorbeeldaanbieder" in client.get(reverse("importeren:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("importeren:index"),
            {
                "bestand": SimpleUploadedFile("aanbieder.csv", als_aanbieder(NOV)),
                "profiel": profiel.pk,
            },
        )
    ib = ImportBestand.objects.get()
    assert ib.status == ImportStatus.VOORBEELD, ib.fouten[:3]
    assert ib.profiel == profiel and ib.aantal_nieuw > 300  # Zuid-West's rows
    assert r.status_code == 302


def test_history_backload_stores_and_marks_closed_placements_and_starts_no_route_or_mail(
    django_capture_on_commit_callbacks, contact_swv_a, capsys
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_ihub", str(OKT), "--historisch")
    ib = ImportBestand.objects.get()
    assert ib.status == ImportStatus.GEIMPORTEERD and ib.historisch
    with OKT.open(encoding="utf-8-sig") as f:
        rijen = list(csv.DictReader(f, delimiter=";"))
    afgesloten = sum(1 for r in rijen if r["Datum uitschrijving"].strip())
    assert ib.aantal_nieuw == afgesloten == Plaatsing.objects.count()
    assert any("zonder datum uitschrijving overgeslagen" in m for m in ib.meldingen)
    assert set(Plaatsing.objects.values_list("historisch", "fase").distinct()) == {
        (True, Fase.AFGESLOTEN)
    }
    assert not Transitie.objects.exists() and not Actie.objects.exists()
    assert mail.outbox == []

    # The monthly import afterwards: open placements start their route as usual; what history
    # already holds stays history.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_ihub", str(NOV))
    nov = ImportBestand.objects.order_by("pk").last()
    assert nov.aantal_nieuw > 0
    assert Plaatsing.objects.filter(historisch=False, fase=Fase.INSTROOM).exists()
    assert Plaatsing.objects.filter(historisch=True).count() == afgesloten


def test_history_never_overwrites_current_data():
    call_command("import_ihub", str(NOV))
    leerling = Leerling.objects.order_by("pk").first()
    Leerling.objects.filter(pk=leerling.pk).update(achternaam="Nieuwer")
    aantal = Plaatsing.objects.count()
    call_command("import_ihub", str(OKT), "--historisch")
    ib = ImportBestand.objects.order_by("pk").last()
    assert ib.aantal_gewijzigd == 0
    leerling.refresh_from_db()
    assert leerling.achternaam == "Nieuwer"
    # Oct's closed placements that Nov no longer lists are added as history, nothing else.
    assert Plaatsing.objects.count() == aantal + ib.aantal_nieuw
    assert Plaatsing.objects.filter(historisch=True).count() == ib.aantal_nieuw


def test_platform_staff_keep_profiles_in_the_admin_which_checks_their_shape(client, beheerder):
    from tests.conftest import met_totp
    from tests.factories import UserFactory

    staf = met_totp(UserFactory(is_superuser=True, is_staff=True))
    client.force_login(staf)
    assert "importprofielen beheren" in client.get(reverse("importeren:index")).content.decode()
    url = reverse("admin:plaatsingen_importprofiel_add")
    velden = {"naam": "Pactum", "datumformaat": "%d/%m/%Y", "waarden": "{}"}
    r = client.post(url, {**velden, "kolommen": json.dumps({"Bestaat niet": "x"})})
    assert r.status_code == 200 and "Onbekende kolommen" in r.content.decode()
    r = client.post(url, {**velden, "kolommen": json.dumps(KOLOMMEN)})
    assert r.status_code == 302
    assert ImportProfiel.objects.get(naam="Pactum").datumformaat == "%d/%m/%Y"
    # A coalition's beheerder keeps profiles in the app's beheer, not in the Django admin.
    client.force_login(beheerder)
    pagina = client.get(reverse("importeren:index")).content.decode()
    assert "Pactum" in pagina and reverse("importeren:profielen") in pagina
    assert client.get(url).status_code == 302  # to the admin's login: not for beheerders


# --- Profiles in the app's beheer ----------------------------------------------------------


def _formulier(naam: str, kolommen: dict, datumformaat: str, waarden: str) -> dict:
    from plaatsingen.importeren.profiel_forms import _veldnaam

    return {
        "naam": naam,
        "datumformaat": datumformaat,
        "waarden": waarden,
        **{_veldnaam(k): v for k, v in kolommen.items()},
    }


def test_a_beheerder_creates_and_edits_a_profile_in_beheer_and_imports_with_it(
    client, beheerder, django_capture_on_commit_callbacks
):
    client.force_login(beheerder)
    index = client.get(reverse("beheer:index")).content.decode()
    assert reverse("importeren:profielen") in index
    assert "iHUB" in client.get(reverse("importeren:profielen")).content.decode()

    # Bad JSON in the spellings: a clear message, everything typed is still there.
    slecht = '{"Verblijf": {"Gesloten JeugdzorgPlus": "gesloten",}'
    r = client.post(
        reverse("importeren:profiel_nieuw"),
        _formulier("Voorbeeldaanbieder", KOLOMMEN, "%d-%m-%Y", slecht),
    )
    pagina = r.content.decode()
    assert r.status_code == 400 and "geen geldige JSON (regel 1" in pagina
    assert "Gesloten JeugdzorgPlus&quot;: &quot;gesloten&quot;,}" in pagina
    assert 'value="Familienaam"' in pagina and 'value="Voorbeeldaanbieder"' in pagina
    # A required column left out: the profile's own check, in Dutch.
    zonder = {k: v for k, v in KOLOMMEN.items() if k != "Achternaam"}
    r = client.post(
        reverse("importeren:profiel_nieuw"),
        _formulier("Voorbeeldaanbieder", zonder, "%d-%m-%Y", "{}"),
    )
    assert r.status_code == 400 and "Verplichte kolommen ontbreken" in r.content.decode()
    assert not ImportProfiel.objects.filter(naam="Voorbeeldaanbieder").exists()

    # Created with the wrong date format, then corrected.
    waarden = json.dumps(PROFIEL["waarden"])
    r = client.post(
        reverse("importeren:profiel_nieuw"),
        _formulier("Voorbeeldaanbieder", KOLOMMEN, "%d-%m-%Y", waarden),
    )
    profiel = ImportProfiel.objects.get(naam="Voorbeeldaanbieder")
    assert r.status_code == 302 and r["Location"] == reverse(
        "importeren:profiel", args=[profiel.pk]
    )
    assert profiel.kolommen == KOLOMMEN and profiel.waarden == PROFIEL["waarden"]
    r = client.post(
        reverse("importeren:profiel", args=[profiel.pk]),
        _formulier("Voorbeeldaanbieder", KOLOMMEN, "%Y-%m-%d", waarden),
    )
    assert r.status_code == 302
    profiel.refresh_from_db()
    assert profiel.datumformaat == "%Y-%m-%d"

    # Downloaded, it is the shape import_ihub --profiel reads.
    r = client.get(reverse("importeren:profiel_json", args=[profiel.pk]))
    assert r["Content-Disposition"].endswith('importprofiel-voorbeeldaanbieder.json"')
    assert json.loads(r.content) == PROFIEL

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("importeren:index"),
            {
                "bestand": SimpleUploadedFile("aanbieder.csv", als_aanbieder(NOV)),
                "profiel": profiel.pk,
            },
        )
    ib = ImportBestand.objects.get()
    assert ib.status == ImportStatus.VOORBEELD, ib.fouten[:3]
    assert ib.profiel == profiel and ib.aantal_nieuw > 300 and not ib.fouten


def test_a_profile_uploaded_as_json_is_created_then_updated_by_name(client, beheerder, tmp_path):
    client.force_login(beheerder)
    url = reverse("importeren:profiel_upload")
    r = client.post(url, {"bestand": SimpleUploadedFile("p.json", b"{niet: json")})
    assert r.status_code == 400 and "geen geldige JSON" in r.content.decode()
    r = client.post(url, {"bestand": SimpleUploadedFile("p.json", json.dumps(PROFIEL).encode())})
    profiel = ImportProfiel.objects.get(naam="Voorbeeldaanbieder")
    assert r.status_code == 302 and profiel.datumformaat == "%Y-%m-%d"
    bijgewerkt = {**PROFIEL, "datumformaat": "%d/%m/%Y"}
    client.post(url, {"bestand": SimpleUploadedFile("p.json", json.dumps(bijgewerkt).encode())})
    assert ImportProfiel.objects.filter(naam="Voorbeeldaanbieder").count() == 1
    profiel.refresh_from_db()
    assert profiel.datumformaat == "%d/%m/%Y"
    # What beheer downloads, the command line accepts.
    client.post(url, {"bestand": SimpleUploadedFile("p.json", json.dumps(PROFIEL).encode())})
    pad = tmp_path / "profiel.json"
    pad.write_bytes(client.get(reverse("importeren:profiel_json", args=[profiel.pk])).content)
    export = tmp_path / "aanbieder.csv"
    export.write_bytes(als_aanbieder(NOV))
    call_command("import_ihub", str(export), "--profiel", str(pad))
    assert ImportBestand.objects.get().status == ImportStatus.GEIMPORTEERD
    # An unusable profile in a file: refused with the reasons, nothing stored.
    slecht = {**PROFIEL, "naam": "Slecht", "kolommen": {"Bestaat niet": "x"}}
    r = client.post(url, {"bestand": SimpleUploadedFile("p.json", json.dumps(slecht).encode())})
    assert r.status_code == 400 and "Onbekende kolommen" in r.content.decode()
    assert not ImportProfiel.objects.filter(naam="Slecht").exists()


def test_ihubs_own_profile_is_read_only_in_beheer(client, beheerder):
    ihub = ImportProfiel.objects.get(naam="iHUB")
    voor = (ihub.kolommen, ihub.datumformaat, ihub.waarden)
    client.force_login(beheerder)
    pagina = client.get(reverse("importeren:profiel", args=[ihub.pk])).content.decode()
    assert "kan niet worden gewijzigd" in pagina and "disabled" in pagina
    r = client.post(
        reverse("importeren:profiel", args=[ihub.pk]),
        _formulier("iHUB", {"Leerlingnummer": "Anders"}, "%Y-%m-%d", "{}"),
    )
    assert r.status_code == 302
    ihub.refresh_from_db()
    assert (ihub.kolommen, ihub.datumformaat, ihub.waarden) == voor
    ihub_json = json.dumps({**PROFIEL, "naam": "iHUB"}).encode()
    r = client.post(
        reverse("importeren:profiel_upload"),
        {"bestand": SimpleUploadedFile("p.json", ihub_json)},
    )
    assert r.status_code == 400 and "ligt vast" in r.content.decode()
    ihub.refresh_from_db()
    assert (ihub.kolommen, ihub.datumformaat, ihub.waarden) == voor


@pytest.mark.parametrize(
    "persona", ["contact_swv_a", "medewerker_schakenbosch", "procesregisseur", "penvoerder"]
)
def test_profiles_in_beheer_are_for_beheerders_only(request, client, persona):
    profiel = ImportProfiel.objects.create(**PROFIEL)
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("importeren:profielen"),
        reverse("importeren:profiel_nieuw"),
        reverse("importeren:profiel", args=[profiel.pk]),
        reverse("importeren:profiel_json", args=[profiel.pk]),
    ):
        assert client.get(url).status_code == 404, url
    r = client.post(
        reverse("importeren:profiel", args=[profiel.pk]),
        _formulier("Overgenomen", KOLOMMEN, "%d-%m-%Y", "{}"),
    )
    assert r.status_code == 404
    r = client.post(
        reverse("importeren:profiel_upload"),
        {"bestand": SimpleUploadedFile("p.json", json.dumps({**PROFIEL, "naam": "X"}).encode())},
    )
    assert r.status_code == 404
    assert set(ImportProfiel.objects.values_list("naam", flat=True)) == {
        "iHUB",
        "Voorbeeldaanbieder",
    }
