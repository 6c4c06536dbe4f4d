"""The adviser portal's English: every Swedish string in `advisers` has an English translation in
`advisers/locale/en`, the compiled catalogue matches it, and every page of the portal (the
adviser's and the client's Min rådgivare) speaks English when English is chosen.

The completeness test extracts the strings afresh with Django's `makemessages` from a copy of
the app, so a string added to a template or to Python code without a translation fails it. The
page test finds what `makemessages` cannot: Swedish written outside gettext."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisers import services
from advisers.models import MeetingMode, Recommendation
from tests.i18n import Catalogue, catalogue_check, po_read, strings_extract, translations_missing
from vagval.accounts.models import User

from .conftest import case_of, login, make_adviser, make_client, publish_slot

ADVISERS = Path(__file__).resolve().parents[2] / "advisers"
CATALOGUE = ADVISERS / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return strings_extract(ADVISERS, tmp_path_factory.mktemp("extract"))


def test_every_adviser_portal_string_is_translated_into_english(extracted: Catalogue) -> None:
    assert len(extracted) > 300, "the extraction found the strings"
    missing, untranslated = translations_missing(extracted, po_read(CATALOGUE / "django.po"))
    assert not missing, f"not in advisers/locale/en (run makemessages and translate): {missing}"
    assert not untranslated, f"empty or fuzzy English translations: {untranslated}"


def test_translations_keep_their_placeholders_and_are_compiled() -> None:
    catalogue_check(CATALOGUE)


# ---- every page in English -------------------------------------------------------------------

SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
# What the pages may show in Swedish because it is not interface text: the people's names and
# the places the test data uses (none have å, ä or ö), and the language switch, which names
# Swedish in Swedish on purpose.
ALLOWED = {"Svenska", "Vägval", "Vägval – logotyp"}


def visible_texts(page: str) -> list[str]:
    """The text nodes and the readable attributes (aria-label, title, alt, placeholder) of a
    page's <body>, without scripts and styles."""
    body = re.split(r"<body[^>]*>", page, maxsplit=1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S | re.I)
    attributes = re.findall(r'\s(?:aria-label|title|alt|placeholder)="([^"]*)"', body)
    nodes = re.split(r"<[^>]+>", body)
    texts = [" ".join(html.unescape(t).split()) for t in [*nodes, *attributes]]
    return [t for t in texts if t]


def swedish_left(
    page: str, swedish_ui: set[str], data: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """Text on the page that is Swedish interface text: a string of the portal's catalogue as
    it is in Swedish, or any text with å, ä or ö that is not in `data`."""
    allowed = ALLOWED | data
    return [
        t
        for t in visible_texts(page)
        if t not in allowed and (t in swedish_ui or SWEDISH_LETTERS.search(t.replace("Vägval", "")))
    ]


@pytest.fixture
def taxonomy_sv(taxonomy_loaded: str) -> set[str]:
    """Names the profile page lists from the JobTech taxonomy that have no English label there
    (the regions, the occupational fields): data, shown as the taxonomy has them."""
    from vagval.taxonomy.models import Concept

    rows = list(
        Concept.objects.filter(
            type__in=["region", "ssyk-level-2"], label_en__isnull=True
        ).values_list("code", "label_sv")
    )
    assert rows, "the taxonomy is loaded"
    return {label for _code, label in rows} | {f"{code} {label}" for code, label in rows}


@pytest.fixture
def swedish_ui() -> set[str]:
    """The portal's Swedish strings whose English differs (short ones are easy to miss)."""
    return {
        e.msgid.rstrip(":")
        for e in po_read(CATALOGUE / "django.po").values()
        if e.strings.get(0) and e.strings[0] != e.msgid and "%(" not in e.msgid
    }


def english(user: User) -> Client:
    browser = login(user)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


@pytest.fixture
def portal(db: None) -> dict[str, object]:
    """A team lead with a profile, a client with a full case (step, note, message, meeting, tip,
    seminar) and a second client who asked for another adviser. Names without å, ä, ö."""
    lead = make_adviser(
        is_team_lead=True,
        title="Career adviser",
        presentation_en="I help you find the next job.",
        video_room_url="https://video.example.com/room-1",
    )
    User.objects.filter(pk=lead.pk).update(first_name="Anna", last_name="Berg")
    lead.refresh_from_db()
    karin = make_client(
        adviser=lead, first_name="Karin", last_name="Lind", stage="market", last_day_in=20
    )
    case = case_of(karin)
    services.next_step_add(
        case=case,
        text="Update the CV",
        actor=lead,
        due_date=timezone.localdate() + dt.timedelta(days=1),
    )
    services.note_add(case=case, body="First contact went well.", actor=lead)
    services.message_send(case=case, sender=karin, body="Hello, can we meet next week?")
    slot = publish_slot(lead, days=3)
    publish_slot(lead, days=4)
    meeting = services.meeting_book(
        case=case, slot_id=slot.pk, mode=MeetingMode.VIDEO, actor=karin, agenda="My CV"
    )
    start = timezone.localtime() + dt.timedelta(days=10)
    seminar = services.seminar_create(
        host=lead,
        title="CV workshop",
        topic="cv",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        location="Kungsgatan 12",
        capacity=10,
    )
    services.seminar_register(seminar=seminar, client=karin)
    services.recommendation_create(
        case=case,
        kind=Recommendation.Kind.ARTICLE,
        url="https://example.com/interviews",
        title="Ten interview questions",
        actor=lead,
    )
    olle = make_client(adviser=lead, first_name="Olle", last_name="Strand", shares=False)
    services.change_request_create(client=olle, reason="", wished_language="en")
    return {
        "lead": lead,
        "karin": karin,
        "meeting": meeting.pk,
        "seminar": seminar.pk,
        "olle_case": case_of(olle).pk,
    }


def adviser_urls(portal: dict[str, object]) -> list[str]:
    karin = portal["karin"].pk  # type: ignore[attr-defined]
    meeting = portal["meeting"]
    return [
        reverse("advisers:caseload"),
        reverse("advisers:caseload") + "?signal=deadline&sort=name",
        reverse("advisers:client", kwargs={"client_id": karin}),
        reverse("advisers:messages", kwargs={"client_id": karin}),
        reverse("advisers:meeting_book", kwargs={"client_id": karin}),
        reverse("advisers:meeting", kwargs={"client_id": karin, "meeting_id": meeting}),
        reverse("advisers:recommend", kwargs={"client_id": karin}),
        reverse("advisers:outcome", kwargs={"client_id": karin}),
        reverse("advisers:slots"),
        reverse("advisers:seminars"),
        reverse("advisers:seminar_create"),
        reverse("advisers:seminar", kwargs={"seminar_id": portal["seminar"]}),
        reverse("advisers:figures"),
        reverse("advisers:profile"),
        reverse("advisers:team"),
        reverse("advisers:reassign", kwargs={"case_id": portal["olle_case"]}),
    ]


def client_urls(portal: dict[str, object]) -> list[str]:
    return [
        reverse("advisers:client_home"),
        reverse("advisers:client_book"),
        reverse("advisers:client_meeting", kwargs={"meeting_id": portal["meeting"]}),
        reverse("advisers:client_messages"),
        reverse("advisers:client_change"),
        reverse("advisers:client_seminars"),
        reverse("advisers:client_outcome"),
        reverse("advisers:client_sharing"),
    ]


def test_every_adviser_page_is_in_english_when_english_is_chosen(
    portal: dict[str, object], swedish_ui: set[str], taxonomy_sv: set[str]
) -> None:
    browser = english(portal["lead"])  # type: ignore[arg-type]
    for url in adviser_urls(portal):
        response = browser.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="en">' in page, url
        assert swedish_left(page, swedish_ui, taxonomy_sv) == [], url
    caseload = browser.get(reverse("advisers:caseload")).content.decode()
    for text in ("My clients", "Last working day soon", "Unread message", "Wants another adviser"):
        assert text in caseload, text
    assert "Signal:" in caseload and "No activity for a long time" in caseload  # the filter
    profile = browser.get(reverse("advisers:profile")).content.decode()
    assert "Västra Götalands län" in profile, "regions are listed (as the taxonomy names them)"


def test_every_min_radgivare_page_is_in_english_when_english_is_chosen(
    portal: dict[str, object], swedish_ui: set[str]
) -> None:
    browser = english(portal["karin"])  # type: ignore[arg-type]
    for url in client_urls(portal):
        response = browser.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="en">' in page, url
        assert swedish_left(page, swedish_ui) == [], url
    home = browser.get(reverse("advisers:client_home")).content.decode()
    assert "My adviser" in home and "Update the CV" in home


def test_the_check_finds_swedish_on_a_swedish_page(
    portal: dict[str, object], swedish_ui: set[str]
) -> None:
    """The page check itself: the same caseload in Swedish is full of Swedish."""
    page = login(portal["lead"]).get(reverse("advisers:caseload")).content.decode()  # type: ignore[arg-type]
    left = swedish_left(page, swedish_ui)
    assert "Mina klienter" in left and "Steg" in left
