"""An import's progress on its `ImportBestand`, for the status page that polls it.

Outside a transaction a plain UPDATE is seen at once. Writing happens inside the import's ONE
transaction, where an UPDATE stays invisible until commit: on PostgreSQL the progress then goes
through a second, autocommitting connection. The embedded SQLite allows one writer at a time,
so there the page keeps showing the step that began the transaction.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.utils import timezone

from plaatsingen.models import ImportBestand

from .plan import Voortgang

logger = logging.getLogger(__name__)


class Voortgangsmelder:
    def __init__(self, import_bestand_id: int, ook: Voortgang | None = None):
        self.pk = import_bestand_id
        self.ook = ook
        self._zijlijn = None

    def __call__(self, stap: str, verwerkt: int, totaal: int) -> None:
        if not connection.in_atomic_block:
            ImportBestand.objects.filter(pk=self.pk).update(
                voortgang_stap=stap,
                voortgang_verwerkt=verwerkt,
                voortgang_totaal=totaal,
                voortgang_op=timezone.now(),  # a sign of life for `vastgelopen_opruimen`
            )
        elif connection.vendor == "postgresql":
            self._via_zijlijn(stap, verwerkt, totaal)
        if self.ook:  # the command line's progress bar
            self.ook(stap, verwerkt, totaal)

    def _via_zijlijn(self, stap: str, verwerkt: int, totaal: int) -> None:
        from psycopg import sql

        try:
            if self._zijlijn is None:
                self._zijlijn = connection.get_new_connection(connection.get_connection_params())
                self._zijlijn.autocommit = True
                # Never wait on a lock held by our own transaction: that would wait forever.
                self._zijlijn.execute("SET lock_timeout = '200ms'")
            self._zijlijn.execute(
                sql.SQL(
                    "UPDATE {} SET voortgang_stap = %s, voortgang_verwerkt = %s, "
                    "voortgang_totaal = %s, voortgang_op = %s WHERE id = %s"
                ).format(sql.Identifier(ImportBestand._meta.db_table)),
                [stap, verwerkt, totaal, timezone.now(), self.pk],
            )
        except Exception as exc:  # progress is a courtesy: the import goes on without it
            logger.warning("import %s: progress not written (%s)", self.pk, type(exc).__name__)

    def sluit(self) -> None:
        if self._zijlijn is not None:
            self._zijlijn.close()
            self._zijlijn = None
