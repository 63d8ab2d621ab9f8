"""Two people fire a transition on the same placement at the same moment (two real connections)."""

import threading

import pytest
from django.db import connection

from coalitie.toegang import SYSTEEM
from routetool.models import Actie, ActieStatus, Transitie
from routetool.services import GEWIJZIGD, RouteFout, route_starten, transitie_uitvoeren
from routetool.states import Fase

from .factories import PlaatsingFactory


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_transitions_one_wins_and_the_other_is_told_to_reload():
    p = PlaatsingFactory()
    route_starten(plaatsingen=[p], door=SYSTEEM)
    Actie.objects.filter(plaatsing=p).update(status=ActieStatus.GEDAAN)
    p.refresh_from_db()
    versie = p.versie
    start = threading.Barrier(2)
    uitkomsten = []

    def vuur(doel):
        # Each thread gets its own database connection from Django.
        try:
            start.wait()
            transitie_uitvoeren(plaatsing_id=p.pk, naar=doel, door=SYSTEEM, versie=versie)
            uitkomsten.append("ok")
        except RouteFout as fout:
            uitkomsten.append(str(fout))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=vuur, args=(Fase.VERBLIJF,)),
        threading.Thread(target=vuur, args=(Fase.UITSTROOM,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(uitkomsten) == sorted(["ok", GEWIJZIGD])
    p.refresh_from_db()
    assert p.versie == versie + 1
    assert Transitie.objects.filter(plaatsing=p).exclude(van="").count() == 1
    assert p.fase == Transitie.objects.filter(plaatsing=p).last().naar
