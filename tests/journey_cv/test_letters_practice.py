"""Cover letters (their own documents, linked to a tracked application and the CV version sent,
drafted from the ad, the profile and the client's template; PDF and DOCX), interview practice
(question bank as data, a set generated for an ad, STAR answers, sharing without the private
note) and pitch practice."""

from __future__ import annotations

import io

import docx
import pytest
from django.test import Client
from pypdf import PdfReader

from journey.cv.models import CoverLetter, InterviewQuestion, Pitch, PracticeSet
from journey.cv.selectors import cv_links_for_applications, practice_sets_shared
from journey.cv.services import pitch_word_budget, spoken_seconds
from journey.models import ClientProfile
from journey.services.feed import application_save

from .conftest import IT_PROJECT_MANAGER, JAVA
from .helpers import create_cv, page_text

pytestmark = pytest.mark.usefixtures("taxonomy_loaded")


def _java_ad():  # type: ignore[no-untyped-def]
    from vagval.jobs.selectors import ads_active

    return next(a for a in ads_active().order_by("pk") if JAVA in (a.skill_ids or []))


def test_a_letter_is_drafted_for_a_tracked_application_and_exported(
    ads: None,
    inventory: ClientProfile,
    browser: Client,
) -> None:
    ad = _java_ad()
    application = application_save(client=inventory, ad_id=ad.pk)
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    form = page_text(browser.get(f"/resa/cv/brev/nytt/?ansokan={application.pk}"))
    assert ad.headline in form
    response = browser.post(
        "/resa/cv/brev/nytt/",
        {"application": str(application.pk), "cv": str(cv.pk), "language": "sv"},
    )
    assert response.status_code == 302
    letter = CoverLetter.objects.get()
    assert letter.application_id == application.pk and letter.ad_id == ad.pk
    assert letter.cv == cv and letter.cv_version.number == 1
    assert ad.headline in letter.body and ad.employer_name in letter.body
    assert "java" in letter.body.lower()  # a competence the ad asks for and the client has
    assert "Jag arbetar i dag som IT-projektledare på Volvo Cars." in letter.body
    assert letter.body.rstrip().endswith("Karin Berg")
    # The tracker can show what was sent with the application.
    links = cv_links_for_applications(client=inventory, application_ids=[application.pk])
    assert links[application.pk][0]["cv_version"] == 1
    # The client rewrites it; it is theirs.
    own = "Hej!\n\nJag vill arbeta hos er.\n\nVänliga hälsningar\nKarin"
    browser.post(
        f"/resa/cv/brev/{letter.pk}/",
        {
            "title": letter.title,
            "recipient": "Rekryteraren",
            "job_title": ad.headline,
            "body": own,
            "cv": str(cv.pk),
        },
    )
    letter.refresh_from_db()
    assert letter.body == own
    pdf = browser.get(f"/resa/cv/brev/{letter.pk}/ladda-ner/pdf/").content
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Jag vill arbeta hos er." in text and "Karin Berg" in text
    assert reader.trailer["/Root"]["/Lang"] == "sv" and "/StructTreeRoot" in reader.trailer["/Root"]
    document = docx.Document(
        io.BytesIO(browser.get(f"/resa/cv/brev/{letter.pk}/ladda-ner/docx/").content)
    )
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Title", "Heading"))
    ]
    assert headings == [("Title", "Karin Berg"), ("Heading 1", f"Ansökan: {ad.headline}")]


def test_the_clients_template_drafts_the_next_letter(
    inventory: ClientProfile, browser: Client
) -> None:
    browser.post(
        "/resa/cv/brev/mall/",
        {"language": "sv", "body": "Till {arbetsgivare}: {erfarenhet} /{namn} {okänd}"},
    )
    create_cv(browser, target=IT_PROJECT_MANAGER)
    browser.post("/resa/cv/brev/nytt/", {"application": "", "cv": "", "language": "sv"})
    letter = CoverLetter.objects.get()
    assert letter.body == "Till [arbetsgivare]:  /Karin Berg {okänd}"
    assert letter.application_id is None and letter.cv is None


def test_letters_are_deleted_softly_and_restored(inventory: ClientProfile, browser: Client) -> None:
    browser.post("/resa/cv/brev/nytt/", {"application": "", "cv": "", "language": "sv"})
    letter = CoverLetter.objects.get()
    browser.post(f"/resa/cv/brev/{letter.pk}/ta-bort/")
    assert browser.get(f"/resa/cv/brev/{letter.pk}/").status_code == 404
    assert "Borttaget (kan återställas i 30 dagar)" in page_text(browser.get("/resa/cv/"))
    browser.post(f"/resa/cv/brev/{letter.pk}/aterstall/")
    assert browser.get(f"/resa/cv/brev/{letter.pk}/").status_code == 200


# ---- interview practice ---------------------------------------------------------------------


def test_the_question_bank_is_seeded_and_editable_by_staff(db: None, admin_client: Client) -> None:
    kinds = set(InterviewQuestion.objects.values_list("kind", flat=True))
    assert kinds == {"star", "general", "redundancy"}
    assert InterviewQuestion.objects.filter(kind="star").exclude(skill_id="").exists()
    assert InterviewQuestion.objects.filter(kind="star").exclude(group_id="").exists()
    question = InterviewQuestion.objects.get(key="redundancy-why")
    assert admin_client.get("/django-admin/journey_cv/interviewquestion/").status_code == 200
    assert (
        admin_client.get(
            f"/django-admin/journey_cv/interviewquestion/{question.pk}/change/"
        ).status_code
        == 200
    )


def test_a_practice_set_for_an_ad_asks_about_its_competences_and_the_gaps(
    ads: None,
    inventory: ClientProfile,
    browser: Client,
) -> None:
    ad = _java_ad()
    application_save(client=inventory, ad_id=ad.pk)
    response = browser.post(
        "/resa/cv/intervju/", {"ad": str(ad.pk), "target": "", "language": "sv"}
    )
    assert response.status_code == 302
    practice = PracticeSet.objects.get()
    answers = list(practice.answers.order_by("order"))
    kinds = [a.kind for a in answers]
    assert kinds[0] == "star" and "general" in kinds and kinds[-1] == "redundancy"
    java = next(a for a in answers if a.skill_id == JAVA)
    assert java.question_text.startswith("Berätta om ett svårt fel i en Java-applikation")
    gaps = [a for a in answers if a.is_gap]
    held = {JAVA, "Pk2j_jXV_Y3j", "TMVb_DnH_etF", "Xnmr_kYS_YKY"}
    assert all(a.skill_id not in held for a in gaps)
    assert practice.basis["gaps"], "a real Java ad asks for more than Karin holds"
    assert gaps and "som du inte har arbetat med än" in gaps[0].question_text
    # Answering with STAR, a checklist and a private note.
    first = answers[0]
    prefix = f"a{first.pk}"
    browser.post(
        f"/resa/cv/intervju/{practice.pk}/svar/{first.pk}/",
        {
            f"{prefix}-situation": "Releasen stod still.",
            f"{prefix}-task": "Hitta felet.",
            f"{prefix}-action": "Jag profilerade <b>minnet</b>.",
            f"{prefix}-result": "Klart på en dag.",
            f"{prefix}-checklist": ["situation", "result"],
            f"{prefix}-note": "Nervös för denna",
        },
    )
    first.refresh_from_db()
    assert first.is_answered and first.action == "Jag profilerade minnet."
    assert first.checklist == ["situation", "result"] and first.note == "Nervös för denna"
    page = page_text(browser.get(f"/resa/cv/intervju/{practice.pk}/"))
    assert f"1 av {len(answers)} frågor besvarade" in page and "Så svarar du med STAR" in page
    # Shared with the adviser: answers yes, the private note never.
    assert practice_sets_shared(client=inventory) == []
    browser.post(f"/resa/cv/intervju/{practice.pk}/dela/", {"share": "1"})
    shared = practice_sets_shared(client=inventory)
    assert shared[0]["answers"][0]["action"] == "Jag profilerade minnet."
    assert "Nervös" not in str(shared)
    browser.post(f"/resa/cv/intervju/{practice.pk}/dela/", {"share": "0"})
    assert practice_sets_shared(client=inventory) == []


def test_a_general_practice_set_without_an_ad(inventory: ClientProfile, browser: Client) -> None:
    browser.post("/resa/cv/intervju/", {"ad": "", "target": "", "language": "en"})
    practice = PracticeSet.objects.get()
    texts = [a.question_text for a in practice.answers.all()]
    assert "Tell me a little about yourself." in texts
    assert "Why did you leave your last job?" in texts


# ---- pitch ----------------------------------------------------------------------------------


def test_pitch_drafts_word_counts_and_saving(inventory: ClientProfile, browser: Client) -> None:
    page = browser.get("/resa/cv/pitch/")
    text = page_text(page)
    assert "30 sekunder" in text and "60 sekunder" in text and "120 sekunder" in text
    assert "Jag heter Karin." in text and "Jag arbetar som IT-projektledare på Volvo Cars." in text
    assert 'src="/static/journey_cv/pitch.js"' in page.content.decode()
    words = " ".join(["ord"] * 140)
    response = browser.post("/resa/cv/pitch/", {"seconds": "60", "language": "sv", "text": words})
    assert response.status_code == 302
    assert Pitch.objects.get(client=inventory, seconds=60).text == words
    assert "140 ord · 56–65 s att säga" in page_text(browser.get("/resa/cv/pitch/"))
    assert (
        browser.post(
            "/resa/cv/pitch/", {"seconds": "45", "language": "sv", "text": "x"}
        ).status_code
        == 200
    )
    assert Pitch.objects.count() == 1


def test_spoken_length_estimate() -> None:
    assert spoken_seconds(130) == (52, 60)  # 150 and 130 words a minute
    assert pitch_word_budget(30) == 65 and pitch_word_budget(120) == 260
