"""Step 1's output: computing the client's CurrentState from their questionnaire answers.

`current_state_derive` is the whole rule book as one pure function (answers in, fields out), so
it can be read and tested on its own. `current_state_compute` applies it to the client's latest
completed response, stores a new revision when anything changed, tells the client what changed,
updates the profile and queues the downstream refresh (steps 3 and 5).

Every suggestion and priority comes with its reasons in plain Swedish and English: the client
sees why a path is suggested, the adviser sees why someone is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journey.conditions import visible_question_keys
from journey.models import (
    ChangeKind,
    ClientProfile,
    CurrentState,
    Driver,
    EconomicRunway,
    EmploymentStatus,
    Hours,
    JourneyChange,
    JourneyStep,
    Openness,
    Priority,
    QuestionnaireResponse,
    RemoteWish,
    SuggestedPath,
)

from .changes import journey_change_record
from .client import client_profile_employment_sync
from .downstream import client_downstream_refresh_enqueue

# A driver the client did not rate counts as neither important nor unimportant.
DRIVER_NEUTRAL = 40
DRIVER_TOP_BONUS = 20
HIGH_PRIORITY_DAYS = 30
NORMAL_PRIORITY_DAYS = 90

PATH_LABELS: dict[str, tuple[str, str]] = {
    SuggestedPath.SAME_OCCUPATION: (
        "ett nytt jobb i samma yrke",
        "a new job in the same occupation",
    ),
    SuggestedPath.NEW_OCCUPATION: ("ett nytt yrke", "a new occupation"),
    SuggestedPath.STUDIES: ("studier", "studies"),
    SuggestedPath.OWN_BUSINESS: ("eget företag", "your own business"),
}


def _reason(code: str, sv: str, en: str) -> dict[str, str]:
    return {"code": code, "sv": sv, "en": en}


def _choice(value: Any, choices: type[Any], default: str) -> str:
    return value if isinstance(value, str) and value in choices.values else default


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def current_state_derive(*, answers: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """CurrentState content fields from the answers to the shown questions (key -> value)."""
    stage = _choice(answers.get("situation"), EmploymentStatus, EmploymentStatus.UNKNOWN)
    in_notice_or_left = stage in (EmploymentStatus.NOTICE, EmploymentStatus.LEFT)
    notice_date = _date(answers.get("notice_date")) if in_notice_or_left else None
    last_working_day = _date(answers.get("last_working_day")) if in_notice_or_left else None
    runway = _choice(answers.get("economic_runway"), EconomicRunway, EconomicRunway.UNKNOWN)

    top_drivers = [d for d in answers.get("top_drivers") or [] if d in Driver.values][:3]
    drivers: dict[str, int] = {}
    for driver in Driver.values:
        rating = answers.get(f"driver_{driver}")
        score = (
            (rating - 1) * 20 if isinstance(rating, int) and 1 <= rating <= 5 else DRIVER_NEUTRAL
        )
        drivers[driver] = score + (DRIVER_TOP_BONUS if driver in top_drivers else 0)

    places = [p for p in answers.get("places") or [] if isinstance(p, dict)]
    openness = {
        name: _choice(answers.get(f"open_{name}"), Openness, Openness.UNKNOWN)
        for name in ("new_occupation", "studies", "own_business")
    }
    path, path_reasons = _suggested_path(answers, openness, runway)
    priority, priority_reasons = _priority(answers, stage, runway, last_working_day, today)
    return {
        "stage": stage,
        "notice_date": notice_date,
        "last_working_day": last_working_day,
        "economic_runway": runway,
        "energy": _scale(answers.get("energy")),
        "wellbeing": _scale(answers.get("wellbeing")),
        "drivers": drivers,
        "top_drivers": top_drivers,
        "municipality_ids": [p["id"] for p in places if p.get("type") == "municipality"],
        "region_ids": [p["id"] for p in places if p.get("type") == "region"],
        "max_commute_minutes": _non_negative(answers.get("max_commute_minutes")),
        "relocate": answers.get("relocate") if isinstance(answers.get("relocate"), bool) else None,
        "remote": _choice(answers.get("remote"), RemoteWish, RemoteWish.UNKNOWN),
        "hours": _choice(answers.get("hours"), Hours, Hours.UNKNOWN),
        "salary_floor": _non_negative(answers.get("salary_floor")),
        "open_new_occupation": openness["new_occupation"],
        "open_studies": openness["studies"],
        "open_own_business": openness["own_business"],
        "suggested_path": path,
        "path_reasons": path_reasons,
        "priority": priority,
        "priority_reasons": priority_reasons,
        "help_wanted": [str(v) for v in answers.get("help_wanted") or []],
    }


def _scale(value: Any) -> int | None:
    return value if isinstance(value, int) and 1 <= value <= 5 else None


def _non_negative(value: Any) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


def _suggested_path(
    answers: Mapping[str, Any], openness: Mapping[str, str], runway: str
) -> tuple[str, list[dict[str, str]]]:
    """The rules, in order; the first that applies decides. Returns (path, reasons)."""
    reasons: list[dict[str, str]] = []
    short_runway = runway == EconomicRunway.UNDER_3
    preferred = answers.get("preferred_path")
    openness_of = {
        SuggestedPath.NEW_OCCUPATION: openness["new_occupation"],
        SuggestedPath.STUDIES: openness["studies"],
        SuggestedPath.OWN_BUSINESS: openness["own_business"],
    }
    path: str | None = None
    # 1. What the client says appeals most, unless they also said no to it.
    if preferred in SuggestedPath.values:
        if openness_of.get(preferred) == Openness.NO:
            reasons.append(
                _reason(
                    "preference_conflicts",
                    "Du valde det som mest lockande men svarade nej på frågan om det, så vi utgår "
                    "från dina övriga svar.",
                    "You chose it as most appealing but also said no to it, so we go by your "
                    "other answers.",
                )
            )
        else:
            path = preferred
            reasons.append(
                _reason(
                    "preferred",
                    "Du har sagt att det lockar dig mest just nu.",
                    "You said this appeals to you most right now.",
                )
            )
    # 2. Ready to start a business, with an idea.
    if path is None and openness["own_business"] == Openness.YES and answers.get("business_idea"):
        path = SuggestedPath.OWN_BUSINESS
        reasons.append(
            _reason(
                "business_idea",
                "Du vill starta eget och har redan en affärsidé.",
                "You want to start a business and already have an idea.",
            )
        )
    # 3. Keen on studies and able to afford a period of study.
    if path is None and openness["studies"] == Openness.YES and not short_runway:
        path = SuggestedPath.STUDIES
        reasons.append(
            _reason(
                "studies_affordable",
                "Du vill gärna studera och har ekonomisk marginal för en tid av studier.",
                "You would like to study and have the financial room for a period of study.",
            )
        )
    # 4. Open to a new occupation.
    if path is None and openness["new_occupation"] == Openness.YES:
        path = SuggestedPath.NEW_OCCUPATION
        reasons.append(
            _reason(
                "open_new_occupation",
                "Du är öppen för att byta yrke.",
                "You are open to changing occupation.",
            )
        )
    # 5. Otherwise the quickest road: a new job in the same occupation.
    if path is None:
        path = SuggestedPath.SAME_OCCUPATION
        reasons.append(
            _reason(
                "experience_fastest",
                "Din erfarenhet i ditt yrke är oftast den snabbaste vägen till ett nytt jobb.",
                "Your experience in your occupation is usually the quickest road to a new job.",
            )
        )
        if openness["new_occupation"] == Openness.MAYBE:
            reasons.append(
                _reason(
                    "maybe_new_occupation",
                    "Du kan ändå titta på närliggande yrken, eftersom du kanske vill byta.",
                    "You can still look at related occupations, since you might want a change.",
                )
            )
    if short_runway and path in (SuggestedPath.STUDIES, SuggestedPath.OWN_BUSINESS):
        reasons.append(
            _reason(
                "short_runway",
                "Din ekonomiska marginal är kort, så det kan vara klokt att samtidigt söka jobb.",
                "Your financial margin is short, so it may be wise to look for jobs at the same "
                "time.",
            )
        )
    return path, reasons


def _priority(
    answers: Mapping[str, Any],
    stage: str,
    runway: str,
    last_working_day: dt.date | None,
    today: dt.date,
) -> tuple[str, list[dict[str, str]]]:
    """How soon an adviser should reach out, with the reasons. Returns (priority, reasons)."""
    high: list[dict[str, str]] = []
    normal: list[dict[str, str]] = []
    energy, wellbeing = _scale(answers.get("energy")), _scale(answers.get("wellbeing"))
    if energy is not None and energy <= 2:
        high.append(_reason("low_energy", "Låg energi just nu", "Low energy right now"))
    if wellbeing is not None and wellbeing <= 2:
        high.append(_reason("low_wellbeing", "Mår dåligt i situationen", "Feeling bad"))
    if answers.get("wants_contact_soon") is True:
        high.append(
            _reason("wants_contact", "Vill att en rådgivare hör av sig snart", "Wants contact soon")
        )
    if runway == EconomicRunway.UNDER_3:
        high.append(
            _reason(
                "short_runway",
                "Klarar sig ekonomiskt mindre än tre månader",
                "Can manage financially for less than three months",
            )
        )
    worry = _scale(answers.get("economic_worry"))
    if worry == 5:
        high.append(
            _reason("economic_worry", "Mycket orolig för ekonomin", "Very worried about money")
        )
    elif worry == 4:
        normal.append(_reason("economic_worry", "Orolig för ekonomin", "Worried about money"))
    if last_working_day is not None and stage == EmploymentStatus.NOTICE:
        days = (last_working_day - today).days
        if days <= HIGH_PRIORITY_DAYS:
            high.append(
                _reason(
                    "last_day_near",
                    f"Sista anställningsdag om {max(days, 0)} dagar",
                    f"Last working day in {max(days, 0)} days",
                )
            )
        elif days <= NORMAL_PRIORITY_DAYS:
            normal.append(
                _reason(
                    "last_day_within_3_months",
                    "Sista anställningsdag inom tre månader",
                    "Last working day within three months",
                )
            )
    if stage == EmploymentStatus.LEFT:
        normal.append(
            _reason("already_left", "Anställningen har redan upphört", "Employment already ended")
        )
    if answers.get("support_network") is False:
        normal.append(
            _reason("no_support", "Har ingen att prata med om situationen", "No one to talk to")
        )
    if high:
        return Priority.HIGH, high + normal
    if normal:
        return Priority.NORMAL, normal
    return Priority.LOW, [
        _reason("no_urgency", "Inga tecken på brådska i svaren", "No sign of urgency in answers")
    ]


# ---- storing ---------------------------------------------------------------------------------


@dataclass
class CurrentStateComputed:
    """What `current_state_compute` did: the client's current state (None if step 1 is not
    completed), whether a new revision was stored, and the change notes it recorded."""

    state: CurrentState | None
    created: bool = False
    changes: list[JourneyChange] = field(default_factory=list)


# Groups of fields, and what to tell the client when one of them changes.
_DIFF_GROUPS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("stage", "notice_date", "last_working_day"),
        "Dina uppgifter om anställningen har uppdaterats.",
        "Your employment details have been updated.",
    ),
    (
        ("municipality_ids", "region_ids", "max_commute_minutes", "relocate"),
        "Du har ändrat var du vill arbeta eller hur långt du kan pendla.",
        "You have changed where you want to work or how far you can commute.",
    ),
    (
        ("remote", "hours", "salary_floor"),
        "Du har ändrat dina önskemål om distansarbete, arbetstid eller lön.",
        "You have changed your wishes about remote work, hours or salary.",
    ),
    (
        ("drivers", "top_drivers"),
        "Det som är viktigast för dig i nästa jobb har uppdaterats.",
        "What matters most to you in your next job has been updated.",
    ),
    (
        ("open_new_occupation", "open_studies", "open_own_business"),
        "Du har ändrat hur öppen du är för nytt yrke, studier eller eget företag.",
        "You have changed how open you are to a new occupation, studies or your own business.",
    ),
)

# Fields later steps do not read: a change in them alone does not trigger a downstream refresh.
_LOCAL_ONLY_FIELDS = frozenset(
    {"priority", "priority_reasons", "energy", "wellbeing", "economic_runway", "help_wanted"}
)


def current_state_latest_response(*, client: ClientProfile) -> QuestionnaireResponse | None:
    """The newest completed step 1 response of the client (what CurrentState is computed from)."""
    return (
        QuestionnaireResponse.objects.filter(client=client, completed_at__isnull=False)
        .select_related("questionnaire")
        .order_by("-id")
        .first()
    )


def current_state_answers(*, response: QuestionnaireResponse) -> dict[str, Any]:
    """The answers of `response` that count: to questions shown, not cleared."""
    questions = list(
        response.questionnaire.questions.order_by("order").values_list("key", "show_if")
    )
    stored = {
        key: value
        for key, value in response.answers.values_list("question_key", "value")
        if value not in (None, "", [])
    }
    shown = visible_question_keys(questions, stored)
    return {key: stored[key] for key in shown if key in stored}


def current_state_compute(
    *, client: ClientProfile, today: dt.date | None = None
) -> CurrentStateComputed:
    """Recompute the client's CurrentState; store a new revision if anything differs.

    Also copies the employment facts to the profile, records what changed for Min resa and, if
    something later steps read has changed, queues `journey.tasks.client_downstream_refresh`
    after commit. Safe to call any time: with nothing new it returns the current state as is.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        # Serialise per client so two saves cannot claim the same revision number.
        ClientProfile.objects.select_for_update().filter(pk=client.pk).first()
        response = current_state_latest_response(client=client)
        previous = CurrentState.objects.filter(client=client).order_by("-revision").first()
        if response is None:
            return CurrentStateComputed(state=previous)
        content = current_state_derive(
            answers=current_state_answers(response=response), today=today
        )
        old = previous.content() if previous is not None else None
        if previous is not None and old == content and previous.computed_from_id == response.pk:
            return CurrentStateComputed(state=previous)
        state = CurrentState.objects.create(
            client=client,
            revision=(previous.revision + 1) if previous is not None else 1,
            computed_from=response,
            computed_from_version=response.questionnaire.version,
            **content,
        )
        client_profile_employment_sync(
            client=client,
            status=state.stage,
            notice_date=state.notice_date,
            last_working_day=state.last_working_day,
        )
        changes = _record_differences(client=client, old=old, new=content)
        if old is None or any(
            old[name] != content[name] for name in content if name not in _LOCAL_ONLY_FIELDS
        ):
            client_downstream_refresh_enqueue(client=client)
    return CurrentStateComputed(state=state, created=True, changes=changes)


def _record_differences(
    *, client: ClientProfile, old: dict[str, Any] | None, new: dict[str, Any]
) -> list[JourneyChange]:
    url = reverse("journey:current_state_summary")
    path_sv, path_en = PATH_LABELS[new["suggested_path"]]
    if old is None:
        return [
            journey_change_record(
                client=client,
                step=JourneyStep.CURRENT_STATE,
                kind=ChangeKind.COMPLETED,
                message_sv=f"Din nulägesanalys är klar. Föreslagen väg: {path_sv}.",
                message_en=f"Your current-state analysis is complete. Suggested path: {path_en}.",
                url=url,
            )
        ]
    changes = []
    for fields, message_sv, message_en in _DIFF_GROUPS:
        if any(old[name] != new[name] for name in fields):
            changes.append(
                journey_change_record(
                    client=client,
                    step=JourneyStep.CURRENT_STATE,
                    kind=ChangeKind.UPDATED,
                    message_sv=message_sv,
                    message_en=message_en,
                    url=url,
                )
            )
    if old["suggested_path"] != new["suggested_path"]:
        old_sv, old_en = PATH_LABELS[old["suggested_path"]]
        changes.append(
            journey_change_record(
                client=client,
                step=JourneyStep.CURRENT_STATE,
                kind=ChangeKind.UPDATED,
                message_sv=f"Föreslagen väg är nu {path_sv} (tidigare {old_sv}).",
                message_en=f"The suggested path is now {path_en} (before: {old_en}).",
                url=url,
            )
        )
    return changes
