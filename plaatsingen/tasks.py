"""Thin Celery tasks for the iHUB import: load by id, call the service, nothing else.

Started with `transaction.on_commit` by the views; the services return early when the work is
already done, so a redelivered task (acks_late) is harmless.
"""

from celery import shared_task

from .importeren import services


@shared_task(acks_late=True)
def import_controleren(import_bestand_id: int) -> None:
    services.import_controleren(import_bestand_id=import_bestand_id)


@shared_task(acks_late=True)
def import_uitvoeren(import_bestand_id: int) -> None:
    services.import_uitvoeren(import_bestand_id=import_bestand_id)


@shared_task
def import_vastgelopen_opruimen() -> int:
    """Imports whose worker died (killed, out of memory) end failed and can be restarted."""
    return services.vastgelopen_opruimen()
