"""Monthly lists (maandlijsten) per SWV and their delivery log."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coalitie.models import Samenwerkingsverband

from .selectors import ActieTellerQuerySet, MaandlijstQuerySet

MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def maand_tekst(maand) -> str:
    """'oktober 2025': the month in Dutch, independent of the active locale (tasks, mails)."""
    return f"{MAANDEN[maand.month - 1]} {maand.year}"


def _bestandsnaam(instance: Maandlijst, filename: str) -> str:
    # A random part: names are never guessable and a regenerated file never overwrites the old
    # one before the transaction commits.
    extensie = filename.rsplit(".", 1)[-1]
    code = instance.swv.code.replace(" ", "").replace("-", "")
    return f"maandlijsten/{instance.maand:%Y-%m}/{code}-{secrets.token_hex(8)}.{extensie}"


class MaandlijstStatus(models.TextChoices):
    NIEUW = "nieuw", "wordt gemaakt"
    GEMAAKT = "gemaakt", "gemaakt, nog niet gemaild"
    GEMAILD = "gemaild", "gemaild"
    MISLUKT = "mislukt", "mailen mislukt"


class Maandlijst(models.Model):
    """One list per SWV per month (the unique key makes the job idempotent)."""

    swv = models.ForeignKey(
        Samenwerkingsverband, on_delete=models.PROTECT, related_name="maandlijsten"
    )
    maand = models.DateField(help_text="Eerste dag van de maand.")
    pdf = models.FileField(upload_to=_bestandsnaam, blank=True)
    xlsx = models.FileField(upload_to=_bestandsnaam, blank=True)
    aantal_leerlingen = models.PositiveIntegerField(default=0)
    gemaakt_op = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=MaandlijstStatus.choices, default=MaandlijstStatus.NIEUW
    )

    objects = MaandlijstQuerySet.as_manager()

    class Meta:
        verbose_name = "maandlijst"
        verbose_name_plural = "maandlijsten"
        ordering = ["-maand", "swv__code"]
        constraints = [
            models.UniqueConstraint(fields=["swv", "maand"], name="maandlijst_per_swv_per_maand"),
            models.CheckConstraint(condition=Q(maand__day=1), name="maandlijst_maand_eerste_dag"),
        ]

    def __str__(self) -> str:
        return f"Maandlijst {self.swv.code} {maand_tekst(self.maand)}"

    @property
    def maand_tekst(self) -> str:
        return maand_tekst(self.maand)

    @property
    def is_gemaakt(self) -> bool:
        return self.status != MaandlijstStatus.NIEUW and bool(self.pdf)

    @property
    def laatste_fout(self):
        """The latest "mislukt" entry; uses prefetched logs on overview pages (no extra query)."""
        fouten = [log for log in self.logs.all() if log.soort == LogSoort.MISLUKT]
        return max(fouten, key=lambda log: (log.op, log.pk), default=None)


class LogSoort(models.TextChoices):
    GEMAAKT = "gemaakt", "gemaakt"
    GEMAILD = "gemaild", "gemaild"
    MISLUKT = "mislukt", "mislukt"
    GEDOWNLOAD = "gedownload", "gedownload"
    OPNIEUW_GEMAAKT = "opnieuw gemaakt", "opnieuw gemaakt"
    OPNIEUW_MAILEN = "opnieuw mailen", "opnieuw mailen gevraagd"


class MaandlijstLog(models.Model):
    """Delivery log: made, mailed (to whom), failed (why), downloaded (by whom, when)."""

    maandlijst = models.ForeignKey(Maandlijst, on_delete=models.CASCADE, related_name="logs")
    soort = models.CharField(max_length=20, choices=LogSoort.choices)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    ontvangers = models.TextField(blank=True, help_text="E-mailadressen, komma-gescheiden.")
    reden = models.TextField(blank=True)
    op = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "logregel maandlijst"
        verbose_name_plural = "log maandlijsten"
        ordering = ["-op", "-pk"]

    def __str__(self) -> str:
        return f"{self.maandlijst} {self.soort} {self.op:%d-%m-%Y %H:%M}"


# --- Coalitiemonitor ------------------------------------------------------------------------


def _monitor_bestandsnaam(instance: Monitor, filename: str) -> str:
    # Random part: never guessable, and a file is never overwritten.
    extensie = filename.rsplit(".", 1)[-1]
    return (
        f"monitors/{instance.coalitie.slug}/monitor-{instance.van:%Y%m%d}-{instance.tot:%Y%m%d}-"
        f"{secrets.token_hex(8)}.{extensie}"
    )


class MonitorStatus(models.TextChoices):
    NIEUW = "nieuw", "in de wachtrij"
    BEZIG = "bezig", "wordt gemaakt"
    KLAAR = "klaar", "klaar"
    MISLUKT = "mislukt", "mislukt"


class Monitor(models.Model):
    """One coalitiemonitor (PDF) for a period and a set of SWVs; kept and listed."""

    coalitie = models.ForeignKey(
        "coalitie.Coalitie", on_delete=models.PROTECT, related_name="monitors"
    )
    van = models.DateField()
    tot = models.DateField()
    swvs = models.ManyToManyField(Samenwerkingsverband, related_name="+", blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aangevraagd_op = models.DateTimeField(default=timezone.now)
    gemaakt_op = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=MonitorStatus.choices, default=MonitorStatus.NIEUW
    )
    voortgang = models.PositiveSmallIntegerField(default=0, help_text="Procent.")
    bestand = models.FileField(upload_to=_monitor_bestandsnaam, blank=True)
    # Every table of the PDF as a spreadsheet (same suppressed cells), made with it.
    xlsx = models.FileField(upload_to=_monitor_bestandsnaam, blank=True)
    # The tables of the sections (suppressed, like the PDF) for the monitor's page: titles,
    # columns and cell texts only, made with the PDF (the charts are in the PDF).
    secties = models.JSONField(default=list, blank=True, editable=False)
    # Made by the half-yearly schedule (rapportage.tasks.monitors_halfjaar): one per period.
    automatisch = models.BooleanField(default=False)
    fout = models.TextField(blank=True)

    class Meta:
        verbose_name = "coalitiemonitor"
        verbose_name_plural = "coalitiemonitors"
        ordering = ["-aangevraagd_op", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(tot__gte=models.F("van")), name="monitor_periode"),
            # The schedule may run twice (retry, two schedulers): one automatic monitor per
            # coalition and period, whatever happens.
            models.UniqueConstraint(
                fields=["coalitie", "van", "tot"],
                condition=Q(automatisch=True),
                name="monitor_automatisch_een_per_periode",
            ),
        ]

    def __str__(self) -> str:
        return f"Coalitiemonitor {self.van:%d-%m-%Y} t/m {self.tot:%d-%m-%Y}"

    @property
    def is_klaar(self) -> bool:
        return self.status == MonitorStatus.KLAAR and bool(self.bestand)


# --- Targets of a coalition (streefwaarden) -----------------------------------------------------


class DoelSoort(models.TextChoices):
    """The goals a coalition can set; each is a share (%) the monitor can compute."""

    VERVOLGPLEK_VOOR_UITSTROOM = (
        "vervolgplek_voor_uitstroom",
        "elke leerling een vervolgplek vóór de uitstroom",
    )
    GEEN_THUISZITTER_3M = (
        "geen_thuiszitter_3m",
        "geen thuiszitter drie maanden na de uitstroom",
    )
    BEVESTIGD_5_WERKDAGEN = (
        "bevestigd_5_werkdagen",
        "bevestiging door het SWV binnen 5 werkdagen",
    )
    STAMSCHOOL_VANAF_INSTROOM = (
        "stamschool_vanaf_instroom",
        "stamschool betrokken vanaf de instroom",
    )
    ACTIES_OP_TIJD = "acties_op_tijd", "acties uit de routekaart op tijd afgerond"


class Doel(models.Model):
    """A coalition's own target for one figure: the share it aims at, in percent."""

    coalitie = models.ForeignKey(
        "coalitie.Coalitie", on_delete=models.CASCADE, related_name="doelen"
    )
    soort = models.CharField(max_length=40, choices=DoelSoort.choices)
    streefwaarde = models.PositiveSmallIntegerField(
        "streefwaarde (%)", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    toelichting = models.CharField(max_length=300, blank=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    gewijzigd_op = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "doel"
        verbose_name_plural = "doelen"
        ordering = ["coalitie", "soort"]
        constraints = [
            models.UniqueConstraint(fields=["coalitie", "soort"], name="doel_een_per_soort"),
            models.CheckConstraint(condition=Q(streefwaarde__lte=100), name="doel_procent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()}: {self.streefwaarde}%"


class ActieTeller(models.Model):
    """ "Acties op tijd" kept up to date instead of counted (README Prestaties, Verse database):
    per SWV, school, phase and month of the deadline, how many open or done actions have their
    deadline then (`totaal`) and how many of those were done on or before it (`op_tijd`).

    Rows are deltas, only ever inserted (PostgreSQL triggers on routetool_actie and
    plaatsingen_plaatsing, migration 0005): a figure is the SUM over the rows of a key, so
    concurrent route actions never wait for one another on a shared counter row, and
    `rapportage.actietellers.samenvoegen` folds them back into one row per key at night.
    Only on PostgreSQL; SQLite (the embedded demo, small data) counts the actions live."""

    # Plain ids of the placement's SWV and school, no foreign keys: a derived count must not
    # block or cascade anything, and the scope filter of the placements applies to it as is.
    verantwoordelijk_swv = models.ForeignKey(
        Samenwerkingsverband, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    instellingsschool = models.ForeignKey(
        "coalitie.Instellingsschool",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    fase = models.CharField(max_length=12)
    maand = models.DateField()
    totaal = models.IntegerField()
    op_tijd = models.IntegerField()

    objects = ActieTellerQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["maand", "fase"], name="actieteller_maand_idx")]

    def __str__(self) -> str:
        return f"{self.fase} {self.maand:%m-%Y}: {self.op_tijd} van {self.totaal}"
