"""Readers' comments and replies: the form, spam protection, the moderation queue in the
Wagtail admin, publication on approval and the e-mail to the submitter."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from cms.models import DebatePage, ReaderSubmission
from tests.accounts.factories import UserFactory
from tests.cms.builders import Tree, make_article, make_debate

REVIEW = "wagtailsnippets_cms_readersubmission:review"
LIST = "wagtailsnippets_cms_readersubmission:list"


def _comment(**overrides: Any) -> dict[str, str]:
    data = {
        "kind": "comment",
        "name": "Birgitta L.",
        "email": "birgitta@example.se",
        "body": "Jag känner igen mig i det här, uppgifterna ändrades men yrket fanns kvar.",
        "accept": "on",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def editor(db: None) -> Any:
    user = UserFactory(role="editor", email="redaktor@example.se")
    user.groups.add(Group.objects.get(name="Redaktörer"))
    return user


@pytest.fixture
def editor_client(editor: Any) -> Client:
    client = Client()
    client.force_login(editor)
    return client


class TestSubmitting:
    def test_comment_waits_for_moderation(self, client: Client, tree: Tree) -> None:
        article = make_article(tree)
        response = client.post(reverse("cms:submit", args=[article.pk]), _comment())
        assert response.status_code == 302
        assert response["Location"] == article.url
        submission = ReaderSubmission.objects.get()
        assert submission.status == ReaderSubmission.Status.PENDING
        assert submission.page_id == article.pk
        assert "uppgifterna ändrades" not in Client().get(article.url).content.decode()
        # The redirect carries a thank-you message (so that page is not served from cache).
        assert "granskas innan det publiceras" in client.get(article.url).content.decode()

    def test_validation_error_keeps_the_readers_text(self, client: Client, tree: Tree) -> None:
        article = make_article(tree)
        text = "Min långa och genomtänkta kommentar som absolut inte får försvinna."
        response = client.post(
            reverse("cms:submit", args=[article.pk]), _comment(email="inte-en-adress", body=text)
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert text in html
        assert 'value="Birgitta L."' in html
        assert 'role="alert"' in html and 'href="#id_email"' in html
        assert not ReaderSubmission.objects.exists()

    def test_reply_needs_a_title(self, client: Client, tree: Tree) -> None:
        opening = make_debate(tree)
        response = client.post(
            reverse("cms:submit", args=[opening.pk]), _comment(kind="reply", title="")
        )
        assert response.status_code == 400
        assert "En replik behöver en rubrik." in response.content.decode()

    def test_reply_is_refused_on_an_article(self, client: Client, tree: Tree) -> None:
        article = make_article(tree)
        response = client.post(
            reverse("cms:submit", args=[article.pk]), _comment(kind="reply", title="Replik")
        )
        assert response.status_code == 400
        assert not ReaderSubmission.objects.exists()

    def test_markup_and_script_are_neutralised(self, client: Client, tree: Tree) -> None:
        article = make_article(tree)
        body = (
            '<script>alert("x")</script>Hej <b>världen</b> & "vänner" '
            "<img src=x onerror=alert(1)> 3 < 5"
        )
        client.post(reverse("cms:submit", args=[article.pk]), _comment(body=body))
        submission = ReaderSubmission.objects.get()
        assert submission.body == 'Hej världen & "vänner"  3 < 5'
        from cms import services

        services.submission_approve(submission_id=submission.pk, moderator=None)
        html = Client().get(article.url).content.decode()
        assert "Hej världen &amp; &quot;vänner&quot;  3 &lt; 5" in html
        assert "alert(" not in html and "onerror" not in html


class TestSpam:
    def test_honeypot_looks_like_success_but_keeps_nothing(
        self, client: Client, tree: Tree
    ) -> None:
        article = make_article(tree)
        response = client.post(
            reverse("cms:submit", args=[article.pk]), _comment(website="http://spam.example")
        )
        assert response.status_code == 302
        assert not ReaderSubmission.objects.exists()

    def test_rate_limit_per_ip_keeps_the_text(
        self, client: Client, tree: Tree, settings: Any
    ) -> None:
        settings.CMS_FORM_RATE = "2/m"
        article = make_article(tree)
        url = reverse("cms:submit", args=[article.pk])
        for n in range(2):
            response = client.post(url, _comment(body=f"Kommentar nummer {n} med text."))
            assert response.status_code == 302
        response = client.post(url, _comment(body="Den tredje kommentaren på kort tid."))
        assert response.status_code == 429
        assert "Den tredje kommentaren på kort tid." in response.content.decode()
        assert ReaderSubmission.objects.count() == 2
        # Another address is not affected.
        other = client.post(url, _comment(body="Från en annan dator."), REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 302


class TestModerationQueue:
    def test_editor_sees_the_queue_and_approves_a_comment(
        self, client: Client, editor_client: Client, tree: Tree
    ) -> None:
        article = make_article(tree)
        Client().get(article.url)  # now in the page cache
        client.post(reverse("cms:submit", args=[article.pk]), _comment())
        submission = ReaderSubmission.objects.get()

        listing = editor_client.get(reverse(LIST))
        assert listing.status_code == 200
        assert "Birgitta L." in listing.content.decode()
        review_url = reverse(REVIEW, args=[submission.pk])
        assert review_url in listing.content.decode()

        page = editor_client.get(review_url)
        assert page.status_code == 200
        assert "uppgifterna ändrades" in page.content.decode()

        response = editor_client.post(review_url, {"action": "approve"})
        assert response.status_code == 302
        submission.refresh_from_db()
        assert submission.status == ReaderSubmission.Status.APPROVED
        assert submission.decided_by is not None
        html = Client().get(article.url).content.decode()
        assert "uppgifterna ändrades" in html
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["birgitta@example.se"]
        assert article.full_url in message.body

    def test_approved_reply_is_published_in_the_thread(
        self, client: Client, editor_client: Client, tree: Tree
    ) -> None:
        opening = make_debate(tree)
        client.post(
            reverse("cms:submit", args=[opening.pk]),
            _comment(kind="reply", title="Replik: Låt arbetsgivaren intyga", name="Tomas N."),
        )
        submission = ReaderSubmission.objects.get()
        editor_client.post(reverse(REVIEW, args=[submission.pk]), {"action": "approve"})

        reply = DebatePage.objects.live().get(title="Replik: Låt arbetsgivaren intyga")
        assert reply.kind == DebatePage.Kind.REPLY
        assert reply.responds_to_id == opening.pk
        assert reply.reader_author_name == "Tomas N."
        assert reply.get_parent().pk == tree.debate.pk
        html = Client().get(opening.url).content.decode()
        assert "Replik: Låt arbetsgivaren intyga" in html
        assert reply.full_url in mail.outbox[0].body

    def test_rejection_is_not_published_and_the_reason_is_sent(
        self, client: Client, editor_client: Client, tree: Tree
    ) -> None:
        article = make_article(tree)
        client.post(reverse("cms:submit", args=[article.pk]), _comment())
        submission = ReaderSubmission.objects.get()
        editor_client.post(
            reverse(REVIEW, args=[submission.pk]),
            {"action": "reject", "reason": "Texten handlar inte om artikeln."},
        )
        submission.refresh_from_db()
        assert submission.status == ReaderSubmission.Status.REJECTED
        assert "uppgifterna ändrades" not in Client().get(article.url).content.decode()
        assert "Texten handlar inte om artikeln." in mail.outbox[0].body

    def test_a_submission_is_moderated_once(self, editor_client: Client, tree: Tree) -> None:
        from cms import services

        article = make_article(tree)
        submission = services.submission_create(
            page=article, kind="comment", name="A", email="a@example.se", body="En kommentar."
        )
        services.submission_approve(submission_id=submission.pk, moderator=None)
        with pytest.raises(services.CmsServiceError):
            services.submission_reject(submission_id=submission.pk, moderator=None)

    def test_writers_cannot_moderate(self, tree: Tree) -> None:
        writer = UserFactory(role="editor", email="skribent@example.se")
        writer.groups.add(Group.objects.get(name="Skribenter"))
        article = make_article(tree)
        from cms import services

        submission = services.submission_create(
            page=article, kind="comment", name="A", email="a@example.se", body="En kommentar."
        )
        client = Client()
        client.force_login(writer)
        response = client.post(reverse(REVIEW, args=[submission.pk]), {"action": "approve"})
        assert response.status_code in (302, 403)
        submission.refresh_from_db()
        assert submission.status == ReaderSubmission.Status.PENDING


def test_pages_without_comments_refuse_submissions(client: Client, tree: Tree) -> None:
    closed = make_article(tree, slug="stangd", allow_comments=False)
    for page in (closed, tree.about):
        response = client.post(reverse("cms:submit", args=[page.pk]), _comment())
        assert response.status_code == 400
        assert "tar inte emot bidrag" in response.content.decode()
    assert not ReaderSubmission.objects.exists()
    assert 'action="/bidrag/' not in client.get(closed.url).content.decode()
