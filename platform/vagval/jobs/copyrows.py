"""PostgreSQL's text COPY format for job-ad rows, encoded in the worker processes.

The writer is the serial stage of ingestion: every ad passes through its one thread. Turning
an ad's ~30 column values into a COPY line (escaping and UTF-8 encoding ~8 KB of description
per ad) cost it ~70 us per ad in psycopg's `write_row`, more than anything else it does. The
workers, which run in parallel, encode the columns the writer never decides (`CONTENT_COLUMNS`)
once, as bytes; the writer prefixes the few it does decide (id, cluster, activity) and sends
the lines as they are. tests/jobs/test_copy_rows.py checks that the rows stored this way are
the rows psycopg's own formatting stores.

Text format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2): fields
separated by a tab, NULL as `\\N`, and backslash, tab, line feed and carriage return written
as backslash sequences inside a field; bytea in its hex input form; JSON as its text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import orjson

from vagval import native

NULL = "\\N"


def escape(text: str) -> str:
    """A text value as one COPY field."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text:
        text = text.replace("\t", "\\t")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    return text


def field(value: Any) -> str:
    """Any column value of a job ad as one COPY field."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()  # bytea hex input, its backslash escaped for COPY
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no place in a timestamptz column")
        return value.isoformat()
    if isinstance(value, list | dict):
        return escape(orjson.dumps(value).decode())
    raise TypeError(f"no COPY text form for {type(value).__name__}")


def encode_fields(values: Iterable[Any]) -> bytes:
    """Column values as tab-separated COPY fields (no line end), UTF-8: compiled
    (`vagval.native.text.copy_fields`, the texts escaped in C) unless not built."""
    if native.AVAILABLE:
        return native.text.copy_fields(values, field)
    return encode_fields_python(values)


def encode_fields_python(values: Iterable[Any]) -> bytes:
    """`encode_fields` in Python: the reference for the compiled version."""
    return "\t".join(map(field, values)).encode("utf-8")
