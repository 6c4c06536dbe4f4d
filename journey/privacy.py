"""The journey's part of the portable profile and of account erasure (vagval.consent.privacy).

Export: the client's profile, every step 1 response with its answers (and the questionnaire
version each was given against), every CurrentState revision and the "what changed" log.
Erase: the ClientProfile and, by cascade, everything hanging from it. Steps 2, 3 and 5 add their
records here as they are built. Steps 3 and 5: search profiles and market plans, the tracker,
hidden ads, alert settings, stored feeds, and the MatchProfile (`match_profile`, the input of
`manage.py feed --profile`). Their rows cascade from the profile too; the anonymised
TransitionOutcome rows name no one and stay.
"""

from __future__ import annotations

from typing import Any

from journey.matchprofile import match_profile_as_dict, match_profile_get
from journey.models import ClientProfile, CurrentState, JourneyChange, QuestionnaireResponse
from journey.selectors.competence import competence_profile_as_dict
from journey.selectors.current_state import current_state_as_dict

EXPORT_SCHEMA_VERSION = 1


def export_user_data(user: Any) -> dict[str, Any]:
    client = ClientProfile.objects.filter(pk=user.pk).first()
    if client is None:
        return {"schema_version": EXPORT_SCHEMA_VERSION, "client_profile": None}
    responses = (
        QuestionnaireResponse.objects.filter(client=client)
        .select_related("questionnaire")
        .prefetch_related("answers")
        .order_by("id")
    )
    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "client_profile": {
            "status": client.status,
            "notice_date": client.notice_date,
            "last_working_day": client.last_working_day,
            "journey_stage": client.journey_stage,
            "created_at": client.created_at,
            "updated_at": client.updated_at,
        },
        "current_state_questionnaire": [
            {
                "questionnaire": response.questionnaire.slug,
                "questionnaire_version": response.questionnaire.version,
                "started_at": response.started_at,
                "completed_at": response.completed_at,
                "answers": [
                    {
                        "question": answer.question_key,
                        "value": answer.value,
                        "answered_at": answer.answered_at,
                        "revision": answer.revision,
                    }
                    for answer in sorted(response.answers.all(), key=lambda a: a.question_key)
                ],
            }
            for response in responses
        ],
        "current_states": [
            current_state_as_dict(state=state)
            for state in CurrentState.objects.filter(client=client).order_by("revision")
        ],
        "competence": competence_export(client=client),
        "market": market_export(client=client),
        "feed": feed_export(client=client),
        # The input of `manage.py feed --profile FILE` (MatchProfile.from_dict reads it).
        "match_profile": match_profile_as_dict(match_profile_get(client=client)),
        "changes": [
            {
                "step": change.step,
                "kind": change.kind,
                "message_sv": change.message_sv,
                "message_en": change.message_en,
                "created_at": change.created_at,
                "seen_at": change.seen_at,
            }
            for change in JourneyChange.objects.filter(client=client).order_by("created_at", "id")
        ],
    }


def competence_export(*, client: ClientProfile) -> dict[str, Any]:
    """Everything step 2 stores about the client (rows of every status, with their sources)."""
    from journey.models import (
        CompetenceInventory,
        CompetenceProfile,
        CompetenceSkill,
        CvUpload,
        DrivingLicence,
        Education,
        Experience,
        LanguageSkill,
    )

    inventory = CompetenceInventory.objects.filter(client=client).first()
    common = ("source", "status", "created_at", "updated_at")
    return {
        "started_at": inventory.started_at if inventory else None,
        "completed_at": inventory.completed_at if inventory else None,
        "experiences": list(
            Experience.objects.filter(client=client)
            .order_by("id")
            .values(
                "title",
                "employer",
                "occupation_id",
                "start_date",
                "end_date",
                "description",
                *common,
            )
        ),
        "education": list(
            Education.objects.filter(client=client)
            .order_by("id")
            .values(
                "name", "institution", "level_id", "field_id", "start_year", "end_year", *common
            )
        ),
        "skills": list(
            CompetenceSkill.objects.filter(client=client)
            .order_by("id")
            .values("skill_id", "level", "reasons", "decided_at", *common)
        ),
        "languages": list(
            LanguageSkill.objects.filter(client=client)
            .order_by("id")
            .values("language_id", "level", *common)
        ),
        "driving_licences": list(
            DrivingLicence.objects.filter(client=client)
            .order_by("id")
            .values_list("licence_id", flat=True)
        ),
        "cv_uploads": list(
            CvUpload.objects.filter(client=client)
            .order_by("id")
            .values("filename", "kind", "size", "text", "found", "uploaded_at")
        ),
        "profiles": [
            competence_profile_as_dict(profile=profile)
            for profile in CompetenceProfile.objects.filter(client=client).order_by("revision")
        ],
    }


def market_export(*, client: ClientProfile) -> dict[str, Any]:
    """Step 3: every SearchProfile and MarketPlan revision."""
    from journey.models import MarketPlan, SearchProfile
    from journey.selectors.market import market_plan_as_dict, search_profile_as_dict

    return {
        "search_profiles": [
            search_profile_as_dict(profile=p)
            for p in SearchProfile.objects.filter(client=client).order_by("revision")
        ],
        "market_plans": [
            market_plan_as_dict(plan=p)
            for p in MarketPlan.objects.filter(client=client).order_by("revision")
        ],
    }


def feed_export(*, client: ClientProfile) -> dict[str, Any]:
    """Step 5: the application tracker, hidden ads, alert settings and the stored feeds."""
    from journey.models import FeedSettings, FeedSnapshot, HiddenAd
    from journey.selectors.feed import applications_as_dicts

    settings_ = FeedSettings.objects.filter(client=client).first()
    return {
        "applications": applications_as_dicts(client=client),
        "hidden_ads": list(
            HiddenAd.objects.filter(client=client).order_by("id").values("ad_id", "hidden_at")
        ),
        "settings": settings_.as_dict() if settings_ else None,
        "snapshots": list(
            FeedSnapshot.objects.filter(client=client)
            .order_by("computed_at", "id")
            .values("computed_at", "reason", "items")
        ),
    }


def erase_user_data(user: Any) -> None:
    # Everything the journey stores hangs from the profile with on_delete=CASCADE.
    ClientProfile.objects.filter(pk=user.pk).delete()
