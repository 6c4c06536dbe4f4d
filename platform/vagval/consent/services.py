"""Writes to the consent ledger: grant and withdraw, keeping the history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ConsentPurpose, ConsentRecord, ConsentText
from .selectors import consent_text_current


@transaction.atomic
def consent_grant(*, user: Any, purpose: str, text_version: int | None = None) -> ConsentRecord:
    """Record that `user` agrees to `purpose` under the current text (or `text_version`).

    Idempotent: granting the version already in force returns that record. Granting a newer
    version closes the older record and opens a new one, so the history shows both.
    `text_version` lets a form say which text the person actually saw; a stale version (older
    than the current one) is refused so nobody agrees to a text they were not shown.
    """
    if purpose not in ConsentPurpose.values:
        raise ValidationError(_("Okänt syfte för samtycke."), code="unknown_purpose")
    text = consent_text_current(purpose=purpose)
    if text is None:
        raise ValidationError(_("Det finns ingen publicerad samtyckestext."), code="no_text")
    if text_version is not None and text_version != text.version:
        raise ValidationError(
            _("Texten har ändrats sedan sidan laddades. Läs den nya texten och försök igen."),
            code="stale_text",
        )
    active = (
        ConsentRecord.objects.select_for_update()
        .filter(user=user, purpose=purpose, withdrawn_at=None)
        .select_related("text")
        .first()
    )
    if active is not None:
        if active.text_id == text.pk:
            return active
        active.withdrawn_at = timezone.now()
        active.save(update_fields=["withdrawn_at"])
    return ConsentRecord.objects.create(user=user, purpose=purpose, text=text)


@transaction.atomic
def consent_withdraw(*, user: Any, purpose: str) -> ConsentRecord | None:
    """Withdraw `user`'s consent for `purpose`. Returns the closed record, or None if none was
    in force (withdrawing twice is harmless)."""
    active = (
        ConsentRecord.objects.select_for_update()
        .filter(user=user, purpose=purpose, withdrawn_at=None)
        .first()
    )
    if active is None:
        return None
    active.withdrawn_at = timezone.now()
    active.save(update_fields=["withdrawn_at"])
    return active


def consent_text_publish(
    *, purpose: str, title_sv: str, title_en: str, text_sv: str, text_en: str
) -> ConsentText:
    """Publish a new version of a purpose's text. Existing consents stay under their version."""
    with transaction.atomic():
        last = (
            ConsentText.objects.select_for_update()
            .filter(purpose=purpose)
            .order_by("-version")
            .first()
        )
        return ConsentText.objects.create(
            purpose=purpose,
            version=(last.version + 1) if last else 1,
            title_sv=title_sv,
            title_en=title_en,
            text_sv=text_sv,
            text_en=text_en,
        )
