"""Writes for the monthly lists: make (idempotent per SWV and month), mail (at most once), log."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coalitie import toegang
from coalitie.audit import log_toegang_voor_leerlingen
from coalitie.models import Lidmaatschap, Rol, Samenwerkingsverband

from .models import LogSoort, Maandlijst, MaandlijstLog, MaandlijstStatus, maand_tekst
from .pdf import render_many_to_pdf, render_pages_to_pdfs, render_to_pdf
from .selectors import (
    eerste_dag,
    maandlijst_regels,
    maandlijst_regels_per_swv,
    totalen,
)
from .xlsx import maandlijst_xlsx

logger = logging.getLogger(__name__)

# The PDF's columns: (header, width in % of the landscape page; fixed table layout). The twelve
# fields of KOLOMMEN (the XLSX has one column each) in seven, related fields stacked on two lines
# ("\n": the cells keep line breaks): WeasyPrint's time goes per cell and per text box, so this
# makes a long list ~25% cheaper, and the wider columns no longer break a leerlingnummer or a
# school's name. Widths fit "GEN00012365 · 14-12-2013", a date and the longest signal word
# ("thuiszitrisico") at 7.5pt on one line.
PDF_KOLOMMEN = (
    ("Leerling\nleerlingnummer · geboortedatum", 18),
    ("Instellingsschool\nlocatie", 15),
    ("Startdatum\neinddatum", 8),
    ("Status in de maand\nfase", 11),
    ("Stamschool", 15),
    ("Vervolgplek", 14),
    ("Open signalen", 19),
)


def maandlijst_maken(
    *, swv: Samenwerkingsverband, maand: dt.date, door, opnieuw: bool = False
) -> tuple[Maandlijst, bool]:
    """Make the SWV's list of `maand` once. Returns (list, made now?).

    The row is created first and then locked: a second run, or a retried task, waits for the
    first and then finds the files made and returns without doing anything. `opnieuw` (the
    beheerder) replaces the files and logs that. `door`: the beheerder, or SYSTEEM (the monthly
    beat task, the command line).
    """
    toegang.vereis_actor(door)
    if opnieuw and not (
        toegang.is_systeem(door) or toegang.is_beheerder_van(door, swv.coalitie_id)
    ):
        raise PermissionDenied("Alleen een beheerder van de coalitie kan lijsten opnieuw maken.")
    maand = eerste_dag(maand)
    # get_or_create survives the race of two workers creating the row (unique key + retry get).
    Maandlijst.objects.get_or_create(swv=swv, maand=maand)
    with transaction.atomic():
        lijst = (
            Maandlijst.objects.select_for_update()
            .select_related("swv__coalitie")
            .get(swv=swv, maand=maand)
        )
        al_gemaakt = lijst.status != MaandlijstStatus.NIEUW
        if al_gemaakt and not opnieuw:
            return lijst, False
        nu = timezone.localtime()
        regels = maandlijst_regels(swv=swv, maand=maand)
        pdf = render_to_pdf(
            "rapportage/maandlijst_pdf.html", _pdf_context(swv, maand, nu, regels), small_ua=True
        )
        _opslaan(lijst, regels=regels, pdf=pdf, nu=nu, door=door, al_gemaakt=al_gemaakt)
    return lijst, True


def maandlijsten_maken(
    *, swvs: list[Samenwerkingsverband], maand: dt.date, door
) -> list[tuple[Maandlijst, bool]]:
    """Make the lists of `maand` of every SWV in `swvs` that has none yet: the monthly run of
    all 76 (the command, the beat task's batch of empty lists). Returns (list, made now?) in
    the order of `swvs`.

    Same outcome per list as `maandlijst_maken`, cheaper in bulk: the rows of all SWVs in one
    query, and the empty lists (most SWVs have no pupil in residential care in a given month)
    laid out by WeasyPrint as one document with a page per SWV, written as one PDF each. All
    rows are locked in pk order (two runs wait for each other, never deadlock); a list made
    meanwhile by a single-SWV task is found made and left alone.
    """
    toegang.vereis_actor(door)
    maand = eerste_dag(maand)
    Maandlijst.objects.bulk_create(
        [Maandlijst(swv=s, maand=maand) for s in swvs], ignore_conflicts=True
    )
    with transaction.atomic():
        lijsten = {
            m.swv_id: m
            for m in Maandlijst.objects.select_for_update(of=("self",))
            .select_related("swv__coalitie")
            .filter(swv__in=swvs, maand=maand)
            .order_by("pk")
        }
        te_maken = [lijsten[s.pk] for s in swvs if lijsten[s.pk].status == MaandlijstStatus.NIEUW]
        regels = maandlijst_regels_per_swv(swv_ids=[m.swv_id for m in te_maken], maand=maand)
        nu = timezone.localtime()
        lege = [m.swv for m in te_maken if not regels[m.swv_id]]
        met_regels = [m for m in te_maken if regels[m.swv_id]]
        pdfs: dict[int, bytes] = {}
        xlsxs: dict[int, bytes] = {}

        def intussen():
            # While worker processes lay out the lists with pupils, this process makes the
            # empty lists and every spreadsheet, so little is left to do once they are done.
            pdfs.update(_lege_pdfs(lege, maand, nu))
            xlsxs.update((m.swv_id, _xlsx(m, regels[m.swv_id])) for m in te_maken)

        gemaakt_pdfs = render_many_to_pdf(
            "rapportage/maandlijst_pdf.html",
            [_pdf_context(m.swv, maand, nu, regels[m.swv_id]) for m in met_regels],
            intussen=intussen,
            small_ua=True,
        )
        pdfs.update(zip((m.swv_id for m in met_regels), gemaakt_pdfs, strict=True))
        for lijst in te_maken:
            _opslaan(
                lijst,
                regels=regels[lijst.swv_id],
                pdf=pdfs[lijst.swv_id],
                xlsx=xlsxs[lijst.swv_id],
                nu=nu,
                door=door,
                al_gemaakt=False,
            )
    gemaakt = {m.pk for m in te_maken}
    return [(lijsten[s.pk], lijsten[s.pk].pk in gemaakt) for s in swvs]


def _pdf_context(swv: Samenwerkingsverband, maand: dt.date, nu, regels: list) -> dict:
    return {
        "swv": swv,
        "coalitie": swv.coalitie,
        "maand_tekst": maand_tekst(maand),
        "gemaakt_op": nu,
        "regels": regels,
        "kolommen": PDF_KOLOMMEN,
        "totalen": totalen(regels),
    }


def _lege_pdfs(swvs: list[Samenwerkingsverband], maand: dt.date, nu) -> dict[int, bytes]:
    """The empty lists of `swvs`: one WeasyPrint layout, one page (and PDF) per SWV; the same
    blad as a single list (`_maandlijst_blad.html`), so they look the same."""
    if not swvs:
        return {}
    context = _pdf_context(swvs[0], maand, nu, [])
    context["bladen"] = [{"swv": s, "coalitie": s.coalitie} for s in swvs]
    titels = [f"Maandlijst {s.code} {context['maand_tekst']}" for s in swvs]
    pdfs = render_pages_to_pdfs(
        "rapportage/maandlijsten_leeg_pdf.html", context, titels, small_ua=True
    )
    return {s.pk: pdf for s, pdf in zip(swvs, pdfs, strict=True)}


def _xlsx(lijst: Maandlijst, regels: list) -> bytes:
    return maandlijst_xlsx(regels=regels, titel=f"{lijst.swv.code} {lijst.maand:%Y-%m}")


def _opslaan(
    lijst: Maandlijst, *, regels: list, pdf: bytes, nu, door, al_gemaakt: bool, xlsx=None
) -> None:
    """Store a made list's files and log it; called inside the transaction holding its lock.
    xlsx: the spreadsheet if made already, else it is made here."""
    if xlsx is None:
        xlsx = _xlsx(lijst, regels)
    oude_bestanden = [f.name for f in (lijst.pdf, lijst.xlsx) if f]
    lijst.pdf.save("maandlijst.pdf", ContentFile(pdf), save=False)
    lijst.xlsx.save("maandlijst.xlsx", ContentFile(xlsx), save=False)
    lijst.aantal_leerlingen = len(regels)
    lijst.gemaakt_op = nu
    if lijst.status in (MaandlijstStatus.NIEUW, MaandlijstStatus.MISLUKT):
        # After a failed mail, a regenerated list gets a new chance to be mailed.
        lijst.status = MaandlijstStatus.GEMAAKT
    lijst.save(update_fields=["pdf", "xlsx", "aantal_leerlingen", "gemaakt_op", "status"])
    MaandlijstLog.objects.create(
        maandlijst=lijst,
        soort=LogSoort.OPNIEUW_GEMAAKT if al_gemaakt else LogSoort.GEMAAKT,
        door=toegang.als_gebruiker(door),
        reden=f"{len(regels)} leerlingen",
    )
    # Old files go only once the new ones are committed; a rollback keeps the old list.
    storage = lijst.pdf.storage
    transaction.on_commit(lambda: [storage.delete(n) for n in oude_bestanden])


def contactpersonen(swv: Samenwerkingsverband) -> list[str]:
    return sorted(
        Lidmaatschap.objects.filter(
            rol=Rol.SWV_CONTACTPERSOON, swv=swv, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def maandlijst_mailen(*, maandlijst_id: int) -> bool:
    """Tell the SWV's contact persons that the list is ready. At most once per list.

    The row lock serialises concurrent tasks, and the "gemaild" log entry written in the same
    transaction as the send is the guard a retried task checks. The one window left: the process
    dies after the SMTP server accepted the mail and before this transaction commits; the retry
    then sends a second identical mail. Nothing personal is in it, so that is acceptable.
    Returns True when a mail was sent now.
    """
    with transaction.atomic():
        lijst = Maandlijst.objects.select_for_update().select_related("swv").get(pk=maandlijst_id)
        if lijst.status in (MaandlijstStatus.NIEUW, MaandlijstStatus.MISLUKT):
            # Not made yet, or failed for good: only a regeneration opens the way again.
            return False
        if lijst.logs.filter(soort=LogSoort.GEMAILD).exists():
            return False
        ontvangers = contactpersonen(lijst.swv)
        if not ontvangers:
            _mislukt(lijst, "Geen contactpersoon bij dit SWV; de lijst staat wel klaar.")
            return False
        context = {
            "swv": lijst.swv,
            "maand_tekst": lijst.maand_tekst,
            "link": settings.SITE_URL + reverse("rapportage:detail", args=[lijst.pk]),
        }
        onderwerp = render_to_string("rapportage/mail/maandlijst_klaar_onderwerp.txt", context)
        # One message to the SWV's own contact persons; no pupil data, only the link.
        EmailMessage(
            subject=" ".join(onderwerp.split()),
            body=render_to_string("rapportage/mail/maandlijst_klaar.txt", context),
            to=ontvangers,
        ).send(fail_silently=False)
        MaandlijstLog.objects.create(
            maandlijst=lijst, soort=LogSoort.GEMAILD, ontvangers=", ".join(ontvangers)
        )
        lijst.status = MaandlijstStatus.GEMAILD
        lijst.save(update_fields=["status"])
        _klaar_melden(lijst)
    return True


def _klaar_melden(lijst: Maandlijst) -> None:
    """Next to the mail: a melding for the SWV's contact persons and the coalition's penvoerders
    (once per list: the sleutel)."""
    from coalitie.meldingen import melden

    users = Lidmaatschap.objects.filter(user__is_active=True).filter(
        Q(rol=Rol.SWV_CONTACTPERSOON, swv=lijst.swv)
        | Q(rol=Rol.PENVOERDER, coalitie_id=lijst.swv.coalitie_id)
    )
    melden(
        set(users.values_list("user_id", flat=True)),
        "maandlijst_klaar",
        f"De maandlijst {lijst.maand_tekst} van {lijst.swv.code} {lijst.swv.naam} staat klaar.",
        reverse("rapportage:detail", args=[lijst.pk]),
        f"maandlijst:{lijst.pk}",
    )


def _mislukt(lijst: Maandlijst, reden: str) -> None:
    MaandlijstLog.objects.create(maandlijst=lijst, soort=LogSoort.MISLUKT, reden=reden[:1000])
    lijst.status = MaandlijstStatus.MISLUKT
    lijst.save(update_fields=["status"])
    logger.warning("maandlijst %s: mailen mislukt", lijst.pk)


def maandlijst_mailen_mislukt(*, maandlijst_id: int, reden: str) -> None:
    """The mail task gave up after its retries: record why, for the beheerder's page, and tell
    the coalition's beheerders in the app (once per failure)."""
    from coalitie.meldingen import melden

    with transaction.atomic():
        lijst = Maandlijst.objects.select_for_update().select_related("swv").get(pk=maandlijst_id)
        if lijst.status == MaandlijstStatus.GEMAILD:
            return
        _mislukt(lijst, reden)
        keer = lijst.logs.filter(soort=LogSoort.MISLUKT).count()
        beheerders = Lidmaatschap.objects.filter(
            rol=Rol.BEHEERDER, coalitie_id=lijst.swv.coalitie_id, user__is_active=True
        ).values_list("user_id", flat=True)
        melden(
            list(beheerders),
            "maandlijst_mail_mislukt",
            f"De mail dat de maandlijst {lijst.maand_tekst} van {lijst.swv.code} klaarstaat, kon "
            "na 24 uur opnieuw proberen niet worden verstuurd. De lijst staat wel klaar; "
            "controleer de mailinstellingen en verstuur de mail opnieuw vanaf de maandlijsten.",
            url=f"{reverse('rapportage:index')}?maand={lijst.maand:%Y-%m}",
            sleutel=f"maandlijst-mail-mislukt-{lijst.pk}-{keer}",
        )


def maandlijst_opnieuw_mailen(*, maandlijst_id: int, door) -> bool:
    """The beheerder's resend of a failed mail: opens the way for one more mail task.

    Returns False (and changes nothing) unless the mail failed for good: a mailed list is never
    mailed twice, and one still being retried needs no second chain.
    """
    with transaction.atomic():
        lijst = Maandlijst.objects.select_for_update().get(pk=maandlijst_id)
        if lijst.status != MaandlijstStatus.MISLUKT or not lijst.pdf:
            return False
        lijst.status = MaandlijstStatus.GEMAAKT
        lijst.save(update_fields=["status"])
        MaandlijstLog.objects.create(
            maandlijst=lijst, soort=LogSoort.OPNIEUW_MAILEN, door=door, reden="opnieuw mailen"
        )
    return True


def maandlijst_download_loggen(
    *, maandlijsten: list[Maandlijst], door, wat: str, request=None
) -> None:
    """The delivery log per list, and an entry in the access log of every pupil on it (so a
    beheerder answering a privacy request sees who downloaded a list with that pupil)."""
    from .selectors import maandlijst_plaatsingen

    MaandlijstLog.objects.bulk_create(
        MaandlijstLog(maandlijst=m, soort=LogSoort.GEDOWNLOAD, door=door, reden=wat)
        for m in maandlijsten
    )
    leerling_ids: set[int] = set()
    for m in maandlijsten:
        leerling_ids.update(
            maandlijst_plaatsingen(swv=m.swv, maand=m.maand)
            .order_by()
            .values_list("leerling_id", flat=True)
        )
    namen = ", ".join(f"{m.swv.code} {m.maand:%Y-%m}" for m in maandlijsten[:3])
    log_toegang_voor_leerlingen(
        request,
        actie="gedownload",
        leerling_ids=sorted(leerling_ids),
        user=door,
        omschrijving=f"maandlijst {wat}: {namen}{' …' if len(maandlijsten) > 3 else ''}",
    )
