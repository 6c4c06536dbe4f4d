"""Page types: where each may be created, what they validate, and what a reader sees."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.blocks import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from cms.blocks import AccessibleImageBlock
from cms.models import (
    AboutPage,
    AccessibilityStatementPage,
    AnalysisIndexPage,
    ArticlePage,
    DebateIndexPage,
    DebatePage,
    EventIndexPage,
    EventPage,
    HomePage,
    ReportPage,
)
from tests.cms.builders import Tree, add_page, make_article, make_debate, make_event, paragraphs


class TestTreeRules:
    def test_home_only_at_the_top_and_sections_only_under_home(self, tree: Tree) -> None:
        root = Page.get_first_root_node()
        assert HomePage.can_create_at(root)
        assert not HomePage.can_create_at(tree.home)
        assert not ArticlePage.can_create_at(tree.home)
        assert not DebateIndexPage.can_create_at(tree.analysis)

    def test_each_section_only_once_per_home(self, tree: Tree) -> None:
        for model in (DebateIndexPage, AnalysisIndexPage, EventIndexPage):
            assert not model.can_create_at(tree.home), model

    def test_each_section_holds_only_its_own_page_type(self, tree: Tree) -> None:
        assert DebatePage.can_create_at(tree.debate)
        assert not DebatePage.can_create_at(tree.analysis)
        assert ArticlePage.can_create_at(tree.analysis)
        assert not ArticlePage.can_create_at(tree.debate)
        assert ReportPage.can_create_at(tree.reports)
        assert not ReportPage.can_create_at(tree.events)
        assert EventPage.can_create_at(tree.events)
        assert not EventPage.can_create_at(tree.reports)

    def test_articles_take_no_children(self, tree: Tree) -> None:
        article = make_article(tree)
        assert not any(
            model.can_create_at(article)
            for model in (ArticlePage, DebatePage, EventPage, AboutPage, ReportPage)
        )

    def test_accessibility_statement_under_home_or_about_once(self, tree: Tree) -> None:
        assert AccessibilityStatementPage.can_create_at(tree.home)
        assert AccessibilityStatementPage.can_create_at(tree.about)
        assert not AccessibilityStatementPage.can_create_at(tree.debate)


class TestValidation:
    def test_image_block_requires_alt_text(self, db: None) -> None:
        image = Image.objects.create(title="Bild", file=get_test_image_file())
        block = AccessibleImageBlock()
        with pytest.raises(StructBlockValidationError) as excinfo:
            block.clean(block.to_python({"image": image.pk, "alt_text": "  ", "caption": ""}))
        assert "alt_text" in excinfo.value.block_errors
        value = block.clean(block.to_python({"image": image.pk, "alt_text": "Ett diagram"}))
        assert value["alt_text"] == "Ett diagram"

    def test_reply_needs_the_piece_it_answers(self, tree: Tree) -> None:
        reply = DebatePage(title="Replik", slug="replik", kind=DebatePage.Kind.REPLY)
        with pytest.raises(ValidationError) as excinfo:
            reply.clean()
        assert "responds_to" in excinfo.value.message_dict

    def test_opening_piece_cannot_answer_another(self, tree: Tree) -> None:
        opening = make_debate(tree)
        page = DebatePage(title="X", slug="x", kind=DebatePage.Kind.OPENING, responds_to=opening)
        with pytest.raises(ValidationError) as excinfo:
            page.clean()
        assert "kind" in excinfo.value.message_dict

    def test_event_must_end_after_it_starts_and_have_a_place(self, tree: Tree) -> None:
        start = timezone.now() + timedelta(days=3)
        event = EventPage(title="E", slug="e", starts_at=start, ends_at=start - timedelta(hours=1))
        with pytest.raises(ValidationError) as excinfo:
            event.clean()
        assert "ends_at" in excinfo.value.message_dict
        event.ends_at = start + timedelta(hours=1)
        with pytest.raises(ValidationError) as excinfo:
            event.clean()
        assert "location_name" in excinfo.value.message_dict


class TestDebateThread:
    def test_replies_are_linked_both_ways_and_shown_as_a_thread(self, client, tree: Tree) -> None:
        opening = make_debate(tree)
        reply = add_page(
            tree.debate,
            DebatePage(
                title="Replik: Informationen är problemet",
                slug="replik",
                kind=DebatePage.Kind.REPLY,
                responds_to=opening,
                body=paragraphs("Reglerna är rimliga."),
            ),
        )
        final = add_page(
            tree.debate,
            DebatePage(
                title="Slutreplik: Både och",
                slug="slutreplik",
                kind=DebatePage.Kind.FINAL_REPLY,
                responds_to=reply,
                body=paragraphs("Vi behöver båda."),
            ),
        )
        assert reply.thread_root_id == opening.pk
        assert final.thread_root_id == opening.pk

        html = client.get(opening.url).content.decode()
        thread = html[html.index('class="thread"') :]
        assert thread.index("Gör stödet enklare") < thread.index("Replik: Informationen")
        assert thread.index("Replik: Informationen") < thread.index("Slutreplik: Både och")
        assert f'href="{final.url}"' in thread

        html = client.get(final.url).content.decode()
        assert "Svar på" in html and f'href="{reply.url}"' in html
        assert 'aria-current="page">Slutreplik: Både och' in html


class TestRendering:
    def test_article_shows_blocks_byline_and_topics(self, client, tree: Tree) -> None:
        image = Image.objects.create(title="Bild", file=get_test_image_file())
        article = make_article(
            tree,
            body=[
                *paragraphs("Första stycket."),
                ("quote", {"text": "Det är uppgifterna som flyttar.", "attribution": "HR-chef"}),
                (
                    "image",
                    {"image": image, "alt_text": "Ett stapeldiagram", "caption": ""},
                ),
                ("fact_box", {"title": "Fakta", "body": "<p>Fem procent.</p>"}),
                (
                    "chart",
                    {
                        "title": "Annonser",
                        "unit": "st",
                        "source": "",
                        "rows": [{"label": "IT", "value": 40}, {"label": "HR", "value": 10}],
                    },
                ),
            ],
        )
        html = client.get(article.url).content.decode()
        assert "Första stycket." in html
        assert "<blockquote><p>Det är uppgifterna som flyttar.</p></blockquote>" in html
        assert 'alt="Ett stapeldiagram"' in html
        assert "Fem procent." in html
        # The chart is drawn for the eye and given as a table to screen readers.
        assert '<th scope="row">IT</th><td>40</td>' in html
        assert 'style="--w: 25%"' in html
        assert "Maria Ek" in html and "chefsekonom" in html
        assert 'href="/amne/omstallning/"' in html

    def test_open_graph_and_article_json_ld(self, client, tree: Tree) -> None:
        article = make_article(tree)
        html = client.get(article.url).content.decode()
        assert '<meta property="og:type" content="article">' in html
        assert '<meta property="og:title" content="Jobben flyttar">' in html
        assert '<meta property="og:locale" content="sv_SE">' in html
        raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert raw is not None
        data = json.loads(raw.group(1))
        assert data["@type"] == "Article"
        assert data["headline"] == "Jobben flyttar"
        assert data["author"] == [{"@type": "Person", "name": "Maria Ek"}]
        assert data["inLanguage"] == "sv"
        assert data["datePublished"].startswith(str(timezone.now().year))

    def test_section_lists_its_pages_newest_first(self, client, tree: Tree) -> None:
        make_article(tree, title="Äldre text", slug="aldre")
        make_article(tree, title="Nyare text", slug="nyare")
        html = client.get(tree.analysis.url).content.decode()
        assert html.index("Nyare text") < html.index("Äldre text")
        assert 'type="application/rss+xml"' in html

    def test_unpublished_page_is_not_shown(self, client, tree: Tree) -> None:
        draft = add_page(
            tree.analysis,
            ArticlePage(title="Utkast", slug="utkast", body=paragraphs("Hemligt")),
            live=False,
        )
        assert client.get("/analys/utkast/").status_code == 404
        assert "Utkast" not in client.get(tree.analysis.url).content.decode()
        assert draft.live is False

    def test_report_shows_summary_key_figures_and_pdf(self, client, tree: Tree) -> None:
        from django.core.files.base import ContentFile
        from wagtail.documents.models import Document

        document = Document.objects.create(
            title="Rapport", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="rapport.pdf")
        )
        report = add_page(
            tree.reports,
            ReportPage(
                title="Omställningen 2026",
                slug="omstallningen-2026",
                summary="<p>Sju av tio hade ett nytt jobb.</p>",
                key_figures=[("figure", {"value": "72 %", "label": "i nytt jobb"})],
                document=document,
            ),
        )
        html = client.get(report.url).content.decode()
        assert "Sju av tio hade ett nytt jobb." in html
        assert "<dd>72 %</dd>" in html
        assert document.url in html and "PDF" in html

    def test_event_page_shows_time_place_and_seats(self, client, tree: Tree) -> None:
        event = make_event(tree, capacity=5)
        html = client.get(event.url).content.decode()
        assert "Vägvals lokal" in html
        assert "5 platser kvar" in html
        assert f"/kalender/{event.pk}.ics" in html
