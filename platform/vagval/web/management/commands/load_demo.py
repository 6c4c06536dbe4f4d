"""`python manage.py load_demo`: load every app's demo data (idempotent) and print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vagval.taxonomy.services import taxonomy_load
from vagval.web.demoloader import demo_load_all, demo_logins_table


class Command(BaseCommand):
    help = "Create the demo member company, a demo user per role and each app's demo data."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's ads, profiles and suggestions are all expressed in taxonomy concepts, so the
        # committed snapshot must be in place first (a no-op when this version is loaded).
        result = taxonomy_load()
        self.stdout.write(f"[taxonomy] version {result.version}, skipped={result.skipped}")
        logins = demo_load_all(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write("Demoinloggningar (http://127.0.0.1:8000/konto/login/):")
        self.stdout.write(demo_logins_table(logins))
