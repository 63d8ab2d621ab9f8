"""Organisations of the coalitions, users and their memberships (roles)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Een e-mailadres is verplicht.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address; roles come from `Lidmaatschap`."""

    username = None
    email = models.EmailField("e-mailadres", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Coalitie(models.Model):
    naam = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    landsdeel = models.CharField(max_length=80, blank=True)
    penvoerder = models.ForeignKey(
        "Samenwerkingsverband",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="penvoerder_van",
        help_text="Het SWV dat penvoerder is van de coalitie.",
    )

    class Meta:
        verbose_name = "onderwijscoalitie"
        verbose_name_plural = "onderwijscoalities"
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class Sector(models.TextChoices):
    VO = "VO", "voortgezet onderwijs"
    PO = "PO", "primair onderwijs"


class Samenwerkingsverband(models.Model):
    code = models.CharField(max_length=12, unique=True, help_text="Bijvoorbeeld VO 28-06.")
    naam = models.CharField(max_length=200)
    sector = models.CharField(max_length=2, choices=Sector.choices, default=Sector.VO)
    coalitie = models.ForeignKey(Coalitie, on_delete=models.PROTECT, related_name="swvs")

    class Meta:
        verbose_name = "samenwerkingsverband"
        verbose_name_plural = "samenwerkingsverbanden"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.naam}"


class Verblijf(models.TextChoices):
    GESLOTEN = "gesloten", "gesloten"
    OPEN = "open", "open"
    KWV = "kwv", "kleinschalige woonvoorziening"


class Instellingsschool(models.Model):
    naam = models.CharField(max_length=200, unique=True)
    aanbieder = models.CharField(max_length=200, blank=True)
    coalitie = models.ForeignKey(
        Coalitie, on_delete=models.PROTECT, related_name="instellingsscholen"
    )
    overeenkomst_verplicht_vanaf = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "Vanaf deze datum eist de school een samenwerkingsovereenkomst met de stamschool "
            "(leeg: niet verplicht)."
        ),
    )

    class Meta:
        verbose_name = "instellingsschool"
        verbose_name_plural = "instellingsscholen"
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class Locatie(models.Model):
    instellingsschool = models.ForeignKey(
        Instellingsschool, on_delete=models.CASCADE, related_name="locaties"
    )
    naam = models.CharField(max_length=200)
    plaats = models.CharField(max_length=120, blank=True)
    jeugdhulpinstelling = models.CharField(max_length=200, blank=True)
    verblijf = models.CharField(max_length=10, choices=Verblijf.choices, blank=True)

    class Meta:
        verbose_name = "locatie"
        verbose_name_plural = "locaties"
        ordering = ["instellingsschool__naam", "naam"]
        constraints = [
            models.UniqueConstraint(fields=["instellingsschool", "naam"], name="locatie_uniek"),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.plaats})" if self.plaats else self.naam


class School(models.Model):
    """A stamschool (or vervolgschool): BRIN (4) + vestiging (2)."""

    brin = models.CharField("BRIN", max_length=6, unique=True)
    naam = models.CharField(max_length=200)
    swv = models.ForeignKey(
        Samenwerkingsverband, on_delete=models.PROTECT, related_name="scholen", verbose_name="SWV"
    )

    class Meta:
        verbose_name = "school"
        verbose_name_plural = "scholen"
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(brin__regex=r"^[0-9]{2}[A-Z]{2}[0-9]{2}$"), name="school_brin6_vorm"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.brin})"


class Rol(models.TextChoices):
    SWV_CONTACTPERSOON = "swv_contactpersoon", "SWV-contactpersoon"
    MEDEWERKER_INSTELLINGSSCHOOL = "medewerker_instellingsschool", "medewerker instellingsschool"
    PROCESREGISSEUR = "procesregisseur", "procesregisseur"
    PENVOERDER = "penvoerder", "penvoerder"
    BEHEERDER = "beheerder", "beheerder"
    # National level (VO-raad, OCW): reads suppressed counts per coalition, never a pupil.
    LANDELIJK = "landelijk", "landelijk (alleen-lezen)"
    # A provider's own administration (e.g. iHUB's): imports the export of all its schools, in
    # whatever coalition they sit, and sees nothing else (no pupils, lists or counts).
    AANBIEDER = "aanbieder", "administratie aanbieder"


COALITIE_ROLLEN = (Rol.PROCESREGISSEUR, Rol.PENVOERDER, Rol.BEHEERDER)
# Roles that span coalitions: only a superuser grants them, never a coalition's beheerder.
NIET_DOOR_BEHEERDER = (Rol.LANDELIJK, Rol.AANBIEDER)


class Lidmaatschap(models.Model):
    """Links a user to one organisation with one role. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lidmaatschappen")
    rol = models.CharField(max_length=40, choices=Rol.choices)
    swv = models.ForeignKey(
        Samenwerkingsverband, on_delete=models.CASCADE, null=True, blank=True, verbose_name="SWV"
    )
    instellingsschool = models.ForeignKey(
        Instellingsschool, on_delete=models.CASCADE, null=True, blank=True
    )
    coalitie = models.ForeignKey(Coalitie, on_delete=models.CASCADE, null=True, blank=True)
    # For the provider's administration only: the provider as the schools name it
    # (`Instellingsschool.aanbieder`, from the reference data), so no second list of providers.
    aanbieder = models.CharField(
        max_length=200,
        blank=True,
        help_text="Alleen voor de rol administratie aanbieder: de aanbieder zoals de "
        "instellingsscholen hem noemen (bv. iHUB (Horizon Onderwijs)).",
    )

    class Meta:
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"
        constraints = [
            # Exactly the organisation that fits the role is filled in.
            models.CheckConstraint(
                name="lidmaatschap_organisatie_past_bij_rol",
                condition=(
                    Q(
                        rol=Rol.SWV_CONTACTPERSOON,
                        swv__isnull=False,
                        instellingsschool__isnull=True,
                        coalitie__isnull=True,
                        aanbieder="",
                    )
                    | Q(
                        rol=Rol.MEDEWERKER_INSTELLINGSSCHOOL,
                        swv__isnull=True,
                        instellingsschool__isnull=False,
                        coalitie__isnull=True,
                        aanbieder="",
                    )
                    | Q(
                        rol__in=COALITIE_ROLLEN,
                        swv__isnull=True,
                        instellingsschool__isnull=True,
                        coalitie__isnull=False,
                        aanbieder="",
                    )
                    # The national role belongs to no organisation of a coalition.
                    | Q(
                        rol=Rol.LANDELIJK,
                        swv__isnull=True,
                        instellingsschool__isnull=True,
                        coalitie__isnull=True,
                        aanbieder="",
                    )
                    # A provider spans coalitions: it has a name and no organisation of one.
                    | (
                        Q(
                            rol=Rol.AANBIEDER,
                            swv__isnull=True,
                            instellingsschool__isnull=True,
                            coalitie__isnull=True,
                        )
                        & ~Q(aanbieder="")
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "rol", "swv"],
                condition=Q(swv__isnull=False),
                name="lidmaatschap_swv_uniek",
            ),
            models.UniqueConstraint(
                fields=["user", "rol", "instellingsschool"],
                condition=Q(instellingsschool__isnull=False),
                name="lidmaatschap_instellingsschool_uniek",
            ),
            models.UniqueConstraint(
                fields=["user", "rol", "coalitie"],
                condition=Q(coalitie__isnull=False),
                name="lidmaatschap_coalitie_uniek",
            ),
            models.UniqueConstraint(
                fields=["user", "rol"],
                condition=Q(rol="landelijk"),
                name="lidmaatschap_landelijk_uniek",
            ),
            models.UniqueConstraint(
                fields=["user", "aanbieder"],
                condition=Q(rol="aanbieder"),
                name="lidmaatschap_aanbieder_uniek",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rol_display()} — {self.organisatie}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .selectors import aanbieder_namen

        if self.rol == Rol.AANBIEDER and self.aanbieder not in aanbieder_namen():
            raise ValidationError(
                {"aanbieder": "Kies een aanbieder zoals de instellingsscholen hem noemen."}
            )
        if self.rol != Rol.AANBIEDER and self.aanbieder:
            raise ValidationError({"aanbieder": "Laat dit leeg voor de gekozen rol."})

    @property
    def organisatie(self):
        if self.rol == Rol.AANBIEDER:
            return self.aanbieder
        return self.swv or self.instellingsschool or self.coalitie or "landelijk"


class Toegangsactie(models.TextChoices):
    BEKEKEN = "bekeken", "bekeken"
    GEDOWNLOAD = "gedownload", "gedownload"
    GEEXPORTEERD = "geexporteerd", "geëxporteerd"
    GEIMPORTEERD = "geimporteerd", "geïmporteerd"
    GEANONIMISEERD = "geanonimiseerd", "geanonimiseerd"
    GEBLOKKEERD = "geblokkeerd", "inloggen geblokkeerd"
    # A route step done by a person (an action with its note, a skip with its reason): the text
    # itself stays on the action, where retention empties it; the entry says who, when, which.
    GEWIJZIGD = "gewijzigd", "gewijzigd"
    # A partner invited to / removed from one placement (plaatsingen.deelnemers, issue 17).
    UITGENODIGD = "uitgenodigd", "deelnemer uitgenodigd"
    INGETROKKEN = "ingetrokken", "toegang ingetrokken"


class Toegangslog(models.Model):
    """Who looked at, downloaded, exported or imported which pupil's data (AVG).

    Changes themselves are in django-auditlog's LogEntry; this table holds the reads. Rows are
    only ever inserted (coalitie.audit.log_toegang) and never edited through the app.
    `leerling_id` is a plain indexed integer, not a foreign key: the entry must outlive any
    change to the pupil row and never block or cascade with it.
    """

    # Indexed only where filled (Meta): an import's entries (tens of thousands) have no user.
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    actie = models.CharField(max_length=20, choices=Toegangsactie.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    leerling_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # What was done, never personal data: "maandlijst VO 28-06 2025-10", "plaatsing 12".
    omschrijving = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    op = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "toegangslog"
        verbose_name_plural = "toegangslog"
        ordering = ["-op", "-pk"]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(user__isnull=False), name="toegangslog_user_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_actie_display()} {self.object_type} {self.object_id}".strip()


class Melding(models.Model):
    """An in-app notification for one user ("meldingen"). Written by `coalitie.meldingen.melden`.

    `tekst` is shown in the app to a user who may see what it points at, so it may name the
    organisation, but never a pupil: the link (`url`) leads to the page, where visibility is
    checked again. `soort` groups them (nieuwe_plaatsing, maandlijst_klaar, ...).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="meldingen")
    soort = models.CharField(max_length=40)
    tekst = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    # Dedup key: the same (user, sleutel) is only ever reported once (idempotent tasks).
    sleutel = models.CharField(max_length=120, blank=True)
    gelezen_op = models.DateTimeField(null=True, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        ordering = ["-aangemaakt_op", "-pk"]
        indexes = [models.Index(fields=["user", "gelezen_op"], name="melding_ongelezen_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "sleutel"],
                condition=~Q(sleutel=""),
                name="melding_sleutel_uniek",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.soort} voor gebruiker {self.user_id}"
