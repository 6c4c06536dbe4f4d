"""The demo loader: every app's `demo.py` adds its part of the demo, in INSTALLED_APPS order.

The protocol (explicit, no signals): an installed app may have a module `demo.py` with

    def load_demo_data(*, stdout) -> list[DemoLogin]: ...

It must be idempotent (running `load_demo` twice changes nothing the second time), may write
progress lines to `stdout`, and returns the logins it wants printed (often none). Apps run in
INSTALLED_APPS order, so portals can rely on the core's demo users existing
(`vagval.accounts.demo.DEMO_CLIENT_EMAIL` and friends).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

DEFAULT_DEMO_PASSWORD = "vagval-demo-2026"  # noqa: S105 - a published demo password by design


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    description: str = ""


def demo_password() -> str:
    """The one password every demo user shares (`VAGVAL_DEMO_PASSWORD`, or the default)."""
    return (
        os.environ.get("VAGVAL_DEMO_PASSWORD")
        or str(getattr(settings, "VAGVAL_DEMO_PASSWORD", ""))
        or DEFAULT_DEMO_PASSWORD
    )


def demo_loaders() -> list[tuple[str, object]]:
    """(app label, load_demo_data) for every installed app with a demo module, in order."""
    autodiscover_modules("demo")
    loaders = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.demo")
        loader = getattr(module, "load_demo_data", None) if module else None
        if callable(loader):
            loaders.append((config.label, loader))
    return loaders


def demo_load_all(*, stdout: Any) -> list[DemoLogin]:
    """Run every app's loader, each in its own transaction; return all their logins."""
    logins: list[DemoLogin] = []
    for label, loader in demo_loaders():
        stdout.write(f"[{label}] ...\n")
        with transaction.atomic():
            logins.extend(loader(stdout=stdout))  # type: ignore[operator]
    return logins


def demo_logins_table(logins: list[DemoLogin]) -> str:
    """A plain-text table of the logins, one per line, with the shared password below."""
    seen: set[str] = set()
    rows = [("Roll", "E-post", "")]
    for login in logins:
        if login.email not in seen:
            seen.add(login.email)
            rows.append((login.role, login.email, login.description))
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}".rstrip() for r in rows]
    lines.insert(1, "-" * (widths[0] + widths[1] + 4))
    lines.append("")
    lines.append(f"Lösenord för alla demokonton: {demo_password()}")
    return "\n".join(lines)
