"""Import: a JSON Resume file, or an old CV as PDF or DOCX, becomes a draft CV the client reviews
(skills matched to taxonomy concepts). Bad input is refused with a message that says why, and
nothing the client already has is touched."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from journey.cv.models import Cv
from journey.models import ClientProfile, CompetenceSkill
from tests.journey.fixtures import cvfiles

from .conftest import IT_PROJECT_MANAGER, JAVA, SCRUM
from .helpers import create_cv, page_text

pytestmark = pytest.mark.usefixtures("taxonomy_loaded")

RESUME: dict[str, Any] = {
    "basics": {
        "name": "Karin Berg",
        "label": "Projektledare",
        "email": "karin.cv@example.se",
        "summary": "Projektledare med bakgrund som utvecklare. <script>alert('x')</script>",
        "location": {"city": "Göteborg"},
    },
    "work": [
        {
            "name": "Volvo Cars",
            "position": "IT-projektledare",
            "startDate": "2016-03",
            "summary": "Ledde agila projekt.",
            "highlights": ["Levererade nytt MES-system i tid"],
        },
        {"name": "Ericsson", "position": "Systemutvecklare", "startDate": "2008-08",
         "endDate": "2016-02"},
    ],
    "education": [{"institution": "Chalmers", "area": "Datateknik", "studyType": "Civilingenjör",
                   "startDate": "2003", "endDate": "2008"}],
    "skills": [{"name": "Scrum"}, {"name": "Java"}, {"name": "Vattenpolo på elitnivå"}],
    "languages": [{"language": "Swedish", "fluency": "Native speaker"},
                  {"language": "Engelska", "fluency": "Flytande"}],
}  # fmt: skip


def upload(browser: Client, name: str, data: bytes, content_type: str = "application/octet-stream"):  # type: ignore[no-untyped-def]
    return browser.post(
        "/resa/cv/importera/", {"file": SimpleUploadedFile(name, data, content_type=content_type)}
    )


def test_a_json_resume_becomes_a_draft_with_taxonomy_skills(
    inventory: ClientProfile, browser: Client
) -> None:
    response = upload(browser, "resume.json", json.dumps(RESUME).encode())
    assert response.status_code == 302
    cv = Cv.objects.get()
    assert response.url == f"/resa/cv/{cv.pk}/"
    assert cv.is_draft and cv.origin == "import_json"
    assert [e["title"] for e in cv.content["experience"]] == [
        "IT-projektledare",
        "Systemutvecklare",
    ]
    assert "• Levererade nytt MES-system i tid" in cv.content["experience"][0]["description"]
    assert cv.content["experience"][0]["current"] is True
    education = cv.content["education"][0]
    assert (education["name"], education["institution"], education["end_year"]) == (
        "Civilingenjör Datateknik",
        "Chalmers",
        2008,
    )
    assert {SCRUM, JAVA} <= {s["concept_id"] for s in cv.content["skills"]}
    assert {s["label"] for s in cv.content["languages"]} == {"Svenska", "Engelska"}
    assert "<script>" not in cv.content["basics"]["summary"]
    assert cv.content["basics"]["summary"].startswith("Projektledare med bakgrund")
    text = page_text(browser.get(response.url))
    assert "Granska ditt importerade CV" in text
    assert "Vattenpolo på elitnivå" in text  # told which skills were not recognised
    # Reviewing it: the draft becomes a CV, and its new skills become step 2 suggestions.
    browser.post(f"/resa/cv/{cv.pk}/import-klar/", {"suggest_skills": "1"})
    cv.refresh_from_db()
    assert not cv.is_draft
    scrum = CompetenceSkill.objects.get(client=inventory, skill_id=SCRUM)
    assert scrum.status == "suggested" and scrum.source == "from_cv"
    java = CompetenceSkill.objects.get(client=inventory, skill_id=JAVA)
    assert java.status == "accepted"  # what the client had already accepted is untouched


def test_our_own_json_export_imports_back_with_the_same_concepts(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    exported = browser.get(f"/resa/cv/{cv.pk}/ladda-ner/json/").content
    upload(browser, "export.json", exported)
    imported = Cv.objects.exclude(pk=cv.pk).get()
    assert {s["concept_id"] for s in imported.content["skills"]} == {
        s["concept_id"] for s in cv.content["skills"]
    }


@pytest.mark.parametrize(
    ("name", "make"),
    [("gammalt-cv.pdf", cvfiles.pdf_with_text), ("gammalt-cv.docx", cvfiles.docx_with_text)],
)
def test_an_old_cv_file_becomes_a_draft(
    inventory: ClientProfile, browser: Client, name: str, make
) -> None:  # type: ignore[no-untyped-def]
    response = upload(browser, name, make())
    assert response.status_code == 302, page_text(browser.get("/resa/cv/"))
    cv = Cv.objects.get()
    assert cv.is_draft and cv.origin == "import_file"
    assert cv.content["basics"]["name"] == "Karin Andersson"
    titles = [e["title"] for e in cv.content["experience"]]
    assert titles[0].startswith("Projektledare")
    developer = next(e for e in cv.content["experience"] if e["title"] == "Systemutvecklare")
    assert developer["employer"] == "Ericsson AB" and developer["start"] == "2010-01"
    assert {SCRUM, JAVA} <= {s["concept_id"] for s in cv.content["skills"]}
    assert "Svenska" in {s["label"] for s in cv.content["languages"]}


def _many_pages(n: int) -> bytes:
    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD_UPLOADS = [
    ("stort.pdf", cvfiles.oversized_pdf, "större än 10 MB"),
    ("lang.pdf", lambda: _many_pages(21), "fler än 20 sidor"),
    ("hemlig.pdf", cvfiles.encrypted_pdf, "lösenordsskyddad"),
    ("trasig.pdf", cvfiles.broken_pdf, "trasig"),
    ("trasig.docx", cvfiles.broken_docx, "trasig"),
    ("bomb.docx", cvfiles.zip_bomb_docx, "orimligt stor"),
    ("cv.pdf", cvfiles.renamed_exe, "inte en PDF eller ett Word-dokument"),
    ("cv.doc", cvfiles.old_word_doc, "Äldre Word-filer"),
    ("skannad.pdf", cvfiles.scanned_pdf, "ingen text"),
    ("resume.json", lambda: b'{"basics": {"name": "A"', "inte giltig JSON"),
    ("resume.json", lambda: json.dumps({"basics": {"email": "x"}, "jobb": []}).encode(),
     "följer inte JSON Resume-formatet"),
    ("resume.json", lambda: b"[1, 2, 3]", "inte ett JSON Resume-CV"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "make", "message"), BAD_UPLOADS, ids=[b[0] + ":" + b[2][:12] for b in BAD_UPLOADS]
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_is_lost(
    inventory: ClientProfile,
    browser: Client,
    name: str,
    make,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    existing = create_cv(browser, target=IT_PROJECT_MANAGER)
    before = (existing.content, existing.edit_count)
    response = upload(browser, name, make())
    assert response.status_code == 302 and response.url.endswith("/resa/cv/#importera")
    text = page_text(browser.get(response.url))
    assert message in text, text[:600]
    assert Cv.objects.count() == 1
    existing.refresh_from_db()
    assert (existing.content, existing.edit_count) == before


def test_script_in_text_fields_is_removed_and_the_client_told(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    response = browser.post(
        f"/resa/cv/{cv.pk}/spara/basics/",
        {
            "name": "Karin <b>Berg</b>",
            "summary": "Driven.<script>fetch('/x')</script> <img src=x onerror=alert(1)>Lugn.",
            "city": "Göteborg",
        },
        follow=True,
    )
    assert "Vi tog bort kod (HTML eller skript) ur texten" in page_text(response)
    cv.refresh_from_db()
    basics = cv.content["basics"]
    assert basics["name"] == "Karin Berg" and basics["city"] == "Göteborg"
    assert basics["summary"] == "Driven. Lugn."
    # Text that only looks like markup to a careless filter is kept as written.
    browser.post(
        f"/resa/cv/{cv.pk}/spara/basics/",
        {"name": "Karin Berg", "summary": "Lön > 40 000 & bil < 3 år"},
    )
    cv.refresh_from_db()
    assert cv.content["basics"]["summary"] == "Lön > 40 000 & bil < 3 år"
    pdf = browser.get(f"/resa/cv/{cv.pk}/ladda-ner/pdf/").content
    from journey.cv.render import pdf_text

    assert "Lön > 40 000 & bil < 3 år" in pdf_text(pdf)
