"""The client IP address of the request being served, so audit events can record it.

Set by `AuditRequestMiddleware`; services that write audit events read it without needing the
request passed down through every layer. Outside a request (tasks, commands) it is None.
"""

from __future__ import annotations

from contextvars import ContextVar

_current_ip: ContextVar[str | None] = ContextVar("vagval_audit_ip", default=None)


def current_ip() -> str | None:
    return _current_ip.get()


def set_current_ip(ip: str | None) -> object:
    return _current_ip.set(ip)


def reset_current_ip(token: object) -> None:
    _current_ip.reset(token)  # type: ignore[arg-type]
