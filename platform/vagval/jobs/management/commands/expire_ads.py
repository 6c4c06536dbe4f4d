"""`python manage.py expire_ads`: expire ads whose application deadline has passed."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from vagval.jobs.services import ads_expire


class Command(BaseCommand):
    help = "Mark ads whose application deadline has passed as expired."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps({"expired": ads_expire()}))
