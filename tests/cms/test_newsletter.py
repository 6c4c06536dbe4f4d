"""Newsletter sign-up with double opt-in through a signed link."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from cms import services
from cms.models import NewsletterSubscription


def _link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/nyhetsbrev/\S+/)", body)
    assert match is not None, body
    return match.group(1)


def test_double_opt_in(client: Client, db: None) -> None:
    response = client.post("/nyhetsbrev/", {"email": "Ada@Example.se", "language": "sv"})
    assert response.status_code == 200
    assert "Kolla din e-post" in response.content.decode()
    subscription = NewsletterSubscription.objects.get()
    assert subscription.email == "ada@example.se"
    assert subscription.status == NewsletterSubscription.Status.PENDING
    assert mail.outbox[0].to == ["ada@example.se"]

    link = _link(mail.outbox[0].body)
    # Opening the link (or a mail scanner following it) confirms nothing by itself.
    assert client.get(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == NewsletterSubscription.Status.PENDING

    assert client.post(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == NewsletterSubscription.Status.CONFIRMED
    assert subscription.confirmed_at is not None


def test_tampered_or_expired_link_is_refused(client: Client, db: None) -> None:
    services.newsletter_subscribe(email="bo@example.se", language="sv")
    link = _link(mail.outbox[0].body)
    assert client.post(link.replace("/bekrafta/", "/bekrafta/x")).status_code == 400
    NewsletterSubscription.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert services.newsletter_purge_unconfirmed() == 1
    response = client.post(link)
    assert response.status_code == 400
    assert "ogiltig" in response.content.decode()


def test_same_answer_for_a_confirmed_address_and_no_new_mail(client: Client, db: None) -> None:
    NewsletterSubscription.objects.create(
        email="cy@example.se", status=NewsletterSubscription.Status.CONFIRMED
    )
    response = client.post("/nyhetsbrev/", {"email": "cy@example.se"})
    assert "Kolla din e-post" in response.content.decode()
    assert mail.outbox == []


def test_unsubscribe_deletes_the_address(client: Client, db: None) -> None:
    subscription = NewsletterSubscription.objects.create(
        email="di@example.se", status=NewsletterSubscription.Status.CONFIRMED
    )
    url = services.newsletter_unsubscribe_url(subscription=subscription)
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.post(f"/{path}").status_code == 200
    assert not NewsletterSubscription.objects.exists()


def test_invalid_address_is_shown_again(client: Client, db: None) -> None:
    response = client.post("/nyhetsbrev/", {"email": "inte en adress"})
    assert response.status_code == 400
    assert 'value="inte en adress"' in response.content.decode()
    assert not NewsletterSubscription.objects.exists()


def test_honeypot_subscribes_nobody(client: Client, db: None) -> None:
    response = client.post("/nyhetsbrev/", {"email": "bot@example.se", "website": "x"})
    assert response.status_code == 200
    assert not NewsletterSubscription.objects.exists()
    assert mail.outbox == []


def test_english_sign_up_gets_english_mail(client: Client, db: None) -> None:
    client.post("/nyhetsbrev/", {"email": "en@example.se", "language": "en"})
    assert NewsletterSubscription.objects.get().language == "en"
    assert "Confirm" in mail.outbox[0].subject
