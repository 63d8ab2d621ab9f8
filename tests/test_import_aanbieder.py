"""A provider's administration (iHUB's own, Rol.AANBIEDER) imports the rows of all its schools,
in every coalition, and nothing else; the rows of other providers' schools are skipped with the
per-school notice. It reaches the import pages and no pupil, list, count, export or beheer."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from coalitie.models import Coalitie, Lidmaatschap, Rol, Toegangsactie, Toegangslog
from coalitie.toegang import aanbieder_scholen, importeerbare_scholen, mag_importeren
from plaatsingen.models import ImportBestand, ImportStatus, Plaatsing
from tests.conftest import IHUB_AANBIEDER, persona
from tests.factories import PlaatsingFactory, UserFactory, instellingsschool, swv
from tests.test_import_coalities import NOV, _csv, _rijen, _web_import

pytestmark = pytest.mark.django_db

IHUB_SCHOLEN = {
    "Schakenbosch Onderwijs & Werk",  # Zuid-West
    "Rijnstroom College",  # Zuid-West
    "Bergse Veld School",  # Zuid-West
    "SG Harreveld",  # Oost
}
# Rows moved to schools of other providers: SOTOG's in Oost, Elker's in Noord.
ANDERE = {"VSO Lochem": ("Lochem", 4), "Portalis": ("'t Poortje", 3)}


@pytest.fixture(autouse=True)
def _na_de_novemberexport():
    with time_machine.travel(dt.datetime(2025, 11, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _gemengd(tmp_path) -> tuple[Path, dict[str, int]]:
    """The November sample with a few rows at schools of other providers (iHUB's real file
    holds only its own; a provider's administration must still never write another's)."""
    kopjes, rijen = _rijen(NOV)
    i = 0
    for school, (locatie, aantal) in ANDERE.items():
        for rij in rijen[i : i + aantal]:
            rij["Instellingsschool"], rij["Locatie"] = school, locatie
        i += aantal
    pad = tmp_path / "gemengd.csv"
    pad.write_bytes(_csv(kopjes, rijen))
    telling: dict[str, int] = {}
    for r in rijen:
        telling[r["Instellingsschool"]] = telling.get(r["Instellingsschool"], 0) + 1
    return pad, telling


def test_the_provider_account_imports_exactly_its_schools_of_every_coalition(
    client, aanbieder_ihub, django_capture_on_commit_callbacks, tmp_path
):
    pad, per_school = _gemengd(tmp_path)
    contact = persona(Rol.SWV_CONTACTPERSOON, swv=swv("VO 28-06"))
    ib, pagina = _web_import(
        client, aanbieder_ihub, pad.read_bytes(), django_capture_on_commit_callbacks
    )
    eigen = sum(n for s, n in per_school.items() if s in IHUB_SCHOLEN)
    assert (ib.status, ib.aantal_nieuw, ib.fouten) == (ImportStatus.GEIMPORTEERD, eigen, [])
    assert (ib.coalitie_id, ib.aanbieder, ib.door) == (None, IHUB_AANBIEDER, aanbieder_ihub)
    assert ib.meldingen == [
        "3 regels van Portalis (Onderwijscoalitie Noord) overgeslagen: deze school hoort niet "
        "bij uw aanbieder.",
        "4 regels van VSO Lochem (Onderwijscoalitie Oost) overgeslagen: deze school hoort niet "
        "bij uw aanbieder.",
    ]
    assert "4 regels van VSO Lochem (Onderwijscoalitie Oost) overgeslagen" in pagina
    # Both coalitions' iHUB schools, nothing of another provider.
    assert set(Plaatsing.objects.values_list("instellingsschool__naam", flat=True)) == IHUB_SCHOLEN
    assert (
        Plaatsing.objects.filter(instellingsschool__coalitie__slug="oost").count()
        == (per_school["SG Harreveld"])
    )
    assert Plaatsing.objects.count() == eigen
    # The SWV still gets its one mail for the import; the history names the account.
    assert len([m for m in mail.outbox if contact.email in m.to]) == 1
    p = Plaatsing.objects.filter(instellingsschool__naam="SG Harreveld").first()
    assert LogEntry.objects.filter(
        object_id=p.pk, content_type__model="plaatsing", actor=aanbieder_ihub
    ).exists()
    assert Toegangslog.objects.filter(
        actie=Toegangsactie.GEIMPORTEERD, user=aanbieder_ihub, leerling_id=p.leerling_id
    ).exists()


def test_the_provider_sees_its_providers_imports_and_no_coalition_sees_them(
    client, aanbieder_ihub, beheerder, django_capture_on_commit_callbacks, tmp_path
):
    pad, _ = _gemengd(tmp_path)
    ib, _ = _web_import(
        client, aanbieder_ihub, pad.read_bytes(), django_capture_on_commit_callbacks
    )
    status = reverse("importeren:status", args=[ib.pk])
    collega = persona(Rol.AANBIEDER, aanbieder=IHUB_AANBIEDER)
    elker = persona(Rol.AANBIEDER, aanbieder="Elker")
    for user, code in ((collega, 200), (elker, 404), (beheerder, 404)):
        client.force_login(user)
        assert client.get(status).status_code == code, user
    client.force_login(collega)
    assert ib.oorspronkelijke_naam in client.get(reverse("importeren:index")).content.decode()
    client.force_login(elker)
    assert ib.oorspronkelijke_naam not in client.get(reverse("importeren:index")).content.decode()


def test_a_beheerder_who_is_also_a_providers_administration_imports_the_union(
    client, django_capture_on_commit_callbacks, tmp_path
):
    pad, per_school = _gemengd(tmp_path)
    user = persona(Rol.BEHEERDER, coalitie=Coalitie.objects.get(slug="oost"))
    Lidmaatschap.objects.create(user=user, rol=Rol.AANBIEDER, aanbieder="Elker")
    ib, _ = _web_import(client, user, pad.read_bytes(), django_capture_on_commit_callbacks)
    # Oost's schools (SG Harreveld of iHUB, VSO Lochem of SOTOG) and Elker's Portalis (Noord).
    verwacht = {"SG Harreveld", "VSO Lochem", "Portalis"}
    assert set(Plaatsing.objects.values_list("instellingsschool__naam", flat=True)) == verwacht
    assert ib.aantal_nieuw == sum(per_school[s] for s in verwacht)
    assert (ib.coalitie_id, ib.aanbieder) == (None, "")  # the run takes the union from `door`
    assert all(m.endswith("hoort niet bij uw coalitie of aanbieder.") for m in ib.meldingen)
    assert len(ib.meldingen) == 3  # the three Zuid-West schools


def test_the_run_applies_the_stored_scope_again_and_a_lost_role_writes_nothing(
    client, aanbieder_ihub, django_capture_on_commit_callbacks, tmp_path
):
    pad, _ = _gemengd(tmp_path)
    client.force_login(aanbieder_ihub)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("importeren:index"), {"bestand": SimpleUploadedFile("x.csv", pad.read_bytes())}
        )
    ib = ImportBestand.objects.get()
    assert ib.status == ImportStatus.VOORBEELD and ib.aanbieder == IHUB_AANBIEDER
    # The role is withdrawn before the confirmed import runs in the worker.
    Lidmaatschap.objects.filter(user=aanbieder_ihub, rol=Rol.AANBIEDER).delete()
    from plaatsingen.importeren import services

    services.import_bevestigen(import_bestand_id=ib.pk, door=aanbieder_ihub)
    aanbieder_ihub.refresh_from_db()
    ib = services.import_uitvoeren(import_bestand_id=ib.pk)
    assert ib.status == ImportStatus.AFGEWEZEN
    assert ib.fouten == [
        f"Het bestand bevat geen plaatsingen van scholen van aanbieder {IHUB_AANBIEDER}."
    ]  # the role is gone, so the text no longer says "uw"
    assert not Plaatsing.objects.exists()
    assert r.status_code == 302


def test_import_ihub_aanbieder_has_the_same_semantics(tmp_path, capsys):
    pad, per_school = _gemengd(tmp_path)
    call_command("import_ihub", str(pad), "--aanbieder", "ihub")
    ib = ImportBestand.objects.get()
    assert (ib.aanbieder, ib.coalitie_id, ib.door_id) == (IHUB_AANBIEDER, None, None)
    assert ib.aantal_nieuw == sum(n for s, n in per_school.items() if s in IHUB_SCHOLEN)
    uit = capsys.readouterr().out
    assert f"4 regels van VSO Lochem (Onderwijscoalitie Oost) overgeslagen: deze school hoort " \
        f"niet bij aanbieder {IHUB_AANBIEDER}." in uit  # fmt: skip
    assert set(Plaatsing.objects.values_list("instellingsschool__naam", flat=True)) == IHUB_SCHOLEN
    # Elker's turn with the same file: only Portalis, and not "already imported".
    call_command("import_ihub", str(pad), "--aanbieder", "Elker")
    assert Plaatsing.objects.filter(instellingsschool__naam="Portalis").count() == 3
    with pytest.raises(CommandError, match="Onbekende aanbieder 'Pluto'"):
        call_command("import_ihub", str(pad), "--aanbieder", "Pluto")
    with pytest.raises(CommandError):
        call_command("import_ihub", str(pad), "--aanbieder", "Elker", "--coalitie", "oost")


def test_the_provider_account_gets_404_outside_the_import(client, aanbieder_ihub):
    p = PlaatsingFactory(instellingsschool=instellingsschool("Rijnstroom College"))
    client.force_login(aanbieder_ihub)
    # Its start page is the import; the menu offers only that.
    for naam in ("home", "tedoen"):
        r = client.get(reverse(naam))
        assert (r.status_code, r.url) == (302, reverse("importeren:index")), naam
    pagina = client.get(reverse("importeren:index")).content.decode()
    menu = pagina.split('aria-label="Hoofdmenu"')[1].split("</nav>")[0]
    assert menu.count("<li>") == 1 and reverse("importeren:index") in menu
    assert "administratie aanbieder iHUB (Horizon Onderwijs)" in pagina
    assert reverse("importeren:profielen") not in pagina
    coalitie = p.instellingsschool.coalitie_id
    dicht = [
        reverse("plaatsingen:detail", args=[p.pk]),
        reverse("plaatsingen:export"),
        reverse("routetool:overzicht"),
        reverse("routetool:overzicht_export"),
        reverse("rapport:dashboard"),
        reverse("rapport:monitor_index"),
        reverse("rapportage:index"),
        reverse("beheer:index"),
        reverse("beheer:gebruikers"),
        reverse("importeren:profielen"),
        reverse("coalitie:privacy_zoeken"),
        reverse("coalitie:leerling_log", args=[p.leerling_id]),
        reverse("rapport:landelijk"),
        reverse("admin:index"),
        reverse("scholen_zoeken") + "?q=college",
        reverse("rapportage:zip", args=[coalitie, "2025-10"]),
    ]
    for url in dicht:
        assert client.get(url).status_code in (403, 404), url
    assert mag_importeren(aanbieder_ihub)


def test_the_scope_functions_give_the_providers_schools_and_a_beheerder_its_coalitions(
    aanbieder_ihub, beheerder
):
    ihub = set(aanbieder_scholen(aanbieder_ihub))
    namen = {instellingsschool(n).pk: n for n in IHUB_SCHOLEN}
    assert ihub == set(namen)
    assert importeerbare_scholen(aanbieder_ihub) == ihub
    assert aanbieder_scholen(beheerder) == frozenset()
    assert instellingsschool("SG Harreveld").pk not in importeerbare_scholen(beheerder)


@pytest.mark.parametrize(
    "velden",
    [
        {"aanbieder": ""},  # a provider's administration names its provider
        {"aanbieder": IHUB_AANBIEDER, "coalitie_slug": "oost"},  # and no coalition's organisation
        {"aanbieder": IHUB_AANBIEDER, "swv_code": "VO 28-06"},
    ],
)
def test_the_constraint_refuses_a_provider_membership_with_a_wrong_organisation(velden):
    user = UserFactory()
    extra = {"aanbieder": velden["aanbieder"]}
    if "coalitie_slug" in velden:
        extra["coalitie"] = Coalitie.objects.get(slug=velden["coalitie_slug"])
    if "swv_code" in velden:
        extra["swv"] = swv(velden["swv_code"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Lidmaatschap.objects.create(user=user, rol=Rol.AANBIEDER, **extra)


def test_the_constraint_refuses_a_provider_name_on_another_role():
    with pytest.raises(IntegrityError), transaction.atomic():
        Lidmaatschap.objects.create(
            user=UserFactory(),
            rol=Rol.BEHEERDER,
            coalitie=Coalitie.objects.get(slug="oost"),
            aanbieder=IHUB_AANBIEDER,
        )


def test_a_coalition_beheerder_cannot_grant_the_provider_role(client, beheerder):
    """It spans coalitions: a beheerder would hand out import rights over other coalitions'
    schools. Only a superuser grants it (admin)."""
    client.force_login(beheerder)
    r = client.post(
        reverse("beheer:gebruiker_nieuw"),
        {
            "email": "nieuw@example.org",
            "voornaam": "Nieuw",
            "achternaam": "Persoon",
            "rol": Rol.AANBIEDER,
            "coalitie": Coalitie.objects.get(slug="zuid-west").pk,
        },
    )
    assert r.status_code == 200  # the form again, with its error
    assert not Lidmaatschap.objects.filter(rol=Rol.AANBIEDER).exists()
    assert not Lidmaatschap.objects.filter(user__email="nieuw@example.org").exists()


def test_a_model_check_keeps_the_provider_name_to_the_schools_names():
    from django.core.exceptions import ValidationError

    lid = Lidmaatschap(user=UserFactory(), rol=Rol.AANBIEDER, aanbieder="IHUB")
    with pytest.raises(ValidationError):
        lid.full_clean()
    Lidmaatschap(user=lid.user, rol=Rol.AANBIEDER, aanbieder=IHUB_AANBIEDER).full_clean()


def _inline(rol: str, **velden) -> dict:
    data = {
        "first_name": "A",
        "last_name": "B",
        "is_active": "on",
        "lidmaatschappen-TOTAL_FORMS": "1",
        "lidmaatschappen-INITIAL_FORMS": "0",
        "lidmaatschappen-MIN_NUM_FORMS": "0",
        "lidmaatschappen-MAX_NUM_FORMS": "1000",
        "lidmaatschappen-0-rol": rol,
    }
    data.update({f"lidmaatschappen-0-{k}": v for k, v in velden.items()})
    return data


def test_the_superuser_grants_the_provider_role_in_the_admin(client, beheerder):
    from tests.conftest import met_totp

    su = met_totp(UserFactory(is_superuser=True, is_staff=True))
    doel = UserFactory()
    # A coalition's beheerder may not, through the admin either (the choice is not offered).
    client.force_login(beheerder)
    pagina = client.get(reverse("admin:coalitie_user_add")).content.decode()
    assert f'value="{Rol.AANBIEDER.value}"' not in pagina
    client.post(
        reverse("admin:coalitie_user_change", args=[doel.pk]),
        _inline(Rol.AANBIEDER, aanbieder=IHUB_AANBIEDER),
    )
    assert not Lidmaatschap.objects.filter(rol=Rol.AANBIEDER).exists()
    client.force_login(su)
    r = client.post(
        reverse("admin:coalitie_user_change", args=[doel.pk]),
        _inline(Rol.AANBIEDER, aanbieder=IHUB_AANBIEDER),
    )
    assert r.status_code == 302
    assert Lidmaatschap.objects.get(user=doel).aanbieder == IHUB_AANBIEDER
    # Inviting a new account with the role, as the superuser.
    r = client.post(
        reverse("admin:coalitie_user_add"),
        {
            "email": "administratie@example.org",
            "first_name": "Ad",
            "last_name": "Ministratie",
            "rol": Rol.AANBIEDER,
            "aanbieder": "Elker",
        },
    )
    assert r.status_code == 302
    lid = Lidmaatschap.objects.get(user__email="administratie@example.org")
    assert (lid.rol, lid.aanbieder) == (Rol.AANBIEDER, "Elker")


def test_the_same_file_from_another_account_of_the_provider_is_already_imported(
    client, aanbieder_ihub, django_capture_on_commit_callbacks, tmp_path
):
    pad, _ = _gemengd(tmp_path)
    eerste, _ = _web_import(
        client, aanbieder_ihub, pad.read_bytes(), django_capture_on_commit_callbacks
    )
    assert eerste.status == ImportStatus.GEIMPORTEERD
    collega = persona(Rol.AANBIEDER, aanbieder=IHUB_AANBIEDER)
    client.force_login(collega)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("importeren:index"), {"bestand": SimpleUploadedFile("y.csv", pad.read_bytes())}
        )
    tweede = ImportBestand.objects.exclude(pk=eerste.pk).get()
    assert tweede.status == ImportStatus.DUBBEL
    assert "al geïmporteerd" in tweede.meldingen[0]
