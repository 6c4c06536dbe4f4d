"""The consent ledger: grant, withdraw, new text versions, history, and the client's page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.accounts.factories import UserFactory
from vagval.consent.models import ConsentPurpose, ConsentRecord
from vagval.consent.selectors import (
    consent_granted_user_ids,
    consent_is_granted,
    consents_for_user,
)
from vagval.consent.services import consent_grant, consent_text_publish, consent_withdraw

pytestmark = pytest.mark.django_db

ADVISER = ConsentPurpose.ADVISER_ACCESS


def test_the_seeded_texts_exist_for_every_purpose_in_both_languages() -> None:
    statuses = consents_for_user(user=UserFactory())
    assert [s.purpose for s in statuses] == list(ConsentPurpose.values)
    for status in statuses:
        assert status.text is not None and status.text.version == 1
        assert len(status.text.text_sv) > 100 and len(status.text.text_en) > 100
        assert not status.granted


def test_grant_withdraw_and_grant_again_keeps_the_history() -> None:
    user = UserFactory()
    first = consent_grant(user=user, purpose=ADVISER)
    assert consent_is_granted(user=user, purpose=ADVISER)
    assert consent_grant(user=user, purpose=ADVISER) == first  # idempotent
    assert consent_withdraw(user=user, purpose=ADVISER) == first
    assert not consent_is_granted(user=user, purpose=ADVISER)
    assert consent_withdraw(user=user, purpose=ADVISER) is None  # harmless twice
    second = consent_grant(user=user, purpose=ADVISER)
    history = next(s for s in consents_for_user(user=user) if s.purpose == ADVISER).history
    assert [r.pk for r in history] == [second.pk, first.pk]
    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    assert not consent_is_granted(user=user, purpose=ConsentPurpose.STATISTICS)


def test_a_new_text_version_asks_for_renewal_and_a_stale_version_is_refused() -> None:
    user = UserFactory()
    old = consent_grant(user=user, purpose=ADVISER, text_version=1)
    consent_text_publish(
        purpose=ADVISER, title_sv="Ny", title_en="New", text_sv="Ny text.", text_en="New text."
    )
    status = next(s for s in consents_for_user(user=user) if s.purpose == ADVISER)
    assert status.granted and status.needs_renewal and status.text.version == 2
    with pytest.raises(ValidationError) as error:
        consent_grant(user=user, purpose=ADVISER, text_version=1)
    assert error.value.code == "stale_text"
    renewed = consent_grant(user=user, purpose=ADVISER, text_version=2)
    old.refresh_from_db()
    assert old.withdrawn_at is not None and renewed.text.version == 2
    assert ConsentRecord.objects.filter(user=user, withdrawn_at=None).count() == 1


def test_unknown_purposes_are_refused() -> None:
    with pytest.raises(ValidationError):
        consent_grant(user=UserFactory(), purpose="marketing")


def test_bulk_check_of_who_has_consented() -> None:
    yes, no, other = UserFactory(), UserFactory(), UserFactory()
    consent_grant(user=yes, purpose=ADVISER)
    consent_grant(user=other, purpose=ADVISER)
    consent_grant(user=no, purpose=ConsentPurpose.STATISTICS)
    assert consent_granted_user_ids(purpose=ADVISER, user_ids=[yes.pk, no.pk]) == {yes.pk}


def test_the_client_grants_and_withdraws_on_the_consent_page(client) -> None:
    user = UserFactory()
    client.force_login(user)
    page = client.get("/mina-uppgifter/samtycken/").content.decode()
    assert "Mina samtycken" in page and "Dela min resa med min rådgivare" in page
    assert "Din rådgivare får se det du har fyllt i" in page  # the plain-language text
    response = client.post(
        "/mina-uppgifter/samtycken/adviser_access/", {"action": "grant", "text_version": "1"}
    )
    assert response.status_code == 302
    assert consent_is_granted(user=user, purpose=ADVISER)
    page = client.get(response["Location"]).content.decode()
    assert "Du har gett ditt samtycke" in page and "Historik" in page
    client.post("/mina-uppgifter/samtycken/adviser_access/", {"action": "withdraw"})
    assert not consent_is_granted(user=user, purpose=ADVISER)
    page = client.get("/mina-uppgifter/samtycken/").content.decode()
    assert "återkallat" in page


def test_a_stale_form_says_the_text_changed(client) -> None:
    user = UserFactory()
    client.force_login(user)
    consent_text_publish(purpose=ADVISER, title_sv="Ny", title_en="New", text_sv="T", text_en="T")
    response = client.post(
        "/mina-uppgifter/samtycken/adviser_access/",
        {"action": "grant", "text_version": "1"},
        follow=True,
    )
    assert "Texten har ändrats" in response.content.decode()
    assert not consent_is_granted(user=user, purpose=ADVISER)


def test_unknown_purpose_in_the_url_is_404(client) -> None:
    client.force_login(UserFactory())
    assert (
        client.post("/mina-uppgifter/samtycken/marketing/", {"action": "grant"}).status_code == 404
    )


def test_the_consent_page_uses_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
) -> None:
    user = UserFactory()
    for purpose in ConsentPurpose.values:
        consent_grant(user=user, purpose=purpose)
        consent_withdraw(user=user, purpose=purpose)
        consent_grant(user=user, purpose=purpose)
    client.force_login(user)
    with django_assert_max_num_queries(10):
        response = client.get("/mina-uppgifter/samtycken/")
    assert response.status_code == 200
