"""Issue 17: the partners' own actions in the route. Coalitions that copied the default
routekaart get the new default actions, and the actions that moved to a partner (the
samenwerkingsovereenkomst to the stamschool, the enrolment to the vervolgschool, the ambulant
hours to the ambulant begeleider) change hands where the coalition kept the old default.

The values are written out here, not read from `routetool/route.py`: a migration must do the
same thing later, whatever the declaration says by then. Actions of placements already under
way are not touched (a phase copies its actions when it starts, as everywhere in the route)."""

from django.db import migrations

NIEUW = [
    # fase, volgorde, code, omschrijving, wie, termijn_soort, aantal, verplicht
    (
        "instroom",
        2,
        "stamschool-bevestigt",
        "Stamschool bevestigt contactpersoon en of de leerling ingeschreven blijft",
        "stamschool",
        "werkdagen_na_fasestart",
        15,
        True,
    ),
    (
        "verblijf",
        2,
        "voortgang-stamschool",
        "Stamschool neemt deel aan het voortgangsgesprek (aanwezigheid vastleggen)",
        "stamschool",
        "elke_n_maanden",
        3,
        False,
    ),
    (
        "uitstroom",
        2,
        "overdracht-geaccepteerd",
        "Vervolgschool accepteert de overdracht (overdrachtsprofiel)",
        "vervolgschool",
        "voor_uitstroomdatum",
        0,
        True,
    ),
]
# code → (old default wie, new wie)
ANDERE_HANDEN = {
    "overeenkomst": ("instellingsschool", "stamschool"),
    "inschrijving-bevestigd": ("swv", "vervolgschool"),
    "ambulant": ("swv", "ambulant"),
}


def vooruit(apps, schema_editor):
    Routekaart = apps.get_model("routetool", "Routekaart")
    RoutekaartActie = apps.get_model("routetool", "RoutekaartActie")
    for kaart in Routekaart.objects.all():
        bestaand = set(kaart.acties.values_list("fase", "code"))
        RoutekaartActie.objects.bulk_create(
            [
                RoutekaartActie(
                    routekaart=kaart,
                    fase=fase,
                    volgorde=volgorde,
                    code=code,
                    omschrijving=omschrijving,
                    wie=wie,
                    termijn_soort=termijn,
                    aantal=aantal,
                    verplicht=verplicht,
                )
                for fase, volgorde, code, omschrijving, wie, termijn, aantal, verplicht in NIEUW
                if (fase, code) not in bestaand
            ]
        )
    for code, (oud, nieuw) in ANDERE_HANDEN.items():
        RoutekaartActie.objects.filter(code=code, wie=oud).update(wie=nieuw)


def terug(apps, schema_editor):
    RoutekaartActie = apps.get_model("routetool", "RoutekaartActie")
    RoutekaartActie.objects.filter(code__in=[n[2] for n in NIEUW]).delete()
    for code, (oud, nieuw) in ANDERE_HANDEN.items():
        RoutekaartActie.objects.filter(code=code, wie=nieuw).update(wie=oud)


class Migration(migrations.Migration):
    dependencies = [("routetool", "0006_partnerrollen")]

    operations = [migrations.RunPython(vooruit, terug)]
