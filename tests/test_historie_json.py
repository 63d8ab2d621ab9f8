"""The per-pupil log's changes are serialised by hand for the bulk paths (`coalitie.historie`):
the stored text must be exactly what `json.dumps` made of the same {field: [old, new]}, for
every kind of value a field can hold."""

import datetime as dt
import json

from coalitie import historie
from plaatsingen.models import Fase

WAARDEN = [
    None,
    "",
    "Jansen",
    "Çelik-Öztürk",
    'een "aanhaling" en \\ backslash',
    "regel\nnieuw\ttab",
    "emoji 🙂 en \u2028",
    dt.date(2025, 2, 3),
    dt.datetime(2025, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
    12,
    0,
    True,
    False,
    Fase.INSTROOM,
]


def _zoals_json(paren) -> str:
    return json.dumps(
        {veld: [historie._tekst(o), historie._tekst(n)] for veld, (o, n) in paren.items()},
        separators=(",", ":"),
    )


def test_changes_are_serialised_exactly_as_json_dumps_does():
    paren = {f"veld_{i}_{j}": (o, n) for i, o in enumerate(WAARDEN) for j, n in enumerate(WAARDEN)}
    assert historie._json_wijzigingen(paren) == _zoals_json(paren)
    assert historie._json_wijzigingen({}) == json.dumps({})


def test_created_objects_are_serialised_exactly_as_json_dumps_does():
    velden = {f"veld_{i}": w for i, w in enumerate(WAARDEN)}
    verwacht = _zoals_json({veld: (None, w) for veld, w in velden.items()})
    assert historie._json_aangemaakt(velden) == verwacht


def test_created_objects_without_empty_fields_are_those_fields_filtered_out():
    velden = {"pk": 7, **{f"veld_{i}": w for i, w in enumerate(WAARDEN)}}
    gevuld = {k: w for k, w in velden.items() if k != "pk" and w not in (None, "")}
    assert historie._json_aangemaakt_zonder_leeg(velden) == historie._json_aangemaakt(gevuld)
    assert historie._json_aangemaakt_zonder_leeg({"pk": 1, "a": None, "b": ""}) == ""
