"""`manage.py export_profile --email ADDRESS --out FILE`: a person's portable profile as JSON.

The document is `vagval.consent.privacy.user_data_export` (schema `vagval.portable-profile`,
docs/portable-profile.md): every app's section. The journey's section carries `match_profile`,
which `manage.py feed --profile FILE` reads. FILE "-" writes to standard output. The export is
written to the audit log like any other access to personal data.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vagval.accounts.selectors import user_get_by_email
from vagval.audit.services import audit_record
from vagval.consent.privacy import user_data_export


class Command(BaseCommand):
    help = "Write a person's portable profile (everything Vägval holds about them) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the person's login address")
        parser.add_argument("--out", required=True, help="the JSON file to write, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = user_get_by_email(email=email)
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}")
        profile = user_data_export(user=user)
        _audit(user)
        text = json.dumps(profile, ensure_ascii=False, indent=2) + "\n"
        out = options["out"]
        if out == "-":
            sys.stdout.write(text)
            return
        path = Path(out)
        if path.is_dir():
            raise CommandError(f"{out} is a folder: give a file name")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist")
        # Write beside the target and rename: a failed export never leaves half a file.
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(tmp, 0o600)  # personal data: readable by the owner only
            os.replace(tmp, path)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc}") from exc
        self.stderr.write(f"Wrote the portable profile of {email} to {path}")


def _audit(user: Any) -> None:
    """Record the export (by an operator, from the command line) in the audit log."""
    audit_record(
        actor=None,
        subject=user,
        action="profile.export",
        purpose="Portabel profil exporterad från kommandoraden",
    )
