"""Route data: transitions, the coalition's routekaart and the actions of one placement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from coalitie.models import Coalitie
from coalitie.toegang import RouteRol

from .states import Fase


class Transitie(models.Model):
    """One move of a placement from one phase to another. `door` empty = the system (import)."""

    plaatsing = models.ForeignKey(
        "plaatsingen.Plaatsing", on_delete=models.CASCADE, related_name="transities"
    )
    van = models.CharField(max_length=12, choices=Fase.choices, blank=True)
    naar = models.CharField(max_length=12, choices=Fase.choices)
    # Indexed only where filled (Meta): the import's transitions have no `door`.
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    op = models.DateTimeField(auto_now_add=True)
    reden = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "overgang"
        verbose_name_plural = "overgangen"
        ordering = ["op", "pk"]
        indexes = [
            models.Index(
                fields=["door"], condition=Q(door__isnull=False), name="transitie_door_idx"
            ),
            # The routes afgebroken (or closed) in a period, for the coalitiemonitor: a few
            # hundred of ~460,000 transitions at 100,000 placements (rapportage/verantwoording).
            models.Index(
                fields=["op"], condition=Q(naar="afgesloten"), name="transitie_afgesloten_op"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.van or 'start'} → {self.naar}"


# The route roles are an access concern: who holds which one is decided in coalitie/toegang.py.
Wie = RouteRol


class TermijnSoort(models.TextChoices):
    WERKDAGEN_NA_FASESTART = "werkdagen_na_fasestart", "werkdagen na start van de fase"
    WEKEN_VOOR_VERWACHTE_UITSTROOM = (
        "weken_voor_verwachte_uitstroom",
        "weken voor de verwachte uitstroomdatum",
    )
    VOOR_UITSTROOMDATUM = "voor_uitstroomdatum", "uiterlijk op de uitstroomdatum"
    WERKDAGEN_NA_UITSTROOM = "werkdagen_na_uitstroom", "werkdagen na de uitstroomdatum"
    WEKEN_NA_START_VERVOLGPLEK = "weken_na_start_vervolgplek", "weken na start vervolgplek"
    MAANDEN_NA_START_VERVOLGPLEK = "maanden_na_start_vervolgplek", "maanden na start vervolgplek"
    ELKE_N_MAANDEN = "elke_n_maanden", "elke N maanden (herhalend)"


class Routekaart(models.Model):
    """A coalition's own routekaart. Without one, the default of `routetool/route.py` applies."""

    coalitie = models.OneToOneField(Coalitie, on_delete=models.CASCADE, related_name="routekaart")
    gewijzigd_op = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "routekaart"
        verbose_name_plural = "routekaarten"

    def __str__(self) -> str:
        return f"Routekaart {self.coalitie}"


class RoutekaartActie(models.Model):
    routekaart = models.ForeignKey(Routekaart, on_delete=models.CASCADE, related_name="acties")
    fase = models.CharField(max_length=12, choices=Fase.choices)
    volgorde = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(
        max_length=40,
        help_text="Vaste codes (bv. bevestigd, stamschool, vervolgplek) hebben een eigen formulier.",
    )
    omschrijving = models.CharField(max_length=300)
    wie = models.CharField(max_length=20, choices=Wie.choices)
    termijn_soort = models.CharField(max_length=40, choices=TermijnSoort.choices)
    aantal = models.PositiveSmallIntegerField(default=0)
    verplicht = models.BooleanField(default=True)
    actief = models.BooleanField(default=True)

    class Meta:
        verbose_name = "routekaartactie"
        verbose_name_plural = "routekaartacties"
        ordering = ["routekaart", "fase", "volgorde", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["routekaart", "fase", "code"], name="routekaartactie_code_uniek"
            )
        ]

    def __str__(self) -> str:
        return self.omschrijving


class ActieStatus(models.TextChoices):
    OPEN = "open", "open"
    GEDAAN = "gedaan", "gedaan"
    OVERGESLAGEN = "overgeslagen", "overgeslagen"


class NazorgAntwoord(models.TextChoices):
    JA = "ja", "ja, gaat naar de vervolgplek"
    DEELS = "deels", "deels"
    NEE = "nee", "nee, gaat niet"


class Actie(models.Model):
    """One action of one placement. The routekaart fields are copied when the phase starts, so a
    later change of the routekaart applies to new phases only."""

    # Indexes: an import writes ~135,000 actions per 25,000 placements and every index costs
    # each row an insert, so only what queries use (see Meta.indexes): the placement's actions
    # via the index that starts with it; no index on the three-valued status; `code` without
    # the LIKE index Django adds to a SlugField; `gedaan_door` only where it is filled in.
    plaatsing = models.ForeignKey(
        "plaatsingen.Plaatsing", on_delete=models.CASCADE, related_name="acties", db_index=False
    )
    fase = models.CharField(max_length=12, choices=Fase.choices)
    volgorde = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=40, db_index=False)
    omschrijving = models.CharField(max_length=300)
    wie = models.CharField(max_length=20, choices=Wie.choices)
    verplicht = models.BooleanField(default=True)
    termijn_soort = models.CharField(max_length=40, choices=TermijnSoort.choices)
    aantal = models.PositiveSmallIntegerField(default=0)
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActieStatus.choices, default=ActieStatus.OPEN)
    gedaan_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    gedaan_op = models.DateTimeField(null=True, blank=True)
    notitie = models.CharField(max_length=1000, blank=True)
    reden_overslaan = models.CharField(max_length=500, blank=True)

    # Data some actions carry (which ones: see the kinds in routetool/acties/).
    contact_naam = models.CharField("naam contactpersoon stamschool", max_length=120, blank=True)
    contact_email = models.EmailField("e-mail contactpersoon stamschool", blank=True)
    contact_telefoon = models.CharField(
        "telefoon contactpersoon stamschool", max_length=30, blank=True
    )
    uren_gepland = models.PositiveSmallIntegerField(null=True, blank=True)
    uren_gebruikt = models.PositiveSmallIntegerField(null=True, blank=True)
    nazorg_antwoord = models.CharField(max_length=5, choices=NazorgAntwoord.choices, blank=True)
    # Data of kinds that need no column of their own (the kind's module says which keys).
    gegevens = models.JSONField(default=dict, blank=True)

    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "actie"
        verbose_name_plural = "acties"
        ordering = ["plaatsing", "aangemaakt_op", "volgorde", "pk"]
        indexes = [
            models.Index(fields=["plaatsing", "status", "deadline"]),
            # Reports count actions of one kind (rapportage.verantwoording, doelen).
            models.Index(fields=["code"], name="actie_code_idx"),
            # Deleting a user sets their actions' gedaan_door to NULL: found through this.
            models.Index(
                fields=["gedaan_door"],
                condition=Q(gedaan_door__isnull=False),
                name="actie_gedaan_door_idx",
            ),
            # "Acties op tijd" (rapportage.cijfers) reads ~80,000 actions of a year by deadline:
            # every column it needs is in this index, so PostgreSQL answers from the index alone
            # (an index-only scan) instead of reading the whole table (rapportage benchmark).
            models.Index(
                fields=["deadline", "fase", "status", "gedaan_op", "plaatsing"],
                condition=Q(status__in=[ActieStatus.OPEN, ActieStatus.GEDAAN]),
                name="actie_termijn_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActieStatus.OVERGESLAGEN) | ~Q(reden_overslaan=""),
                name="actie_overslaan_met_reden",
            )
        ]

    def __str__(self) -> str:
        return self.omschrijving

    @property
    def is_open(self) -> bool:
        return self.status == ActieStatus.OPEN

    @property
    def is_herhalend(self) -> bool:
        return self.termijn_soort == TermijnSoort.ELKE_N_MAANDEN


class VerzondenOverzicht(models.Model):
    """The weekly digest sent to one procesregisseur for one ISO week: the guard that makes a
    redelivered (or twice scheduled) task mail nobody twice, like the monthly list's log."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)  # ISO week, e.g. "2025-W48"
    verzonden_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "verzonden weekoverzicht"
        verbose_name_plural = "verzonden weekoverzichten"
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="weekoverzicht_eenmaal"),
        ]

    def __str__(self) -> str:
        return f"weekoverzicht {self.week} voor gebruiker {self.user_id}"


class Examenuitslag(models.TextChoices):
    """As OSO's codelijst 35 (examenuitslag), with "not yet" for a pupil without an exam."""

    NOG_NIET = "", "(nog) geen examen gedaan"
    GESLAAGD = "geslaagd", "geslaagd"
    AFGEWEZEN = "afgewezen", "afgewezen"
    HEREXAMEN = "herexamen", "herexamen"


class Overdrachtsprofiel(models.Model):
    """The content of the warme overdracht of one placement: what the receiving school needs to
    start well, in the pupil's own words where it is about them. Never a diagnosis (the form
    warns on words that look like one: `routetool/overdrachtsprofiel.py`). Field names follow
    the OSO overstapdossier where they overlap (README, Overdrachtsprofiel)."""

    plaatsing = models.OneToOneField(
        "plaatsingen.Plaatsing", on_delete=models.CASCADE, related_name="overdrachtsprofiel"
    )
    doelen_leerling = models.TextField("doelen van de leerling (in eigen woorden)", blank=True)
    wensleerling = models.TextField("wensen van de leerling (in eigen woorden)", blank=True)
    onderwijsbehoeften = models.TextField("wat werkt in de klas", blank=True)
    niveau = models.CharField("niveau / onderwijssoort", max_length=100, blank=True)
    jaargroep = models.CharField("leerjaar", max_length=20, blank=True)
    examenuitslag = models.CharField(
        "examenstatus", max_length=10, choices=Examenuitslag.choices, blank=True
    )
    examenresultaat = models.TextField(
        "examens en uitslagen (vakken, deelcertificaten)", blank=True
    )
    ondersteuning = models.TextField("ondersteuning afgesproken met de vervolgschool", blank=True)
    communicatie = models.TextField("contactpersonen", blank=True)

    # Confirmed at the handover, with who was there.
    bevestigd_op = models.DateField(null=True, blank=True)
    bevestigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the confirmation was recorded (bevestigd_op is the day of the meeting, often earlier):
    # a content change after this moment is one the handover did not see.
    bevestigd_om = models.DateTimeField(null=True, blank=True)
    aanwezig_leerling = models.BooleanField("leerling", default=False)
    aanwezig_ouders = models.BooleanField("ouders / verzorgers", default=False)
    aanwezig_stamschool = models.BooleanField("stamschool", default=False)
    aanwezig_instellingsschool = models.BooleanField("instellingsschool", default=False)
    aanwezig_vervolgschool = models.BooleanField("vervolgschool", default=False)

    gewijzigd_op = models.DateTimeField(auto_now=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    INHOUD = (
        "doelen_leerling",
        "wensleerling",
        "onderwijsbehoeften",
        "niveau",
        "jaargroep",
        "examenuitslag",
        "examenresultaat",
        "ondersteuning",
        "communicatie",
    )
    AANWEZIG = (
        "aanwezig_leerling",
        "aanwezig_ouders",
        "aanwezig_stamschool",
        "aanwezig_instellingsschool",
        "aanwezig_vervolgschool",
    )

    class Meta:
        verbose_name = "overdrachtsprofiel"
        verbose_name_plural = "overdrachtsprofielen"

    def __str__(self) -> str:
        return f"overdrachtsprofiel van plaatsing {self.plaatsing_id}"

    @property
    def is_leeg(self) -> bool:
        return not any(getattr(self, v) for v in self.INHOUD)

    @property
    def gewijzigd_na_bevestiging(self) -> bool:
        """The content was saved after the handover was confirmed: the confirmation speaks of
        an earlier version (confirming again clears it)."""
        return bool(
            self.bevestigd_om and self.gewijzigd_op and self.gewijzigd_op > self.bevestigd_om
        )

    def aanwezigen(self) -> list[str]:
        return [self._meta.get_field(v).verbose_name for v in self.AANWEZIG if getattr(self, v)]
