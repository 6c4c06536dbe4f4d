"""The page cache: a stored page costs no SQL, publishing clears it, signed-in visitors and
visitors with a pending message always get a fresh page, and forms on a cached page keep
working (each visitor gets their own anti-CSRF token). Also the query budget of an uncached
article page."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.cache import page_cache_clear
from cms.models import ReaderSubmission
from tests.accounts.factories import UserFactory
from tests.cms.builders import Tree, make_article, paragraphs, publish

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_second_anonymous_visit_is_served_without_sql(
    client: Client, tree: Tree, django_assert_num_queries: Any
) -> None:
    article = make_article(tree)
    first = client.get(article.url)
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        second = Client().get(article.url)
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert "Jobben flyttar" in second.content.decode()
    assert second["Content-Type"].startswith("text/html")


def test_publishing_clears_the_cache(tree: Tree) -> None:
    article = make_article(tree)
    Client().get(tree.analysis.url)
    Client().get(article.url)
    assert Client().get(article.url)["X-Page-Cache"] == "hit"

    article.title = "Jobben flyttar – uppdaterad"
    publish(article)
    fresh = Client().get(article.url)
    assert "X-Page-Cache" not in fresh
    assert "Jobben flyttar – uppdaterad" in fresh.content.decode()
    # The section listing changed too, and is fresh as well.
    assert "Jobben flyttar – uppdaterad" in Client().get(tree.analysis.url).content.decode()


def test_unpublishing_clears_the_cache(tree: Tree) -> None:
    article = make_article(tree)
    Client().get(article.url)
    article.unpublish()
    assert Client().get(article.url).status_code == 404


def test_signed_in_visitors_are_never_served_or_stored(tree: Tree) -> None:
    article = make_article(tree)
    user = UserFactory(role="client")
    signed_in = Client()
    signed_in.force_login(user)
    assert "X-Page-Cache" not in signed_in.get(article.url)
    assert "X-Page-Cache" not in signed_in.get(article.url)
    Client().get(article.url)
    assert "X-Page-Cache" not in signed_in.get(article.url)
    assert Client().get(article.url)["X-Page-Cache"] == "hit"


def test_search_results_are_not_cached(tree: Tree) -> None:
    make_article(tree)
    url = f"{tree.home.url}sok/?q=arbetsmarknaden"
    Client().get(url)
    assert "X-Page-Cache" not in Client().get(url)


def test_each_visitor_gets_their_own_csrf_token_and_can_post(tree: Tree) -> None:
    article = make_article(tree)
    Client().get(article.url)
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(article.url)
    assert page["X-Page-Cache"] == "hit"
    token = TOKEN.search(page.content.decode())
    assert token is not None
    assert "csrftoken" in page.cookies
    response = reader.post(
        reverse("cms:submit", args=[article.pk]),
        {
            "csrfmiddlewaretoken": token.group(1),
            "kind": "comment",
            "name": "Ada",
            "email": "ada@example.se",
            "body": "En kommentar från en cachad sida.",
            "accept": "on",
        },
    )
    assert response.status_code == 302
    assert ReaderSubmission.objects.filter(name="Ada").exists()


def test_uncached_article_page_stays_within_the_query_budget(
    client: Client, tree: Tree, django_assert_max_num_queries: Any
) -> None:
    image = Image.objects.create(title="Bild", file=get_test_image_file())
    article = make_article(
        tree,
        social_image=image,
        body=[
            *paragraphs("Första stycket."),
            ("image", {"image": image, "alt_text": "Diagram", "caption": "", "credit": ""}),
            ("fact_box", {"title": "Fakta", "body": "<p>Fem procent.</p>"}),
            (
                "live_figures",
                {"title": "Annonser per yrkesområde", "view": "occupation_field", "limit": 5},
            ),
        ],
    )
    from cms import services

    comment = services.submission_create(
        page=article, kind="comment", name="A", email="a@example.se", body="Bra text."
    )
    services.submission_approve(submission_id=comment.pk, moderator=None)
    # Warm what any running site has warm (image renditions, site root paths, live figures),
    # then drop the stored pages so the next request renders the article again.
    client.get(article.url)
    page_cache_clear()
    with django_assert_max_num_queries(15):
        response = Client().get(article.url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "Bra text." in response.content.decode()


def test_uncached_english_article_stays_within_the_query_budget(
    client: Client, tree: Tree, django_assert_max_num_queries: Any
) -> None:
    """A translated page still points at Swedish authors and topics; localising them must not
    push the page over budget."""
    article = make_article(tree)
    english = article.copy_for_translation(tree.en).specific
    english.title = "Jobs are moving"
    english.slug = "jobs-are-moving"
    english = publish(english)
    client.get(english.url)
    page_cache_clear()
    with django_assert_max_num_queries(15):
        response = Client().get(english.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Career transition" in html  # the topic, localised to English
