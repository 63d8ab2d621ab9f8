"""Pupils (leerlingen) and their placements at residential schools (plaatsingen)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Lower

from coalitie.models import Instellingsschool, Locatie, Samenwerkingsverband, School, Verblijf
from coalitie.toegang import PARTNER_ROLLEN

from .fasen import Fase
from .selectors import LeerlingQuerySet, PlaatsingQuerySet

# The partner route roles a deelnemer can hold (declared in coalitie.toegang).
PARTNER_SOORTEN = [(r.value, r.label) for r in PARTNER_ROLLEN]


class Geslacht(models.TextChoices):
    M = "M", "man"
    V = "V", "vrouw"
    X = "X", "anders / onbekend"


class Leerling(models.Model):
    """A pupil, identified by iHUB's Leerlingnummer. No BSN, no diagnoses (AVG)."""

    leerlingnummer = models.CharField(max_length=20, unique=True)
    achternaam = models.CharField(max_length=120)
    tussenvoegsel = models.CharField(max_length=40, blank=True)
    roepnaam = models.CharField(max_length=80)
    geboortedatum = models.DateField(null=True, blank=True)
    geslacht = models.CharField(max_length=1, choices=Geslacht.choices, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    woonplaats = models.CharField(max_length=120, blank=True)
    # Set when the retention task has removed the personal data; the row stays for counts.
    geanonimiseerd_op = models.DateTimeField(null=True, blank=True, editable=False)
    # What search matches against (plaatsingen/zoeken.py): name parts and number in lower case,
    # kept by the database itself, so the import's COPY and retention's emptying keep it right.
    # PostgreSQL has a trigram index on it (migration 0006), so "%hof%" does not scan the table.
    zoeknaam = models.GeneratedField(
        expression=Lower(
            Concat(
                "roepnaam",
                Value(" "),
                "tussenvoegsel",
                Value(" "),
                "achternaam",
                Value(" "),
                "leerlingnummer",
                output_field=models.CharField(),
            )
        ),
        output_field=models.CharField(max_length=270),
        db_persist=True,
    )

    objects = LeerlingQuerySet.as_manager()

    class Meta:
        verbose_name = "leerling"
        verbose_name_plural = "leerlingen"
        ordering = ["achternaam", "roepnaam"]

    def __str__(self) -> str:
        return self.volledige_naam

    @property
    def volledige_naam(self) -> str:
        return " ".join(p for p in (self.roepnaam, self.tussenvoegsel, self.achternaam) if p)


class Niveau(models.TextChoices):
    VMBO_BB = "vmbo-bb", "vmbo-bb"
    VMBO_KB = "vmbo-kb", "vmbo-kb"
    VMBO_GT = "vmbo-gt", "vmbo-gt"
    HAVO = "havo", "havo"
    VWO = "vwo", "vwo"
    PRO = "pro", "praktijkonderwijs"
    VSO = "vso", "vso"
    ENTREE = "entree", "entree"


class RedenUitschrijving(models.TextChoices):
    TERUG_STAMSCHOOL = "terug naar stamschool", "terug naar stamschool"
    ANDERE_VO = "andere vo-school", "andere vo-school"
    VSO = "vso", "vso"
    MBO = "mbo", "mbo"
    ARBEID = "arbeid", "arbeid"
    DAGBESTEDING = "dagbesteding", "dagbesteding"
    OVERPLAATSING = "overplaatsing andere instelling", "overplaatsing andere instelling"
    VERHUISD = "verhuisd", "verhuisd"
    ONBEKEND = "onbekend", "onbekend"


class VervolgplekSoort(models.TextChoices):
    SCHOOL = "school", "school (BRIN)"
    MBO = "mbo", "mbo"
    ARBEID = "arbeid", "arbeid"
    DAGBESTEDING = "dagbesteding", "dagbesteding"


class Plaatsing(models.Model):
    """One stay of one pupil at one residential school; runs one route (`fase`)."""

    # No index of their own on leerling, instellingsschool and verantwoordelijk_swv: each is
    # the first column of a composite index (the natural key; (school, fase); (SWV, fase)),
    # which serves the same lookups. Every index costs each row a first import writes.
    leerling = models.ForeignKey(
        Leerling, on_delete=models.PROTECT, related_name="plaatsingen", db_index=False
    )
    instellingsschool = models.ForeignKey(
        Instellingsschool, on_delete=models.PROTECT, related_name="plaatsingen", db_index=False
    )
    locatie = models.ForeignKey(
        Locatie, on_delete=models.PROTECT, null=True, blank=True, related_name="plaatsingen"
    )
    startdatum = models.DateField("datum inschrijving")
    einddatum = models.DateField("datum uitschrijving", null=True, blank=True)
    verblijf = models.CharField(max_length=10, choices=Verblijf.choices)
    stamschool = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plaatsingen_als_stamschool",
    )
    # Recorded by the SWV: the pupil has no stamschool (so "geen stamschool" is not a signal).
    geen_stamschool = models.BooleanField(default=False)
    verantwoordelijk_swv = models.ForeignKey(
        Samenwerkingsverband,
        on_delete=models.PROTECT,
        related_name="plaatsingen",
        verbose_name="verantwoordelijk SWV",
        db_index=False,
    )
    niveau = models.CharField(max_length=10, choices=Niveau.choices, blank=True)
    leerjaar = models.PositiveSmallIntegerField(null=True, blank=True)
    reden_uitschrijving = models.CharField(
        max_length=40, choices=RedenUitschrijving.choices, blank=True
    )
    verwachte_uitstroomdatum = models.DateField(null=True, blank=True)

    # Vervolgplek: where the pupil goes after uitstroom.
    vervolgplek_soort = models.CharField(
        max_length=20, choices=VervolgplekSoort.choices, blank=True
    )
    vervolgschool = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plaatsingen_als_vervolgschool",
        db_index=False,  # indexed where filled (Meta): most placements have none yet
    )
    vervolgplek_omschrijving = models.CharField(max_length=200, blank=True)
    vervolgplek_startdatum = models.DateField(null=True, blank=True)

    # Route state (routetool). `versie` grows with every transition: a stale form is refused.
    # Indexed in Meta (a plain b-tree): db_index would add a LIKE index nobody queries.
    fase = models.CharField(max_length=12, choices=Fase.choices, default=Fase.INSTROOM)
    versie = models.PositiveIntegerField(default=0)
    fase_sinds = models.DateField(null=True, blank=True)
    # Loaded from an older export as history (startfoto): counted in reports, but no route was
    # started and nobody was mailed.
    # Not indexed: queries ask historisch=False (nearly every row) or combine it in an OR.
    historisch = models.BooleanField(default=False)

    # What the route signals need from the actions, written by every routetool service that
    # changes actions or the phase (`routetool.signaalvelden`). Reading a signal is then a
    # condition on this row instead of a subquery over the actions (100,000 placements: see
    # README, Prestaties). Dates, not booleans: "te laat" depends on today, compared on read.
    termijn_fase = models.DateField(
        "eerste open termijn in de huidige fase", null=True, blank=True, editable=False
    )
    termijn_bevestigen = models.DateField(
        "termijn van de open bevestiging", null=True, blank=True, editable=False
    )
    termijn_stamschool = models.DateField(
        "termijn stamschool (instroom)", null=True, blank=True, editable=False
    )
    laatste_nazorg_antwoord = models.CharField(max_length=5, blank=True, editable=False)
    perspectief_gedaan = models.BooleanField(default=False, editable=False)

    # The one named person of the responsible SWV who owns this placement (issue 17): their Te
    # doen, meldingen and digest. Set through `plaatsingen.deelnemers.casusregisseur_toewijzen`.
    casusregisseur = models.ForeignKey(
        "coalitie.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="casussen",
        db_index=False,  # indexed where filled (Meta): an imported placement has none yet
    )

    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    objects = PlaatsingQuerySet.as_manager()

    class Meta:
        verbose_name = "plaatsing"
        verbose_name_plural = "plaatsingen"
        ordering = ["-startdatum", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["leerling", "instellingsschool", "startdatum"],
                name="plaatsing_natuurlijke_sleutel",
            ),
            # A pupil is never at two residential schools at once.
            models.UniqueConstraint(
                fields=["leerling"],
                condition=Q(einddatum__isnull=True),
                name="een_open_plaatsing_per_leerling",
            ),
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=F("startdatum")),
                name="plaatsing_einddatum_na_startdatum",
            ),
        ]
        indexes = [
            models.Index(fields=["verantwoordelijk_swv", "fase"]),
            models.Index(fields=["instellingsschool", "fase"]),
            models.Index(fields=["fase"], name="plaatsing_fase_idx"),
            models.Index(
                fields=["vervolgschool"],
                condition=Q(vervolgschool__isnull=False),
                name="plaatsing_vervolgschool_idx",
            ),
            models.Index(
                fields=["casusregisseur"],
                condition=Q(casusregisseur__isnull=False),
                name="plaatsing_casusregisseur_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Plaatsing {self.pk} ({self.instellingsschool}, {self.startdatum:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.fase != Fase.AFGESLOTEN


class Deelnemer(models.Model):
    """A named person of a partner organisation invited to ONE placement (issue 17).

    They see that placement only, act in its route as `soort` (a partner `RouteRol`), until
    `DEELNEMER_DAGEN_NA_AFSLUITEN` days after the route closes or until revoked. One account may
    hold several of these (one login, several placements).
    """

    plaatsing = models.ForeignKey(Plaatsing, on_delete=models.CASCADE, related_name="deelnemers")
    user = models.ForeignKey(
        "coalitie.User", on_delete=models.CASCADE, related_name="deelnemerschappen"
    )
    naam = models.CharField(max_length=120)
    organisatie = models.CharField("organisatie", max_length=200)
    soort = models.CharField(max_length=20, choices=PARTNER_SOORTEN)
    uitgenodigd_door = models.ForeignKey(
        "coalitie.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uitgenodigd_op = models.DateTimeField(auto_now_add=True)
    ingetrokken_op = models.DateTimeField(null=True, blank=True)
    ingetrokken_door = models.ForeignKey(
        "coalitie.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "deelnemer"
        verbose_name_plural = "deelnemers"
        ordering = ["uitgenodigd_op", "pk"]
        constraints = [
            # One live invitation per person and placement; a revoked one may be renewed.
            models.UniqueConstraint(
                fields=["plaatsing", "user"],
                condition=Q(ingetrokken_op__isnull=True),
                name="een_actieve_deelname_per_plaatsing",
            )
        ]

    def __str__(self) -> str:
        return f"deelnemer {self.pk} (plaatsing {self.plaatsing_id})"


# --- iHUB import history -------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    ONTVANGEN = "ontvangen", "wordt gecontroleerd"
    VOORBEELD = "voorbeeld", "voorbeeld: wacht op bevestiging"
    BEZIG = "bezig", "wordt geïmporteerd"
    GEIMPORTEERD = "geimporteerd", "geïmporteerd"
    AFGEWEZEN = "afgewezen", "afgewezen"
    DUBBEL = "dubbel", "al eerder geïmporteerd"
    # The worker stopped (killed, out of memory, unexpected error): nothing was written and the
    # beheerder can start it again.
    MISLUKT = "mislukt", "mislukt"


class ImportProfiel(models.Model):
    """How one provider's export maps onto the iHUB columns (FORMAT.md): data, not code.

    `kolommen`: iHUB column → the provider's header (a column it does not name is absent);
    `datumformaat`: a strptime format; `waarden`: per iHUB column, provider value → ours.
    """

    naam = models.CharField(max_length=120, unique=True)
    kolommen = models.JSONField(default=dict, blank=True)
    datumformaat = models.CharField(max_length=40, default="%d-%m-%Y")
    waarden = models.JSONField(default=dict, blank=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "importprofiel"
        verbose_name_plural = "importprofielen"
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam

    def clean(self):
        from plaatsingen.importeren.profielen import controleer_profiel

        controleer_profiel(
            {
                "naam": self.naam,
                "kolommen": self.kolommen,
                "datumformaat": self.datumformaat,
                "waarden": self.waarden,
            }
        )


class ImportBestand(models.Model):
    """One uploaded iHUB export: the original file, who sent it, what it did (or why not)."""

    bestand = models.FileField(upload_to="imports/%Y/%m/")
    oorspronkelijke_naam = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    grootte = models.PositiveBigIntegerField(default=0)
    door = models.ForeignKey(
        "coalitie.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="geïmporteerd door",
    )
    ontvangen_op = models.DateTimeField(auto_now_add=True)
    geimporteerd_op = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.ONTVANGEN
    )
    aantal_rijen = models.PositiveIntegerField(default=0)
    aantal_nieuw = models.PositiveIntegerField(default=0)
    aantal_gewijzigd = models.PositiveIntegerField(default=0)
    aantal_ongewijzigd = models.PositiveIntegerField(default=0)
    aantal_nieuwe_scholen = models.PositiveIntegerField(default=0)
    fouten = models.JSONField(default=list, blank=True)
    meldingen = models.JSONField(default=list, blank=True)
    # What the preview shows (new, changed with old → new, new schools), capped in length.
    voorbeeld = models.JSONField(default=dict, blank=True)
    # What this import covers: the coalition (command line --coalitie; web: the beheerder's
    # own), the provider's profile (empty: iHUB) and whether it is a back-load of history.
    coalitie = models.ForeignKey(
        "coalitie.Coalitie", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A provider's import (its administration, or `--aanbieder`): the rows of that provider's
    # schools in every coalition. The run limits to it again (the scope is not only `door`'s).
    aanbieder = models.CharField(max_length=200, blank=True)
    profiel = models.ForeignKey(
        ImportProfiel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    historisch = models.BooleanField(
        "als geschiedenis", default=False, help_text="Oudere export: geen route, geen mail."
    )
    # Progress for the browser while a task works on the file.
    voortgang_op = models.DateTimeField(null=True, blank=True)  # last sign of life of a worker
    voortgang_stap = models.CharField(max_length=40, blank=True)
    voortgang_verwerkt = models.PositiveIntegerField(default=0)
    voortgang_totaal = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "iHUB-import"
        verbose_name_plural = "iHUB-imports"
        ordering = ["-ontvangen_op", "-pk"]

    def __str__(self) -> str:
        return f"{self.oorspronkelijke_naam} ({self.get_status_display()})"

    @property
    def is_klaar(self) -> bool:
        return self.status not in (ImportStatus.ONTVANGEN, ImportStatus.BEZIG)

    @property
    def opnieuw_te_proberen(self) -> bool:
        return self.status == ImportStatus.MISLUKT


class PlaatsingWijziging(models.Model):
    """One field of a placement (or its pupil) changed by an import: old → new."""

    plaatsing = models.ForeignKey(Plaatsing, on_delete=models.CASCADE, related_name="wijzigingen")
    import_bestand = models.ForeignKey(
        ImportBestand,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wijzigingen",
    )
    veld = models.CharField(max_length=60)
    oud = models.CharField(max_length=255, blank=True)
    nieuw = models.CharField(max_length=255, blank=True)
    op = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "wijziging door import"
        verbose_name_plural = "wijzigingen door import"
        ordering = ["-op", "pk"]

    def __str__(self) -> str:
        return f"{self.veld}: {self.oud} → {self.nieuw}"


class ImportRij(models.Model):
    """One validated row of an export being imported: a scratch copy, deleted when done.

    The import checks a file in one streaming pass and parks its valid rows here, so that the
    comparison with the database can walk them per pupil in chunks (all rows of a pupil in one
    chunk) instead of holding the whole file in memory. Rows live only while a check or an
    import runs; `retentie` removes any left behind by a crashed worker.
    """

    # One check or import run; not a foreign key, because a dry run has no ImportBestand.
    partij = models.UUIDField()
    regel = models.PositiveIntegerField()
    leerlingnummer = models.CharField(max_length=20)
    achternaam = models.CharField(max_length=120)
    tussenvoegsel = models.CharField(max_length=40, blank=True)
    roepnaam = models.CharField(max_length=80)
    geboortedatum = models.DateField(null=True)
    geslacht = models.CharField(max_length=1, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    woonplaats = models.CharField(max_length=120, blank=True)
    # Plain ids, not foreign keys: the rows are checked against these tables before parking.
    instellingsschool_id = models.IntegerField()
    startdatum = models.DateField()
    locatie_id = models.IntegerField(null=True)
    einddatum = models.DateField(null=True)
    verblijf = models.CharField(max_length=10)
    stamschool_brin = models.CharField(max_length=6, blank=True)
    verantwoordelijk_swv_id = models.IntegerField()
    niveau = models.CharField(max_length=10, blank=True)
    leerjaar = models.PositiveSmallIntegerField(null=True)
    reden_uitschrijving = models.CharField(max_length=40, blank=True)
    vervolgschool_brin = models.CharField(max_length=6, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "importregel (tijdelijk)"
        verbose_name_plural = "importregels (tijdelijk)"
        indexes = [
            models.Index(
                fields=["partij", "leerlingnummer", "startdatum", "regel"],
                name="importrij_per_leerling",
            )
        ]

    def __str__(self) -> str:
        return f"regel {self.regel}"
