"""Demo data of the journey: the demo client has completed step 1 and has a CurrentState.

Runs after vagval.accounts' demo (INSTALLED_APPS order), which creates the demo client; this
module only fetches that user. Idempotent: once the demo client's step 1 is completed, nothing
is changed. Steps 2, 3 and 5 add their part of the half-finished journey below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TextIO

from django.utils import timezone

from journey.models import ClientProfile, QuestionnaireResponse
from journey.services.answer_values import AnswerRefused, answer_value_to_raw, place_resolve
from journey.services.client import client_profile_get_or_create
from journey.services.questionnaire import (
    FIELD_PREFIX,
    RESPONSE_FIELD,
    REVISION_PREFIX,
    answers_submit,
    response_complete,
    response_start,
)
from vagval.accounts.demo import DEMO_CLIENT_EMAIL
from vagval.accounts.selectors import user_get_by_email
from vagval.web.demoloader import DemoLogin

DEMO_PLACES = ("Göteborg", "Mölndal")


def demo_answers(*, today: dt.date) -> dict[str, Any]:
    """Plausible answers of an IT project manager given notice at a manufacturer in Gothenburg."""
    return {
        "situation": "notice",
        "notice_date": (today - dt.timedelta(days=21)).isoformat(),
        "last_working_day": (today + dt.timedelta(days=75)).isoformat(),
        "released_from_work": False,
        "economic_runway": "6_12",
        "severance": "yes",
        "severance_months": 6,
        "economic_worry": 3,
        "energy": 3,
        "wellbeing": 3,
        "support_network": True,
        "driver_development": 5,
        "driver_security": 3,
        "driver_salary": 4,
        "driver_meaning": 4,
        "driver_flexibility": 4,
        "driver_colleagues": 3,
        "driver_leadership": 2,
        "top_drivers": ["development", "meaning", "flexibility"],
        "max_commute_minutes": 45,
        "remote": "hybrid",
        "relocate": False,
        "hours": "full",
        "salary_floor": 45000,
        "open_new_occupation": "maybe",
        "open_studies": "maybe",
        "studies_length": "short",
        "open_own_business": "no",
        "preferred_path": "same_occupation",
        "help_wanted": ["cv", "interview", "market"],
        "contact_preference": "digital",
    }


def demo_response_fill(
    *, client: ClientProfile, response: QuestionnaireResponse, values: Mapping[str, Any]
) -> list[str]:
    """Answer `values` section by section through the normal save path; returns refusals."""
    questions = list(response.questionnaire.questions.order_by("order"))
    refused: list[str] = []
    for section in response.questionnaire.section_keys:
        post: dict[str, list[str]] = {RESPONSE_FIELD: [str(response.pk)]}
        revisions = dict(response.answers.values_list("question_key", "revision"))
        for question in questions:
            if question.section != section or question.key not in values:
                continue
            raw = answer_value_to_raw(question=question, value=values[question.key])
            post[f"{FIELD_PREFIX}{question.key}"] = list(raw.values)
            post[f"{REVISION_PREFIX}{question.key}"] = [str(revisions.get(question.key, 0))]
        result = answers_submit(client=client, section=section, post=post)
        refused += [f"{k}: {o.code}" for k, o in result.outcomes.items() if o.refused]
    return refused


def demo_journey_backdate(
    *, client: ClientProfile, started_at: dt.datetime, last_active_at: dt.datetime
) -> None:
    """Move a synthetic demo client's journey back in time: started at `started_at`, nothing
    done since `last_active_at`.

    For the adviser portal's demo, whose caseload must show clients who have been idle for
    weeks whenever the demo is loaded. The timestamps are auto_now fields, which the normal
    save path always sets to now, hence the bulk updates. Demo data only.
    """
    from journey.models import Answer, CompetenceInventory, CurrentState, JourneyChange

    last_active_at = max(last_active_at, started_at)
    ClientProfile.objects.filter(pk=client.pk).update(
        created_at=started_at, updated_at=last_active_at
    )
    QuestionnaireResponse.objects.filter(client=client).update(
        started_at=started_at, updated_at=last_active_at
    )
    QuestionnaireResponse.objects.filter(client=client, completed_at__isnull=False).update(
        completed_at=last_active_at
    )
    Answer.objects.filter(response__client=client).update(answered_at=last_active_at)
    CurrentState.objects.filter(client=client).update(computed_at=last_active_at)
    CompetenceInventory.objects.filter(client=client).update(
        started_at=started_at, updated_at=last_active_at
    )
    JourneyChange.objects.filter(client=client).update(created_at=last_active_at)


def load_demo_data(*, stdout: TextIO) -> list[DemoLogin]:
    user = user_get_by_email(email=DEMO_CLIENT_EMAIL)
    if user is None:
        stdout.write(f"  hoppar över resan: {DEMO_CLIENT_EMAIL} finns inte\n")
        return []
    client = client_profile_get_or_create(user=user)
    response = response_start(client=client)
    if response.is_completed:
        stdout.write("  demoklientens nulägesanalys finns redan\n")
        demo_competence_load(client=client, stdout=stdout)
        demo_market_feed_load(client=client, stdout=stdout)
        return []
    values = demo_answers(today=timezone.localdate())
    places = []
    for name in DEMO_PLACES:
        try:
            places.append(place_resolve(name=name))
        except AnswerRefused:
            stdout.write(f"  orten {name} saknas (kör load_taxonomy först)\n")
    if places:
        values["places"] = places
    refused = demo_response_fill(client=client, response=response, values=values)
    for problem in refused:
        stdout.write(f"  svaret sparades inte: {problem}\n")
    missing = response_complete(client=client, response=response)
    if missing:
        stdout.write(
            "  nulägesanalysen är inte klar, saknar: " + ", ".join(q.key for q in missing) + "\n"
        )
    else:
        stdout.write("  demoklienten har gjort nulägesanalysen (steg 1)\n")
    demo_competence_load(client=client, stdout=stdout)
    demo_market_feed_load(client=client, stdout=stdout)
    return []


# ---- step 2: a half-finished competence inventory ------------------------------------------

# JobTech concept ids (stable across taxonomy versions).
DEMO_OCCUPATIONS = {"it_project_manager": "z5AM_ayf_WcL", "developer": "rQds_YGd_quU"}
DEMO_SKILLS_ACCEPTED = (
    ("Pk2j_jXV_Y3j", 4),  # Projektledning, IT
    ("TMVb_DnH_etF", 4),  # Agila arbetsmetoder
    ("Utw1_tLL_sS2", 3),  # Kravhantering, systemutveckling
    ("jCsR_WQX_CKD", None),  # Java, programmeringsspråk (not rated yet)
)
DEMO_SKILLS_SUGGESTED = (
    ("Cnqu_REg_6jo", "Scrum"),
    ("LDRm_rQW_Q3N", "ITIL Foundation"),
    ("Xnmr_kYS_YKY", "SQL"),
    ("LLQd_jDh_gdd", "Förändringsledning"),
    ("Gt5f_wdi_FSJ", "Budgetansvar"),
)
DEMO_LANGUAGES = (("zSLA_vw2_FXN", "native"), ("NVxJ_hLg_TYS", "fluent"))


def demo_competence_load(*, client: ClientProfile, stdout: TextIO) -> None:
    """Step 2 half done: two jobs, a few rated skills, pending suggestions, two languages.
    Not marked as completed. Skipped once the demo client has any experience."""
    from journey.models import Experience
    from journey.services import competence as services
    from vagval.taxonomy.selectors import concept_labels

    if Experience.objects.filter(client=client).exists():
        stdout.write("  demoklientens kompetensinventering finns redan\n")
        return
    wanted = [
        *DEMO_OCCUPATIONS.values(),
        *(s for s, _ in DEMO_SKILLS_ACCEPTED),
        *(s for s, _ in DEMO_SKILLS_SUGGESTED),
        *(lang for lang, _ in DEMO_LANGUAGES),
    ]
    known = concept_labels(concept_ids=wanted)
    if len(known) < len(wanted):
        stdout.write("  taxonomin saknas eller är ofullständig: hoppar över steg 2\n")
        return
    today = timezone.localdate()
    employer = getattr(client.user.organisation, "name", "") or "Volvo Cars"  # type: ignore[attr-defined]
    services.experience_save(
        client=client,
        data=services.ExperienceInput(
            title="IT-projektledare",
            employer=employer,
            occupation_id=DEMO_OCCUPATIONS["it_project_manager"],
            start_date=dt.date(today.year - 6, 3, 1),
            end_date=client.last_working_day,
            description="Ledde agila utvecklingsprojekt för fabrikens produktionssystem.",
        ),
    )
    services.experience_save(
        client=client,
        data=services.ExperienceInput(
            title="Systemutvecklare",
            employer="Ericsson",
            occupation_id=DEMO_OCCUPATIONS["developer"],
            start_date=dt.date(today.year - 13, 8, 1),
            end_date=dt.date(today.year - 6, 2, 1),
            description="Java-utveckling av nätverksprodukter.",
        ),
    )
    for skill_id, level in DEMO_SKILLS_ACCEPTED:
        services.skill_add(client=client, skill_id=skill_id, level=level)
    services.skill_suggestions_add(
        client=client,
        suggestions=[
            services.SkillSuggestion(
                skill_id=skill_id,
                source="from_occupation",
                reason_sv=f"Vanlig i annonser för Projektledare, IT ({name})",
                reason_en=f"Common in ads for IT project managers ({name})",
                score=0.3 - i * 0.01,
            )
            for i, (skill_id, name) in enumerate(DEMO_SKILLS_SUGGESTED)
        ],
    )
    for language_id, language_level in DEMO_LANGUAGES:
        services.language_save(client=client, language_id=language_id, level=language_level)
    services.driving_licences_set(client=client, licence_ids=["VTK8_WRx_GcM"])  # B
    stdout.write("  demoklienten har påbörjat kompetensinventeringen (steg 2)\n")


# ---- steps 3 and 5: targets chosen, a feed with saved ads and one tracked application -------

DEMO_ADS_FILE = "jobads/platsbanken_web_2023-08_stockholm_it.jsonl.gz"
DEMO_EXTRA_REGION = "CifL_Rzy_Mku"  # Stockholms län: the demo client would commute or move


def demo_market_feed_load(*, client: ClientProfile, stdout: TextIO) -> None:
    """Steps 3 and 5: the real Platsbanken ads (ingested if the database has none), two target
    occupations, a feed, two saved ads and one application in progress. Skipped once the demo
    client has a search profile."""
    from pathlib import Path

    from django.conf import settings

    from journey.matchprofile import ad_index_clear
    from journey.models import ApplicationStatus, SearchProfile
    from journey.services import feed as feed_services
    from journey.services import market as market_services
    from vagval.jobs.selectors import ads_active

    if SearchProfile.objects.filter(client=client).exists():
        stdout.write("  demoklientens sökprofil och jobbflöde finns redan\n")
        return
    if not ads_active().exists():
        path = Path(settings.VAGVAL_DATA_DIR) / DEMO_ADS_FILE
        if not path.exists():
            stdout.write(f"  inga annonser och ingen {path}: hoppar över steg 3 och 5\n")
            return
        from vagval.jobs.services import ads_ingest

        summary = ads_ingest(source="platsbanken-web", paths=[path], workers=1)
        stdout.write(f"  läste in {summary.new} riktiga annonser från Platsbanken\n")
    # The demo has just changed the ad set (ingested, re-dated): the process's ranking index,
    # which the plan and the feed read, may be one built less than its 30-second refresh ago
    # over other ads (on PostgreSQL a rolled-back load leaves ids behind that no ad has any
    # more). Build it afresh.
    ad_index_clear()
    plan, inputs = market_services.market_plan_ensure(client=client)
    if plan is None or not plan.suggestions or inputs.state is None:
        stdout.write("  inga yrkesförslag för demoklienten: hoppar över steg 3 och 5\n")
        return
    held = DEMO_OCCUPATIONS["it_project_manager"]
    other = next((s["concept_id"] for s in plan.suggestions if s["concept_id"] != held), None)
    market_services.search_profile_save(
        client=client,
        target_ids=[held, *([other] if other else [])],
        municipality_ids=inputs.state.municipality_ids,
        region_ids=[*inputs.state.region_ids, DEMO_EXTRA_REGION],
        max_commute_minutes=inputs.state.max_commute_minutes,
        remote="hybrid",
    )
    snapshot = feed_services.feed_snapshot_compute(client=client, reason="demo").snapshot
    if snapshot is None or len(snapshot.items) < 3:
        stdout.write("  för få annonser matchar demoklienten: inga sparade jobb\n")
        return
    first, second, third = (int(i["ad_id"]) for i in snapshot.items[:3])
    feed_services.application_save(client=client, ad_id=first)
    feed_services.application_save(client=client, ad_id=second)
    tracked = feed_services.application_save(client=client, ad_id=third)
    feed_services.application_status_set(
        client=client,
        application_id=tracked.pk,
        status=ApplicationStatus.APPLIED,
        applied_at=timezone.localdate() - dt.timedelta(days=5),
        note="Skickade CV och personligt brev. Ring rekryteraren om en vecka.",
    )
    feed_services.feed_alerts_set(client=client, frequency="weekly")
    stdout.write(
        "  demoklienten har valt mål, har ett jobbflöde, två sparade jobb och en ansökan\n"
    )
