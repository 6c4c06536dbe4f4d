"""Reads of the consent ledger."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import ConsentPurpose, ConsentRecord, ConsentText


@dataclass(frozen=True)
class ConsentStatus:
    """Where one person stands on one purpose: the current text, the consent in force, history."""

    purpose: str
    label: str
    text: ConsentText | None
    active: ConsentRecord | None
    history: list[ConsentRecord] = field(default_factory=list)

    @property
    def granted(self) -> bool:
        return self.active is not None

    @property
    def needs_renewal(self) -> bool:
        """Granted under an older text than the one now published."""
        return (
            self.active is not None
            and self.text is not None
            and self.active.text.version < self.text.version
        )


def consent_text_current(*, purpose: str) -> ConsentText | None:
    """The newest published text for a purpose."""
    return (
        ConsentText.objects.filter(purpose=purpose, published_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


def consent_is_granted(*, user: Any, purpose: str) -> bool:
    """True if `user` has a consent in force for `purpose` (under any text version)."""
    if not getattr(user, "pk", None):
        return False
    return ConsentRecord.objects.filter(user=user, purpose=purpose, withdrawn_at=None).exists()


def consent_granted_user_ids(*, purpose: str, user_ids: Iterable[int] | None = None) -> set[int]:
    """Ids of the users (optionally among `user_ids`) with a consent in force for `purpose`.

    For bulk checks, e.g. which clients in a caseload or a statistics run may be included.
    """
    qs = ConsentRecord.objects.filter(purpose=purpose, withdrawn_at=None)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    return set(qs.values_list("user_id", flat=True))


def consent_records_for_user(*, user: Any) -> QuerySet[ConsentRecord]:
    return (
        ConsentRecord.objects.filter(user=user)
        .select_related("text")
        .order_by("-granted_at", "-id")
    )


def consents_for_user(*, user: Any) -> list[ConsentStatus]:
    """One `ConsentStatus` per purpose, in the order of `ConsentPurpose`. Two queries."""
    now = timezone.now()
    current: dict[str, ConsentText] = {}
    for text in ConsentText.objects.filter(published_at__lte=now).order_by("purpose", "-version"):
        current.setdefault(text.purpose, text)
    records: dict[str, list[ConsentRecord]] = {}
    for record in consent_records_for_user(user=user):
        records.setdefault(record.purpose, []).append(record)
    statuses = []
    for purpose in ConsentPurpose:
        history = records.get(purpose.value, [])
        active = next((r for r in history if r.withdrawn_at is None), None)
        statuses.append(
            ConsentStatus(
                purpose=purpose.value,
                label=str(purpose.label),
                text=current.get(purpose.value),
                active=active,
                history=history,
            )
        )
    return statuses
