"""Structured logs: one JSON object per line, each with the request id of the request it serves.

Log messages carry ids, never personal data; the formatter adds no request data but the id,
method and path (paths contain only numeric ids).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import traceback
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_GELDIG_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# A query string (`?q=Jansen`) in any URL a message quotes: searched names and numbers.
_QUERYSTRING = re.compile(r"(\?)[^\s\"']+")
WEGGELATEN = "(weggelaten)"


def veilige_traceback(exc_info) -> str:
    """The traceback without exception messages: frames (file, line, code) and exception types.

    An exception's message may quote data (UnicodeDecodeError carries the bytes it could not
    decode: rows of an import file); the type and the place are what an operator needs.
    """
    exc_type, exc, tb = exc_info
    if exc is None:
        return exc_type.__name__ if exc_type else ""
    regels: list[str] = []
    gezien: set[int] = set()
    keten = []
    while exc is not None and id(exc) not in gezien:
        gezien.add(id(exc))
        keten.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    for i, fout in enumerate(reversed(keten)):
        if i:
            regels.append("Daarna:")
        regels.append("Traceback (most recent call last):")
        regels += [r.rstrip("\n") for r in traceback.format_tb(fout.__traceback__)]
        regels.append(f"{type(fout).__module__}.{type(fout).__qualname__}: {WEGGELATEN}")
    return "\n".join(regels)


class GeenPersoonsgegevensFilter(logging.Filter):
    """The guard on every log handler (web, worker, beat), so new code cannot leak data:

    - an exception passed as a log argument becomes its type name (`%r` of a
      UnicodeDecodeError would print the undecodable rows);
    - Celery's task-failure and retry lines (`%(exc)s`, a repr of the exception) keep only the
      exception type; task arguments are ids and stay;
    - query strings in any quoted URL are cut off (searches are in the query string);
    - the traceback keeps frames and types, never messages (`veilige_traceback`).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.args = self._schoon_args(record)
        if isinstance(record.msg, BaseException):
            record.msg = type(record.msg).__name__
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = veilige_traceback(record.exc_info)
        if isinstance(record.msg, str) and "?" in record.msg and not record.args:
            record.msg = _QUERYSTRING.sub(r"\1" + WEGGELATEN, record.msg)
        if isinstance(getattr(record, "data", None), Mapping):
            record.data = {k: v for k, v in record.data.items() if k not in ("exc", "traceback")}
        return True

    def _schoon_args(self, record):
        args = record.args
        if isinstance(args, Mapping):
            schoon = {k: self._schoon(v) for k, v in args.items()}
            if "exc" in schoon and record.name.startswith("celery"):
                soort = record.exc_info[0].__name__ if record.exc_info else "fout"
                schoon["exc"] = f"{soort} {WEGGELATEN}"
            if "traceback" in schoon:
                schoon["traceback"] = WEGGELATEN
            return schoon
        if isinstance(args, tuple):
            return tuple(self._schoon(a) for a in args)
        return args

    @staticmethod
    def _schoon(waarde):
        if isinstance(waarde, BaseException):
            return type(waarde).__name__
        if isinstance(waarde, str) and "?" in waarde and ("/" in waarde or "=" in waarde):
            return _QUERYSTRING.sub(r"\1" + WEGGELATEN, waarde)
        return waarde


class PlainFormatter(logging.Formatter):
    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return veilige_traceback(ei)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        if record.exc_info:
            # The exception type and where, not its message: messages may quote data.
            exc_type = record.exc_info[0]
            entry["exception"] = exc_type.__name__ if exc_type else "onbekend"
            entry["stack"] = veilige_traceback(record.exc_info).splitlines()[-6:-1]
        return json.dumps(entry, ensure_ascii=False)


class RequestIdMiddleware:
    """Takes X-Request-ID from the proxy when it is sane, else makes one; echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _GELDIG_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = rid
        return response
