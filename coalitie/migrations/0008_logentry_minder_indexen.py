"""Fewer indexes on django-auditlog's LogEntry table: a first import writes ~65,000 entries
per 25,000 rows, and each index costs every entry an insert.

Dropped, because nothing queries them: `object_pk` (our models have integer keys, so auditlog
and the per-pupil log find an object's entries by content_type + `object_id`, both indexed),
`action` (three values; only auditlog's admin filters on it, over the date-ordered list) and
the LIKE indexes PostgreSQL gets for the text columns `object_pk` and `cid` (nobody searches
them by prefix). Kept: content_type, object_id, actor, timestamp, cid. Found by their columns,
not by name, so the same migration works on PostgreSQL and SQLite.
"""

from django.db import migrations


def _overbodig(schema_editor):
    verbinding = schema_editor.connection
    with verbinding.cursor() as cursor:
        indexen = verbinding.introspection.get_constraints(cursor, "auditlog_logentry")
    for naam, info in indexen.items():
        if not info["index"] or info["unique"] or info["primary_key"]:
            continue
        if info["columns"] in (["object_pk"], ["action"]) or (
            info["columns"] == ["cid"] and naam.endswith("_like")
        ):
            yield naam


def indexen_weg(apps, schema_editor):
    for naam in list(_overbodig(schema_editor)):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(naam)}")


def indexen_terug(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS logentry_object_pk ON auditlog_logentry (object_pk)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS logentry_action ON auditlog_logentry (action)"
    )
    if vendor == "postgresql":
        for kolom in ("object_pk", "cid"):
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS logentry_{kolom}_like ON auditlog_logentry "
                f"({kolom} varchar_pattern_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("coalitie", "0007_toegangslog_deelnemers"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(indexen_weg, indexen_terug)]
