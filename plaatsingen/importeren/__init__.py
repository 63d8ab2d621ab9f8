"""The iHUB import: read → normalise and validate → plan (diff) → apply in one transaction.

Web (preview, confirm), Celery tasks and the `import_ihub` command all go through
`plaatsingen.importeren.services`, so they behave the same.
"""
