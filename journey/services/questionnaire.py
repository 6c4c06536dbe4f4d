"""Step 1's questionnaire: versions, the client's response, and saving answers one by one.

Every answer is saved as soon as it is given (htmx posts one question; a form without JS posts a
whole section). A save is refused, with a message and without touching the stored answer, when
it cannot be trusted:

- the form belongs to another (older) response or questionnaire version than the current one;
- the question is unknown, in another section, or hidden by its condition;
- the value is not one the question allows (an option not in the list, a malformed date ...);
- the answer changed elsewhere since the form was loaded (the posted revision is older than the
  stored one) and the posted value differs from it; or the posted revision is from the future.

The view shows the refusal beside the question and keeps what the client typed in the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journey.conditions import visible_question_keys
from journey.models import (
    Answer,
    ChangeKind,
    ClientProfile,
    JourneyStage,
    JourneyStep,
    Question,
    Questionnaire,
    QuestionnaireResponse,
)

from .answer_values import (
    AnswerRefused,
    RawAnswer,
    answer_value_is_empty,
    answer_value_parse,
    answer_value_to_raw,
)
from .changes import journey_change_record
from .client import client_profile_stage_advance
from .current_state import current_state_compute

STEP1_SLUG = "nulagesanalys"

# Form field names. The view and templates use these too.
FIELD_PREFIX = "q-"
REVISION_PREFIX = "rev-"
ADD_SUFFIX = "-add"
RESPONSE_FIELD = "response"


# ---- questionnaire versions -------------------------------------------------------------------


_QUESTION_FIELDS = (
    "key",
    "section",
    "order",
    "kind",
    "required",
    "text_sv",
    "text_en",
    "help_sv",
    "help_en",
    "options",
    "show_if",
    "min_value",
    "max_value",
    "max_choices",
)


@transaction.atomic
def questionnaire_import(*, definition: Mapping[str, Any], publish: bool = True) -> Questionnaire:
    """Create a questionnaire version from a JSON definition (see journey/questionnaires/).

    Idempotent: if the slug and version exist already, that row is returned unchanged, so a
    published version is never rewritten by a re-import.
    """
    existing = Questionnaire.objects.filter(
        slug=definition["slug"], version=definition["version"]
    ).first()
    if existing is not None:
        return existing
    questionnaire = Questionnaire(
        slug=definition["slug"],
        version=definition["version"],
        title_sv=definition["title_sv"],
        title_en=definition.get("title_en", ""),
        intro_sv=definition.get("intro_sv", ""),
        intro_en=definition.get("intro_en", ""),
        sections=definition["sections"],
    )
    questionnaire.full_clean()
    questionnaire.save()
    for item in definition["questions"]:
        question = Question(
            questionnaire=questionnaire,
            **{name: item[name] for name in _QUESTION_FIELDS if item.get(name) is not None},
        )
        question.full_clean()
        question.save()
    if publish:
        questionnaire_publish(questionnaire=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_version_copy(*, questionnaire: Questionnaire) -> Questionnaire:
    """A new, unpublished version with the same sections and questions, for staff to edit."""
    latest = Questionnaire.objects.filter(slug=questionnaire.slug).order_by("-version").first()
    assert latest is not None
    copy = Questionnaire.objects.create(
        slug=questionnaire.slug,
        version=latest.version + 1,
        title_sv=questionnaire.title_sv,
        title_en=questionnaire.title_en,
        intro_sv=questionnaire.intro_sv,
        intro_en=questionnaire.intro_en,
        sections=questionnaire.sections,
    )
    Question.objects.bulk_create(
        Question(questionnaire=copy, **{n: getattr(q, n) for n in _QUESTION_FIELDS})
        for q in questionnaire.questions.order_by("order")
    )
    return copy


@transaction.atomic
def questionnaire_publish(*, questionnaire: Questionnaire) -> Questionnaire:
    """Check every question and publish. Published versions are frozen (the admin enforces it),
    so responses given against them stay meaningful."""
    questionnaire.full_clean()
    questions = list(questionnaire.questions.order_by("order"))
    if not questions:
        raise ValueError("A questionnaire needs at least one question.")
    for question in questions:
        question.full_clean()
    if not questionnaire.published:
        questionnaire.published = True
        questionnaire.published_at = timezone.now()
        questionnaire.save(update_fields=["published", "published_at"])
    return questionnaire


def questionnaire_latest_published(*, slug: str = STEP1_SLUG) -> Questionnaire | None:
    return Questionnaire.objects.filter(slug=slug, published=True).order_by("-version").first()


# ---- responses --------------------------------------------------------------------------------


def _current_response(client: ClientProfile, slug: str) -> QuestionnaireResponse | None:
    return (
        QuestionnaireResponse.objects.filter(client=client, questionnaire__slug=slug)
        .select_related("questionnaire")
        .order_by("-id")
        .first()
    )


@transaction.atomic
def response_start(*, client: ClientProfile, slug: str = STEP1_SLUG) -> QuestionnaireResponse:
    """The client's current response, starting one on the latest published version if needed."""
    current = response_current_ensure(client=client, slug=slug)
    if current is not None:
        return current
    questionnaire = questionnaire_latest_published(slug=slug)
    if questionnaire is None:
        raise LookupError(f"no published questionnaire {slug!r}")
    response, created = QuestionnaireResponse.objects.get_or_create(
        client=client, questionnaire=questionnaire
    )
    if created:
        response_progress_store(
            response=response,
            questions=list(questionnaire.questions.order_by("order")),
            answers={},
        )
    client_profile_stage_advance(client=client, stage=JourneyStage.CURRENT_STATE)
    return response


def response_current_ensure(
    *, client: ClientProfile, slug: str = STEP1_SLUG, today: dt.date | None = None
) -> QuestionnaireResponse | None:
    """The client's current response, moved to the newest published version if there is one.

    The old response is left as it was (its answers keep the version they were given against).
    The new one gets every old answer the new version still accepts; if the old one was
    completed and nothing required is missing, the new one is completed too.
    """
    current = _current_response(client, slug)
    latest = questionnaire_latest_published(slug=slug)
    if current is None or latest is None or latest.version <= current.questionnaire.version:
        return current
    # Only an upgrade writes, so only an upgrade pays for a transaction.
    with transaction.atomic():
        new, created = QuestionnaireResponse.objects.get_or_create(
            client=client, questionnaire=latest
        )
        if not created:
            return new
        questions = {q.key: q for q in latest.questions.all()}
        carried = []
        for answer in current.answers.all():
            question = questions.get(answer.question_key)
            if question is None or answer_value_is_empty(answer.value):
                continue
            try:
                value = answer_value_parse(
                    question=question,
                    raw=answer_value_to_raw(question=question, value=answer.value),
                )
            except AnswerRefused:
                continue  # no longer a valid answer in the new version: asked again
            carried.append(
                Answer(
                    response=new,
                    question_key=answer.question_key,
                    value=value,
                    answered_at=answer.answered_at,
                    revision=1,
                )
            )
        Answer.objects.bulk_create(carried)
        old_questions = {
            q.key: tuple(getattr(q, n) for n in _QUESTION_FIELDS if n != "order")
            for q in current.questionnaire.questions.all()
        }
        new_or_changed = [
            key
            for key, q in questions.items()
            if old_questions.get(key)
            != tuple(getattr(q, n) for n in _QUESTION_FIELDS if n != "order")
        ]
        ordered = sorted(questions.values(), key=lambda q: q.order)
        values = {a.question_key: a.value for a in carried}
        response_progress_store(response=new, questions=ordered, answers=values)
        missing = response_missing_required(response=new, questions=ordered, answers=values)
        if current.is_completed and not missing:
            new.completed_at = timezone.now()
            new.save(update_fields=["completed_at", "updated_at"])
            current_state_compute(client=client, today=today)
        if new_or_changed:
            journey_change_record(
                client=client,
                step=JourneyStep.CURRENT_STATE,
                kind=ChangeKind.QUESTIONNAIRE_UPGRADED,
                message_sv="Nulägesanalysen har fått nya eller ändrade frågor. Dina tidigare svar "
                "finns kvar.",
                message_en="The current-state analysis has new or changed questions. Your earlier "
                "answers are kept.",
            )
        return new


def response_progress_store(
    *,
    response: QuestionnaireResponse,
    questions: Sequence[Question],
    answers: Mapping[str, Any],
    section: str | None = None,
) -> None:
    """Store how many shown questions are answered (and the section last saved)."""
    shown = visible_question_keys([(q.key, q.show_if) for q in questions], answers)
    response.shown_count = len(shown)
    response.answered_count = sum(1 for key in shown if key in answers)
    fields = ["shown_count", "answered_count", "updated_at"]
    if section is not None:
        response.last_section = section
        fields.append("last_section")
    response.save(update_fields=fields)


def response_answer_values(*, response: QuestionnaireResponse) -> dict[str, Any]:
    """key -> stored value (non-empty answers only)."""
    return {
        key: value
        for key, value in response.answers.values_list("question_key", "value")
        if not answer_value_is_empty(value)
    }


def response_missing_required(
    *,
    response: QuestionnaireResponse,
    questions: Sequence[Question] | None = None,
    answers: Mapping[str, Any] | None = None,
) -> list[Question]:
    """Required questions that are shown but unanswered, in order."""
    if questions is None:
        questions = list(response.questionnaire.questions.order_by("order"))
    if answers is None:
        answers = response_answer_values(response=response)
    shown = set(visible_question_keys([(q.key, q.show_if) for q in questions], answers))
    return [q for q in questions if q.key in shown and q.required and q.key not in answers]


@transaction.atomic
def response_complete(
    *, client: ClientProfile, response: QuestionnaireResponse, today: dt.date | None = None
) -> list[Question]:
    """Mark the response completed and compute the CurrentState, unless required answers are
    missing: then nothing changes and the missing questions are returned."""
    missing = response_missing_required(response=response)
    if missing:
        return missing
    if response.completed_at is None:
        response.completed_at = timezone.now()
        response.save(update_fields=["completed_at", "updated_at"])
    current_state_compute(client=client, today=today)
    return []


# ---- saving answers ---------------------------------------------------------------------------


@dataclass
class QuestionOutcome:
    """What happened to one posted question."""

    key: str
    status: str  # "saved" | "unchanged" | "refused" | "skipped"
    revision: int  # the stored revision afterwards (what the form should carry next)
    code: str = ""
    message: str = ""
    suggestions: list[dict[str, str]] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.status == "refused"


@dataclass
class SubmitResult:
    response: QuestionnaireResponse | None
    outcomes: dict[str, QuestionOutcome] = field(default_factory=dict)
    # Set when the whole post was refused (a stale or foreign response): nothing was saved.
    form_error: str = ""
    form_error_code: str = ""
    # Keys whose shown/hidden state changed because of this save, in order.
    visibility_changed: list[str] = field(default_factory=list)
    shown_before: list[str] = field(default_factory=list)
    shown_after: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.form_error and not any(o.refused for o in self.outcomes.values())

    @property
    def saved_any(self) -> bool:
        return any(o.status == "saved" for o in self.outcomes.values())


def raw_answer_from_post(post: Mapping[str, Sequence[str]], key: str) -> RawAnswer:
    add = post.get(f"{FIELD_PREFIX}{key}{ADD_SUFFIX}") or [""]
    return RawAnswer(values=list(post.get(f"{FIELD_PREFIX}{key}") or []), add=add[0])


def answers_submit(
    *,
    client: ClientProfile,
    section: str,
    post: Mapping[str, Sequence[str]],
    only: str | None = None,
    today: dt.date | None = None,
) -> SubmitResult:
    """Save the answers posted for `section` (or just the question `only`).

    `post` maps field names to their list of values (QueryDict.lists()). It carries the
    response id, and per question `q-<key>` (values), `rev-<key>` (the revision the form showed)
    and for a place question `q-<key>-add` (a typed name). Valid answers are saved even if
    another question on the page is refused.
    """
    with transaction.atomic():
        response = response_current_ensure(client=client)
        posted_id = (post.get(RESPONSE_FIELD) or [""])[0]
        if response is None or posted_id != str(response.pk):
            return SubmitResult(
                response=response,
                form_error_code="stale_response",
                form_error=_(
                    "Frågorna har uppdaterats sedan du öppnade sidan, så svaren här sparades "
                    "inte. Dina svar visas nedan: kontrollera dem och spara igen."
                ),
            )
        # Lock the response: saves of the same client from two devices queue up here.
        QuestionnaireResponse.objects.select_for_update().filter(pk=response.pk).first()
        questions = list(response.questionnaire.questions.order_by("order"))
        by_key = {q.key: q for q in questions}
        stored = {a.question_key: a for a in response.answers.all()}
        values = {k: a.value for k, a in stored.items() if not answer_value_is_empty(a.value)}
        pairs = [(q.key, q.show_if) for q in questions]
        shown_before = visible_question_keys(pairs, values)
        result = SubmitResult(response=response, shown_before=shown_before)

        if only is not None:
            question = by_key.get(only)
            if question is None or question.section != section:
                result.outcomes[only] = QuestionOutcome(
                    key=only,
                    status="refused",
                    revision=0,
                    code="unknown_question",
                    message=_("Frågan finns inte i det här formuläret. Ladda om sidan."),
                )
                return result
            targets = [question]
        else:
            targets = [q for q in questions if q.section == section]
            unknown = sorted(
                name[len(FIELD_PREFIX) :].removesuffix(ADD_SUFFIX)
                for name in post
                if name.startswith(FIELD_PREFIX)
                and name[len(FIELD_PREFIX) :].removesuffix(ADD_SUFFIX)
                not in {q.key for q in targets}
            )
            if unknown:
                result.form_error_code = "unknown_question"
                result.form_error = _(
                    "Formuläret innehöll svar på frågor som inte finns här (%(keys)s). De "
                    "sparades inte; övriga svar har sparats."
                ) % {"keys": ", ".join(unknown)}

        for question in targets:
            shown = question.key in visible_question_keys(pairs, values)
            outcome = _answer_save(
                response=response,
                question=question,
                stored=stored.get(question.key),
                raw=raw_answer_from_post(post, question.key),
                posted_revision=next(
                    iter(post.get(f"{REVISION_PREFIX}{question.key}") or []), None
                ),
                shown=shown,
                single=only is not None,
            )
            result.outcomes[question.key] = outcome
            if outcome.status == "saved":
                answer = Answer.objects.get(response=response, question_key=question.key)
                stored[question.key] = answer
                if answer_value_is_empty(answer.value):
                    values.pop(question.key, None)
                else:
                    values[question.key] = answer.value

        result.shown_after = visible_question_keys(pairs, values)
        before, after = set(shown_before), set(result.shown_after)
        result.visibility_changed = [
            q.key for q in questions if (q.key in before) != (q.key in after)
        ]
        if result.saved_any:
            response_progress_store(
                response=response, questions=questions, answers=values, section=section
            )
        if result.saved_any and response.is_completed:
            current_state_compute(client=client, today=today)
    return result


def _answer_save(
    *,
    response: QuestionnaireResponse,
    question: Question,
    stored: Answer | None,
    raw: RawAnswer,
    posted_revision: str | None,
    shown: bool,
    single: bool,
) -> QuestionOutcome:
    key = question.key
    stored_revision = stored.revision if stored is not None else 0
    stored_value = stored.value if stored is not None else None

    def refuse(code: str, message: str, **extra: Any) -> QuestionOutcome:
        return QuestionOutcome(key, "refused", stored_revision, code, message, **extra)

    if not shown:
        # A section form never posts a hidden question (its fieldset is disabled); a hidden value
        # there comes from an answer changed earlier in the same post, and is simply not saved.
        # A single-question save of a hidden question is a page out of step, or tampering.
        if not single:
            return QuestionOutcome(key, "skipped", stored_revision)
        return refuse(
            "hidden",
            _(
                "Den här frågan gäller inte utifrån dina andra svar, så svaret sparades inte. "
                "Ladda om sidan om frågorna ser konstiga ut."
            ),
        )
    try:
        value = answer_value_parse(question=question, raw=raw)
    except AnswerRefused as refusal:
        return refuse(refusal.code, refusal.message, suggestions=refusal.suggestions)
    if value == stored_value or (
        answer_value_is_empty(value) and answer_value_is_empty(stored_value)
    ):
        return QuestionOutcome(key, "unchanged", stored_revision)
    if posted_revision is None or not posted_revision.isdigit():
        return refuse(
            "bad_form",
            _(
                "Formuläret saknar uppgifter som behövs för att spara. "
                "Ladda om sidan och försök igen."
            ),
        )
    revision = int(posted_revision)
    if revision > stored_revision:
        return refuse(
            "bad_revision",
            _("Formuläret stämmer inte med det som är sparat. Ladda om sidan och försök igen."),
        )
    if revision < stored_revision:
        return refuse(
            "stale_answer",
            _(
                "Du har ändrat det här svaret på en annan enhet eller i en annan flik sedan sidan "
                "laddades. Det du har skrivit här är inte sparat. Spara igen om du vill ersätta "
                "det andra svaret med det här."
            ),
        )
    if answer_value_is_empty(value) and question.required and response.is_completed:
        return refuse("required", _("Den här frågan behöver ett svar."))
    now = timezone.now()
    if stored is None:
        Answer.objects.create(
            response=response, question_key=key, value=value, answered_at=now, revision=1
        )
        return QuestionOutcome(key, "saved", 1)
    Answer.objects.filter(pk=stored.pk).update(
        value=value, answered_at=now, revision=stored_revision + 1
    )
    return QuestionOutcome(key, "saved", stored_revision + 1)
