"""Plain inputs and outputs of the matching engine.

`vagval.matching` never reads the client journey: a portal turns its own records (current state,
competence profile, search profile) into a `MatchProfile` and gets back `RankedAd` or
`OccupationSuggestion` values. Keeping these frozen dataclasses free of Django models lets the
nightly batch, the CLI (`feed --profile FILE`) and the tests build them from plain JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Hours(StrEnum):
    """Working hours the client wants (or an ad offers)."""

    ANY = "any"
    FULL_TIME = "full_time"
    PART_TIME = "part_time"


class RemoteWish(StrEnum):
    """How the client feels about remote work."""

    NO_PREFERENCE = "no_preference"
    WANTED = "wanted"  # a plus, but on-site jobs within commute are fine
    ONLY = "only"  # on-site jobs outside the commute area are of no interest
    NOT_WANTED = "not_wanted"


@dataclass(frozen=True, slots=True)
class Reason:
    """One plain-language reason why an ad or an occupation was suggested.

    `code` is stable (for templates, tests and the learned weights); the texts are ready to show.
    `weight` is the reason's share of the score, so the caller can show the strongest first.
    """

    code: str
    text_sv: str
    text_en: str
    weight: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text_sv": self.text_sv,
            "text_en": self.text_en,
            "weight": round(self.weight, 4),
        }


@dataclass(frozen=True, slots=True)
class MatchProfile:
    """Everything the matching engine needs to know about one client, as concept ids.

    Skill weights are in [0, 1] (a rated level mapped by the caller: 1 = expert, 0.5 = some);
    a skill given without a weight counts fully. Places are JobTech municipality and region
    concept ids. `seen_before` is when the client last looked at the feed, for "new" reasons.
    """

    skills: Mapping[str, float] = field(default_factory=dict)
    occupations_held: tuple[str, ...] = ()
    target_occupations: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()  # SSYK-4 (ssyk-level-4) concept ids
    municipalities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    max_commute_km: float | None = None
    max_commute_minutes: float | None = None
    remote: RemoteWish = RemoteWish.NO_PREFERENCE
    hours: Hours = Hours.ANY
    employment_types: tuple[str, ...] = ()  # employment-type concept ids; empty = any
    salary_floor: int | None = None  # SEK per month
    # Drivers and values from the current-state analysis, each in [0, 1], e.g.
    # {"security": 0.8, "salary": 0.4, "flexibility": 0.9, "development": 0.5}.
    drivers: Mapping[str, float] = field(default_factory=dict)
    free_text: str = ""
    excluded_ad_ids: frozenset[str] = frozenset()
    seen_before: dt.datetime | None = None

    def commute_km(self) -> float | None:
        """The commute limit in straight-line kilometres.

        Minutes become kilometres at 0.8 km per minute: about 50 km/h door to door, which is
        what a straight-line distance between municipality centres allows for regional transit.
        """
        limits = []
        if self.max_commute_km is not None:
            limits.append(float(self.max_commute_km))
        if self.max_commute_minutes is not None:
            limits.append(float(self.max_commute_minutes) * 0.8)
        return min(limits) if limits else None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchProfile:
        """Build a profile from plain JSON (e.g. the portable profile's `match_profile`).

        Unknown keys are refused so a typo does not silently give a worse feed.
        """
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"Unknown match profile fields: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = dict(data)
        skills = values.get("skills", {})
        if isinstance(skills, list | tuple):
            skills = {str(s): 1.0 for s in skills}
        values["skills"] = {str(k): float(v) for k, v in skills.items()}
        for name in (
            "occupations_held",
            "target_occupations",
            "target_groups",
            "municipalities",
            "regions",
            "employment_types",
        ):
            values[name] = tuple(str(v) for v in values.get(name, ()) or ())
        values["excluded_ad_ids"] = frozenset(str(v) for v in values.get("excluded_ad_ids", ()))
        values["remote"] = RemoteWish(values.get("remote", RemoteWish.NO_PREFERENCE))
        values["hours"] = Hours(values.get("hours", Hours.ANY))
        values["drivers"] = {str(k): float(v) for k, v in (values.get("drivers") or {}).items()}
        seen = values.get("seen_before")
        if isinstance(seen, str):
            seen = dt.datetime.fromisoformat(seen)
            if seen.tzinfo is None:
                seen = seen.replace(tzinfo=dt.UTC)
        values["seen_before"] = seen
        return cls(**values)


@dataclass(frozen=True, slots=True)
class RankedAd:
    """One ad in a client's feed: its id, score and the reasons to show (strongest first)."""

    ad_id: str
    score: float
    reasons: list[Reason]
    is_new: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "ad_id": self.ad_id,
            "score": round(self.score, 4),
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class SkillRef:
    """A skill concept with its Swedish label, as shown next to a suggestion."""

    concept_id: str
    label: str


@dataclass(frozen=True, slots=True)
class OccupationSuggestion:
    """An occupation (occupation-name or SSYK-4 group) ranked for a client or a text."""

    concept_id: str
    label: str
    level: str  # "occupation-name" or "ssyk-level-4"
    ssyk: str  # four-digit SSYK 2012 code of the occupation's group
    group_id: str  # the ssyk-level-4 concept id
    score: float
    reasons: list[Reason]
    matched_skills: list[SkillRef] = field(default_factory=list)
    missing_skills: list[SkillRef] = field(default_factory=list)
    demand: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The CLI's JSON shape plus the extra detail a page may want."""
        return {
            "concept_id": self.concept_id,
            "label": self.label,
            "ssyk": self.ssyk,
            "score": round(self.score, 4),
            "reasons": [r.as_dict() for r in self.reasons],
            "level": self.level,
            "group_id": self.group_id,
            "matched_skills": [s.concept_id for s in self.matched_skills],
            "missing_skills": [
                {"concept_id": s.concept_id, "label": s.label} for s in self.missing_skills
            ],
            "demand": dict(self.demand),
        }
