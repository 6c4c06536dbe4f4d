"""Benchmarks of the member-company portal: importing a 2,000-row staff list (validation,
all-or-nothing import and the invitation e-mails, through the same Celery tasks the pages use,
run eagerly) and the SQL query counts of the dashboards.

Targets (issue 7): the 2,000-row import <= 10 s with validation; dashboards <= 15 queries.
`run()` returns one dict per measurement; `python -m tests.bench --only employers` prints them.
It needs a migrated database (the runner makes one); every run uses a new company, so reruns
on the same database measure the same work.
"""

from __future__ import annotations

import datetime
import json
import os
import time
import uuid
from typing import Any

import django
from django.apps import apps

IMPORT_ROWS = 2000
IMPORT_TARGET_S = 10.0
DASHBOARD_MAX_QUERIES = 15
DASHBOARD_PEOPLE = 300


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vagval.config.settings")
    if not apps.ready:
        django.setup()


def _org_number(seed: int) -> str:
    base = f"55{seed % 10**7:07d}"
    total = 0
    for i, ch in enumerate(base):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return base + str((10 - total % 10) % 10)


def _company() -> tuple[Any, Any, Any]:
    from employers import services
    from employers.models import CaseKind
    from vagval.accounts.models import User
    from vagval.accounts.services import organisation_upsert, user_create

    tag = uuid.uuid4().hex[:8]
    org = organisation_upsert(org_number=_org_number(int(tag, 16)), name=f"Benchmark {tag} AB")
    hr = user_create(
        email=f"hr-{tag}@bench.example", password=None, role=User.Role.HR, organisation=org,
        email_verified=True,
    )  # fmt: skip
    case = services.case_create(
        organisation=org, actor=hr, kind=CaseKind.NOTICE, title=f"Varsel {tag}",
        reason="Benchmark", number_affected=IMPORT_ROWS, notice_date=datetime.date(2026, 1, 15),
    )  # fmt: skip
    return org, hr, case


def _staff_csv(rows: int, tag: str) -> bytes:
    lines = ["E-post;Förnamn;Efternamn;Enhet;Sista anställningsdag"]
    lines += [
        f"person{i}.{tag}@bench.example;Förnamn{i};Efternamnsson;Enhet {i % 12};2026-12-31"
        for i in range(rows)
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def bench_import(rows: int = IMPORT_ROWS) -> dict[str, Any]:
    """Upload -> validation task -> confirmation -> import task -> invitation e-mails."""
    from django.core import mail
    from django.test.utils import override_settings

    from employers import services
    from employers.models import Enrolment, ImportJob, ImportStatus

    _org, hr, case = _company()
    data = _staff_csv(rows, uuid.uuid4().hex[:6])
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        t0 = time.perf_counter()
        job = services.import_job_create(case=case, actor=hr, filename="lista.csv", data=data)
        job.refresh_from_db()
        t_validated = time.perf_counter()
        services.import_job_confirm(job=job, actor=hr)
        t_done = time.perf_counter()
        job = ImportJob.objects.get(pk=job.pk)
        sent = len(mail.outbox)
        # The invitations alone (the import above ran them in its on-commit task), measured by
        # sending them all again.
        ids = list(Enrolment.objects.filter(case=case).values_list("pk", flat=True))
        t_mail = time.perf_counter()
        services.enrolment_invitations_send(enrolment_ids=ids, resend=True)
        invitations_s = time.perf_counter() - t_mail
    imported = Enrolment.objects.filter(case=case).count()
    total = t_done - t0
    return {
        "bench": "employers_import",
        "rows": rows,
        "bytes": len(data),
        "validate_s": round(t_validated - t0, 3),
        "import_and_invite_s": round(t_done - t_validated, 3),
        "invitations_s": round(invitations_s, 3),
        "total_s": round(total, 3),
        "imported": imported,
        "invitations_sent": sent,
        "status": job.status,
        "target_s": IMPORT_TARGET_S,
        "ok": job.status == ImportStatus.DONE and imported == rows and total <= IMPORT_TARGET_S,
    }


def _populate_dashboard(org: Any, hr: Any, case: Any, people: int) -> None:
    from employers import services
    from employers.models import CaseKind, Enrolment
    from journey.services.client import client_profile_get_or_create, client_profile_stage_advance
    from vagval.accounts.models import User
    from vagval.consent.models import ConsentPurpose
    from vagval.consent.services import consent_grant

    second = services.case_create(
        organisation=org, actor=hr, kind=CaseKind.PROACTIVE, title="Kartläggning"
    )
    stages = ["not_started", "current_state", "competence", "market", "cv", "feed", "finished"]
    users = User.objects.bulk_create(
        [
            User(email=f"c{i}-{case.pk}@bench.example", role=User.Role.CLIENT, organisation=org)
            for i in range(people)
        ]
    )
    for i, user in enumerate(users):
        target = case if i % 3 else second
        Enrolment.objects.create(
            case=target, email=user.email, first_name="B", last_name="C", unit=f"Enhet {i % 6}",
            status="accepted", user=user,
        )  # fmt: skip
        if i % 5:
            consent_grant(user=user, purpose=ConsentPurpose.STATISTICS)
        client_profile_stage_advance(
            client=client_profile_get_or_create(user=user), stage=stages[i % len(stages)]
        )


def bench_dashboards(people: int = DASHBOARD_PEOPLE) -> list[dict[str, Any]]:
    """SQL queries per dashboard page for a company with `people` enrolled clients."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    org, hr, case = _company()
    _populate_dashboard(org, hr, case, people)
    browser = Client()
    browser.force_login(hr)
    out = []
    for name, url in (
        ("stats", "/foretag/statistik/"),
        ("case", f"/foretag/arenden/{case.pk}/"),
        ("competence_map", "/foretag/kompetenskarta/"),
        ("stats_csv", "/foretag/statistik.csv"),
    ):
        browser.get(url)  # warm caches (ad index, taxonomy) the way a running server has them
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = browser.get(url)
            ms = (time.perf_counter() - t0) * 1000
        out.append(
            {
                "bench": f"employers_dashboard_{name}",
                "people": people,
                "status": response.status_code,
                "queries": len(ctx.captured_queries),
                "ms": round(ms, 1),
                "target_queries": DASHBOARD_MAX_QUERIES,
                "ok": response.status_code == 200
                and len(ctx.captured_queries) <= DASHBOARD_MAX_QUERIES,
            }
        )
    return out


def run(quick: bool = False) -> list[dict[str, Any]]:
    _setup()
    return [
        bench_import(rows=500 if quick else IMPORT_ROWS),
        *bench_dashboards(people=60 if quick else DASHBOARD_PEOPLE),
    ]


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
