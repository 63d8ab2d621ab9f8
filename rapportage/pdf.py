"""The one way the app makes PDFs: a Django template rendered by WeasyPrint."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string

# WeasyPrint logs every layout step at INFO; a monthly run would drown the worker log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# One FontConfiguration per thread, reused by every PDF: building it (fontconfig, font
# matching) was about half the time of a short PDF such as an empty monthly list. Per thread
# because Pango's font map is not made for sharing between threads.
_lokaal = threading.local()
HERGEBRUIK_FONTS = True  # the benchmark switches it off for its baseline
# Worker processes for render_many_to_pdf; 0: one per core (the benchmark sets 1 for a baseline).
PDF_PROCESSEN = 0


def _font_config():
    if not HERGEBRUIK_FONTS:
        return None
    fc = getattr(_lokaal, "font_config", None)
    if fc is None:
        from weasyprint.text.fonts import FontConfiguration

        fc = _lokaal.font_config = FontConfiguration()
    return fc


def _geen_externe_bronnen(url: str, timeout: int = 10, ssl_context=None):
    # A PDF of personal data must not make the server fetch anything (SSRF, leaks): the
    # templates carry their CSS inline, so every URL is refused.
    raise ValueError(f"Externe bron geweigerd in PDF: {url[:80]}")


def render_to_pdf(template_name: str, context: dict, *, small_ua: bool = False) -> bytes:
    """small_ua: lay out with the small user-agent stylesheet (`pdf_ua_lijst.css`) in place of
    WeasyPrint's HTML5 one; for templates that use only the elements it has rules for."""
    return _html_to_pdf(render_to_string(template_name, context), small_ua)


@contextmanager
def zonder_gc():
    """Python's cyclic garbage collector paused for one monitor PDF (the monitor's own, beyond
    `_minder_gc`). WeasyPrint allocates ~300,000 objects for the monitor; the collector's
    full passes over everything Django and WeasyPrint hold were ~25% of its CPU time (README
    Prestaties). The cycles it leaves are collected as usual once it runs again."""
    aan = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if aan:
            gc.enable()


def _document(html: str, small_ua: bool = False):
    from weasyprint import HTML  # heavy import: only where a PDF is made

    cls = _small_ua_html() if small_ua else HTML
    return cls(string=html, url_fetcher=_geen_externe_bronnen)


@cache
def _small_ua_html():
    """An HTML class whose user-agent stylesheet is `pdf_ua_lijst.css`, parsed once per process.

    `_ua_stylesheets` is how WeasyPrint's own HTML class names its stylesheet (not a public
    option; tests/test_maandlijst_ua.py fails when an upgrade changes it)."""
    from weasyprint import CSS, HTML

    sheet = CSS(filename=str(Path(__file__).with_name("pdf_ua_lijst.css")))

    class SmallUaHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [sheet]

    return SmallUaHTML


@contextmanager
def _minder_gc():
    """WeasyPrint makes millions of small objects that mostly live until the document is written;
    the cyclic garbage collector's default rhythm (a pass every 700 new objects) kept walking
    them, ~10% of a long list. Rarer passes during a layout; the collector still runs."""
    oud = gc.get_threshold()
    gc.set_threshold(50_000, *oud[1:])
    try:
        yield
    finally:
        gc.set_threshold(*oud)


def _html_to_pdf(html: str, small_ua: bool = False) -> bytes:
    with _minder_gc():
        return _document(html, small_ua).write_pdf(font_config=_font_config())


def _nieuw_proces() -> None:
    # A forked child gets its own font set-up rather than a copy of the parent's.
    global _lokaal
    _lokaal = threading.local()
    # What the child inherited (Django, the rows, the HTML) stays until it exits: keep the
    # garbage collector from walking it again and again.
    gc.freeze()


def render_many_to_pdf(
    template_name: str, contexts: list[dict], intussen=None, *, small_ua: bool = False
) -> list[bytes]:
    """Several PDFs of one template, laid out in parallel worker processes when that can help.

    WeasyPrint's layout is pure Python and CPU-bound (~10 ms per row of a monthly list), so
    one process uses one core; the monthly run of all SWVs spreads its lists over the cores.
    The templates are rendered here (they may touch the database); the workers get only HTML
    and give back bytes. Inside a daemonic process (a Celery prefork worker, which may not
    start children), outside the main thread or with one core, they are made one after the other. Largest first, so
    the longest list does not start last. `intussen()`, if given, runs here while the workers
    lay out (the monthly run makes its empty lists meanwhile). small_ua: see `render_to_pdf`.
    """
    htmls = [render_to_string(template_name, c) for c in contexts]
    processen = min(PDF_PROCESSEN or os.cpu_count() or 1, len(htmls))
    if (
        processen < 2
        or multiprocessing.current_process().daemon
        # Forking a process with other threads running (a threaded worker) can copy held locks.
        or threading.current_thread() is not threading.main_thread()
    ):
        pdfs = [_html_to_pdf(h, small_ua) for h in htmls]
        if intussen:
            intussen()
        return pdfs
    volgorde = sorted(range(len(htmls)), key=lambda i: -len(htmls[i]))
    pdfs: list[bytes] = [b""] * len(htmls)
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processen, mp_context=fork, initializer=_nieuw_proces) as pool:
        futures = {i: pool.submit(_html_to_pdf, htmls[i], small_ua) for i in volgorde}
        if intussen:
            intussen()
        for i, future in futures.items():
            pdfs[i] = future.result()
    return pdfs


def render_pages_to_pdfs(
    template_name: str, context: dict, titels: list[str], *, small_ua: bool = False
) -> list[bytes]:
    """One document laid out once, written as one PDF per page (titel = its metadata title).

    For many one-page documents with the same styles, such as the empty monthly lists: the
    fixed cost of a WeasyPrint run (parsing the styles, setting up the layout) is paid once
    instead of per PDF. The template must put exactly one item per page, in `titels`' order.
    """
    html = render_to_string(template_name, context)
    with _minder_gc():
        doc = _document(html, small_ua).render(font_config=_font_config())
        if len(doc.pages) != len(titels):
            raise ValueError(f"{len(doc.pages)} pagina's voor {len(titels)} documenten")
        pdfs = []
        for page, titel in zip(doc.pages, titels, strict=True):
            deel = doc.copy([page])
            deel.metadata.title = titel
            pdfs.append(deel.write_pdf())
    return pdfs
