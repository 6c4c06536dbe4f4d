"""Skills suggested from the occupations a client has held: how often each skill is named in the
enriched job ads of that occupation (the real Platsbanken ads, ingested by the real pipeline),
widened to interchangeable occupations (taxonomy substitutability) when an occupation has few
ads. One test, because ingesting the 790 ads takes a few seconds."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from journey.models import ClientProfile, CompetenceSkill, Experience
from journey.services import competence as services
from vagval.jobs.models import JobAd
from vagval.jobs.services import ads_ingest
from vagval.taxonomy.models import ConceptRelation
from vagval.taxonomy.selectors import concept_labels

DEVELOPER = "fg7B_yov_smw"  # Systemutvecklare/Programmerare: about 200 of the ads
ADS = "jobads/platsbanken_web_2023-08_stockholm_it.jsonl.gz"


@pytest.fixture
def ads(taxonomy_loaded: str, real_data_dir: Path) -> None:
    from vagval.jobs.places import reset_place_resolver

    reset_place_resolver()
    ads_ingest(
        source="platsbanken-web",
        paths=[real_data_dir / ADS],
        workers=1,
        now=dt.datetime(2023, 8, 20, 12, tzinfo=dt.UTC),
    )


def _skill_counts(occupation_ids: set[str]) -> tuple[int, Counter[str]]:
    """Counted here straight from the ads, independently of the service."""
    n, counts = 0, Counter[str]()
    for occupations, skills in JobAd.objects.filter(is_active=True, is_canonical=True).values_list(
        "occupation_ids", "skill_ids"
    ):
        if occupation_ids & set(occupations):
            n += 1
            counts.update(set(skills))
    return n, counts


def test_skills_typical_of_the_occupations_held_are_suggested_from_the_ads(
    ads: None, profile: ClientProfile
) -> None:
    n, counts = _skill_counts({DEVELOPER})
    assert n > 100
    services.experience_save(
        client=profile,
        data=services.ExperienceInput(title="Programmerare", occupation_id=DEVELOPER),
    )
    suggested = list(
        CompetenceSkill.objects.filter(client=profile, status="suggested").order_by("-score")
    )
    assert 0 < len(suggested) <= services.TOP_PER_OCCUPATION
    top_skill, top_count = counts.most_common(1)[0]
    first = suggested[0]
    assert first.skill_id == top_skill
    assert first.source == "from_occupation"
    pct = round(100 * top_count / n)
    assert first.reasons[0]["sv"] == (
        f"Finns i {pct} % av {n} annonser för Systemutvecklare/Programmerare"
    )
    assert first.score == pytest.approx(top_count / n, abs=1e-4)
    # Every suggestion is named in at least 8 % of the occupation's ads.
    assert all(counts[s.skill_id] / n >= services.MIN_SHARE for s in suggested)

    # Declined and accepted skills stay decided when the suggestions are recomputed.
    declined, accepted = suggested[0].skill_id, suggested[1].skill_id
    services.suggestions_decide(client=profile, skill_ids=[declined], accept=False)
    services.suggestions_decide(client=profile, skill_ids=[accepted], accept=True)
    services.skill_suggestions_from_occupations(client=profile)
    status = dict(CompetenceSkill.objects.filter(client=profile).values_list("skill_id", "status"))
    assert (status[declined], status[accepted]) == ("rejected", "accepted")

    # An occupation with (almost) no ads borrows from the occupations JobTech calls largely
    # interchangeable with it.
    few_ads = next(
        source
        for source in ConceptRelation.objects.filter(
            target_id=DEVELOPER, kind="substitutes", weight__gte=75
        ).values_list("source_id", flat=True)
        if _skill_counts({source})[0] < services.MIN_ADS
    )
    evidence = services.occupation_skill_evidence(occupation_ids=[few_ads])[few_ads]
    label = concept_labels(concept_ids=[few_ads])[few_ads]
    assert evidence, f"nothing suggested for {label}"
    assert f"{label} och liknande yrken" in evidence[0].reason["sv"]

    # Removing the job withdraws the suggestions that only it supported (decisions stay).
    services.experience_delete(
        client=profile, experience_id=Experience.objects.get(client=profile).pk
    )
    left = dict(CompetenceSkill.objects.filter(client=profile).values_list("skill_id", "status"))
    assert left == {declined: "rejected", accepted: "accepted"}
