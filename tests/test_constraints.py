import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from .factories import LeerlingFactory, PlaatsingFactory, instellingsschool


@pytest.mark.django_db
def test_the_natural_key_is_unique():
    p = PlaatsingFactory(einddatum=dt.date(2025, 10, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaatsingFactory(
            leerling=p.leerling,
            instellingsschool=p.instellingsschool,
            startdatum=p.startdatum,
            einddatum=dt.date(2025, 11, 1),
        )


@pytest.mark.django_db
def test_a_pupil_has_at_most_one_open_placement():
    leerling = LeerlingFactory()
    PlaatsingFactory(leerling=leerling, startdatum=dt.date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaatsingFactory(
            leerling=leerling,
            startdatum=dt.date(2025, 6, 1),
            instellingsschool=instellingsschool("Rijnstroom College"),
        )


@pytest.mark.django_db
def test_a_pupil_can_have_an_ended_and_an_open_placement():
    leerling = LeerlingFactory()
    PlaatsingFactory(
        leerling=leerling, startdatum=dt.date(2024, 1, 1), einddatum=dt.date(2024, 6, 1)
    )
    PlaatsingFactory(leerling=leerling, startdatum=dt.date(2025, 1, 1))
    assert leerling.plaatsingen.count() == 2


@pytest.mark.django_db
def test_end_date_before_start_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaatsingFactory(startdatum=dt.date(2025, 6, 1), einddatum=dt.date(2025, 5, 1))


@pytest.mark.django_db
def test_a_membership_needs_the_organisation_that_fits_its_role(contact_swv_a):
    from coalitie.models import Lidmaatschap, Rol

    with pytest.raises(IntegrityError), transaction.atomic():
        Lidmaatschap.objects.create(
            user=contact_swv_a,
            rol=Rol.SWV_CONTACTPERSOON,
            instellingsschool=instellingsschool("Rijnstroom College"),
        )
