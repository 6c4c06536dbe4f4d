"""Exports: the PDF's text is extractable and holds the CV, the PDF is tagged with its language
and title; the DOCX uses real Word headings; JSON Resume is valid against the JSON Resume
schema; `manage.py cv_export` renders all three from a portable profile."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pypdf import PdfReader

from journey.cv.jsonresume import validation_errors
from journey.cv.models import Cv, CvVersion
from journey.models import ClientProfile
from vagval.accounts.models import User

from .conftest import IT_PROJECT_MANAGER
from .helpers import create_cv

pytestmark = pytest.mark.usefixtures("taxonomy_loaded")


def _hide_developer_job(browser: Client, cv: Cv) -> None:
    post = {"exp-TOTAL_FORMS": "2", "exp-INITIAL_FORMS": "2", "exp-MIN_NUM_FORMS": "0",
            "exp-MAX_NUM_FORMS": "40"}  # fmt: skip
    for i, row in enumerate(cv.content["experience"]):
        for field in ("key", "title", "employer", "start", "end", "description"):
            post[f"exp-{i}-{field}"] = row[field] or ""
        if row["title"] == "Systemutvecklare":
            post[f"exp-{i}-hidden"] = "on"
    assert browser.post(f"/resa/cv/{cv.pk}/spara/experience/", post).status_code == 302


@pytest.mark.parametrize("template", ["classic", "modern", "compact"])
def test_pdf_text_is_extractable_tagged_and_in_the_cv_language(
    inventory: ClientProfile, browser: Client, template: str
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER, template=template)
    _hide_developer_job(browser, cv)
    response = browser.get(f"/resa/cv/{cv.pk}/ladda-ner/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    for expected in ("Karin Berg", "IT-projektledare, Volvo Cars", "mar 2016 – nu",
                     "Ledde agila projekt för fabrikens produktionssystem.", "Chalmers",
                     "Projektledning, IT", "Svenska – Modersmål"):  # fmt: skip
        assert expected in text, expected
    assert "ARBETSLIVSERFARENHET" in text.upper()
    assert "Ericsson" not in text  # the hidden job is not in the document
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv"
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == cv.title


def test_two_column_pdf_reads_main_column_first(inventory: ClientProfile, browser: Client) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER, layout="two", language="en")
    response = browser.get(f"/resa/cv/{cv.pk}/ladda-ner/pdf/")
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    upper = text.upper()  # the classic look writes its headings in capitals
    assert upper.index("WORK EXPERIENCE") < upper.index("SKILLS")
    assert "Swedish – Native" in " ".join(text.split())


def test_docx_has_real_headings_and_language(inventory: ClientProfile, browser: Client) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    response = browser.get(f"/resa/cv/{cv.pk}/ladda-ner/docx/")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Title", "Heading"))
    ]
    assert headings[0] == ("Title", "Karin Berg")
    assert ("Heading 1", "Arbetslivserfarenhet") in headings
    assert ("Heading 2", "IT-projektledare, Volvo Cars") in headings
    assert ("Heading 1", "Kompetenser") in headings
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Projektledning, IT – mycket god" in bullets
    assert document.core_properties.language == "sv-SE"
    assert document.core_properties.title == cv.title


def test_json_resume_is_valid_against_the_schema(inventory: ClientProfile, browser: Client) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    response = browser.get(f"/resa/cv/{cv.pk}/ladda-ner/json/")
    document = json.loads(response.content)
    assert validation_errors(document) == []
    assert document["basics"]["name"] == "Karin Berg"
    assert document["work"][0] == {
        "name": "Volvo Cars",
        "position": "IT-projektledare",
        "startDate": "2016-03",
        "summary": "Ledde agila projekt för fabrikens produktionssystem.\n\nBudget 12 MSEK.",
    }
    assert {"language": "Svenska", "fluency": "Modersmål"} in document["languages"]
    assert document["meta"]["vagval"]["target_occupation"]["concept_id"] == IT_PROJECT_MANAGER
    # The check is real: a broken document is reported.
    document["basics"]["email"] = "inte en adress"
    document["work"][0]["startDate"] = "mars 2016"
    errors = validation_errors(document)
    assert any("basics/email" in e for e in errors) and any("work/0/startDate" in e for e in errors)


def test_each_export_freezes_a_version_once_per_change(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    browser.get(f"/resa/cv/{cv.pk}/ladda-ner/pdf/")
    browser.get(f"/resa/cv/{cv.pk}/ladda-ner/docx/")
    assert CvVersion.objects.filter(cv=cv).count() == 1
    browser.post(f"/resa/cv/{cv.pk}/spara/basics/", {"name": "Karin Berg", "phone": "070-1"})
    response = browser.get(f"/resa/cv/{cv.pk}/ladda-ner/pdf/")
    assert CvVersion.objects.filter(cv=cv).count() == 2
    assert response["Content-Disposition"].endswith('-v2.pdf"')


# ---- the command line -----------------------------------------------------------------------


def _profile(tmp_path: Path, karin: User) -> Path:
    out = tmp_path / "profile.json"
    call_command("export_profile", "--email", karin.email, "--out", str(out), stderr=io.StringIO())
    return out


@pytest.mark.parametrize("fmt", ["pdf", "docx", "json"])
def test_cv_export_renders_the_clients_cv_from_the_portable_profile(
    inventory: ClientProfile, browser: Client, karin: User, tmp_path: Path, fmt: str
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    browser.post(f"/resa/cv/{cv.pk}/spara/basics/", {"name": "Karin Berg", "summary": "Egen text."})
    profile = _profile(tmp_path, karin)
    out = tmp_path / f"cv.{fmt}"
    call_command("cv_export", "--profile", str(profile), "--format", fmt, "--out", str(out),
                 stderr=io.StringIO())  # fmt: skip
    data = out.read_bytes()
    if fmt == "pdf":
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "Egen text." in text and "Volvo Cars" in text
    elif fmt == "docx":
        paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
        assert "Egen text." in paragraphs
    else:
        document = json.loads(data)
        assert validation_errors(document) == [] and document["basics"]["summary"] == "Egen text."
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_cv_export_builds_a_cv_from_the_inventory_when_the_profile_has_none(
    inventory: ClientProfile, karin: User, tmp_path: Path
) -> None:
    profile = _profile(tmp_path, karin)
    assert json.loads(profile.read_text())["journey_cv"]["cvs"] == []
    out = tmp_path / "cv.json"
    call_command("cv_export", "--profile", str(profile), "--format", "json", "--out", str(out),
                 stderr=io.StringIO())  # fmt: skip
    document = json.loads(out.read_text())
    assert validation_errors(document) == []
    assert [w["position"] for w in document["work"]] == ["IT-projektledare", "Systemutvecklare"]
    assert "Projektledning, IT" in [s["name"] for s in document["skills"]]


def test_cv_export_refuses_what_is_not_a_portable_profile(tmp_path: Path) -> None:
    bad = tmp_path / "resume.json"
    bad.write_text('{"basics": {"name": "A"}}')
    with pytest.raises(CommandError, match="not a portable profile"):
        call_command(
            "cv_export", "--profile", str(bad), "--format", "pdf", "--out", str(tmp_path / "x.pdf")
        )
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command(
            "cv_export",
            "--profile",
            str(broken),
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "x.pdf"),
        )
    empty = tmp_path / "empty.json"
    empty.write_text('{"schema": "vagval.portable-profile", "version": 1}')
    with pytest.raises(CommandError, match="no CV and no competence inventory"):
        call_command(
            "cv_export",
            "--profile",
            str(empty),
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "x.pdf"),
        )
    assert not (tmp_path / "x.pdf").exists()
