"""Server-side SVG charts: the same markup goes into the dashboard page and the monitor PDF.

The geometry is computed here and `_svg` writes it out with `format_html`, which escapes
every value (it was a template; this is several times cheaper per chart). Plain SVG with presentation attributes (fill=,
font-size=): no <script>, no style attributes, so it passes the strict CSP inline and
WeasyPrint draws it. Colours are the Okabe-Ito palette (distinguishable with every common
colour-vision deficiency); text is near-black on white. Each chart has role="img", a <title>
and a <desc>, and the page shows the numbers as a table beside it.
"""

from __future__ import annotations

import itertools
import math

from django.utils.html import format_html, format_html_join

KLEUREN = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
TEKST = "#1a1a1a"
LIJN = "#767676"
RASTER = "#d9d9d9"
_teller = itertools.count(1)


def _schaal_max(hoogste: float) -> tuple[float, float]:
    """A round axis maximum and tick step (1, 2 or 5 times a power of ten)."""
    if hoogste <= 0:
        return 5, 1
    ruw = hoogste / 5
    macht = 10 ** math.floor(math.log10(ruw))
    stap = max(next(m * macht for m in (1, 2, 5, 10) if m * macht >= ruw), 1)
    return stap * math.ceil(hoogste / stap), stap


def _getal(v) -> str:
    if isinstance(v, float):
        return str(int(v)) if v == int(v) else f"{v:g}"
    return str(v)


def _r(x) -> str:
    return f"{x:.1f}"


def _rect(x, y, w, h, fill):
    return {
        "soort": "rect",
        "x": _r(x),
        "y": _r(y),
        "w": _r(max(w, 0)),
        "h": _r(max(h, 0)),
        "fill": fill,
    }


def _lijn(x1, y1, x2, y2, stroke=LIJN):
    return {
        "soort": "line",
        "x1": _r(x1),
        "y1": _r(y1),
        "x2": _r(x2),
        "y2": _r(y2),
        "stroke": stroke,
    }


def _tekst(x, y, tekst, *, size=11, anchor="", bold=False, transform=""):
    return {
        "soort": "text",
        "x": _r(x),
        "y": _r(y),
        "tekst": tekst,
        "size": size,
        "anchor": anchor,
        "bold": bold,
        "transform": transform,
        "fill": TEKST,
    }


_RECT = '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
_LINE = '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
_TEXT = (
    '<text x="{}" y="{}"{} font-family="DejaVu Sans, Arial, sans-serif" font-size="{}"{} '
    'fill="{}"{}>{}</text>'
)


def _element(e: dict) -> str:
    if e["soort"] == "rect":
        return format_html(_RECT, e["x"], e["y"], e["w"], e["h"], e["fill"])
    if e["soort"] == "line":
        return format_html(_LINE, e["x1"], e["y1"], e["x2"], e["y2"], e["stroke"])
    leeg = ""
    return format_html(
        _TEXT,
        e["x"],
        e["y"],
        format_html(' transform="{}"', e["transform"]) if e["transform"] else leeg,
        e["size"],
        format_html(' font-weight="{}"', "bold") if e["bold"] else leeg,
        e["fill"],
        format_html(' text-anchor="{}"', e["anchor"]) if e["anchor"] else leeg,
        e["tekst"],
    )


def _svg(breedte, hoogte, titel, omschrijving, elementen) -> str:
    # Written out with format_html, not with a template: the dashboard draws ~10 charts per
    # request and the template loop over ~300 elements cost ~3-7 ms per chart. format_html
    # escapes every value, as the template did.
    uid = f"grafiek-{next(_teller)}"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-labelledby="{}-t {}-d"><title id="{}-t">{}'
        '</title><desc id="{}-d">{}</desc><rect width="{}" height="{}" fill="#ffffff"/>{}</svg>',
        breedte,
        hoogte,
        breedte,
        hoogte,
        uid,
        uid,
        uid,
        titel,
        uid,
        omschrijving,
        breedte,
        hoogte,
        format_html_join(
            "",
            "{}",
            ((_element(e),) for e in [_tekst(8, 20, titel, size=15, bold=True), *elementen]),
        ),
    )


def _kolommen_svg(
    *,
    titel: str,
    labels: list[str],
    reeksen: list[tuple[str, list]],
    y_label: str,
    x_label: str = "",
    breedte: int = 640,
    hoogte: int = 300,
) -> str:
    """Vertical (grouped) columns, e.g. in- and outflow per month. A value may be a string
    (a suppressed `<5`): its column is not drawn and the text is printed on the axis instead."""
    links, rechts, boven, onder = 70, 12, 58 if len(reeksen) > 1 else 40, 56
    plot_b, plot_h = breedte - links - rechts, hoogte - boven - onder
    getallen = [v for _, vs in reeksen for v in vs if isinstance(v, int | float)]
    maximum, stap = _schaal_max(max(getallen, default=0))
    omschrijving = "; ".join(
        f"{naam}: " + ", ".join(f"{lab} {_getal(v)}" for lab, v in zip(labels, vs, strict=False))
        for naam, vs in reeksen
    )
    el = []
    if len(reeksen) > 1:
        x = links
        for i, (naam, _) in enumerate(reeksen):
            el += [
                _rect(x, 32, 12, 12, KLEUREN[i % len(KLEUREN)]),
                _tekst(x + 16, 42, naam, size=12),
            ]
            x += 30 + 7 * len(naam)
    t = 0.0
    while t <= maximum + 1e-9:
        y = boven + plot_h - plot_h * t / maximum
        el += [
            _lijn(links, y, links + plot_b, y, RASTER),
            _tekst(links - 6, y + 4, _getal(float(t)), anchor="end"),
        ]
        t += stap
    midden = boven + plot_h / 2
    el.append(
        _tekst(
            0,
            0,
            y_label,
            size=12,
            anchor="middle",
            transform=f"translate(16 {midden:.0f}) rotate(-90)",
        )
    )
    groep_b = plot_b / max(len(labels), 1)
    kolom_b = groep_b * 0.8 / max(len(reeksen), 1)
    for i, label in enumerate(labels):
        gx = links + i * groep_b + groep_b * 0.1
        for j, (_, waarden) in enumerate(reeksen):
            v = waarden[i] if i < len(waarden) else 0
            x = gx + j * kolom_b
            if isinstance(v, int | float):
                h = plot_h * v / maximum
                el.append(_rect(x, boven + plot_h - h, kolom_b - 1, h, KLEUREN[j % len(KLEUREN)]))
            else:
                el.append(_tekst(x + kolom_b / 2, boven + plot_h - 4, v, size=9, anchor="middle"))
        el.append(_tekst(gx + groep_b * 0.4, boven + plot_h + 16, label, anchor="middle"))
    el.append(_lijn(links, boven + plot_h, links + plot_b, boven + plot_h))
    if x_label:
        el.append(_tekst(links + plot_b / 2, hoogte - 10, x_label, size=12, anchor="middle"))
    return _svg(breedte, hoogte, titel, omschrijving, el)


def _balken_svg(
    *,
    titel: str,
    labels: list[str],
    waarden: list,
    x_label: str,
    kleur: int = 0,
    breedte: int = 640,
    max_rijen: int = 16,
) -> str:
    """Horizontal bars, one per category (SWV, school, destination). Long lists are cut at
    `max_rijen` (the table beside the chart has all rows)."""
    labels, waarden = labels[:max_rijen], waarden[:max_rijen]
    links, rechts, boven, rij_h = 230, 48, 36, 22
    hoogte = boven + rij_h * max(len(labels), 1) + 44
    plot_b = breedte - links - rechts
    getallen = [v for v in waarden if isinstance(v, int | float)]
    maximum, stap = _schaal_max(max(getallen, default=0))
    omschrijving = ", ".join(f"{lab}: {_getal(v)}" for lab, v in zip(labels, waarden, strict=True))
    el = []
    for i, (label, v) in enumerate(zip(labels, waarden, strict=True)):
        y = boven + i * rij_h
        kort = label if len(label) <= 34 else label[:33] + "…"
        el.append(_tekst(links - 6, y + 15, kort, anchor="end"))
        tekst_x = links + 4
        if isinstance(v, int | float):
            w = plot_b * v / maximum
            el.append(_rect(links, y + 3, w, rij_h - 6, KLEUREN[kleur % len(KLEUREN)]))
            tekst_x = links + w + 4
        el.append(_tekst(tekst_x, y + 15, _getal(v)))
    onder = boven + rij_h * max(len(labels), 1)
    el.append(_lijn(links, boven, links, onder))
    t = 0.0
    while t <= maximum + 1e-9:
        el.append(
            _tekst(
                links + plot_b * t / maximum, onder + 14, _getal(float(t)), size=10, anchor="middle"
            )
        )
        t += stap
    el.append(_tekst(links + plot_b / 2, onder + 34, x_label, size=12, anchor="middle"))
    return _svg(breedte, hoogte, titel, omschrijving, el)


class Grafiek:
    """A chart, drawn on demand in one of two ways.

    On a page (the dashboard, the national view) it prints as the SVG above: `{{ grafiek }}`
    calls `__html__`, which draws it once. In a PDF it becomes bars in the table's own rows
    (`staven`): the labels and numbers are already in the table beside it, and WeasyPrint
    lays out a block without text for a fraction of an SVG <text> (README Prestaties).
    `rij(reeks, label)` says in which table row a value goes: by default the label's.
    """

    def __init__(self, teken, labels, reeksen, kleuren, *, rij=None, schaal=None):
        self._teken, self._svg = teken, None
        self.labels, self.reeksen, self.kleuren = labels, reeksen, kleuren
        self.legenda = (
            [
                (naam, KLEUREN[k % len(KLEUREN)])
                for (naam, _), k in zip(reeksen, kleuren, strict=True)
            ]
            if len(reeksen) > 1
            else []
        )
        self._rij = rij or (lambda reeks, label: label)
        self._schaal = schaal

    def __html__(self) -> str:
        if self._svg is None:
            self._svg = self._teken()
        return self._svg

    __str__ = __html__

    def __bool__(self) -> bool:
        return True

    def staven(self, aantal_rijen: int) -> list[list[dict]]:
        """Per table row its bars: {"breedte": percent of the cell, "kleur": index}. A hidden
        value (`<5`) or 0 gets no bar; its row shows the text."""
        getallen = [v for _, vs in self.reeksen for v in vs if isinstance(v, int | float)]
        hoogste = self._schaal or max(getallen, default=0)
        rijen: list[list[dict]] = [[] for _ in range(aantal_rijen)]
        for j, (_, waarden) in enumerate(self.reeksen):
            for k, v in enumerate(waarden):
                i = self._rij(j, k)
                if 0 <= i < aantal_rijen and isinstance(v, int | float) and v > 0 and hoogste:
                    breedte = f"{min(100 * v / hoogste, 100):.1f}"
                    rijen[i].append({"breedte": breedte, "kleur": self.kleuren[j] % len(KLEUREN)})
        return rijen


def kolommen(*, labels, reeksen, rij=None, schaal=None, **opties) -> Grafiek:
    """Vertical (grouped) columns; see `_kolommen_svg`."""
    return Grafiek(
        lambda: _kolommen_svg(labels=labels, reeksen=reeksen, **opties),
        labels,
        reeksen,
        list(range(len(reeksen))),
        rij=rij,
        schaal=schaal,
    )


def balken(*, labels, waarden, kleur: int = 0, rij=None, schaal=None, **opties) -> Grafiek:
    """Horizontal bars; see `_balken_svg`. The PDF's bars have every row (the SVG is cut)."""
    return Grafiek(
        lambda: _balken_svg(labels=labels, waarden=waarden, kleur=kleur, **opties),
        labels,
        [("", waarden)],
        [kleur],
        rij=rij,
        schaal=schaal,
    )
