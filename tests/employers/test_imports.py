"""Uploading a staff list through the pages: checked in a task with a progress bar, previewed
with every error, imported all or nothing on confirmation, and each person invited by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from employers import services
from employers.models import Case, Enrolment, ImportJob, ImportStatus
from vagval.accounts.models import User

from .test_staff_lists import xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=False)


def _upload(browser: Client, case: Case, name: str, data: bytes) -> ImportJob:
    url = f"/foretag/arenden/{case.pk}/lista/"
    with_file = SimpleUploadedFile(name, data)
    response = browser.post(url, {"file": with_file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _csv(n: int, start: int = 0) -> bytes:
    lines = ["E-post;Förnamn;Efternamn;Enhet"]
    lines += [f"person{i}@alfa.example;Förnamn{i};Efternamn{i};Enhet {i % 4}"
              for i in range(start, start + n)]  # fmt: skip
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_a_valid_list_is_previewed_then_imported_and_everyone_invited(
    hr_a_browser: Client, notice_case: Case, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(hr_a_browser, notice_case, "lista.csv", _csv(30))
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert job.content == b""  # the raw file is not kept
    assert Enrolment.objects.count() == 0  # nothing before confirmation
    page = hr_a_browser.get(f"/foretag/arenden/{notice_case.pk}/lista/{job.pk}/").content.decode()
    assert "30 rader lästes, 30 är klara att läsas in." in page
    assert "Förnamn3 Efternamn3" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_a_browser.post(f"/foretag/arenden/{notice_case.pk}/lista/{job.pk}/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.imported, job.rows) == (ImportStatus.DONE, 30, [])
    assert Enrolment.objects.filter(case=notice_case).count() == 30
    assert len(mail.outbox) == 30
    assert all(e.invited_at for e in Enrolment.objects.all())
    body = mail.outbox[0].body
    assert "Alfa Verkstad AB erbjuder dig stöd från Vägval" in body
    assert re.search(r"/foretag/inbjudan/[^/\s]+/", body)
    # Running the import task again changes nothing (idempotent) and sends nothing new.
    services.import_job_commit(job_id=job.pk)
    services.enrolment_invitations_send(
        enrolment_ids=list(Enrolment.objects.values_list("pk", flat=True))
    )
    assert Enrolment.objects.count() == 30 and len(mail.outbox) == 30


def test_a_list_with_errors_cannot_be_imported(
    hr_a_browser: Client, notice_case: Case, django_capture_on_commit_callbacks
) -> None:
    data = b"E-post;F\xf6rnamn;Efternamn\r\na@alfa.example;A;B\r\nfel-adress;C;D\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(hr_a_browser, notice_case, "lista.csv", data)
    page = hr_a_browser.get(f"/foretag/arenden/{notice_case.pk}/lista/{job.pk}/").content.decode()
    assert "1 rad behöver rättas" in page
    assert "”fel-adress” är inte en giltig e-postadress." in page
    assert "Läs in" not in page
    response = hr_a_browser.post(f"/foretag/arenden/{notice_case.pk}/lista/{job.pk}/", follow=True)
    assert "Listan har fel" in response.content.decode()
    assert Enrolment.objects.count() == 0


def test_import_is_all_or_nothing_when_someone_was_added_meanwhile(
    hr_a: User, hr_a_browser: Client, notice_case: Case, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(hr_a_browser, notice_case, "lista.csv", _csv(10))
    # Between the preview and the confirmation HR enrols one of them by hand.
    services.enrolment_add(
        case=notice_case, actor=hr_a, email="person4@alfa.example", first_name="P", last_name="Q"
    )
    with django_capture_on_commit_callbacks(execute=True):
        hr_a_browser.post(f"/foretag/arenden/{notice_case.pk}/lista/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "Inget har lästs in" in job.message
    assert Enrolment.objects.filter(case=notice_case).count() == 1  # only the hand-added one


def test_xlsx_upload_and_progress_fragment(
    hr_a_browser: Client, notice_case: Case, django_capture_on_commit_callbacks
) -> None:
    data = xlsx_bytes([["E-post", "Namn"], ["a@alfa.example", "Anna Berg"]])
    with django_capture_on_commit_callbacks(execute=False):
        job = _upload(hr_a_browser, notice_case, "lista.xlsx", data)
    # Before the task has run the page shows a progress bar that htmx polls.
    page = hr_a_browser.get(f"/foretag/arenden/{notice_case.pk}/lista/{job.pk}/").content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    status = hr_a_browser.get(f"/foretag/arenden/{notice_case.pk}/lista/{job.pk}/status/")
    assert status.status_code == 200 and b"<progress" in status.content
    services.import_job_validate(job_id=job.pk)
    status = hr_a_browser.get(f"/foretag/arenden/{notice_case.pk}/lista/{job.pk}/status/")
    assert status.status_code == 204 and status["HX-Refresh"] == "true"
    job.refresh_from_db()
    assert job.rows[0]["first_name"] == "Anna"


def test_refused_upload_says_why_and_stores_nothing(
    hr_a_browser: Client, notice_case: Case
) -> None:
    response = hr_a_browser.post(
        f"/foretag/arenden/{notice_case.pk}/lista/",
        {"file": SimpleUploadedFile("lista.xls", b"\xd0\xcf\x11\xe0rest")},
    )
    assert response.status_code == 200
    assert "Spara filen som .xlsx eller CSV" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_broken_xlsx_fails_cleanly(
    hr_a_browser: Client, notice_case: Case, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(hr_a_browser, notice_case, "lista.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "Excel-filen" in job.message


def test_two_thousand_rows_are_imported(
    hr_a_browser: Client, notice_case: Case, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(hr_a_browser, notice_case, "stor.csv", _csv(2000))
    job.refresh_from_db()
    assert (job.status, job.total_rows, len(job.rows)) == (ImportStatus.VALIDATED, 2000, 2000)
    with django_capture_on_commit_callbacks(execute=True):
        hr_a_browser.post(f"/foretag/arenden/{notice_case.pk}/lista/{job.pk}/")
    assert Enrolment.objects.filter(case=notice_case).count() == 2000
    assert len(mail.outbox) == 2000
