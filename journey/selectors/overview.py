"""Reads for "Min resa": the five steps with their status, what changed, and the next action.

Each step contributes its status through a provider listed in STEP_STATUS_PROVIDERS (a dotted
path to `def <step>_step_status(*, client, language) -> StepStatus`). Steps 2, 3 and 5 replace
their `None` with their provider; until then the step shows as not yet available.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from journey.models import ClientProfile, JourneyChange, JourneyStep

from . import language_code
from .changes import journey_changes_unseen
from .steps import StepStatus

STEP_STATUS_PROVIDERS: tuple[tuple[JourneyStep, int, str | None], ...] = (
    (JourneyStep.CURRENT_STATE, 1, "journey.selectors.current_state.current_state_step_status"),
    (JourneyStep.COMPETENCE, 2, "journey.selectors.competence.competence_step_status"),
    (JourneyStep.MARKET, 3, "journey.selectors.market.market_step_status"),
    (JourneyStep.CV, 4, "journey.cv.selectors.cv_step_status"),
    (JourneyStep.FEED, 5, "journey.selectors.feed.feed_step_status"),
)

_TITLES = {
    JourneyStep.CURRENT_STATE: ("Nulägesanalys", "Where you stand now"),
    JourneyStep.COMPETENCE: ("Kompetensinventering", "Your competences"),
    JourneyStep.MARKET: ("Arbetsmarknadsinventering", "The job market for you"),
    JourneyStep.CV: ("CV, brev och intervju", "CV, letters and interviews"),
    JourneyStep.FEED: ("Lediga jobb", "Jobs for you"),
}

# The privacy pages of the accounts and consent apps, by URL name; shown when they exist.
PRIVACY_LINKS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("consent:overview", "consent:index", "consent:list"), "Samtycken", "Consents"),
    (
        ("accounts:export", "consent:export", "accounts:data_export"),
        "Ladda ner dina uppgifter",
        "Download your data",
    ),
    (
        ("accounts:delete", "consent:erase", "accounts:account_delete"),
        "Radera ditt konto",
        "Delete your account",
    ),
)


@dataclass
class Link:
    url: str
    label: str


@dataclass
class Overview:
    client: ClientProfile
    steps: list[StepStatus]
    changes: list[JourneyChange]
    next_action: Link | None
    privacy_links: list[Link] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.is_done)


def _unavailable(step: JourneyStep, number: int, language: str) -> StepStatus:
    en = language == "en"
    return StepStatus(
        step=step,
        number=number,
        title=_TITLES[step][1 if en else 0],
        state=StepStatus.UNAVAILABLE,
        facts=["Coming soon." if en else "Kommer snart."],
    )


def _privacy_links(language: str) -> list[Link]:
    links = []
    for names, label_sv, label_en in PRIVACY_LINKS:
        for name in names:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            links.append(Link(url, label_en if language == "en" else label_sv))
            break
    return links


def journey_overview_get(*, client: ClientProfile, language: str) -> Overview:
    """Everything Min resa shows, for the signed-in client."""
    language = language_code(language)
    steps: list[StepStatus] = []
    for step, number, provider in STEP_STATUS_PROVIDERS:
        if provider is None:
            steps.append(_unavailable(step, number, language))
        else:
            steps.append(import_string(provider)(client=client, language=language))
    actionable = [s for s in steps if s.state != StepStatus.UNAVAILABLE and s.url]
    upcoming = next((s for s in actionable if not s.is_done), None)
    target = upcoming or (actionable[-1] if actionable else None)
    next_action = Link(target.url, target.action) if target is not None else None
    return Overview(
        client=client,
        steps=steps,
        changes=journey_changes_unseen(client=client),
        next_action=next_action,
        privacy_links=_privacy_links(language),
    )
