from django.core.management import call_command

from coalitie.models import Coalitie, Instellingsschool, Locatie, Samenwerkingsverband


def test_fresh_install_has_all_reference_data(db):
    assert Coalitie.objects.count() == 12
    assert Samenwerkingsverband.objects.count() == 76
    assert Samenwerkingsverband.objects.filter(sector="PO").count() == 1
    assert Instellingsschool.objects.count() == 17
    assert Locatie.objects.count() == 17


def test_every_coalition_has_its_penvoerder(db):
    zw = Coalitie.objects.get(slug="zuid-west")
    assert zw.penvoerder.code == "VO 28-06"
    assert not Coalitie.objects.filter(penvoerder__isnull=True).exists()
    assert zw.swvs.count() == 16  # 15 VO + the PO SWV of Rotterdam


def test_loading_twice_changes_nothing(db, capsys):
    before = list(Samenwerkingsverband.objects.values_list("pk", "code", "naam", "coalitie_id"))
    call_command("laad_referentiedata")
    call_command("laad_referentiedata")
    out = capsys.readouterr().out
    assert "0 records toegevoegd of gewijzigd" in out
    assert (
        list(Samenwerkingsverband.objects.values_list("pk", "code", "naam", "coalitie_id"))
        == before
    )


def test_loading_repairs_a_changed_name(db):
    swv = Samenwerkingsverband.objects.get(code="VO 28-06")
    swv.naam = "iets anders"
    swv.save(update_fields=["naam"])
    call_command("laad_referentiedata")
    swv.refresh_from_db()
    assert swv.naam != "iets anders"


def test_schools_that_demand_an_agreement_know_since_when(db):
    schakenbosch = Instellingsschool.objects.get(naam="Schakenbosch Onderwijs & Werk")
    assert schakenbosch.overeenkomst_verplicht_vanaf.isoformat() == "2025-06-01"
    assert Instellingsschool.objects.get(naam="SG Harreveld").overeenkomst_verplicht_vanaf is None
