"""The one way the app makes PDFs: a Django template rendered by WeasyPrint."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

# WeasyPrint logs every layout step at INFO; a monthly run would drown the worker log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _geen_externe_bronnen(url: str, timeout: int = 10, ssl_context=None):
    # A PDF of personal data must not make the server fetch anything (SSRF, leaks): the
    # templates carry their CSS inline, so every URL is refused.
    raise ValueError(f"Externe bron geweigerd in PDF: {url[:80]}")


def render_to_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=_geen_externe_bronnen).write_pdf()
