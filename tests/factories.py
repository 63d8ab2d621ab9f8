"""factory_boy factories. Organisations come from the reference data (loaded by migration)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from coalitie.models import Instellingsschool, Lidmaatschap, Samenwerkingsverband, School, User
from plaatsingen.models import Leerling, Plaatsing
from routetool.states import Fase


def swv(code: str) -> Samenwerkingsverband:
    return Samenwerkingsverband.objects.get(code=code)


def instellingsschool(naam: str) -> Instellingsschool:
    return Instellingsschool.objects.get(naam=naam)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.org")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-123")

    @factory.post_generation
    def bewaar(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class LidmaatschapFactory(DjangoModelFactory):
    class Meta:
        model = Lidmaatschap

    user = factory.SubFactory(UserFactory)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("brin",)

    brin = factory.Sequence(lambda n: f"{10 + n % 90:02d}XY{n % 100:02d}")
    naam = factory.Sequence(lambda n: f"Stamschool {n}")
    swv = factory.LazyFunction(lambda: swv("VO 28-06"))


class LeerlingFactory(DjangoModelFactory):
    class Meta:
        model = Leerling

    class Params:
        familienaam = factory.Faker("last_name", locale="nl_NL")
        tweede_naam = factory.Faker("last_name", locale="nl_NL")

    leerlingnummer = factory.Sequence(lambda n: str(300000 + n))
    # A double surname: staff names come from the same Faker list, and "the pupil's name is not
    # on this page" failed on the header greeting a penvoerder who happened to share it.
    achternaam = factory.LazyAttribute(lambda o: f"{o.familienaam}-{o.tweede_naam}")
    roepnaam = factory.Faker("first_name", locale="nl_NL")
    geboortedatum = dt.date(2010, 5, 17)
    geslacht = "X"
    postcode = "2511 AB"
    woonplaats = "Den Haag"


class PlaatsingFactory(DjangoModelFactory):
    class Meta:
        model = Plaatsing

    leerling = factory.SubFactory(LeerlingFactory)
    instellingsschool = factory.LazyFunction(
        lambda: instellingsschool("Schakenbosch Onderwijs & Werk")
    )
    locatie = factory.LazyAttribute(lambda o: o.instellingsschool.locaties.first())
    startdatum = dt.date(2025, 9, 1)
    verblijf = "gesloten"
    verantwoordelijk_swv = factory.LazyFunction(lambda: swv("VO 28-06"))
    fase = Fase.INSTROOM

    class Params:
        afgesloten = factory.Trait(fase=Fase.AFGESLOTEN, einddatum=dt.date(2025, 10, 1))
        in_verblijf = factory.Trait(fase=Fase.VERBLIJF)
        in_uitstroom = factory.Trait(fase=Fase.UITSTROOM)
        in_nazorg = factory.Trait(fase=Fase.NAZORG, einddatum=dt.date(2025, 10, 1))
