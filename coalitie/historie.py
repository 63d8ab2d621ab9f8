"""One history per pupil: every change to a pupil or a placement is a django-auditlog
`LogEntry` on that `Leerling` or `Plaatsing` (field: old → new).

A person's change through a model save is logged by auditlog itself (its signals, its
middleware fills in the actor and IP). The paths that write without model saves — the import's
COPY and bulk updates, the route's bulk updates when an import starts or ends routes — call
`vastleggen` with what they changed, which writes the same entries in bulk (COPY on
PostgreSQL, through `config.bulk.bulk_insert`). Route steps that change no placement column (an
action done or skipped) are written here too, as a change of that placement. Reads are in
`Toegangslog` (`coalitie.audit`). The per-pupil log (/privacy/leerlingen/<id>/log/) reads those
two tables and nothing else, so whatever is written here shows there.

Entries never carry a pupil's name in `object_repr` ("plaatsing 12"); the changed values of a
pupil's own fields are in `changes`, as auditlog keeps them, and retention blanks them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring_ascii as _json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from config.bulk import JsonTekst, bulk_insert

from .toegang import actor_pk

AANGEMAAKT = LogEntry.Action.CREATE
GEWIJZIGD = LogEntry.Action.UPDATE


def _tekst(waarde):
    # As auditlog stores values: text, "None" for empty.
    return "None" if waarde is None else waarde if type(waarde) is str else str(waarde)


# The serialisation `json.dumps(..., separators=(",", ":"))` makes of {field: [old, new]} with
# text values (its C string encoder, ensure_ascii as json.dumps), written out directly: the
# generic encoder walks every dict and list again, and an import writes ~65,000 entries.
# tests/test_historie_json.py holds the two equal.
_GEEN = _json("None")


# Each field's `"name":[` once per process, not once per entry (a few dozen field names).
_KOP: dict[str, str] = {}
_KOP_LEEG: dict[str, str] = {}


def _kop(veld: str) -> str:
    kop = _KOP[veld] = f"{_json(veld)}:["
    return kop


def _kop_leeg(veld: str) -> str:
    kop = _KOP_LEEG[veld] = f"{_json(veld)}:[{_GEEN},"
    return kop


def _json_wijzigingen(velden: Mapping[str, tuple]) -> str:
    if not velden:
        return "{}"
    kop = _KOP
    return (
        "{"
        + "],".join(
            [
                f"{kop.get(veld) or _kop(veld)}"
                f"{_GEEN if o is None else _json(o if type(o) is str else str(o))},"
                f"{_GEEN if n is None else _json(n if type(n) is str else str(n))}"
                for veld, (o, n) in velden.items()
            ]
        )
        + "]}"
    )


def _json_aangemaakt(velden: Mapping[str, object]) -> str:
    if not velden:
        return "{}"
    kop = _KOP_LEEG
    return (
        "{"
        + "],".join(
            [
                (kop.get(veld) or _kop_leeg(veld))
                + (_GEEN if w is None else _json(w if type(w) is str else str(w)))
                for veld, w in velden.items()
            ]
        )
        + "]}"
    )


def _json_aangemaakt_zonder_leeg(velden: Mapping[str, object]) -> str:
    """`_json_aangemaakt` of the fields that are not None or "" ("pk" left out too); "" when
    none is left (then no entry, as for an object without fields)."""
    kop = _KOP_LEEG
    delen = [
        (kop.get(veld) or _kop_leeg(veld)) + _json(w if type(w) is str else str(w))
        for veld, w in velden.items()
        if w is not None and w != "" and veld != "pk"
    ]
    return "{" + "],".join(delen) + "]}" if delen else ""


def vastleggen(
    model,
    wijzigingen: Mapping[int, Mapping[str, tuple]] | Iterable[tuple[int, Mapping[str, tuple]]],
    *,
    door,
    bron: str = "",
    actie: int = GEWIJZIGD,
    _changes=None,
) -> int:
    """Write one entry per object: `wijzigingen` maps pk → {field: (old, new)}.

    `door` is the user or `SYSTEEM`; `bron` says which path wrote it ("iHUB-import 12"), never
    personal data. Objects without changes get no entry. Returns the number written.
    """
    paren = wijzigingen.items() if isinstance(wijzigingen, Mapping) else wijzigingen
    content_type = ContentType.objects.get_for_model(model)
    naam = model._meta.model_name
    nu = timezone.now()
    door_id = actor_pk(door)
    extra = JsonTekst(json.dumps({"bron": bron})) if bron else None
    changes = _changes or _json_wijzigingen
    # Serialised here in one pass (dates and ids as text, as auditlog keeps them): an import
    # writes tens of thousands of entries.
    vast = {
        "content_type_id": content_type.pk,
        "action": actie,
        "changes_text": "",
        "actor_id": door_id,
        "timestamp": nu,
        "additional_data": extra,
    }
    rijen = [
        {
            **vast,
            "object_pk": str(pk),
            "object_id": pk,
            "object_repr": f"{naam} {pk}",
            "changes": JsonTekst(tekst),
        }
        for pk, velden in paren
        if velden and (tekst := changes(velden))
    ]
    bulk_insert(LogEntry, rijen, zelfde_sleutels=True)
    return len(rijen)


def aangemaakt(
    model,
    objecten: Mapping[int, Mapping[str, object]],
    *,
    door,
    bron: str,
    zonder_leeg: bool = False,
) -> int:
    """Objects created without a model save (COPY): pk → {field: value}.

    The same entries as `vastleggen` with (None, value) per field, serialised directly: a first
    import creates ~50,000 objects of ~15 fields each. `zonder_leeg`: fields that are None or
    "" (and a field "pk") are left out, as if the caller had filtered them (no dict per object)."""
    return vastleggen(
        model,
        objecten.items(),
        door=door,
        bron=bron,
        actie=AANGEMAAKT,
        _changes=_json_aangemaakt_zonder_leeg if zonder_leeg else _json_aangemaakt,
    )
