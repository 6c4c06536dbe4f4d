"""Swedish and English versions: URLs, `lang` attributes, alternates and the switcher."""

from __future__ import annotations

from django.test import Client

from tests.cms.builders import Tree, make_article, publish


def _english(tree: Tree):  # type: ignore[no-untyped-def]
    article = make_article(tree)
    english = article.copy_for_translation(tree.en).specific
    english.title = "Jobs are moving"
    english.slug = "jobs-are-moving"
    english.intro = "An intro about career transition."
    return article, publish(english)


def test_swedish_at_root_and_english_under_en(client: Client, tree: Tree) -> None:
    article, english = _english(tree)
    assert article.url == "/analys/jobben-flyttar/"
    assert english.url == "/en/analysis/jobs-are-moving/"
    sv_html = client.get(article.url).content.decode()
    en_html = Client().get(english.url).content.decode()
    assert '<html lang="sv">' in sv_html
    assert '<html lang="en">' in en_html
    assert "Jobben flyttar" in sv_html and "Jobs are moving" in en_html


def test_interface_text_follows_the_page_language(client: Client, tree: Tree) -> None:
    _article, english = _english(tree)
    en_html = client.get(english.url).content.decode()
    assert "Skip to content" in en_html or "Hoppa till innehållet" not in en_html
    assert "Comments" in en_html
    assert "Kommentarer" not in en_html


def test_alternates_link_both_language_versions(client: Client, tree: Tree) -> None:
    article, english = _english(tree)
    html = client.get(article.url).content.decode()
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{english.url}">' in html
    assert f'<link rel="alternate" hreflang="sv" href="http://testserver{article.url}">' in html
    assert '<meta property="og:locale" content="sv_SE">' in html
    en_html = Client().get(english.url).content.decode()
    assert '<meta property="og:locale" content="en_GB">' in en_html


def test_language_switcher_lands_on_the_translation(client: Client, tree: Tree) -> None:
    """The shared switcher posts to set_language, which keeps the path: /en/analys/… must then
    lead to the English page, and the English path without /en/ back to the Swedish one."""
    article, english = _english(tree)
    response = client.post("/i18n/setlang/", {"language": "en", "next": article.url}, follow=True)
    assert response.redirect_chain[-1][0] == english.url
    assert '<html lang="en">' in response.content.decode()

    response = Client().get("/analysis/jobs-are-moving/")
    assert response.status_code == 302
    assert response["Location"] == article.url


def test_untranslated_page_switches_to_the_other_home(client: Client, tree: Tree) -> None:
    article = make_article(tree)
    response = client.get(f"/en{article.url}")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_unknown_path_is_still_a_404(client: Client, tree: Tree) -> None:
    assert client.get("/en/finns-inte/").status_code == 404
    assert client.get("/finns-inte/").status_code == 404


def test_english_home_page_lists_english_pieces_only(client: Client, tree: Tree) -> None:
    _article, _english_page = _english(tree)
    html = client.get("/en/").content.decode()
    assert "Jobs are moving" in html
    assert "Jobben flyttar" not in html
    assert 'href="/en/analysis/"' in html
