"""Step 2's CV upload: an old CV (PDF or DOCX) becomes suggestions, and every kind of bad file is
refused with a message that says why, before anything is stored."""

from __future__ import annotations

import io
import zipfile

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from journey.cvparse import (
    MAX_BYTES,
    REFUSALS,
    CvRefused,
    cv_text_extract,
    experience_lines,
    zip_check,
)
from journey.models import (
    ClientProfile,
    CompetenceSkill,
    CvUpload,
    Experience,
    JourneyChange,
    LanguageSkill,
)
from journey.services import competence as services
from tests.journey.fixtures import cvfiles

pytestmark = pytest.mark.usefixtures("taxonomy_loaded")

SCRUM = "Cnqu_REg_6jo"
JAVA = "jCsR_WQX_CKD"
ITIL_FOUNDATION = "LDRm_rQW_Q3N"
SWEDISH = "zSLA_vw2_FXN"
ENGLISH = "NVxJ_hLg_TYS"
GERMAN = "S368_jFS_2hP"
IT_PROJECT_MANAGER = "z5AM_ayf_WcL"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


def upload(browser: Client, name: str, data: bytes, content_type: str = "application/pdf"):  # type: ignore[no-untyped-def]
    return browser.post(
        "/resa/kompetens/cv/", {"cv": SimpleUploadedFile(name, data, content_type=content_type)}
    )


# ---- a good CV becomes suggestions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"),
    [("cv.docx", cvfiles.docx_with_text), ("cv.pdf", cvfiles.pdf_with_text)],
)
def test_an_old_cv_becomes_suggestions_of_skills_languages_and_jobs(
    browser: Client, profile: ClientProfile, name: str, make
) -> None:  # type: ignore[no-untyped-def]
    response = upload(browser, name, make())
    assert response.status_code == 302 and response.url == "/resa/kompetens/kompetenser/"
    stored = CvUpload.objects.get(client=profile)
    assert "Projektledare, IT, Volvo Cars" in stored.text
    assert stored.kind == name.rsplit(".", 1)[1]
    # Skills named in the CV are suggestions, each saying where it was found.
    skills = {s.skill_id: s for s in CompetenceSkill.objects.filter(client=profile)}
    assert {SCRUM, JAVA} <= set(skills)
    assert all(s.status == "suggested" and s.source == "from_cv" for s in skills.values())
    assert skills[SCRUM].reasons[0]["sv"] == "Står i ditt CV: ”Scrum”"
    if name.endswith(".docx"):
        assert ITIL_FOUNDATION in skills  # from the table
    # Languages too, for the client to rate.
    languages = set(
        LanguageSkill.objects.filter(client=profile, status="suggested").values_list(
            "language_id", flat=True
        )
    )
    assert {SWEDISH, ENGLISH, GERMAN} <= languages
    # Jobs with recognisable titles and dates, marked as suggestions.
    jobs = {e.title: e for e in Experience.objects.filter(client=profile, status="suggested")}
    manager = jobs["Projektledare, IT"]
    assert (manager.employer, manager.occupation_id) == ("Volvo Cars", IT_PROJECT_MANAGER)
    assert (str(manager.start_date), str(manager.end_date)) == ("2018-03-01", "2024-06-01")
    assert manager.source == "from_cv"
    developer = jobs["Systemutvecklare"]
    assert developer.employer == "Ericsson AB"
    assert developer.start_date is not None and developer.end_date is not None
    assert (developer.start_date.year, developer.end_date.year) == (2010, 2018)
    assert "Civilingenjör datateknik" not in jobs  # an education line names no occupation
    # Nothing is in the profile until the client says yes.
    assert services.competence_profile_rebuild(client=profile).skills == []
    page = text(browser.get("/resa/kompetens/kompetenser/"))
    assert "Står i ditt CV" in page
    change = JourneyChange.objects.get(client=profile, kind="new_results")
    assert change.message_sv.startswith("Vi läste ditt CV och hittade")


def test_suggested_jobs_from_the_cv_are_accepted_or_declined_and_not_suggested_twice(
    browser: Client, profile: ClientProfile
) -> None:
    upload(browser, "cv.docx", cvfiles.docx_with_text())
    manager = Experience.objects.get(client=profile, title="Projektledare, IT")
    developer = Experience.objects.get(client=profile, title="Systemutvecklare")
    page = text(browser.get("/resa/kompetens/erfarenheter/"))
    assert "Förslag från ditt CV – stämmer det?" in page
    browser.post(f"/resa/kompetens/erfarenheter/{manager.pk}/lagg-till/")
    browser.post(f"/resa/kompetens/erfarenheter/{developer.pk}/ta-bort/")
    manager.refresh_from_db()
    developer.refresh_from_db()
    assert (manager.status, developer.status) == ("accepted", "rejected")
    profile_row = services.competence_profile_rebuild(client=profile)
    assert [o["concept_id"] for o in profile_row.occupations] == [IT_PROJECT_MANAGER]
    # The same CV again suggests no job twice.
    upload(browser, "cv.docx", cvfiles.docx_with_text())
    assert Experience.objects.filter(client=profile).count() == 2


def test_the_page_says_the_file_is_not_kept_and_the_text_can_be_deleted(
    browser: Client, profile: ClientProfile
) -> None:
    page = text(browser.get("/resa/kompetens/cv/"))
    assert "Filen sparas inte." in page
    upload(browser, "mitt-cv.pdf", cvfiles.pdf_with_text())
    stored = CvUpload.objects.get(client=profile)
    assert "mitt-cv.pdf" in text(browser.get("/resa/kompetens/cv/"))
    browser.post(f"/resa/kompetens/cv/{stored.pk}/radera/")
    assert not CvUpload.objects.filter(client=profile).exists()
    # The suggestions it gave stay.
    assert CompetenceSkill.objects.filter(client=profile, source="from_cv").exists()


def test_an_owner_password_only_pdf_opens_like_any_reader_would(profile: ClientProfile) -> None:
    data = cvfiles.owner_only_pdf()
    result = cv_text_extract(stream=io.BytesIO(data), size=len(data))
    assert "Projektledare, IT, Volvo Cars" in result.text


# ---- bad files are refused, each with its reason ---------------------------------------------


BAD_FILES = [
    ("encrypted", "cv.pdf", cvfiles.encrypted_pdf, "PDF-filen är lösenordsskyddad."),
    ("zip_bomb", "cv.docx", cvfiles.zip_bomb_docx, "packas upp till en orimligt stor storlek"),
    ("wrong_type", "cv.pdf", cvfiles.renamed_exe, "Filen är inte en PDF eller ett Word-dokument"),
    ("old_word", "cv.doc", cvfiles.old_word_doc, "Äldre Word-filer (.doc) kan vi inte läsa."),
    ("broken", "cv.pdf", cvfiles.broken_pdf, "Filen verkar vara trasig"),
    ("broken", "cv.docx", cvfiles.broken_docx, "Filen verkar vara trasig"),
    ("no_text", "skannad.pdf", cvfiles.scanned_pdf, "Vi hittade ingen text i filen"),
]


@pytest.mark.parametrize(("code", "name", "make", "message"), BAD_FILES)
def test_each_bad_upload_is_refused_with_its_message_and_nothing_is_stored(
    browser: Client, profile: ClientProfile, code: str, name: str, make, message: str
) -> None:  # type: ignore[no-untyped-def]
    data = make()
    with pytest.raises(CvRefused) as refused:
        cv_text_extract(stream=io.BytesIO(data), size=len(data))
    assert refused.value.code == code
    response = upload(browser, name, data)
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content.decode())
    assert message in doc.get_element_by_id("error-summary").text_content()
    assert doc.get_element_by_id("id_cv").get("aria-invalid") == "true"
    assert not CvUpload.objects.exists()
    assert not CompetenceSkill.objects.exists()


def test_a_zip_that_is_not_a_word_document_is_the_wrong_type() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bilder/semester.txt", "inte ett CV")
    data = out.getvalue()
    with pytest.raises(CvRefused) as refused:
        cv_text_extract(stream=io.BytesIO(data), size=len(data))
    assert refused.value.code == "wrong_type"


def test_the_zip_bomb_check_reads_only_the_declared_sizes() -> None:
    """The member is never decompressed: a bomb of 1 GB is refused as fast as one of 20 MB."""
    archive = zipfile.ZipFile(io.BytesIO(cvfiles.zip_bomb_docx(megabytes=20)))
    with pytest.raises(CvRefused):
        zip_check(archive)
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as members:
        for i in range(2_001):
            members.writestr(f"word/part{i}.xml", "<x/>")
    with pytest.raises(CvRefused):
        zip_check(zipfile.ZipFile(many))


def test_an_oversized_file_is_refused_before_it_is_read(
    browser: Client, profile: ClientProfile
) -> None:
    class Unreadable(io.BytesIO):
        def read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError("an oversized file must not be read")

    with pytest.raises(CvRefused) as refused:
        cv_text_extract(stream=Unreadable(), size=MAX_BYTES + 1)
    assert refused.value.code == "too_large"
    # Through the page: an 11 MB upload is refused on the request's declared length.
    response = upload(browser, "stort-cv.pdf", cvfiles.oversized_pdf())
    assert response.status_code == 413
    assert REFUSALS["too_large"].sv in text(response)
    assert not CvUpload.objects.exists()


def test_a_missing_file_is_explained(browser: Client) -> None:
    response = browser.post("/resa/kompetens/cv/", {})
    assert response.status_code == 400
    assert "Välj en fil att ladda upp." in text(response)


def test_the_messages_exist_in_english_too() -> None:
    assert CvRefused("encrypted").message("en").startswith("The PDF is password-protected")


# ---- recognising jobs in CV text ------------------------------------------------------------


def test_job_lines_with_dates_are_found_best_effort() -> None:
    lines = experience_lines(
        "Konsult | Acme AB | jan 2021 – nu\n"
        "Född 1980-05-12\n"
        "Lagerarbetare, ICA 03/2005 - 12/2007\n"
        "Säljare\n2008 – 2010\n"
    )
    assert [(x.title, x.employer, x.start, x.end, x.ongoing) for x in lines] == [
        ("Konsult", "Acme AB", (2021, 1), None, True),
        ("Lagerarbetare", "ICA", (2005, 3), (2007, 12), False),
        ("Säljare", "", (2008, 1), (2010, 12), False),
    ]
