"""Reads of the member-company portal. Every HR read takes the organisation and filters on it.

Aggregates about people (journey stage, outcomes, competences) count only clients who accepted
the company's invitation AND consented to anonymised statistics, and go through
`employers.stats.grid_suppress` before anyone sees them. Each person counts once, in the case of
their latest accepted enrolment, so the rows of a table are disjoint and the totals add up.

`openings_for_client` is the public read the journey uses to show a client the internal
openings they were matched to before HR sees anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import Organisation, User
from vagval.consent.models import ConsentPurpose
from vagval.consent.selectors import consent_granted_user_ids, consent_is_granted

from .models import (
    Case,
    ContactRequest,
    ContactStatus,
    Enrolment,
    EnrolmentStatus,
    HrInvitation,
    ImportJob,
    MatchDecision,
    Opening,
    OpeningMatch,
    OpeningStatus,
    Seminar,
    SeminarSignup,
    Site,
    UnionContact,
)
from .stats import ColumnGroup, Grid, Shown, grid_suppress, median

# Journey stages, grouped so that groups are big enough to be shown (JourneyStage values).
STAGE_GROUPS: tuple[tuple[str, Any, frozenset[str]], ...] = (
    ("not_started", _("Inte påbörjat"), frozenset({"not_started"})),
    ("mapping", _("Kartlägger nuläge och kompetenser"), frozenset({"current_state", "competence"})),
    ("planning", _("Planerar: arbetsmarknad och CV"), frozenset({"market", "cv"})),
    ("searching", _("Söker jobb"), frozenset({"feed"})),
    ("finished", _("Avslutat"), frozenset({"finished"})),
)
OUTCOME_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("none", _("Inget utfall än")),
    ("new_job", _("Nytt jobb")),
    ("studies", _("Studier")),
    ("own_business", _("Eget företag")),
    ("other", _("Annat")),
)
OTHER_UNITS = "__other__"
COMPETENCE_MAP_SKILLS = 15


def threshold() -> int:
    return int(settings.VAGVAL_SUPPRESSION_THRESHOLD)


def _stage_group(stage: str) -> str:
    for key, _label, stages in STAGE_GROUPS:
        if stage in stages:
            return key
    return "not_started"


# --- company account ---------------------------------------------------------------------------


@dataclass
class CompanyAccount:
    organisation: Organisation
    hr_users: list[User]
    invitations: list[HrInvitation]
    sites: list[Site]
    union_contacts: list[UnionContact]


def company_account_get(*, organisation: Organisation) -> CompanyAccount:
    return CompanyAccount(
        organisation=organisation,
        hr_users=list(
            User.objects.filter(
                organisation=organisation, role=User.Role.HR, is_active=True
            ).order_by("last_name", "first_name", "email")
        ),
        invitations=list(
            HrInvitation.objects.filter(
                organisation=organisation, accepted_at=None, revoked_at=None
            ).select_related("invited_by")
        ),
        sites=list(Site.objects.filter(organisation=organisation)),
        union_contacts=list(UnionContact.objects.filter(organisation=organisation)),
    )


def sites_for(*, organisation: Organisation) -> QuerySet[Site]:
    return Site.objects.filter(organisation=organisation)


# --- cases ---------------------------------------------------------------------------------------


def cases_for(*, organisation: Organisation) -> list[Case]:
    """The company's cases with their enrolment counts (one query)."""
    return list(
        Case.objects.filter(organisation=organisation)
        .annotate(
            n_enrolled=Count("enrolments"),
            n_accepted=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ACCEPTED)),
            n_declined=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.DECLINED)),
        )
        .order_by("-created_at", "-id")
    )


def case_get(*, organisation: Organisation, case_id: int) -> Case | None:
    return (
        Case.objects.filter(organisation=organisation, pk=case_id)
        .select_related("site", "organisation")
        .first()
    )


def enrolments_for(*, case: Case) -> QuerySet[Enrolment]:
    """The people HR enrolled, with whether they accepted (HR's own, non-journey data)."""
    return Enrolment.objects.filter(case=case).order_by("last_name", "first_name", "id")


def import_job_get(*, case: Case, job_id: int) -> ImportJob | None:
    return ImportJob.objects.filter(case=case, pk=job_id).defer("content").first()


# --- progress and outcomes -----------------------------------------------------------------------


@dataclass
class ProgressRow:
    key: str
    label: str
    case: Case | None
    enrolled: int
    accepted: int
    counted: Shown  # accepted and in the statistics
    stages: list[Shown]
    outcomes: list[Shown]
    median_days: float | None


@dataclass
class Bar:
    label: str
    value: Shown
    percent: int


@dataclass
class ProgressDashboard:
    threshold: int
    grid: Grid
    stage_columns: list[tuple[str, str]]
    outcome_columns: list[tuple[str, str]]
    rows: list[ProgressRow]
    total: ProgressRow
    stage_bars: list[Bar]
    outcome_bars: list[Bar]

    def row_for(self, case_id: int) -> ProgressRow | None:
        return next((r for r in self.rows if r.case and r.case.pk == case_id), None)


def _bars(grid: Grid, group: str, columns: Iterable[tuple[str, Any]]) -> list[Bar]:
    grand = grid.grand()
    bars = []
    for key, label in columns:
        value = grid.column_total(group, key)
        percent = (
            round(100 * value.value / grand.value) if value.value is not None and grand.value else 0
        )
        bars.append(Bar(label=str(label), value=value, percent=percent))
    return bars


def progress_dashboard(*, organisation: Organisation) -> ProgressDashboard:
    """Per case and overall: how many accepted, journey stages, outcomes, time to outcome.

    Five queries whatever the size of the company.
    """
    from journey.selectors.employers_api import client_outcomes, clients_progress

    limit = threshold()
    cases = cases_for(organisation=organisation)
    accepted = list(
        Enrolment.objects.filter(
            case__organisation=organisation,
            status=EnrolmentStatus.ACCEPTED,
            user__isnull=False,
        )
        .order_by("accepted_at", "id")
        .values_list("case_id", "user_id", "accepted_at")
    )
    # Each person counts once: in the case of their latest acceptance.
    home: dict[int, tuple[int, dt.datetime]] = {}
    for case_id, user_id, accepted_at in accepted:
        home[user_id] = (case_id, accepted_at or timezone.now())
    counted_ids = consent_granted_user_ids(purpose=ConsentPurpose.STATISTICS, user_ids=home)
    progress = clients_progress(client_ids=counted_ids)
    outcomes = client_outcomes(client_ids=counted_ids)
    case_by_id = {c.pk: c for c in cases}
    row_keys = [str(c.pk) for c in cases]
    counts: Counter[tuple[str, str, str]] = Counter()
    row_totals: Counter[str] = Counter()
    days: dict[str, list[float]] = defaultdict(list)
    for user_id in counted_ids:
        case_id, accepted_at = home[user_id]
        row = str(case_id)
        row_totals[row] += 1
        p = progress.get(user_id)
        counts[(row, "stage", _stage_group(p.stage if p else "not_started"))] += 1
        outcome = outcomes.get(user_id)
        counts[(row, "outcome", outcome.kind if outcome else "none")] += 1
        if outcome is not None:
            case = case_by_id[case_id]
            start = case.notice_date or timezone.localdate(accepted_at)
            days[row].append(max(0, (outcome.on - start).days))
    stage_keys = tuple(k for k, _l, _s in STAGE_GROUPS)
    outcome_keys = tuple(k for k, _l in OUTCOME_COLUMNS)
    grid = grid_suppress(
        rows=row_keys,
        row_totals={r: row_totals[r] for r in row_keys},
        groups=[ColumnGroup("stage", stage_keys), ColumnGroup("outcome", outcome_keys)],
        counts=counts,
        threshold=limit,
    )

    def row_median(values: list[float], shown: Shown) -> float | None:
        if shown.hidden or len(values) < limit:
            return None
        return median(values)

    rows = []
    for c in cases:
        r = str(c.pk)
        counted = grid.row_total(r)
        rows.append(
            ProgressRow(
                key=r,
                label=c.title,
                case=c,
                enrolled=c.n_enrolled,  # type: ignore[attr-defined]
                accepted=c.n_accepted,  # type: ignore[attr-defined]
                counted=counted,
                stages=[grid.cell(r, "stage", k) for k in stage_keys],
                outcomes=[grid.cell(r, "outcome", k) for k in outcome_keys],
                median_days=row_median(days[r], counted),
            )
        )
    all_days = [d for values in days.values() for d in values]
    grand = grid.grand()
    total = ProgressRow(
        key="total",
        label=str(_("Alla ärenden")),
        case=None,
        enrolled=sum(r.enrolled for r in rows),
        accepted=len(home),
        counted=grand,
        stages=[grid.column_total("stage", k) for k in stage_keys],
        outcomes=[grid.column_total("outcome", k) for k in outcome_keys],
        median_days=row_median(all_days, grand),
    )
    return ProgressDashboard(
        threshold=limit,
        grid=grid,
        stage_columns=[(k, str(label)) for k, label, _s in STAGE_GROUPS],
        outcome_columns=[(k, str(label)) for k, label in OUTCOME_COLUMNS],
        rows=rows,
        total=total,
        stage_bars=_bars(grid, "stage", [(k, label) for k, label, _s in STAGE_GROUPS]),
        outcome_bars=_bars(grid, "outcome", OUTCOME_COLUMNS),
    )


def progress_csv_rows(*, dashboard: ProgressDashboard) -> list[list[Any]]:
    """The dashboard as CSV rows (suppressed figures as "–"); pass through `stats.csv_safe`."""
    header = [
        str(_("Ärende")),
        str(_("Anmälda")),
        str(_("Tackat ja")),
        str(_("I statistiken")),
        *[f"{_('Steg')}: {label}" for _k, label in dashboard.stage_columns],
        *[f"{_('Utfall')}: {label}" for _k, label in dashboard.outcome_columns],
        str(_("Median dagar till utfall")),
    ]
    out: list[list[Any]] = [header]
    for row in [*dashboard.rows, dashboard.total]:
        out.append(
            [
                row.label,
                row.enrolled,
                row.accepted,
                str(row.counted),
                *[str(s) for s in row.stages],
                *[str(s) for s in row.outcomes],
                "" if row.median_days is None else row.median_days,
            ]
        )
    out.append([])
    out.append(
        [
            str(
                _("– = dolt: grupper med färre än %(n)s personer visas inte, inte heller det som "
                  "skulle avslöja dem.") % {"n": dashboard.threshold}
            )
        ]
    )  # fmt: skip
    return out


# --- competence map ------------------------------------------------------------------------------


@dataclass
class SkillColumn:
    skill_id: str
    label: str
    people: Shown
    in_openings: int  # open internal openings of the company asking for it
    in_market: int | None  # active ads asking for it (None: no ads loaded)


@dataclass
class UnitRow:
    key: str
    label: str
    people: Shown
    cells: list[Shown]


@dataclass
class CompetenceMap:
    threshold: int
    people: Shown
    skills: list[SkillColumn]
    units: list[UnitRow]
    wanted_not_mapped: list[tuple[str, str]]  # (skill id, label) asked for in openings
    grid: Grid | None = None
    notes: list[str] = field(default_factory=list)


def competence_map(*, organisation: Organisation) -> CompetenceMap:
    """Skills of the company's mapped staff by unit, next to what its openings and the market
    ask for. Only people who consented to statistics and have a competence profile count;
    units smaller than the threshold are merged into one "other units" row."""
    from journey.selectors.employers_api import competence_summaries
    from vagval.taxonomy.selectors import concept_labels

    from .market import market_skill_demand

    limit = threshold()
    accepted = (
        Enrolment.objects.filter(
            case__organisation=organisation,
            status=EnrolmentStatus.ACCEPTED,
            user__isnull=False,
        )
        .order_by("accepted_at", "id")
        .values_list("user_id", "unit")
    )
    unit_of: dict[int, str] = {}
    for user_id, unit in accepted:
        unit_of[user_id] = unit.strip() or str(_("Ingen enhet angiven"))
    counted = consent_granted_user_ids(purpose=ConsentPurpose.STATISTICS, user_ids=unit_of)
    summaries = competence_summaries(client_ids=counted)
    sizes = Counter(unit_of[uid] for uid in summaries)
    big = {u for u, n in sizes.items() if n >= limit}
    unit_key = {uid: (unit_of[uid] if unit_of[uid] in big else OTHER_UNITS) for uid in summaries}
    skill_people: Counter[str] = Counter()
    counts: Counter[tuple[str, str, str]] = Counter()
    for uid, summary in summaries.items():
        for sid in set(summary.skill_ids):
            skill_people[sid] += 1
            counts[(unit_key[uid], "skills", sid)] += 1
    open_skills: Counter[str] = Counter()
    for skill_ids in Opening.objects.filter(
        organisation=organisation, status=OpeningStatus.OPEN
    ).values_list("skill_ids", flat=True):
        open_skills.update(set(skill_ids or []))
    # Only skills that at least `limit` people have are named at all.
    columns = [s for s, n in skill_people.most_common() if n >= limit][:COMPETENCE_MAP_SKILLS]
    wanted = [s for s in open_skills if skill_people.get(s, 0) < limit]
    labels = concept_labels(concept_ids=[*columns, *wanted])
    market = market_skill_demand(skill_ids=columns)
    rows = sorted(big) + ([OTHER_UNITS] if OTHER_UNITS in unit_key.values() else [])
    row_totals = Counter(unit_key.values())
    grid = grid_suppress(
        rows=rows,
        row_totals={r: row_totals[r] for r in rows},
        groups=[ColumnGroup("skills", tuple(columns), additive=False)],
        counts=counts,
        threshold=limit,
    )
    return CompetenceMap(
        threshold=limit,
        people=grid.grand(),
        skills=[
            SkillColumn(
                skill_id=s,
                label=labels.get(s, s),
                people=grid.column_total("skills", s),
                in_openings=open_skills.get(s, 0),
                in_market=None if market is None else market.get(s, 0),
            )
            for s in columns
        ],
        units=[
            UnitRow(
                key=r,
                label=str(_("Övriga enheter")) if r == OTHER_UNITS else r,
                people=grid.row_total(r),
                cells=[grid.cell(r, "skills", s) for s in columns],
            )
            for r in rows
        ],
        wanted_not_mapped=sorted(((s, labels.get(s, s)) for s in wanted), key=lambda pair: pair[1]),
        grid=grid,
    )


def competence_map_csv_rows(*, data: CompetenceMap) -> list[list[Any]]:
    out: list[list[Any]] = [[str(_("Enhet")), str(_("Kartlagda")), *[s.label for s in data.skills]]]
    for unit in data.units:
        out.append([unit.label, str(unit.people), *[str(c) for c in unit.cells]])
    out.append([str(_("Alla")), str(data.people), *[str(s.people) for s in data.skills]])
    out.append([str(_("Efterfrågas i era tjänster")), "", *[s.in_openings for s in data.skills]])
    out.append(
        [
            str(_("Annonser på marknaden")),
            "",
            *["" if s.in_market is None else s.in_market for s in data.skills],
        ]
    )
    return out


# --- openings ----------------------------------------------------------------------------------


def _mobility_consenting(client_ids: Iterable[int]) -> set[int]:
    """Those of `client_ids` whose internal-mobility consent is in force (one query)."""
    return consent_granted_user_ids(purpose=ConsentPurpose.INTERNAL_MOBILITY, user_ids=client_ids)


def openings_for(*, organisation: Organisation) -> list[Opening]:
    """The company's openings, open first; `n_shown` counts the employees who said yes and
    whose internal-mobility consent is still in force (three queries)."""
    openings = list(
        Opening.objects.filter(organisation=organisation).order_by("status", "-created_at", "-id")
    )
    shown = list(
        OpeningMatch.objects.filter(
            opening__organisation=organisation, decision=MatchDecision.SHOWN
        ).values_list("opening_id", "client_id")
    )
    consenting = _mobility_consenting({c for _o, c in shown})
    counts: dict[int, int] = {}
    for opening_id, client_id in shown:
        if client_id in consenting:
            counts[opening_id] = counts.get(opening_id, 0) + 1
    for opening in openings:
        opening.n_shown = counts.get(opening.pk, 0)  # type: ignore[attr-defined]
    return openings


def opening_get(*, organisation: Organisation, opening_id: int) -> Opening | None:
    return (
        Opening.objects.filter(organisation=organisation, pk=opening_id)
        .select_related("site")
        .first()
    )


def opening_matches_summary(*, opening: Opening) -> tuple[Shown, int]:
    """(how many were matched, shown only when the ones not opted in form a big enough group;
    how many opted in to be shown). Someone who said yes but has since withdrawn their
    internal-mobility consent counts among the others."""
    rows = list(OpeningMatch.objects.filter(opening=opening).values_list("client_id", "decision"))
    consenting = _mobility_consenting(c for c, d in rows if d == MatchDecision.SHOWN)
    shown = sum(1 for c, d in rows if d == MatchDecision.SHOWN and c in consenting)
    total = len(rows)
    others = total - shown
    visible = others == 0 or others >= threshold()
    return Shown(total if visible else None), shown


def opening_shown_matches(*, opening: Opening) -> list[OpeningMatch]:
    """The employees who chose to be shown to HR for this opening and whose internal-mobility
    consent is in force. The view still reads each person through `client_access`, which
    checks the same again (`hr_may_see_client`) and audits the read."""
    matches = list(
        OpeningMatch.objects.filter(opening=opening, decision=MatchDecision.SHOWN).order_by(
            "-score", "id"
        )
    )
    consenting = _mobility_consenting(m.client_id for m in matches)
    return [m for m in matches if m.client_id in consenting]


@dataclass
class ClientOpening:
    """An opening as the matched employee sees it (before HR knows anything)."""

    match_id: int
    opening_id: int
    title: str
    description: str
    employer: str
    occupation_label: str
    unit: str
    closes_on: dt.date | None
    reasons: list[str]
    decision: str
    is_network: bool


def openings_for_client(*, client: Any) -> list[ClientOpening]:
    """The open internal openings the client was matched to, best first, with the reasons in
    the active language. The journey may show these; the decision page is in employers."""
    user_id = getattr(client, "user_id", None) or getattr(client, "pk", None)
    if user_id is None or not _mobility_consenting([user_id]):
        return []  # the consent was withdrawn (maybe on the consent page): no suggestions
    english = (get_language() or "sv").startswith("en")
    rows = OpeningMatch.objects.filter(client_id=user_id, opening__status=OpeningStatus.OPEN)
    out = []
    for m in rows.select_related("opening", "opening__organisation").order_by("-score", "id"):
        o = m.opening
        out.append(
            ClientOpening(
                match_id=m.pk,
                opening_id=o.pk,
                title=o.title,
                description=o.description,
                employer=o.organisation.name,
                occupation_label=o.occupation_label,
                unit=o.unit,
                closes_on=o.closes_on,
                reasons=[r.get("text_en" if english else "text_sv", "") for r in m.reasons],
                decision=m.decision,
                is_network=o.audience == "network",
            )
        )
    return out


# --- the client's side ---------------------------------------------------------------------------


@dataclass
class ClientEmployerPage:
    enrolments: list[Enrolment]
    openings: list[ClientOpening]
    requests: list[ContactRequest]
    mobility_opt_in: bool
    statistics_consent: bool
    visible_to_employers: bool


def client_employer_page(*, client: Any) -> ClientEmployerPage:
    enrolments = list(
        Enrolment.objects.filter(user=client)
        .select_related("case", "case__organisation")
        .order_by("-accepted_at", "-id")
    )
    return ClientEmployerPage(
        enrolments=enrolments,
        openings=openings_for_client(client=client),
        requests=list(
            ContactRequest.objects.filter(client=client)
            .exclude(status=ContactStatus.WITHDRAWN)
            .select_related("organisation", "opening")
        ),
        mobility_opt_in=consent_is_granted(user=client, purpose=ConsentPurpose.INTERNAL_MOBILITY),
        statistics_consent=consent_is_granted(user=client, purpose=ConsentPurpose.STATISTICS),
        visible_to_employers=consent_is_granted(
            user=client, purpose=ConsentPurpose.EMPLOYER_VISIBILITY
        ),
    )


# --- onward: anonymous candidates ----------------------------------------------------------------


def candidate_ref(*, organisation_id: int, client_id: int) -> str:
    """A per-company pseudonym for a visible client: two companies cannot correlate their
    lists, and the user id is never in a URL."""
    key = settings.SECRET_KEY.encode()
    msg = f"employers.candidate:{organisation_id}:{client_id}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()[:20]


def _visible_client_ids(organisation: Organisation) -> list[int]:
    """Clients who chose to be visible to employers, not employed by this company."""
    visible = consent_granted_user_ids(purpose=ConsentPurpose.EMPLOYER_VISIBILITY)
    return list(
        User.objects.filter(pk__in=visible, role=User.Role.CLIENT, is_active=True)
        .exclude(organisation=organisation)
        .values_list("pk", flat=True)
    )


@dataclass
class Candidate:
    ref: str
    client_id: int  # never rendered; used by services after the ref is resolved
    skills: list[str]
    occupations: list[str]
    targets: list[str]
    regions: list[str]
    experience: str
    request_status: str  # "" or a ContactStatus value


@dataclass
class CandidatePage:
    candidates: list[Candidate]
    total: int
    page: int
    pages: int


def _experience_band(years: float) -> str:
    if years < 2:
        return str(_("under 2 år"))
    if years < 5:
        return str(_("2–5 år"))
    if years < 10:
        return str(_("5–10 år"))
    return str(_("över 10 år"))


def candidates_search(
    *,
    organisation: Organisation,
    occupation_id: str = "",
    skill_id: str = "",
    region_id: str = "",
    page: int = 1,
    per_page: int = 20,
) -> CandidatePage:
    """Anonymous profiles of visible clients of other companies, filtered; no name, no employer."""
    from journey.selectors.employers_api import anonymous_profiles
    from vagval.taxonomy.selectors import concept_labels

    profiles = anonymous_profiles(client_ids=_visible_client_ids(organisation))
    found = []
    for p in profiles.values():
        if occupation_id and occupation_id not in {
            *(o for o, _l in p.occupations),
            *(o for o, _l in p.target_occupations),
        }:
            continue
        if skill_id and skill_id not in {s for s, _l in p.skills}:
            continue
        if region_id and region_id not in p.region_ids:
            continue
        found.append(p)
    found.sort(key=lambda p: candidate_ref(organisation_id=organisation.pk, client_id=p.client_id))
    pages = max(1, -(-len(found) // per_page))
    page = min(max(1, page), pages)
    shown = found[(page - 1) * per_page : page * per_page]
    statuses = dict(
        ContactRequest.objects.filter(
            organisation=organisation, client_id__in=[p.client_id for p in shown]
        )
        .exclude(status=ContactStatus.WITHDRAWN)
        .order_by("created_at")
        .values_list("client_id", "status")
    )
    region_labels = concept_labels(concept_ids=[r for p in shown for r in p.region_ids])
    return CandidatePage(
        candidates=[
            Candidate(
                ref=candidate_ref(organisation_id=organisation.pk, client_id=p.client_id),
                client_id=p.client_id,
                skills=[label for _s, label in p.skills if label][:12],
                occupations=[label for _o, label in p.occupations if label],
                targets=[label for _o, label in p.target_occupations if label],
                regions=[region_labels.get(r, "") for r in p.region_ids if r in region_labels],
                experience=_experience_band(p.experience_years),
                request_status=statuses.get(p.client_id, ""),
            )
            for p in shown
        ],
        total=len(found),
        page=page,
        pages=pages,
    )


def candidate_client_id(*, organisation: Organisation, ref: str) -> int | None:
    """The visible client behind a pseudonym, or None (not visible, or not a valid ref)."""
    for client_id in _visible_client_ids(organisation):
        if hmac.compare_digest(
            candidate_ref(organisation_id=organisation.pk, client_id=client_id), ref
        ):
            return client_id
    return None


def contact_requests_for(*, organisation: Organisation) -> list[ContactRequest]:
    return list(
        ContactRequest.objects.filter(organisation=organisation)
        .select_related("client", "opening", "requested_by")
        .order_by("-created_at", "-id")
    )


# --- access rule (registered in apps.py) ---------------------------------------------------------


def hr_may_see_client(viewer: Any, client: Any) -> bool:
    """An HR user may see a client as a person only when the client said yes to THIS company:
    opted in to be shown for one of its open internal openings (with their internal-mobility
    consent still in force in the ledger), or accepted its contact request (and is still
    visible to employers)."""
    org_id = getattr(viewer, "organisation_id", None)
    if org_id is None:
        return False
    if OpeningMatch.objects.filter(
        opening__organisation_id=org_id,
        opening__status=OpeningStatus.OPEN,
        client=client,
        decision=MatchDecision.SHOWN,
    ).exists() and consent_is_granted(user=client, purpose=ConsentPurpose.INTERNAL_MOBILITY):
        return True
    return ContactRequest.objects.filter(
        organisation_id=org_id, client=client, status=ContactStatus.ACCEPTED
    ).exists() and consent_is_granted(user=client, purpose=ConsentPurpose.EMPLOYER_VISIBILITY)


# --- seminars ------------------------------------------------------------------------------------


def seminars_upcoming() -> list[Seminar]:
    return list(
        Seminar.objects.filter(is_published=True, starts_at__gt=timezone.now())
        .annotate(n_signed_up=Count("signups"))
        .order_by("starts_at", "id")
    )


def seminar_signups_for(*, organisation: Organisation) -> list[SeminarSignup]:
    return list(
        SeminarSignup.objects.filter(organisation=organisation)
        .select_related("seminar")
        .order_by("seminar__starts_at", "name")
    )
