"""Real services for tests: a Celery worker on the test run's Redis and an SMTP server.

No mocks: the worker consumes from the real Redis broker (REDIS_URL, started by the test
command) and mail goes over a real SMTP connection to aiosmtpd on loopback.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy

import pytest


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpOntvanger:
    """aiosmtpd handler that keeps what it receives and can refuse the first N deliveries."""

    def __init__(self):
        self.berichten = []
        self.pogingen = 0
        self._te_weigeren = 0
        self._lock = threading.Lock()

    def weiger_eerste(self, aantal: int) -> None:
        with self._lock:
            self._te_weigeren = aantal

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.pogingen += 1
            if self._te_weigeren > 0:
                self._te_weigeren -= 1
                return "451 4.3.0 Tijdelijk niet beschikbaar (test)"
            bericht = message_from_bytes(envelope.content, policy=default_policy)
            bericht.envelope_rcpt_tos = list(envelope.rcpt_tos)
            self.berichten.append(bericht)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free loopback port; Django's SMTP backend points at it."""
    from aiosmtpd.controller import Controller

    ontvanger = SmtpOntvanger()
    controller = Controller(ontvanger, hostname="127.0.0.1", port=_vrije_poort())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield ontvanger
    finally:
        controller.stop()


@pytest.fixture
def redis_worker(transactional_db):
    """A real Celery worker (in a thread) consuming from the real Redis of this test run.

    Tests using it need committed data (transactional_db): the worker has its own connection.
    """
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun, task_prerun
    from django.db import connections

    from config.celery import app

    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.fail(
            "REDIS_URL ontbreekt: deze test draait een echte Celery-worker tegen Redis. "
            "Start de suite met scripts/test.sh (start Redis) of zet REDIS_URL."
        )
    if app.conf.broker_url != redis_url:
        app.conf.broker_url = redis_url
    app.conf.task_always_eager = False
    app.conf.worker_hijack_root_logger = False

    def sluit_verbindingen(**kwargs):
        # The worker thread's DB connection must not outlive the test (flush, DROP DATABASE).
        connections.close_all()

    draden: set[int] = set()

    def noteer_draad(**kwargs):
        draden.add(threading.get_ident())

    task_postrun.connect(sluit_verbindingen, weak=False)
    task_prerun.connect(noteer_draad, weak=False)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
        ) as worker:
            # Tests can check that tasks really ran in the worker, not inline (eager).
            worker.taakdraden = draden
            yield worker
    finally:
        task_postrun.disconnect(sluit_verbindingen)
        task_prerun.disconnect(noteer_draad)
        app.conf.task_always_eager = True


def wacht_tot(voorwaarde, *, timeout: float = 30.0, interval: float = 0.1):
    """Wait for work another thread does (the worker); fails the test after `timeout`."""
    einde = time.monotonic() + timeout
    while time.monotonic() < einde:
        if voorwaarde():
            return
        time.sleep(interval)
    pytest.fail(f"Voorwaarde niet binnen {timeout} s bereikt")
