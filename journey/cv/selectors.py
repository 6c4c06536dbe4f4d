"""Reads of step 4: the client's CVs, letters, checks, practice sets and pitches, what the CV
builder starts from, and step 4's status on Min resa.

Every function takes the client (never an id from the request alone), so a view can only read
the signed-in client's own documents. Earlier steps are read only through `journey.selectors`.

Public API for other apps:

- `cv_step_status(*, client, language)`: step 4 on Min resa (one query).
- `practice_sets_shared(*, client)`: the practice sets the client shared with their adviser,
  with answers but never the private notes (for the adviser portal).
- `cv_links_for_applications(*, client, application_ids)`: application id -> the letters and
  CV versions sent with it (for step 5's tracker).
- `cv_activity_for_clients(*, client_ids)`: client id -> when a CV of theirs was last created
  or edited (for the adviser portal's caseload, one query however many clients).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from journey.models import ClientProfile, JourneyStep
from journey.selectors import language_code
from journey.selectors.steps import StepStatus
from vagval.taxonomy.cache import VersionedCache

from .builder import CvInputs, Offer, Target, inventory_offers, newest_first
from .models import (
    RESTORE_DAYS,
    CoverLetter,
    Cv,
    CvCheck,
    CvVersion,
    InterviewQuestion,
    LetterTemplate,
    Pitch,
    PracticeAnswer,
    PracticeSet,
)

# ---- what a CV is built from ----------------------------------------------------------------


def _build_language_labels(version: str) -> dict[str, str]:
    from vagval.taxonomy.selectors import concept_list

    return {c.concept_id: c.label_en for c in concept_list(type="language") if c.label_en}


_language_labels: VersionedCache[dict[str, str]] = VersionedCache(_build_language_labels)


def language_labels_en() -> dict[str, str]:
    """English names of languages (language concept id -> "Swedish"), cached per process."""
    return _language_labels.get()


def cv_inputs_get(
    *,
    client: ClientProfile,
    with_market: bool = True,
    with_education: bool = True,
    user: Any | None = None,
) -> CvInputs:
    """What the competence inventory (step 2) and the market plan (step 3) know, for a CV.

    Three queries for step 2 (profile, experiences, educations), two more with the market; pass
    the signed-in `user` to save reading it again."""
    from journey.selectors.competence import (
        competence_profile_get,
        educations_for_cv,
        experiences_for_cv,
    )

    profile = competence_profile_get(client=client)
    user = user if user is not None else client.user
    inputs = CvInputs(
        name=user.get_full_name(),  # type: ignore[attr-defined]
        email=user.email,  # type: ignore[attr-defined]
        experiences=newest_first(
            [
                {
                    "title": e.title,
                    "employer": e.employer,
                    "occupation_id": e.occupation_id,
                    "start_date": e.start_date,
                    "end_date": e.end_date,
                    "description": e.description,
                }
                for e in experiences_for_cv(client=client)
            ]
        ),
        education=[
            {
                "name": e.name,
                "institution": e.institution,
                "start_year": e.start_year,
                "end_year": e.end_year,
            }
            for e in (educations_for_cv(client=client) if with_education else [])
        ],
        skills=list(profile.skills) if profile else [],
        languages=list(profile.languages) if profile else [],
        licences=list(profile.driving_licences) if profile else [],
        competence_revision=profile.revision if profile else None,
        language_labels_en=language_labels_en(),
    )
    if with_market:
        from journey.selectors.market import market_plan_get, search_profile_get

        search = search_profile_get(client=client)
        plan = market_plan_get(client=client)
        inputs.targets = list(search.target_occupations) if search else []
        for suggestion in plan.suggestions if plan else []:
            inputs.matched_skills[suggestion["concept_id"]] = [
                m["concept_id"] for m in suggestion.get("matched_skills", [])
            ]
            inputs.gap_skills[suggestion["concept_id"]] = list(suggestion.get("missing_skills", []))
    return inputs


@dataclass(frozen=True)
class TargetChoice:
    concept_id: str
    label: str
    group_id: str
    chosen_in_step3: bool


def target_choices(*, inputs: CvInputs) -> list[TargetChoice]:
    """The occupations a CV can target: step 3's targets first, then occupations held."""
    from vagval.matching.taxonomy_view import get_taxonomy_view

    view = get_taxonomy_view()
    seen: set[str] = set()
    out: list[TargetChoice] = []
    for t in inputs.targets:
        if t["concept_id"] not in seen:
            seen.add(t["concept_id"])
            group = t.get("group_id") or view.occupation_group.get(t["concept_id"], "")
            out.append(TargetChoice(t["concept_id"], t["label"], group, True))
    for e in inputs.experiences:
        oid = e.get("occupation_id")
        if oid and oid not in seen and oid in view.occupation_label:
            seen.add(oid)
            out.append(
                TargetChoice(
                    oid, view.occupation_label[oid], view.occupation_group.get(oid, ""), False
                )
            )
    return out


def target_choices_get(*, client: ClientProfile) -> list[TargetChoice]:
    """The target choices without reading all of step 2 (two queries): step 3's targets, then
    the occupations of the CompetenceProfile."""
    from journey.selectors.competence import competence_profile_get
    from journey.selectors.market import market_targets

    profile = competence_profile_get(client=client)
    inputs = CvInputs(
        targets=market_targets(client=client),
        experiences=[
            {"occupation_id": o["concept_id"]} for o in (profile.occupations if profile else [])
        ],
        skills=list(profile.skills) if profile else [],
    )
    return target_choices(inputs=inputs)


def target_resolve(*, concept_id: str, choices: list[TargetChoice]) -> Target:
    for choice in choices:
        if choice.concept_id == concept_id:
            return Target(choice.concept_id, choice.label, choice.group_id)
    return Target()


def target_context(*, target: Target) -> tuple[dict[str, str], set[str]]:
    """(occupation -> SSYK-4 group, occupations that can do the target job), for ordering."""
    from vagval.matching.taxonomy_view import get_taxonomy_view

    view = get_taxonomy_view()
    substitutes = {src for src, dst, _w in view.substitutes if dst == target.concept_id}
    return view.occupation_group, substitutes


# ---- CVs ------------------------------------------------------------------------------------


def _restorable_since() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=RESTORE_DAYS)


def cv_activity_for_clients(*, client_ids: Iterable[int]) -> dict[int, dt.datetime]:
    """{client id: latest `updated_at` of their CVs} for the clients with a CV (deleted ones
    left out). The caseload's "CV untouched" signal and last activity count the CV builder,
    not only an uploaded old CV. Reads only; the caller authorises (one query)."""
    ids = list(client_ids)
    if not ids:
        return {}
    rows = (
        Cv.objects.filter(client_id__in=ids, deleted_at__isnull=True)
        .order_by()
        .values("client_id")
        .annotate(at=Max("updated_at"))
        .values_list("client_id", "at")
    )
    return {int(client_id): at for client_id, at in rows}


def cv_list(*, client: ClientProfile) -> list[Cv]:
    return list(Cv.objects.filter(client=client, deleted_at__isnull=True).order_by("-updated_at"))


def cv_deleted_list(*, client: ClientProfile) -> list[Cv]:
    """Deleted CVs that can still be restored, most recently deleted first."""
    return list(
        Cv.objects.filter(client=client, deleted_at__gt=_restorable_since())
        .defer("content", "sections")
        .order_by("-deleted_at")
    )


def cv_get(*, client: ClientProfile, cv_id: int, deleted: bool = False) -> Cv | None:
    """One of the client's CVs (a deleted one only with `deleted=True`, while restorable)."""
    queryset = Cv.objects.filter(client=client, pk=cv_id)
    if deleted:
        queryset = queryset.filter(deleted_at__gt=_restorable_since())
    else:
        queryset = queryset.filter(deleted_at__isnull=True)
    return queryset.first()


def cv_offers(*, cv: Cv, inputs: CvInputs) -> list[Offer]:
    """What the competence inventory holds that this CV has not shown or declined."""
    return inventory_offers(content=cv.content, inputs=inputs, declined=list(cv.declined))


def cv_version_latest(*, cv: Cv) -> CvVersion | None:
    return CvVersion.objects.filter(cv=cv).order_by("-number").first()


# ---- letters --------------------------------------------------------------------------------


def letter_list(*, client: ClientProfile) -> list[CoverLetter]:
    return list(
        CoverLetter.objects.filter(client=client, deleted_at__isnull=True)
        .select_related("cv_version")
        .order_by("-updated_at")
    )


def letter_deleted_list(*, client: ClientProfile) -> list[CoverLetter]:
    return list(
        CoverLetter.objects.filter(client=client, deleted_at__gt=_restorable_since()).order_by(
            "-deleted_at"
        )
    )


def letter_get(
    *, client: ClientProfile, letter_id: int, deleted: bool = False
) -> CoverLetter | None:
    queryset = CoverLetter.objects.filter(client=client, pk=letter_id).select_related(
        "cv", "cv_version"
    )
    if deleted:
        queryset = queryset.filter(deleted_at__gt=_restorable_since())
    else:
        queryset = queryset.filter(deleted_at__isnull=True)
    return queryset.first()


def letter_template_get(*, client: ClientProfile, language: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(client=client, language=language).first()


def cv_links_for_applications(
    *, client: ClientProfile, application_ids: list[int]
) -> dict[int, list[dict[str, Any]]]:
    """Application id -> [{"letter_id", "letter_title", "cv_id", "cv_title", "cv_version"}]:
    what the client sent with each tracked application (one query)."""
    out: dict[int, list[dict[str, Any]]] = {}
    rows = (
        CoverLetter.objects.filter(
            client=client, application_id__in=application_ids, deleted_at__isnull=True
        )
        .select_related("cv", "cv_version")
        .order_by("created_at")
    )
    for letter in rows:
        out.setdefault(int(letter.application_id or 0), []).append(
            {
                "letter_id": letter.pk,
                "letter_title": letter.title,
                "cv_id": letter.cv_id,
                "cv_title": letter.cv.title if letter.cv else "",
                "cv_version": letter.cv_version.number if letter.cv_version else None,
            }
        )
    return out


# ---- checks ---------------------------------------------------------------------------------


def cv_check_get(*, client: ClientProfile, check_id: int) -> CvCheck | None:
    return CvCheck.objects.filter(client=client, pk=check_id).select_related("cv").first()


def cv_checks_recent(*, client: ClientProfile, limit: int = 5) -> list[CvCheck]:
    return list(
        CvCheck.objects.filter(client=client, cv__deleted_at__isnull=True)
        .defer("ad_text", "result")
        .order_by("-created_at")[:limit]
    )


@dataclass
class AdChoice:
    ad_id: int
    headline: str
    employer: str
    saved: bool
    application_id: int | None = None


def ad_choices(*, client: ClientProfile, limit: int = 15) -> list[AdChoice]:
    """Ads the client can check a CV against or write a letter for: the tracker first, then the
    top of the newest feed (three queries, through step 5's selectors)."""
    from journey.selectors.feed import feed_snapshot_latest

    out = applications_for_letters(client=client)[:limit]
    seen = {a.ad_id for a in out}
    snapshot = feed_snapshot_latest(client=client)
    for item in (snapshot.items if snapshot else [])[:limit]:
        ad_id = int(item["ad_id"])
        if ad_id not in seen:
            seen.add(ad_id)
            out.append(AdChoice(ad_id, item.get("headline", ""), item.get("employer", ""), False))
    return out


def applications_for_letters(*, client: ClientProfile) -> list[AdChoice]:
    """The tracker's entries (step 5), newest first, for linking a letter to an application."""
    from journey.selectors.feed import applications_list

    return [
        AdChoice(r.application.ad_id, r.application.headline, r.application.employer_name, True,
                 r.application.pk)
        for r in applications_list(client=client)
    ]  # fmt: skip


def application_get(*, client: ClientProfile, application_id: int) -> AdChoice | None:
    """One of the client's tracked applications, or None."""
    return next(
        (a for a in applications_for_letters(client=client) if a.application_id == application_id),
        None,
    )


# ---- interview and pitch practice -----------------------------------------------------------


def question_bank() -> list[InterviewQuestion]:
    return list(InterviewQuestion.objects.filter(active=True).order_by("kind", "order", "id"))


def practice_set_list(*, client: ClientProfile) -> list[PracticeSet]:
    answered = Q(answers__situation__gt="") | Q(answers__action__gt="") | Q(answers__result__gt="")
    return list(
        PracticeSet.objects.filter(client=client)
        .annotate(
            questions=Count("answers", distinct=True),
            answered=Count("answers", filter=answered, distinct=True),
        )
        .order_by("-created_at")
    )


def practice_set_get(*, client: ClientProfile, set_id: int) -> PracticeSet | None:
    return PracticeSet.objects.filter(client=client, pk=set_id).first()


def practice_answers(*, practice_set: PracticeSet) -> list[PracticeAnswer]:
    return list(practice_set.answers.order_by("order", "id"))


def practice_sets_shared(*, client: ClientProfile) -> list[dict[str, Any]]:
    """The sets the client shared with their adviser: questions and answers, never the private
    note (two queries)."""
    sets = list(
        PracticeSet.objects.filter(client=client, shared_at__isnull=False)
        .prefetch_related("answers")
        .order_by("-shared_at")
    )
    return [
        {
            "title": s.title,
            "shared_at": s.shared_at,
            "answers": [
                {
                    "question": a.question_text,
                    "situation": a.situation,
                    "task": a.task,
                    "action": a.action,
                    "result": a.result,
                    "checklist": list(a.checklist),
                }
                for a in sorted(s.answers.all(), key=lambda a: (a.order, a.pk))
            ],
        }
        for s in sets
    ]


def pitches_get(*, client: ClientProfile, language: str) -> dict[int, Pitch]:
    return {p.seconds: p for p in Pitch.objects.filter(client=client, language=language)}


# ---- step status for Min resa ---------------------------------------------------------------


def _count(model: Any, **filters: Any) -> Any:
    return Coalesce(
        Subquery(
            model.objects.filter(client=OuterRef("pk"), **filters)
            .order_by()
            .values("client")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def cv_counts(*, client: ClientProfile) -> dict[str, int]:
    """CVs, letters, practice sets and pitches of the client, in one query."""
    row: Any = (
        ClientProfile.objects.filter(pk=client.pk)
        .annotate(
            cvs=_count(Cv, deleted_at__isnull=True),
            letters=_count(CoverLetter, deleted_at__isnull=True),
            sets=_count(PracticeSet),
            pitches=_count(Pitch),
        )
        .values("cvs", "letters", "sets", "pitches")
        .first()
    )
    if not row:
        return {"cvs": 0, "letters": 0, "sets": 0, "pitches": 0}
    return {key: int(value) for key, value in row.items()}


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def cv_step_status(*, client: ClientProfile, language: str) -> StepStatus:
    """Step 4 on Min resa (one query)."""
    en = language_code(language) == "en"
    counts = cv_counts(client=client)
    status = StepStatus(
        step=JourneyStep.CV,
        number=4,
        title="CV, letters and interviews" if en else "CV, brev och intervju",
        state=StepStatus.NOT_STARTED,
        url=reverse("journey:cv:index"),
        action="Build your CV" if en else "Skapa ditt CV",
        facts=[
            "A CV for each target, built from your competences; letters, and practice for the "
            "interview."
            if en
            else "Ett CV per mål, byggt av dina kompetenser; personliga brev och övning inför "
            "intervjun."
        ],
    )
    if not any(counts.values()):
        return status
    status.state = (
        StepStatus.DONE if counts["cvs"] and counts["letters"] else StepStatus.IN_PROGRESS
    )
    status.action = "Your CVs and letters" if en else "Dina CV och brev"
    if en:
        parts = [
            _n(counts["cvs"], "CV", "CVs"),
            _n(counts["letters"], "letter", "letters"),
            _n(counts["sets"], "practice set", "practice sets"),
        ]
    else:
        parts = [
            _n(counts["cvs"], "CV", "CV"),
            _n(counts["letters"], "brev", "brev"),
            _n(counts["sets"], "övningsomgång", "övningsomgångar"),
        ]
    status.facts = [", ".join(parts) + "."]
    return status


@dataclass
class HubPage:
    cvs: list[Cv]
    deleted: list[Cv]
    letters: list[CoverLetter]
    deleted_letters: list[CoverLetter]
    sets: list[PracticeSet]
    checks: list[CvCheck] = field(default_factory=list)


def cv_hub_get(*, client: ClientProfile) -> HubPage:
    """The step 4 start page (four queries: CVs, letters, practice sets, checks; deleted
    documents come with their live ones)."""
    since = _restorable_since()
    cvs = list(
        Cv.objects.filter(client=client)
        .filter(Q(deleted_at__isnull=True) | Q(deleted_at__gt=since))
        .defer("content", "sections", "declined")
        .order_by("-updated_at")
    )
    letters = list(
        CoverLetter.objects.filter(client=client)
        .filter(Q(deleted_at__isnull=True) | Q(deleted_at__gt=since))
        .select_related("cv_version")
        .defer("body", "cv_version__content", "cv_version__sections")
        .order_by("-updated_at")
    )
    return HubPage(
        cvs=[c for c in cvs if c.deleted_at is None],
        deleted=sorted((c for c in cvs if c.deleted_at), key=lambda c: c.deleted_at, reverse=True),  # type: ignore[arg-type, return-value]
        letters=[x for x in letters if x.deleted_at is None],
        deleted_letters=[x for x in letters if x.deleted_at is not None],
        sets=practice_set_list(client=client),
        checks=cv_checks_recent(client=client),
    )
