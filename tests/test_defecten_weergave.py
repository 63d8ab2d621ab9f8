"""Defects a newcomer saw on the rendered pages (issue 19)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Template syntax that should never reach the browser: tags, variables and comments.
SYNTAX = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")


def _template_bestanden():
    for map_ in settings.TEMPLATES[0]["DIRS"]:
        yield from Path(map_).rglob("*.html")


def test_no_template_has_a_single_line_comment_spanning_lines():
    fout = []
    for pad in _template_bestanden():
        for nr, regel in enumerate(pad.read_text(encoding="utf-8").splitlines(), 1):
            if regel.count("{#") != regel.count("#}"):
                fout.append(f"{pad.name}:{nr}")
    assert fout == [], "Django {# #} is één regel; gebruik {% comment %}: " + ", ".join(fout)


@pytest.mark.parametrize(
    "persona", ["contact_swv_a", "procesregisseur", "medewerker_schakenbosch", "beheerder"]
)
def test_no_rendered_page_contains_template_syntax(client, request, persona, plaatsing_a):
    client.force_login(request.getfixturevalue(persona))
    urls = [
        reverse("home"),
        reverse("plaatsingen:detail", args=[plaatsing_a.pk]),
        reverse("plaatsingen:nieuw"),
        reverse("routetool:overzicht"),
        reverse("rapportage:index"),
        reverse("rapport:dashboard"),
        reverse("rapport:monitor_index"),
    ]
    for url in urls:
        r = client.get(url)
        if r.status_code != 200:
            continue
        html = r.content.decode()
        # Inline scripts may legitimately hold braces; look at the rest.
        html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
        gevonden = SYNTAX.search(html)
        assert gevonden is None, (
            f"{url}: {html[max(0, gevonden.start() - 80) : gevonden.end() + 80]}"
        )
