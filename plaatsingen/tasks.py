"""Thin Celery tasks for the iHUB import: load by id, call the service, nothing else.

Started with `transaction.on_commit` by the views; the services return early when the work is
already done, so a redelivered task (acks_late) is harmless.
"""

import functools
import logging

from celery import shared_task

from .importeren import services

logger = logging.getLogger(__name__)


class ImportTaakFout(Exception):
    """What an import task raises instead of the original exception: ids and a type only.

    The original may quote the file (a decode error holds its bytes, a database error the row's
    values); Celery would put its repr in the worker log and in the task's failure state.
    """


def zonder_bestandsinhoud(taak):
    @functools.wraps(taak)
    def wrapper(import_bestand_id: int, *args, **kwargs):
        try:
            return taak(import_bestand_id, *args, **kwargs)
        except Exception as exc:
            soort = type(exc).__name__
            logger.error("import %s: %s mislukt (%s)", import_bestand_id, taak.__name__, soort)
            raise ImportTaakFout(f"import {import_bestand_id}: {soort}") from None

    return wrapper


@shared_task(acks_late=True)
@zonder_bestandsinhoud
def import_controleren(import_bestand_id: int) -> None:
    services.import_controleren(import_bestand_id=import_bestand_id)


@shared_task(acks_late=True)
@zonder_bestandsinhoud
def import_uitvoeren(import_bestand_id: int) -> None:
    services.import_uitvoeren(import_bestand_id=import_bestand_id)


@shared_task
def import_vastgelopen_opruimen() -> int:
    """Imports whose worker died (killed, out of memory) end failed and can be restarted."""
    return services.vastgelopen_opruimen()
