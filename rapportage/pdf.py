"""The one way the app makes PDFs: a Django template rendered by WeasyPrint."""

from __future__ import annotations

import logging
import threading

from django.template.loader import render_to_string

# WeasyPrint logs every layout step at INFO; a monthly run would drown the worker log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# One FontConfiguration per thread, reused by every PDF: building it (fontconfig, font
# matching) was about half the time of a short PDF such as an empty monthly list. Per thread
# because Pango's font map is not made for sharing between threads.
_lokaal = threading.local()
HERGEBRUIK_FONTS = True  # the benchmark switches it off for its baseline


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


def render_to_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    html = render_to_string(template_name, context)
    fc = _font_config()
    return HTML(string=html, url_fetcher=_geen_externe_bronnen).write_pdf(font_config=fc)
