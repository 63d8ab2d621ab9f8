"""Figures → sections (title, explanation, chart, table) for the dashboard page and the PDF.

`onderdrukken=True` (the monitor, which leaves the coalition team) applies the small-numbers
rule of `onderdrukking.py` to every table and chart; the dashboard shows exact numbers.
"""

from __future__ import annotations

from routetool import route

from . import grafieken
from .onderdrukking import KLEIN, Cel, getal, groep, heeft_kleine
from .secties_verantwoording import (
    doelen_sectie,
    families,
    spiegel_sectie,
    verantwoording_secties,
)


def _exact(waarden, **_):
    cellen = [Cel(n, str(n)) for n in waarden]
    return cellen, Cel(sum(waarden), str(sum(waarden)))


def _grafiekwaarde(cel: Cel):
    # A hidden cell is not drawn: its text goes on the chart instead of a bar.
    return cel.tekst if cel.verborgen else cel.waarde


def _verdeling_sectie(
    sleutel, titel, uitleg, paren, kolom, x_label, *, onderdrukken, verbergen=False, kleur=0
):
    labels = [k for k, _ in paren]
    fn = groep if onderdrukken else _exact
    cellen, totaal = fn([n for _, n in paren], totaal_verbergen=verbergen)
    return {
        "id": sleutel,
        "titel": titel,
        "uitleg": uitleg,
        "grafiek": grafieken.balken(
            titel=titel,
            labels=labels,
            waarden=[_grafiekwaarde(c) for c in cellen],
            x_label=x_label,
            kleur=kleur,
        )
        if paren
        else "",
        "kolommen": [kolom, "aantal"],
        "rijen": [[label, str(c)] for label, c in zip(labels, cellen, strict=True)],
        "totaal": ["totaal", str(totaal)] if paren else None,
    }


def secties(c: dict, *, onderdrukken: bool, landelijk: bool = False) -> list[dict]:
    """`landelijk`: the national view, which gets no free text (reasons for afbreken)."""
    enkel = getal if onderdrukken else (lambda n: Cel(n, str(n)))
    uit = []

    peil = [(d.strftime("%d-%m-%Y"), enkel(n)) for d, n in c["peildata"]]
    uit.append(
        {
            "id": "actief",
            "titel": "Leerlingen op een instellingsschool per peildatum",
            "uitleg": "Plaatsingen die op de peildatum liepen: ingeschreven op of voor die dag "
            "en nog niet uitgeschreven. Een leerling met twee plaatsingen na elkaar telt op een "
            "peildatum één keer.",
            "grafiek": grafieken.kolommen(
                titel="Leerlingen op een instellingsschool",
                labels=[d[:5] for d, _ in peil],
                reeksen=[("actief", [_grafiekwaarde(n) for _, n in peil])],
                y_label="aantal plaatsingen",
                x_label="peildatum",
            ),
            "kolommen": ["peildatum", "aantal"],
            "rijen": [[d, str(n)] for d, n in peil],
            "totaal": None,
        }
    )

    stroom = c["stroom"]
    fn = groep if onderdrukken else _exact
    # Families of tables that count the same placements share one total (onderdrukking.py).
    waarden = lambda paren: [n for _, n in paren]  # noqa: E731
    extra = families(c)  # the startfoto tables that count the same placements
    familie_periode = onderdrukken and heeft_kleine(
        waarden(c["per_swv"]),
        waarden(c["per_school"]),
        waarden(c["per_verblijf"]),
        *extra["periode"],
    )
    familie_uitstroom = onderdrukken and heeft_kleine(
        [r["uitstroom"] for r in stroom],
        waarden(c["bestemmingen"]),
        waarden(c["redenen"]),
        *extra["uitstroom"],
    )
    familie_instroom = onderdrukken and heeft_kleine(
        [r["instroom"] for r in stroom], *extra["instroom"]
    )
    in_cellen, in_tot = fn([r["instroom"] for r in stroom], totaal_verbergen=familie_instroom)
    uit_cellen, uit_tot = fn([r["uitstroom"] for r in stroom], totaal_verbergen=familie_uitstroom)
    uit.append(
        {
            "id": "stroom",
            "titel": "Instroom en uitstroom per maand",
            "uitleg": "Instroom: plaatsingen met een datum van inschrijving in de maand. "
            "Uitstroom: plaatsingen met een datum van uitschrijving in de maand. Een leerling "
            "die twee keer werd geplaatst, telt twee keer mee.",
            "grafiek": grafieken.kolommen(
                titel="Instroom en uitstroom per maand",
                labels=[r["kort"] for r in stroom],
                reeksen=[
                    ("instroom", [_grafiekwaarde(x) for x in in_cellen]),
                    ("uitstroom", [_grafiekwaarde(x) for x in uit_cellen]),
                ],
                y_label="aantal plaatsingen",
                x_label="maand",
            ),
            "kolommen": ["maand", "instroom", "uitstroom"],
            "rijen": [
                [r["label"], str(i), str(o)]
                for r, i, o in zip(stroom, in_cellen, uit_cellen, strict=True)
            ],
            "totaal": ["totaal", str(in_tot), str(uit_tot)],
        }
    )

    gemeen = {"onderdrukken": onderdrukken, "verbergen": familie_periode}
    uit.append(
        _verdeling_sectie(
            "swv",
            "Plaatsingen per samenwerkingsverband",
            "Alle plaatsingen die in de periode op enige dag liepen, naar het verantwoordelijke "
            "SWV van de leerling.",
            c["per_swv"],
            "SWV",
            "aantal plaatsingen",
            **gemeen,
        )
    )
    uit.append(
        _verdeling_sectie(
            "school",
            "Plaatsingen per instellingsschool",
            "Dezelfde plaatsingen, naar de instellingsschool.",
            c["per_school"],
            "instellingsschool",
            "aantal plaatsingen",
            kleur=2,
            **gemeen,
        )
    )
    uit.append(
        _verdeling_sectie(
            "verblijf",
            "Plaatsingen naar soort verblijf",
            "Dezelfde plaatsingen, naar soort verblijf (gesloten, open, kleinschalig).",
            c["per_verblijf"],
            "verblijf",
            "aantal plaatsingen",
            kleur=3,
            **gemeen,
        )
    )

    duur = c["duur"]
    te_weinig = duur.aantal == 0 or (onderdrukken and duur.aantal < 5)

    def _d(v):
        return "—" if v is None or te_weinig else f"{v:.0f} dagen ({v / 7:.1f} weken)"

    uit.append(
        {
            "id": "duur",
            "titel": "Verblijfsduur",
            "uitleg": "Duur van inschrijving tot uitschrijving van de plaatsingen die in de "
            "periode eindigden: de mediaan en de spreiding (25e en 75e percentiel: de helft "
            "van de verblijven duurde tussen die twee waarden)."
            + (" Bij minder dan 5 verblijven wordt de duur niet getoond." if onderdrukken else ""),
            "grafiek": ""
            if te_weinig
            else grafieken.balken(
                titel="Verblijfsduur in dagen",
                labels=["25e percentiel", "mediaan", "75e percentiel"],
                waarden=[round(duur.p25), round(duur.mediaan), round(duur.p75)],
                x_label="dagen",
                kleur=4,
                rij=lambda _, label: label + 1,  # the table's first row is the count
            ),
            "kolommen": ["", "waarde"],
            "rijen": [
                [
                    "aantal beëindigde verblijven",
                    # the same placements as the outflow per month: its total, as printed
                    str(uit_tot) if onderdrukken else str(duur.aantal),
                ],
                ["25e percentiel", _d(duur.p25)],
                ["mediaan", _d(duur.mediaan)],
                ["75e percentiel", _d(duur.p75)],
            ],
            "totaal": None,
        }
    )

    uit.append(
        _verdeling_sectie(
            "bestemmingen",
            "Vervolgplek na uitstroom",
            "Waar de leerlingen heen gingen die in de periode werden uitgeschreven "
            "(soort vervolgplek). 'Nog niet bekend' is een thuiszitrisico.",
            c["bestemmingen"],
            "vervolgplek",
            "aantal leerlingen",
            kleur=1,
            onderdrukken=onderdrukken,
            verbergen=familie_uitstroom,
        )
    )
    uit.append(
        _verdeling_sectie(
            "redenen",
            "Reden van uitschrijving",
            "Dezelfde uitgeschreven plaatsingen, naar de reden van uitschrijving uit de export.",
            c["redenen"],
            "reden",
            "aantal leerlingen",
            kleur=5,
            onderdrukken=onderdrukken,
            verbergen=familie_uitstroom,
        )
    )

    acties = c["acties"]
    rijen, procenten = [], []
    for a in acties:
        klein = onderdrukken and 0 < a["totaal"] < 5
        pct = "—" if a["procent"] is None else (KLEIN if klein else f"{a['procent']}%")
        procenten.append(pct if pct in ("—", KLEIN) else a["procent"])
        rijen.append([a["fase"], str(enkel(a["totaal"])), str(enkel(a["op_tijd"])), pct])
    uit.append(
        {
            "id": "acties",
            "titel": "Acties op tijd per fase",
            "uitleg": "Acties uit de routekaart met een termijn in de periode (tot vandaag): "
            "hoeveel daarvan uiterlijk op de termijn zijn afgerond. Overgeslagen acties tellen "
            "niet mee.",
            "grafiek": grafieken.balken(
                titel="Acties op tijd afgerond (%)",
                labels=[a["fase"] for a in acties],
                waarden=procenten,
                x_label="percentage op tijd",
                kleur=2,
                schaal=100,
            ),
            "kolommen": ["fase", "acties met termijn", "op tijd", "op tijd (%)"],
            "rijen": rijen,
            "totaal": None,
        }
    )

    signalen = [(label, enkel(n)) for label, n in c["signalen"]]
    uit.append(
        {
            "id": "signalen",
            "titel": "Open signalen (nu)",
            "uitleg": "Open plaatsingen met een signaal op dit moment. Een plaatsing kan meer "
            "dan één signaal hebben. " + route.signalen_uitleg(),
            "grafiek": grafieken.balken(
                titel="Open signalen",
                labels=[label for label, _ in signalen],
                waarden=[_grafiekwaarde(n) for _, n in signalen],
                x_label="aantal plaatsingen",
                kleur=5,
            ),
            "kolommen": ["signaal", "aantal plaatsingen"],
            "rijen": [[label, str(n)] for label, n in signalen],
            "totaal": None,
        }
    )
    if "v" in c:
        familie = {
            "periode": familie_periode,
            "uitstroom": familie_uitstroom,
            "instroom": familie_instroom,
        }
        uit += verantwoording_secties(
            c, onderdrukken=onderdrukken, familie=familie, landelijk=landelijk
        )
    if "doelen" in c:
        uit.append(doelen_sectie(c["doelen"], onderdrukken=onderdrukken))
    if "spiegel" in c:
        uit.append(
            spiegel_sectie(
                c["spiegel"],
                c["spiegel_swvs"],
                onderdrukken=onderdrukken,
                titel="Spiegel: de samenwerkingsverbanden naast elkaar",
                uitleg="Voor de spiegelreflectiesessies: de kerncijfers van de periode per SWV "
                "van de leerling. Unieke leerlingen tellen per SWV; een totaal daarvan staat er "
                "niet, omdat een leerling bij twee SWV's kan horen.",
                kolom="SWV",
                sleutel="spiegel",
            )
        )
    for sectie in uit:
        pdf_rijen(sectie)
    return uit


def pdf_rijen(sectie: dict) -> None:
    """The table rows with their bars, for the PDF (`_sectie_pdf.html`): the chart drawn in
    the table instead of beside it. Charts whose bars are not the table's rows (the goals)
    and wide tables (the spiegel, no room for a bar column) keep their SVG in the PDF."""
    grafiek = sectie["grafiek"]
    svg = bool(grafiek) and (sectie.get("pdf_svg") or len(sectie["kolommen"]) > 5)
    staven = grafiek.staven(len(sectie["rijen"])) if grafiek and not svg else None
    sectie["pdf_svg"] = svg
    sectie["pdf_staven"] = staven is not None
    sectie["pdf_rijen"] = list(
        zip(sectie["rijen"], staven or [None] * len(sectie["rijen"]), strict=True)
    )
