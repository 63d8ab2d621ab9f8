"""The startfoto / verantwoording sections (herkomst, profiel, leerlingen, vervolgplek, ambulant,
nazorg, afgebroken, stamschool, doelen, spiegel), built like those of `secties.py`.

Suppression (onderdrukking.py) works per *family*: tables that partition the same placements
share one total. The new tables over the placements that ran join the family of per SWV /
school / verblijf; the waiting-time bands join the outflow family; the stamschool table joins
the inflow family. `families(c)` gives the extra value lists, `secties.py` decides.
"""

from __future__ import annotations

from . import grafieken
from .onderdrukking import (
    KLEIN,
    Cel,
    bereik_tekst,
    getal,
    grenzen,
    groep,
    heeft_kleine,
    is_klein,
)
from .spiegel import KERNGETALLEN
from .verantwoording import redenen_samenvoegen

MAX_RIJEN = 15


def _top(paren, rest_label: str):
    """The largest MAX_RIJEN values and the rest together: a country-wide list of woonplaatsen
    would otherwise fill pages with `<5` cells."""
    if len(paren) <= MAX_RIJEN + 1:
        return paren
    rest = paren[MAX_RIJEN:]
    return [*paren[:MAX_RIJEN], (f"{rest_label} ({len(rest)})", sum(n for _, n in rest))]


def _w(paren):
    return [n for _, n in paren]


def families(c: dict) -> dict[str, list[list[int]]]:
    v = c.get("v")
    if not v:
        return {"periode": [], "uitstroom": [], "instroom": []}
    return {
        "periode": [
            _w(v["woonplaatsen"]),
            _w(v["gemeenten"]),
            _w(v["buiten_coalitie"]),
            _w(v["niveaus"]),
            _w(v["leeftijden"]),
        ],
        "uitstroom": [_w(v["wachttijden"])],
        "instroom": [_w(v["stamschool"])],
    }


def _exact(waarden, **_):
    return [Cel(n, str(n)) for n in waarden], Cel(sum(waarden), str(sum(waarden)))


def _grafiekwaarde(cel: Cel):
    return cel.tekst if cel.verborgen else cel.waarde


def _tabel(sleutel, titel, uitleg, paren, kolom, eenheid, *, onderdrukken, verbergen=None, kleur=0):
    labels = [k for k, _ in paren]
    cellen, totaal = (groep if onderdrukken else _exact)(
        _w(paren), totaal_verbergen=verbergen or None
    )
    return {
        "id": sleutel,
        "titel": titel,
        "uitleg": uitleg,
        "grafiek": grafieken.balken(
            titel=titel,
            labels=labels,
            waarden=[_grafiekwaarde(c) for c in cellen],
            x_label=eenheid,
            kleur=kleur,
        )
        if any(n for _, n in paren)
        else "",
        "kolommen": [kolom, "aantal"],
        "rijen": [[label, str(c)] for label, c in zip(labels, cellen, strict=True)],
        "totaal": ["totaal", str(totaal)] if paren else None,
    }


def _kort(label: str) -> str:
    """A short chart label for a nazorg outcome (the table keeps the full text)."""
    return label.split(",")[0].split(" (")[0].replace("geen antwoord vastgelegd", "geen antwoord")


def _pct(teller: int, noemer: int, onderdrukken: bool) -> str:
    if not noemer:
        return "—"
    if onderdrukken and noemer < 5:
        return KLEIN
    return f"{round(100 * teller / noemer)}%"


def verantwoording_secties(
    c: dict, *, onderdrukken: bool, familie: dict[str, bool], landelijk: bool = False
) -> list[dict]:
    v = c["v"]
    enkel = getal if onderdrukken else (lambda n: Cel(n, str(n)))
    per = familie["periode"]
    uit = [
        _tabel(
            "gemeenten",
            "Herkomst: gemeente van de leerling",
            "Plaatsingen die in de periode liepen, naar de gemeente waar de leerling woont "
            "(afgeleid van de woonplaats uit de export).",
            _top(v["gemeenten"], "overige gemeenten"),
            "gemeente",
            "aantal plaatsingen",
            onderdrukken=onderdrukken,
            verbergen=per,
        ),
        _tabel(
            "woonplaatsen",
            "Herkomst: woonplaats van de leerling",
            "Dezelfde plaatsingen, naar woonplaats.",
            _top(v["woonplaatsen"], "overige woonplaatsen"),
            "woonplaats",
            "aantal plaatsingen",
            onderdrukken=onderdrukken,
            verbergen=per,
            kleur=4,
        ),
        _tabel(
            "buiten",
            "Geplaatst buiten de eigen coalitie",
            "Dezelfde plaatsingen: op een instellingsschool van de eigen coalitie van het SWV "
            "van de leerling, of daarbuiten.",
            v["buiten_coalitie"],
            "school",
            "aantal plaatsingen",
            onderdrukken=onderdrukken,
            verbergen=per,
            kleur=1,
        ),
        _tabel(
            "niveau",
            "Niveau",
            "Dezelfde plaatsingen, naar onderwijsniveau uit de export.",
            v["niveaus"],
            "niveau",
            "aantal plaatsingen",
            onderdrukken=onderdrukken,
            verbergen=per,
            kleur=2,
        ),
        _tabel(
            "leeftijd",
            "Leeftijd bij plaatsing",
            "Dezelfde plaatsingen, naar leeftijd op de datum van inschrijving.",
            v["leeftijden"],
            "leeftijd",
            "aantal plaatsingen",
            onderdrukken=onderdrukken,
            verbergen=per,
            kleur=3,
        ),
    ]

    u = v["uniek"]
    dubbel = u["plaatsingen"] - u["leerlingen"]
    # The difference of two published counts is a count too: hide the second when it is 1-4.
    # Placements in the period are the per-SWV table's; with a hidden cell there, print the
    # range its cells imply (onderdrukking.py rule 2), and for the pupils that range minus 1-4.
    swv_waarden = _w(c["per_swv"])
    laag, hoog = (
        grenzen(swv_waarden)
        if onderdrukken and sum(swv_waarden) == u["plaatsingen"]
        else (u["plaatsingen"], u["plaatsingen"])
    )
    plaatsingen_tekst = bereik_tekst(laag, hoog) if onderdrukken else str(u["plaatsingen"])
    leerlingen = (
        Cel(u["leerlingen"], bereik_tekst(max(laag - 4, 1), hoog - 1))
        if onderdrukken and is_klein(dubbel)
        else enkel(u["leerlingen"])
    )
    herpl_pct = _pct(u["herplaatsingen"], u["instroom"], onderdrukken)
    uit.append(
        {
            "id": "uniek",
            "titel": "Leerlingen en plaatsingen, herplaatsingen",
            "uitleg": "Een leerling kan in een periode meer dan één plaatsing hebben. "
            "Herplaatsing: een plaatsing die begon binnen 12 maanden nadat een eerdere "
            "plaatsing van dezelfde leerling eindigde.",
            "grafiek": "",
            "kolommen": ["", "aantal"],
            "rijen": [
                [
                    "plaatsingen in de periode",
                    plaatsingen_tekst,
                ],
                ["unieke leerlingen", str(leerlingen)],
                ["plaatsingen begonnen in de periode", str(enkel(u["instroom"]))],
                ["waarvan herplaatsing binnen 12 maanden", str(enkel(u["herplaatsingen"]))],
                ["herplaatsingen (% van begonnen)", herpl_pct],
            ],
            "totaal": None,
        }
    )

    duur = v["wachttijd_duur"]
    te_weinig = duur.aantal == 0 or (onderdrukken and duur.aantal < 5)
    wacht = _tabel(
        "wachttijd",
        "Van uitschrijving tot start op de vervolgplek",
        "Plaatsingen die in de periode eindigden: dagen van de datum van uitschrijving tot de "
        "startdatum op de vervolgplek, en hoeveel er (nog) geen hadden."
        + (
            ""
            if te_weinig
            else f" Mediaan: {duur.mediaan:.0f} dagen (25e–75e percentiel "
            f"{duur.p25:.0f}–{duur.p75:.0f})."
        ),
        v["wachttijden"],
        "dagen",
        "aantal plaatsingen",
        onderdrukken=onderdrukken,
        verbergen=familie["uitstroom"],
        kleur=5,
    )
    uit.append(wacht)

    a = v["ambulant"]
    weinig = onderdrukken and a["plaatsingen"] < 5

    def _uren(n):
        return "—" if not a["plaatsingen"] or weinig else str(n)

    uit.append(
        {
            "id": "ambulant",
            "titel": "Ambulante begeleiding bij de overgang",
            "uitleg": "Plaatsingen die in de periode eindigden en waarbij ambulante "
            "begeleiding is toegewezen: uren gepland en (waar bekend) gebruikt."
            + (" Bij minder dan 5 plaatsingen staan de uren er niet." if onderdrukken else ""),
            "grafiek": ""
            if weinig or not a["plaatsingen"]
            else grafieken.balken(
                titel="Ambulante uren",
                labels=["gepland", "gebruikt"],
                waarden=[a["gepland"], a["gebruikt"]],
                x_label="uren",
                kleur=2,
                rij=lambda _, label: label + 1,  # the table's first row is the count
            ),
            "kolommen": ["", "waarde"],
            "rijen": [
                ["plaatsingen met ambulante begeleiding", str(enkel(a["plaatsingen"]))],
                ["uren gepland", _uren(a["gepland"])],
                ["uren gebruikt", _uren(a["gebruikt"])],
                [
                    "gebruikt (% van gepland)",
                    "—"
                    if weinig or not a["gepland"]
                    else f"{round(100 * a['gebruikt'] / a['gepland'])}%",
                ],
            ],
            "totaal": None,
        }
    )

    rijen, reeksen = [], []
    for moment, paren in v["nazorg"]:
        cellen, totaal = (groep if onderdrukken else _exact)(_w(paren))
        rijen += [
            [f"{moment}: {lab}", str(cel)] for (lab, _), cel in zip(paren, cellen, strict=True)
        ]
        rijen.append([f"{moment}: totaal", str(totaal)])
        reeksen.append((moment, [_grafiekwaarde(x) for x in cellen]))
    uit.append(
        {
            "id": "nazorg",
            "titel": "Nazorg: gaat de leerling naar de vervolgplek?",
            "uitleg": "Uitkomsten van de nazorg na 6 weken en na 3 maanden die in de periode "
            "zijn vastgelegd, en nazorg waarvan de termijn in de periode verstreek zonder "
            "antwoord.",
            "grafiek": grafieken.kolommen(
                titel="Nazorg-uitkomsten",
                labels=[_kort(lab) for lab, _ in v["nazorg"][0][1]],
                reeksen=reeksen,
                y_label="aantal",
                # per moment its outcomes and a total row in the table
                rij=lambda reeks, label: reeks * (len(v["nazorg"][0][1]) + 1) + label,
            )
            if any(n for _, paren in v["nazorg"] for _, n in paren)
            else "",
            "kolommen": ["moment en uitkomst", "aantal"],
            "rijen": rijen,
            "totaal": None,
        }
    )

    fasen, redenen = v["afgebroken_fasen"], v["afgebroken_redenen"]
    if onderdrukken:
        redenen = redenen_samenvoegen(redenen)
    fam_af = onderdrukken and heeft_kleine(_w(fasen), [] if landelijk else _w(redenen))
    uit.append(
        _tabel(
            "afgebroken",
            "Routes afgebroken",
            "Routes die in de periode zijn afgebroken (afgesloten vanuit instroom, verblijf of "
            "uitstroom in plaats van na de nazorg), naar de fase waarin dat gebeurde.",
            fasen,
            "fase",
            "aantal routes",
            onderdrukken=onderdrukken,
            verbergen=fam_af,
            kleur=5,
        )
    )
    if not landelijk:
        uit.append(
            _tabel(
                "afgebroken_redenen",
                "Routes afgebroken: reden",
                "Dezelfde routes, naar de opgegeven reden."
                + (
                    " Redenen die minder dan 5 keer zijn genoemd, staan samen onder 'overige "
                    "redenen' (een vrije tekst kan herleidbaar zijn)."
                    if onderdrukken
                    else ""
                ),
                redenen,
                "reden",
                "aantal routes",
                onderdrukken=onderdrukken,
                verbergen=fam_af,
                kleur=5,
            )
        )

    uit.append(
        _tabel(
            "stamschool",
            "Stamschool betrokken vanaf de instroom",
            "Plaatsingen die in de periode begonnen: is de stamschool in de instroomfase "
            "geïnformeerd en haar contactpersoon vastgelegd? Bij plaatsingen uit oudere exports "
            "(historie, zonder route) telt een stamschool in de export als betrokken.",
            v["stamschool"],
            "stamschool",
            "aantal plaatsingen",
            onderdrukken=onderdrukken,
            verbergen=familie["instroom"],
            kleur=0,
        )
    )
    return uit


def _meting_tekst(m, streef: int, onderdrukken: bool) -> str:
    if not m.noemer:
        return "—"
    if onderdrukken and m.noemer < 5:
        return f"{KLEIN} gevallen"
    oordeel = "gehaald" if m.procent >= streef else "niet gehaald"
    return f"{m.procent}% van {m.noemer}, {oordeel}"


def doelen_sectie(d: dict, *, onderdrukken: bool) -> dict:
    """One row per half year, one column per goal: the actual share, over how many cases,
    and whether the target was met. Under 5 cases the share is not shown (onderdrukking)."""
    perioden, doelen = d["perioden"], d["doelen"]
    rijen = [
        [
            label,
            *(
                _meting_tekst(doel["metingen"][i], doel["streefwaarde"], onderdrukken)
                for doel in doelen
            ),
        ]
        for i, label in enumerate(perioden)
    ]
    werkelijk = []
    for doel in doelen:
        m = doel["metingen"][-1] if doel["metingen"] else None
        zichtbaar = m is not None and m.noemer and not (onderdrukken and m.noemer < 5)
        werkelijk.append(m.procent if zichtbaar else "—")
    return {
        "id": "doelen",
        "titel": "Doelen van de coalitie: werkelijk tegen streefwaarde",
        "uitleg": (
            "De streefwaarden die de coalitie zelf heeft gesteld, met per halfjaar het "
            "werkelijke percentage, over hoeveel gevallen, en of het doel is gehaald. "
            + " ".join(f"{doel['soort'].capitalize()}: {doel['uitleg']}." for doel in doelen)
        )
        if doelen
        else "De coalitie heeft nog geen doelen ingesteld (Coalitiemonitor → Doelen instellen).",
        "grafiek": grafieken.kolommen(
            titel=f"Werkelijk en streefwaarde, {perioden[-1]} (%)",
            labels=[f"doel {i + 1}" for i in range(len(doelen))],
            reeksen=[
                ("werkelijk", werkelijk),
                ("streefwaarde", [x["streefwaarde"] for x in doelen]),
            ],
            y_label="percentage",
            x_label="doel (genummerd als de kolommen van de tabel)",
        )
        if doelen and perioden
        else "",
        "kolommen": [
            "halfjaar",
            *(f"{i + 1}. {x['soort']} (doel {x['streefwaarde']}%)" for i, x in enumerate(doelen)),
        ],
        "rijen": rijen if doelen else [],
        "totaal": None,
        "pdf_svg": True,  # one bar per goal, the table has one row per half year
    }


def _spiegel_grafiek(titel, groepen, kolommen, kolom) -> str:
    """In- and outflow side by side per group; with many groups (the national view's twelve
    coalities) one horizontal bar per group instead, so the names stay readable."""
    index = {k: i for i, (k, _) in enumerate(KERNGETALLEN)}
    if len(groepen) > 8 and max(len(g) for g in groepen) > 8:
        return grafieken.balken(
            titel="Plaatsingen per " + kolom,
            labels=groepen,
            waarden=[_grafiekwaarde(c) for c in kolommen[index["plaatsingen"]]],
            x_label="aantal plaatsingen",
        )
    # SWV codes without their sector prefix: "28-06" fits under a column, "VO 28-06" not.
    labels = [g.split(" ", 1)[-1] if len(groepen) > 8 else g for g in groepen]
    return grafieken.kolommen(
        titel="Instroom en uitstroom per " + kolom,
        labels=labels,
        reeksen=[
            (kop, [_grafiekwaarde(c) for c in kolommen[index[k]]])
            for k, kop in KERNGETALLEN
            if k in ("instroom", "uitstroom")
        ],
        y_label="aantal plaatsingen",
        x_label=kolom,
    )


def spiegel_sectie(
    per_groep: dict, groepen: list[str], *, onderdrukken: bool, titel, uitleg, kolom, sleutel
):
    """One row per group (SWV or coalition), one column per key figure; with suppression each
    column is a group of cells whose total is hidden when any cell is `<5`."""
    leeg = {k: 0 for k, _ in KERNGETALLEN}
    kolommen = []
    totalen = []
    for k, _ in KERNGETALLEN:
        waarden = [per_groep.get(g, leeg)[k] for g in groepen]
        cellen, totaal = (groep if onderdrukken else _exact)(waarden)
        kolommen.append(cellen)
        # Unique pupils do not add up over groups (a pupil can move between them).
        totalen.append("—" if k == "leerlingen" else str(totaal))
    rijen = [[g, *(str(kol[i]) for kol in kolommen)] for i, g in enumerate(groepen)]
    plaatsingen = kolommen[0]
    return {
        "id": sleutel,
        "titel": titel,
        "uitleg": uitleg,
        "grafiek": _spiegel_grafiek(titel, groepen, kolommen, kolom)
        if groepen and any(c.waarde for c in plaatsingen)
        else "",
        "kolommen": [kolom, *(kop for _, kop in KERNGETALLEN)],
        "rijen": rijen,
        "totaal": ["totaal", *totalen] if groepen else None,
    }
