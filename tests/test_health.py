import json
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_needs_no_login_and_reports_database_and_broker(client):
    r = client.get(reverse("healthz"))
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_healthz_says_which_part_failed(client, settings):
    from config.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        r = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = old
    assert r.status_code == 503
    assert r.json()["checks"] == {"database": "ok", "broker": "fout"}


def test_every_response_carries_a_request_id(client):
    r = client.get(reverse("account_login"))
    assert len(r["X-Request-ID"]) == 32
    r = client.get(reverse("account_login"), HTTP_X_REQUEST_ID="proxy-abc.123")
    assert r["X-Request-ID"] == "proxy-abc.123"
    r = client.get(reverse("account_login"), HTTP_X_REQUEST_ID="<script>")
    assert r["X-Request-ID"] != "<script>"


def test_log_lines_are_json_with_the_request_id():
    from config.logs import JsonFormatter, RequestIdFilter, request_id_var

    token = request_id_var.set("abc123")
    try:
        record = logging.LogRecord(
            "routetool", logging.INFO, __file__, 1, "plaatsing %s", (42,), None
        )
        RequestIdFilter().filter(record)
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)
    entry = json.loads(line)
    assert entry["request_id"] == "abc123"
    assert entry["message"] == "plaatsing 42"
    assert entry["level"] == "INFO"
