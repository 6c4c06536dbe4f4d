"""Reach: RSS and Atom per section and per topic, site search, sitemap.xml and robots.txt."""

from __future__ import annotations

import feedparser
from django.test import Client

from tests.cms.builders import TopicFactory, Tree, make_article, make_debate, publish


class TestFeeds:
    def test_section_rss_lists_that_sections_pieces(self, client: Client, tree: Tree) -> None:
        make_article(tree, title="Analysen", slug="analysen")
        make_debate(tree, title="Debatten", slug="debatten")
        response = client.get("/flode/sv/analys/rss/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/rss+xml")
        feed = feedparser.parse(response.content)
        assert feed.version == "rss20"
        assert feed.feed.title == "Analys – Vägval"
        assert feed.feed.language == "sv"
        assert [e.title for e in feed.entries] == ["Analysen"]
        assert feed.entries[0].link == "http://testserver/analys/analysen/"
        assert feed.entries[0].summary == "En ingress om omställning."

    def test_section_atom(self, client: Client, tree: Tree) -> None:
        make_debate(tree, title="Debatten", slug="debatten")
        response = client.get("/flode/sv/debatt/atom/")
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.content)
        assert feed.version == "atom10"
        assert [e.title for e in feed.entries] == ["Debatten"]
        assert feed.entries[0].author == "Maria Ek"

    def test_topic_feeds_follow_the_topic_in_each_language(
        self, client: Client, tree: Tree
    ) -> None:
        article = make_article(tree, title="Om omställning", slug="om-omstallning")
        other = TopicFactory(locale=tree.sv)
        make_article(tree, title="Annat ämne", slug="annat", topics=[other])
        english = article.copy_for_translation(tree.en).specific
        english.title = "On career transition"
        publish(english)

        sv = feedparser.parse(client.get("/flode/sv/amne/omstallning/rss/").content)
        assert [e.title for e in sv.entries] == ["Om omställning"]
        en = feedparser.parse(client.get("/flode/en/amne/career-transition/atom/").content)
        assert [e.title for e in en.entries] == ["On career transition"]
        assert en.feed.title == "Topic: Career transition – Vägval"

    def test_unknown_feed_is_404(self, client: Client, tree: Tree) -> None:
        assert client.get("/flode/sv/finns-inte/rss/").status_code == 404
        assert client.get("/flode/xx/analys/rss/").status_code == 404
        assert client.get("/flode/sv/amne/finns-inte/rss/").status_code == 404

    def test_unpublished_pages_leave_the_feed(self, client: Client, tree: Tree) -> None:
        article = make_article(tree, title="Publicerad", slug="publicerad")
        article.unpublish()
        assert feedparser.parse(client.get("/flode/sv/analys/rss/").content).entries == []


class TestSearch:
    def test_finds_pages_by_body_text_in_the_current_language(
        self, client: Client, tree: Tree
    ) -> None:
        make_article(tree, title="Kompetens i industrin", slug="kompetens")
        make_article(tree, title="Något annat", slug="annat", body=[])
        html = client.get("/sok/?q=arbetsmarknaden").content.decode()
        assert "Kompetens i industrin" in html
        assert "Något annat" not in html
        assert "1 träff" in html

    def test_no_hits_and_empty_query(self, client: Client, tree: Tree) -> None:
        make_article(tree)
        assert "0 träffar" in client.get("/sok/?q=xyzzyqwerty").content.decode()
        empty = client.get("/sok/")
        assert empty.status_code == 200
        assert 'name="q"' in empty.content.decode()

    def test_english_search_does_not_return_swedish_pages(self, client: Client, tree: Tree) -> None:
        make_article(tree)
        html = client.get("/en/sok/?q=arbetsmarknaden").content.decode()
        assert "Jobben flyttar" not in html


class TestSitemapAndRobots:
    def test_sitemap_lists_both_languages(self, client: Client, tree: Tree) -> None:
        article = make_article(tree)
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        body = response.content.decode()
        assert f"http://testserver{article.url}" in body
        assert "http://testserver/en/analysis/" in body
        assert "http://testserver/en/" in body

    def test_robots_points_to_the_sitemap_and_hides_private_areas(
        self, client: Client, tree: Tree
    ) -> None:
        response = client.get("/robots.txt")
        assert response["Content-Type"].startswith("text/plain")
        body = response.content.decode()
        assert "Sitemap: http://testserver/sitemap.xml" in body
        assert "Disallow: /cms-admin/" in body
        assert "Disallow: /resa/" in body
