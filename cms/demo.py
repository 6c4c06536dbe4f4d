"""Demo content for the public debate site, written for the demo (`make demo` → `load_demo`).

Builds the tree (Swedish home with its sections, about page and accessibility statement, and
an English translation of the home, sections, about page and one article), a handful of pieces,
a debate with a reply and a final reply, a report with its PDF, two events (one full, with a
waiting list), authors, topics, an approved reader comment and one submission waiting in the
moderation queue. Idempotent: anything already there (found by slug) is left as it is.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from cms import services
from cms.cache import page_cache_clear
from cms.models import (
    AboutPage,
    AccessibilityStatementPage,
    AnalysisIndexPage,
    ArticlePage,
    Author,
    DebateIndexPage,
    DebatePage,
    EventIndexPage,
    EventPage,
    EventRegistration,
    HomePage,
    ReaderSubmission,
    ReportIndexPage,
    ReportPage,
    Topic,
)
from vagval.web.demoloader import DemoLogin

DEMO_WRITER_EMAIL = "skribent@demo.vagval.se"
EDITORS_GROUP = "Redaktörer"
WRITERS_GROUP = "Skribenter"


def load_demo_data(*, stdout: TextIO) -> list[DemoLogin]:
    sv = Locale.objects.get_or_create(language_code="sv")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    home = _site_tree(sv=sv, stdout=stdout)
    sections = {type(p).__name__: p for p in (c.specific for c in home.get_children())}
    topics = _topics(sv=sv, en=en)
    authors = _authors(sv=sv)
    image = _demo_image()

    article = _article_ai(sections["AnalysisIndexPage"], topics, authors, image)
    _article_midcareer(sections["AnalysisIndexPage"], topics, authors)
    opening = _debate(sections["DebateIndexPage"], topics, authors)
    _report(sections["ReportIndexPage"], topics, authors)
    _events(sections["EventIndexPage"], topics)
    _english(home=home, en=en, article=article)
    _reader_activity(article=article, opening=opening)
    page_cache_clear()
    stdout.write(
        f"  webbplatsen: {Page.objects.live().filter(depth__gte=2).count()} publicerade sidor\n"
    )
    return _editorial_users(stdout=stdout)


# --- helpers ------------------------------------------------------------------------------------


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _child(parent: Page, model: type[Page], slug: str, **fields: Any) -> Any:
    """The child with this slug, created and published if it does not exist yet."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    m2m = {name: fields.pop(name) for name in ("authors", "topics") if name in fields}
    page = model(slug=slug, locale_id=parent.locale_id, **fields)
    for name, values in m2m.items():
        getattr(page, name).set(values)
    parent.add_child(instance=page)
    return _publish(page)


def _rt(*paragraphs: str) -> RichText:
    return RichText("".join(f"<p>{p}</p>" for p in paragraphs))


def _site_tree(*, sv: Locale, stdout: TextIO) -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=sv, depth=2).first()
    if home is None:
        home = HomePage(
            title="Vägval – framtidens arbetsliv",
            slug="vagval",
            locale=sv,
            intro=(
                "Debatt, analyser och rapporter om omställning och framtidens arbetsliv "
                "från Vägval, omställningsstödet för tjänstemän."
            ),
        )
        root.add_child(instance=home)
        _publish(home)
        stdout.write("  skapade startsidan\n")
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    url = urlparse(settings.SITE_URL)
    site.root_page = home
    site.site_name = "Vägval"
    site.hostname = url.hostname or "localhost"
    site.port = url.port or (443 if url.scheme == "https" else 80)
    site.save()
    # Wagtail's placeholder "Welcome" page is replaced by ours.
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()

    _child(
        home,
        DebateIndexPage,
        "debatt",
        title="Debatt",
        show_in_menus=True,
        intro="Debattinlägg, repliker och slutrepliker om arbetslivets förändring.",
    )
    _child(
        home,
        AnalysisIndexPage,
        "analys",
        title="Analys",
        show_in_menus=True,
        intro="Fördjupningar om arbetsmarknaden, kompetens och omställning.",
    )
    _child(
        home,
        ReportIndexPage,
        "rapporter",
        title="Rapporter",
        show_in_menus=True,
        intro="Våra rapporter med sammanfattningar och nyckeltal.",
    )
    _child(
        home,
        EventIndexPage,
        "evenemang",
        title="Evenemang",
        show_in_menus=True,
        intro="Seminarier och webbinarier, på plats och digitalt.",
    )
    about = _child(
        home,
        AboutPage,
        "om-vagval",
        title="Om Vägval",
        show_in_menus=True,
        intro="Vägval stöttar tjänstemän som har blivit uppsagda eller riskerar att bli det.",
        body=[
            (
                "paragraph",
                _rt(
                    "Vägval är ett omställningsstöd för tjänstemän i privat sektor. Vi hjälper "
                    "den som har förlorat jobbet, eller riskerar att göra det, att hitta ett nytt "
                    "jobb, börja studera eller starta eget.",
                    "På den här webbplatsen publicerar vi debatt, analyser och rapporter om "
                    "framtidens arbetsliv. Alla kan delta: skicka en replik eller en kommentar, "
                    "så granskar redaktionen den innan den publiceras.",
                ),
            ),
        ],
    )
    _child(
        about,
        AccessibilityStatementPage,
        "tillganglighet",
        title="Tillgänglighetsredogörelse",
        organisation_name="Vägval",
        compliance=AccessibilityStatementPage.Compliance.PARTIAL,
        contact_email="tillganglighet@vagval.se",
        contact_phone="08-123 456 00",
        known_barriers=[
            (
                "barrier",
                {
                    "title": "Inbäddade videor saknar ibland syntolkning",
                    "description": "Vissa inbäddade videor från seminarier har textning men "
                    "saknar syntolkning.",
                    "wcag": "1.2.5",
                    "fix_by": date(2027, 6, 30),
                },
            ),
            (
                "barrier",
                {
                    "title": "Äldre rapporter som PDF är inte fullt tillgängliga",
                    "description": "Rapporter publicerade före 2025 saknar taggad struktur. "
                    "Kontakta oss så får du innehållet i ett annat format.",
                    "wcag": "1.3.1",
                    "fix_by": None,
                },
            ),
        ],
        out_of_scope=_rt("Inspelade webbinarier publicerade före den 23 september 2020."),
        test_method=_rt(
            "Vi har gjort en självskattning (intern testning) av webbplatsen med "
            "tangentbord, skärmläsare (NVDA och VoiceOver), 200 % förstoring och automatiska "
            "verktyg. Vi testar även med 360 pixlars skärmbredd."
        ),
        last_assessed=date(2026, 10, 1),
        site_published=date(2026, 11, 1),
        statement_updated=date(2026, 11, 15),
    )
    return home


def _topics(*, sv: Locale, en: Locale) -> dict[str, Topic]:
    data = [
        (
            "ai",
            "AI och arbete",
            "ai-och-arbete",
            "AI and work",
            "ai-and-work",
            "Hur automatisering och AI förändrar tjänstemannajobben.",
        ),
        (
            "transition",
            "Omställning",
            "omstallning",
            "Career transition",
            "career-transition",
            "Att byta jobb, yrke eller bana mitt i arbetslivet.",
        ),
        (
            "skills",
            "Kompetensförsörjning",
            "kompetensforsorjning",
            "Skills supply",
            "skills-supply",
            "Hur arbetsgivare hittar och utvecklar kompetens.",
        ),
    ]
    topics: dict[str, Topic] = {}
    for key, name, slug, name_en, slug_en, description in data:
        topic = Topic.objects.filter(locale=sv, slug=slug).first()
        if topic is None:
            topic = Topic.objects.create(locale=sv, name=name, slug=slug, description=description)
        if not Topic.objects.filter(translation_key=topic.translation_key, locale=en).exists():
            Topic.objects.create(
                locale=en, name=name_en, slug=slug_en, translation_key=topic.translation_key
            )
        topics[key] = topic
    return topics


def _authors(*, sv: Locale) -> dict[str, Author]:
    data = [
        (
            "maria",
            "Maria Ek",
            "chefsekonom",
            "Vägval",
            "Maria Ek analyserar arbetsmarknaden för tjänstemän och har tidigare arbetat på "
            "Arbetsförmedlingens analysavdelning.",
        ),
        (
            "johan",
            "Johan Strand",
            "utredare",
            "Vägval",
            "Johan Strand följer utbildningspolitik och omställningsstudiestödet.",
        ),
        (
            "leila",
            "Leila Haddad",
            "ordförande",
            "Tjänstemannaföreningen Framtid",
            "Leila Haddad är ordförande i en (påhittad) förening för tjänstemän i industrin.",
        ),
        (
            "per",
            "Per Olofsson",
            "HR-chef",
            "Exempelbolaget AB",
            "Per Olofsson har lett flera omställningar i tillverkningsindustrin.",
        ),
    ]
    authors: dict[str, Author] = {}
    for key, name, role, organisation, bio in data:
        author = Author.objects.filter(locale=sv, name=name).first()
        if author is None:
            author = Author.objects.create(
                locale=sv, name=name, role=role, organisation=organisation, bio=bio
            )
        authors[key] = author
    return authors


def _demo_image() -> Image:
    existing = Image.objects.filter(title="Illustration: vägar som delar sig").first()
    if existing is not None:
        return existing
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (1200, 630), (11, 92, 173))
    draw = ImageDraw.Draw(canvas)
    for i in range(0, 630, 6):
        shade = 60 + i // 6
        draw.line([(0, i), (1200, i)], fill=(8, min(shade, 140), 173))
    draw.line([(600, 630), (600, 380)], fill=(240, 180, 0), width=28)
    draw.line([(600, 390), (300, 120)], fill=(240, 180, 0), width=24)
    draw.line([(600, 390), (900, 120)], fill=(255, 255, 255), width=24)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(
        title="Illustration: vägar som delar sig",
        file=ContentFile(buffer.getvalue(), name="vagval-vagskal.png"),
    )


def _minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid one-page PDF with the report's text (no PDF library needed for a demo)."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 18 Tf", "56 780 Td", f"({esc(title)}) Tj", "/F1 11 Tf", "0 -28 Td"]
    for line in lines:
        ops += [f"({esc(line)}) Tj", "0 -16 Td"]
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


# --- content ------------------------------------------------------------------------------------


def _article_ai(
    section: Page, topics: dict[str, Topic], authors: dict[str, Author], image: Image
) -> ArticlePage:
    return _child(
        section,
        ArticlePage,
        "ai-forandrar-tjanstemannayrken",
        title="AI förändrar tjänstemannayrken – men inte som vi tror",
        intro=(
            "Det är sällan hela yrken som försvinner. Det är arbetsuppgifter som flyttar, "
            "och de som har verktyg för att flytta med dem klarar sig bäst."
        ),
        social_image=image,
        authors=[authors["maria"]],
        topics=[topics["ai"], topics["skills"]],
        body=[
            (
                "paragraph",
                _rt(
                    "När generativ AI slog igenom förutspåddes att stora delar av "
                    "tjänstemannajobben skulle automatiseras bort. Tre år senare ser bilden "
                    "annorlunda ut. I Vägvals material ser vi få yrken som försvinner, men många "
                    "där innehållet förändras snabbt: ekonomiassistenter gör mer analys, "
                    "kommunikatörer mer strategi och handläggare mer kvalificerade bedömningar.",
                    "Det betyder att omställningen i första hand sker <b>inom</b> yrken, inte "
                    "mellan dem. För den som blir uppsagd är frågan därför sällan vilket nytt "
                    "yrke man ska välja, utan vilka nya uppgifter man behöver kunna visa att man "
                    "klarar.",
                ),
            ),
            (
                "quote",
                {
                    "text": "Det är inte AI som tar jobbet. Det är kollegan som lärt sig använda "
                    "AI som får det.",
                    "attribution": "HR-chef i tillverkningsindustrin, intervjuad av Vägval",
                },
            ),
            (
                "image",
                {
                    "image": image,
                    "alt_text": "Illustration av en väg som delar sig i två riktningar, en gul "
                    "och en vit, mot en blå himmel.",
                    "caption": "Omställning handlar oftare om nya uppgifter än om nya yrken.",
                    "credit": "Illustration: Vägval",
                },
            ),
            (
                "fact_box",
                {
                    "title": "Så har vi räknat",
                    "body": _rt(
                        "Underlaget är platsannonser i Vägvals annonsdatabas (Platsbanken via "
                        "JobTech och arbetsgivarnas egna karriärsidor), avdubblerade och kopplade "
                        "till yrken i JobTechs taxonomi. Grupper med färre än fem annonser visas "
                        "aldrig."
                    ),
                },
            ),
            (
                "chart",
                {
                    "title": "Andel annonser som nämner AI-verktyg, per yrkesgrupp",
                    "unit": "%",
                    "source": "Vägvals annonsdata, urval hösten 2026 (illustrativt)",
                    "rows": [
                        {"label": "Ekonomi och redovisning", "value": 14.0},
                        {"label": "Kommunikation och marknad", "value": 22.5},
                        {"label": "HR och personal", "value": 9.5},
                        {"label": "IT och data", "value": 41.0},
                        {"label": "Administration", "value": 7.0},
                    ],
                },
            ),
            (
                "paragraph",
                _rt(
                    "Siffrorna nedan hämtas direkt ur Vägvals annonsdata och uppdateras varje "
                    "timme. De visar var efterfrågan finns just nu."
                ),
            ),
            (
                "live_figures",
                {
                    "title": "Aktiva annonser per yrkesområde just nu",
                    "view": "occupation_field",
                    "limit": 8,
                },
            ),
        ],
    )


def _article_midcareer(
    section: Page, topics: dict[str, Topic], authors: dict[str, Author]
) -> ArticlePage:
    return _child(
        section,
        ArticlePage,
        "omstallning-mitt-i-karriaren",
        title="Omställning mitt i karriären: var jobben finns",
        intro="Efterfrågan på tjänstemän skiljer sig mycket mellan länen. Vi visar var.",
        authors=[authors["johan"]],
        topics=[topics["transition"]],
        body=[
            (
                "paragraph",
                _rt(
                    "För den som är 50 år och har arbetat länge på samma ställe kan det kännas "
                    "omöjligt att börja om. Men arbetsmarknaden ser olika ut i olika delar av "
                    "landet, och viljan att pendla eller arbeta på distans öppnar fler dörrar än "
                    "många tror."
                ),
            ),
            (
                "live_figures",
                {
                    "title": "Aktiva annonser per län",
                    "view": "region",
                    "limit": 10,
                },
            ),
        ],
    )


def _debate(section: Page, topics: dict[str, Topic], authors: dict[str, Author]) -> DebatePage:
    opening = _child(
        section,
        DebatePage,
        "gor-omstallningsstudiestodet-enklare",
        title="Gör omställningsstudiestödet enklare att använda",
        kind=DebatePage.Kind.OPENING,
        intro=(
            "Stödet som skulle göra det möjligt att plugga mitt i livet används av för få. "
            "Reglerna måste bli begripliga, skriver Leila Haddad."
        ),
        authors=[authors["leila"]],
        topics=[topics["transition"], topics["skills"]],
        body=[
            (
                "paragraph",
                _rt(
                    "Omställningsstudiestödet infördes 2022 för att yrkesverksamma ska kunna "
                    "studera med upp till 80 procent av lönen. Det var en bra reform. Men bland "
                    "våra medlemmar vet få hur stödet fungerar, och ännu färre har sökt det.",
                    "Ansökan kräver att man själv visar hur utbildningen stärker ens ställning "
                    "på arbetsmarknaden. Det är en bedömning som även erfarna HR-chefer tycker "
                    "är svår. Vi föreslår att omställningsorganisationernas vägledning ska kunna "
                    "ersätta den egna motiveringen.",
                ),
            ),
        ],
    )
    reply = _child(
        section,
        DebatePage,
        "replik-problemet-ar-informationen",
        title="Replik: Problemet är informationen, inte reglerna",
        kind=DebatePage.Kind.REPLY,
        responds_to=opening,
        intro="Reglerna är rimliga. Det som saknas är att någon berättar om dem i tid.",
        authors=[authors["per"]],
        topics=[topics["transition"]],
        body=[
            (
                "paragraph",
                _rt(
                    "Leila Haddad har rätt i att för få använder stödet. Men att sänka kraven "
                    "på motivering är fel väg. Som arbetsgivare ser jag att de som får stödet "
                    "har tänkt igenom sitt val, och det syns i resultaten.",
                    "Problemet är att informationen kommer för sent, ofta först efter ett "
                    "varsel. Arbetsgivare och omställningsorganisationer borde ta upp stödet i "
                    "utvecklingssamtal, långt innan någon riskerar att bli uppsagd.",
                ),
            ),
        ],
    )
    _child(
        section,
        DebatePage,
        "slutreplik-bade-och",
        title="Slutreplik: Vi behöver både enklare regler och tidig vägledning",
        kind=DebatePage.Kind.FINAL_REPLY,
        responds_to=reply,
        intro="Tidig information är bra, men räcker inte för den som inte har en HR-avdelning.",
        authors=[authors["leila"]],
        topics=[topics["transition"]],
        body=[
            (
                "paragraph",
                _rt(
                    "Jag håller med Per Olofsson om att informationen måste komma tidigare. "
                    "Men många av våra medlemmar arbetar på små företag utan HR-avdelning och "
                    "utvecklingssamtal. För dem är en enklare ansökan det enda som hjälper.",
                ),
            ),
        ],
    )
    return opening


def _report(section: Page, topics: dict[str, Topic], authors: dict[str, Author]) -> ReportPage:
    existing = section.get_children().filter(slug="tjanstemannens-omstallning-2026").first()
    if existing is not None:
        return existing.specific
    document = Document.objects.filter(title="Tjänstemännens omställning 2026 (PDF)").first()
    if document is None:
        pdf = _minimal_pdf(
            "Tjänstemännens omställning 2026",
            [
                "Vägval – rapport 2026:1",
                "",
                "Sammanfattning",
                "Sju av tio som fick stöd hade ett nytt jobb eller studerade inom sex månader.",
                "Tiden till nytt jobb var i median 4,5 månader.",
                "Var fjärde bytte yrke, oftast till ett närliggande yrke inom samma område.",
                "",
                "Rapporten är ett demoexempel och bygger på illustrativa siffror.",
            ],
        )
        document = Document.objects.create(
            title="Tjänstemännens omställning 2026 (PDF)",
            file=ContentFile(pdf, name="tjanstemannens-omstallning-2026.pdf"),
        )
    return _child(
        section,
        ReportPage,
        "tjanstemannens-omstallning-2026",
        title="Tjänstemännens omställning 2026",
        intro="Hur gick det för dem som fick omställningsstöd förra året?",
        summary=(
            "<p>Sju av tio som fick stöd under 2025 hade ett nytt jobb eller studerade inom "
            "sex månader. Den som fick stöd tidigt, redan under uppsägningstiden, kom "
            "snabbare vidare. Var fjärde bytte yrke, oftast till ett närliggande yrke.</p>"
        ),
        key_figures=[
            ("figure", {"value": "72 %", "label": "i nytt jobb eller studier inom sex månader"}),
            ("figure", {"value": "4,5 mån", "label": "median tid till nytt jobb"}),
            ("figure", {"value": "25 %", "label": "bytte yrke"}),
        ],
        document=document,
        authors=[authors["maria"], authors["johan"]],
        topics=[topics["transition"]],
        body=[
            (
                "paragraph",
                _rt(
                    "Rapporten bygger på Vägvals uppföljning av klienter. Alla siffror i "
                    "demoversionen är illustrativa."
                ),
            ),
        ],
    )


def _event_time(days: int, hour: int, minutes: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minutes)))


def _events(section: Page, topics: dict[str, Topic]) -> None:
    _child(
        section,
        EventPage,
        "frukostseminarium-ai-och-kompetens",
        title="Frukostseminarium: AI och kompetensförsörjning",
        intro="Hur förbereder man en organisation på att arbetsuppgifterna förändras?",
        starts_at=_event_time(21, 8, 0),
        ends_at=_event_time(21, 9, 30),
        location_name="Vägvals konferenslokal",
        address="Sveavägen 1, Stockholm",
        online_url="https://example.org/webbinarium/ai-och-kompetens",
        capacity=40,
        topics=[topics["ai"], topics["skills"]],
        body=[
            (
                "paragraph",
                _rt(
                    "Maria Ek presenterar nya siffror om hur AI-verktyg syns i platsannonserna, "
                    "och två HR-chefer berättar hur de arbetar med kompetensutveckling. "
                    "Frukost från 7.30."
                ),
            )
        ],
    )
    webinar = _child(
        section,
        EventPage,
        "webbinarium-omstallningsstudiestodet",
        title="Webbinarium: Så söker du omställningsstudiestöd",
        intro="En genomgång steg för steg, med tid för frågor.",
        starts_at=_event_time(10, 12, 0),
        ends_at=_event_time(10, 13, 0),
        online_url="https://example.org/webbinarium/studiestod",
        capacity=3,
        topics=[topics["transition"]],
        body=[
            (
                "paragraph",
                _rt(
                    "Johan Strand går igenom hur ansökan fungerar och vad som brukar avgöra. "
                    "Begränsat antal platser – när de är slut kan du ställa dig på väntelistan."
                ),
            )
        ],
    )
    if not EventRegistration.objects.filter(event=webinar).exists():
        for name, email, status in [
            ("Anna Berg", "anna.berg@example.se", EventRegistration.Status.CONFIRMED),
            ("Omar Said", "omar.said@example.se", EventRegistration.Status.CONFIRMED),
            ("Lena Ström", "lena.strom@example.se", EventRegistration.Status.CONFIRMED),
            ("Jonas Ek", "jonas.ek@example.se", EventRegistration.Status.WAITLISTED),
        ]:
            EventRegistration.objects.create(event=webinar, name=name, email=email, status=status)


def _translate(page: Page, locale: Locale, **fields: Any) -> Page:
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(copy, name, value)
    return _publish(copy)


def _english(*, home: HomePage, en: Locale, article: ArticlePage) -> None:
    _translate(
        home,
        en,
        title="Vägval – the future of working life",
        intro=(
            "Debate, analysis and reports on career transition and the future of work from "
            "Vägval, the transition support for white-collar workers."
        ),
    )
    names = {
        "debatt": ("Debate", "debate", "Debate pieces, replies and final replies."),
        "analys": ("Analysis", "analysis", "In-depth pieces on jobs, skills and transition."),
        "rapporter": ("Reports", "reports", "Our reports with summaries and key figures."),
        "evenemang": ("Events", "events", "Seminars and webinars, on site and online."),
        "om-vagval": (
            "About Vägval",
            "about",
            "Vägval supports white-collar workers who have been laid off or are at risk.",
        ),
    }
    for child in home.get_children():
        if child.slug in names:
            title, slug, intro = names[child.slug]
            _translate(child.specific, en, title=title, slug=slug, intro=intro)
    if article.get_translation_or_none(en) is not None:
        return
    en_article = _translate(
        article,
        en,
        title="AI is changing white-collar work – but not the way we think",
        slug="ai-is-changing-white-collar-work",
        intro=(
            "Whole occupations rarely disappear. Tasks move, and those with the tools to "
            "move with them do best."
        ),
    )
    if en_article.body and en_article.body[0].block_type == "paragraph":
        en_article.body[0] = (
            "paragraph",
            _rt(
                "When generative AI broke through, many predicted that large parts of white-collar "
                "work would be automated away. Three years on the picture looks different. In "
                "Vägval's data few occupations disappear, but in many the content changes fast: "
                "finance assistants do more analysis, communicators more strategy and case "
                "officers more qualified assessments.",
                "Transition therefore happens mainly <b>within</b> occupations, not between them. "
                "For someone laid off, the question is rarely which new occupation to choose, but "
                "which new tasks they need to show they can handle.",
            ),
        )
        en_article.body[1] = (
            "quote",
            {
                "text": "AI is not taking your job. The colleague who learnt to use AI is.",
                "attribution": "HR manager in manufacturing, interviewed by Vägval",
            },
        )
        _publish(en_article)


def _reader_activity(*, article: ArticlePage, opening: DebatePage) -> None:
    if ReaderSubmission.objects.exists():
        return
    comment = services.submission_create(
        page=article,
        kind=ReaderSubmission.Kind.COMMENT,
        name="Birgitta L.",
        email="birgitta@example.se",
        body=(
            "Känner igen mig. Jag jobbade som ekonomiassistent i 20 år och fick lära mig "
            "nya system flera gånger om. Det var aldrig yrket som försvann, bara uppgifterna."
        ),
    )
    services.submission_approve(submission_id=comment.pk, moderator=None)
    services.submission_create(
        page=opening,
        kind=ReaderSubmission.Kind.REPLY,
        name="Tomas Nilsson",
        email="tomas@example.se",
        title="Replik: Låt arbetsgivaren intyga behovet",
        body=(
            "Ett enklare sätt vore att arbetsgivaren intygar att kompetensen behövs. Då "
            "slipper den enskilde motivera allt själv, och arbetsgivaren tar ett ansvar."
        ),
    )


def _editorial_users(*, stdout: TextIO) -> list[DemoLogin]:
    """Put the accounts app's demo editor in Redaktörer and add a writer in Skribenter."""
    try:
        from vagval.accounts.demo import DEMO_EDITOR_EMAIL, demo_user_ensure
        from vagval.accounts.models import User
    except ImportError:  # the accounts demo is not there: no logins from us
        return []
    editors = Group.objects.filter(name=EDITORS_GROUP).first()
    writers = Group.objects.filter(name=WRITERS_GROUP).first()
    editor = User.objects.filter(email=DEMO_EDITOR_EMAIL).first()
    if editor is not None and editors is not None:
        editor.groups.add(editors)
    writer = demo_user_ensure(
        email=DEMO_WRITER_EMAIL,
        role=User.Role.EDITOR,
        first_name="Sanna",
        last_name="Holm",
    )
    if writers is not None:
        writer.groups.add(writers)
    stdout.write("  redaktör i Redaktörer, skribent i Skribenter\n")
    return [
        DemoLogin(
            role="Skribent",
            email=DEMO_WRITER_EMAIL,
            description="Wagtail, /cms-admin/: skriver och skickar till granskning",
        )
    ]
