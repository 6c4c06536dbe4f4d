"""Builders for the public-site tests: a small published tree in Swedish and English,
factory_boy factories for authors and topics, and helpers to add pages of each type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

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
    HomePage,
    ReportIndexPage,
    Topic,
)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    locale = factory.LazyFunction(lambda: Locale.objects.get_or_create(language_code="sv")[0])
    name = factory.Sequence(lambda n: f"Skribent {n}")
    role = "utredare"
    organisation = "Vägval"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    locale = factory.LazyFunction(lambda: Locale.objects.get_or_create(language_code="sv")[0])
    name = factory.Sequence(lambda n: f"Ämne {n}")
    slug = factory.Sequence(lambda n: f"amne-{n}")


def build_tree() -> Tree:
    sv = Locale.objects.get_or_create(language_code="sv")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()
    home = add_page(root, HomePage(title="Vägval test", slug="vagval-test", locale=sv))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.hostname = "testserver"
    site.port = 80
    site.save()
    debate = add_page(home, DebateIndexPage(title="Debatt", slug="debatt", show_in_menus=True))
    analysis = add_page(home, AnalysisIndexPage(title="Analys", slug="analys", show_in_menus=True))
    reports = add_page(
        home, ReportIndexPage(title="Rapporter", slug="rapporter", show_in_menus=True)
    )
    events = add_page(home, EventIndexPage(title="Evenemang", slug="evenemang", show_in_menus=True))
    about = add_page(home, AboutPage(title="Om oss", slug="om-oss"))

    home_en = home.copy_for_translation(en).specific
    home_en.title = "Vägval test EN"
    home_en = publish(home_en)
    analysis_en = analysis.copy_for_translation(en).specific
    analysis_en.title = "Analysis"
    analysis_en.slug = "analysis"
    analysis_en = publish(analysis_en)

    author = AuthorFactory(locale=sv, name="Maria Ek", role="chefsekonom")
    topic = TopicFactory(locale=sv, name="Omställning", slug="omstallning")
    topic_en = Topic.objects.create(
        locale=en,
        name="Career transition",
        slug="career-transition",
        translation_key=topic.translation_key,
    )
    return Tree(
        sv=sv,
        en=en,
        home=home,
        home_en=home_en,
        debate=debate,
        analysis=analysis,
        analysis_en=analysis_en,
        reports=reports,
        events=events,
        about=about,
        author=author,
        topic=topic,
        topic_en=topic_en,
    )


def publish(page: Page) -> Any:
    page.save_revision().publish()
    page.refresh_from_db()
    return page.specific


def add_page(parent: Page, page: Page, *, live: bool = True) -> Any:
    m2m = getattr(page, "_m2m_values", {})
    for name, values in m2m.items():
        getattr(page, name).set(values)
    if not live:
        page.live = False
    parent.add_child(instance=page)
    if live:
        return publish(page)
    page.save_revision()
    return page


def paragraphs(*texts: str) -> list[tuple[str, RichText]]:
    return [("paragraph", RichText("".join(f"<p>{t}</p>" for t in texts)))]


@dataclass
class Tree:
    sv: Locale
    en: Locale
    home: HomePage
    home_en: HomePage
    debate: DebateIndexPage
    analysis: AnalysisIndexPage
    analysis_en: AnalysisIndexPage
    reports: ReportIndexPage
    events: EventIndexPage
    about: AboutPage
    author: Author
    topic: Topic
    topic_en: Topic


def make_article(
    tree: Tree, *, title: str = "Jobben flyttar", slug: str = "jobben-flyttar", **fields: Any
) -> ArticlePage:
    page = ArticlePage(
        title=title,
        slug=slug,
        intro=fields.pop("intro", "En ingress om omställning."),
        body=fields.pop("body", paragraphs("Brödtext om arbetsmarknaden och kompetens.")),
        **{k: v for k, v in fields.items() if k not in ("topics", "authors")},
    )
    page._m2m_values = {  # type: ignore[attr-defined]
        "authors": fields.get("authors", [tree.author]),
        "topics": fields.get("topics", [tree.topic]),
    }
    return add_page(tree.analysis, page)


def make_debate(
    tree: Tree,
    *,
    title: str = "Gör stödet enklare",
    slug: str = "gor-stodet-enklare",
    **fields: Any,
) -> DebatePage:
    page = DebatePage(
        title=title,
        slug=slug,
        intro="Ett debattinlägg.",
        body=paragraphs("Reglerna är för krångliga."),
        **fields,
    )
    page._m2m_values = {"authors": [tree.author], "topics": [tree.topic]}  # type: ignore[attr-defined]
    return add_page(tree.debate, page)


def make_event(tree: Tree, *, capacity: int = 2, days: int = 10, **fields: Any) -> EventPage:
    start = timezone.now() + timedelta(days=days)
    page = EventPage(
        title=fields.pop("title", "Webbinarium om studiestöd"),
        slug=fields.pop("slug", "webbinarium"),
        intro="Så söker du stödet.",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location_name=fields.pop("location_name", "Vägvals lokal"),
        address="Sveavägen 1, Stockholm",
        online_url=fields.pop("online_url", "https://example.org/webbinarium"),
        capacity=capacity,
        **fields,
    )
    return add_page(tree.events, page)


def make_statement(tree: Tree) -> AccessibilityStatementPage:
    from datetime import date

    return add_page(
        tree.home,
        AccessibilityStatementPage(
            title="Tillgänglighetsredogörelse",
            slug="tillganglighet",
            contact_email="tillganglighet@example.se",
            known_barriers=[
                (
                    "barrier",
                    {
                        "title": "Videor saknar syntolkning",
                        "description": "Vissa videor saknar syntolkning.",
                        "wcag": "1.2.5",
                        "fix_by": None,
                    },
                )
            ],
            test_method=RichText("<p>Självskattning med skärmläsare.</p>"),
            last_assessed=date(2026, 10, 1),
            site_published=date(2026, 11, 1),
            statement_updated=date(2026, 11, 15),
        ),
    )
