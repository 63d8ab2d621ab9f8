"""Woonplaats → gemeente, for the herkomst figures of the startfoto.

iHUB exports carry the pupil's woonplaats, not the gemeente. Most woonplaatsen are a gemeente of
the same name; this table lists the ones that are not (kernen of a merged gemeente) for the
region of the coalitions that use the tool. A woonplaats that is not listed counts as its own
gemeente — right for the large majority, and visible in the monitor's explanation.
"""

from __future__ import annotations

KERN_NAAR_GEMEENTE = {
    # Westland
    "naaldwijk": "Westland",
    "monster": "Westland",
    "'s-gravenzande": "Westland",
    "wateringen": "Westland",
    "de lier": "Westland",
    "poeldijk": "Westland",
    # Goeree-Overflakkee
    "middelharnis": "Goeree-Overflakkee",
    "sommelsdijk": "Goeree-Overflakkee",
    "dirksland": "Goeree-Overflakkee",
    "oude-tonge": "Goeree-Overflakkee",
    # Hoeksche Waard
    "oud-beijerland": "Hoeksche Waard",
    "puttershoek": "Hoeksche Waard",
    "numansdorp": "Hoeksche Waard",
    "strijen": "Hoeksche Waard",
    # Nissewaard, Voorne aan Zee
    "spijkenisse": "Nissewaard",
    "hekelingen": "Nissewaard",
    "hellevoetsluis": "Voorne aan Zee",
    "brielle": "Voorne aan Zee",
    "rockanje": "Voorne aan Zee",
    # Rotterdam, Den Haag, Zoetermeer
    "hoogvliet": "Rotterdam",
    "rozenburg": "Rotterdam",
    "pernis": "Rotterdam",
    "scheveningen": "Den Haag",
    "'s-gravenhage": "Den Haag",
    "loosduinen": "Den Haag",
    # Molenlanden, Alblasserwaard
    "giessenburg": "Molenlanden",
    "nieuw-lekkerland": "Molenlanden",
    "bleskensgraaf": "Molenlanden",
    # Oost (Berkelland, Oost Gelre, Lochem)
    "harreveld": "Oost Gelre",
    "lichtenvoorde": "Oost Gelre",
    "groenlo": "Oost Gelre",
    "eibergen": "Berkelland",
    "neede": "Berkelland",
    "borculo": "Berkelland",
}


def gemeente_van(woonplaats: str) -> str:
    naam = (woonplaats or "").strip()
    if not naam:
        return ""
    return KERN_NAAR_GEMEENTE.get(naam.casefold(), naam)
