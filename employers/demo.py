"""Demo data of the member-company portal, for the demo HR user of Norrsken Industri AB.

- the company account: a site and two union contacts;
- a redundancy notice with 24 enrolled people (18 accepted, 2 declined, 4 not yet answered),
  16 of whom consented to statistics, spread over journey stages so that every shown group
  holds at least five people;
- a proactive competence-mapping round with 12 mapped employees in two units, so that the
  anonymised competence map has groups of at least five;
- an internal opening ranked with the matching engine, where some matched employees (with
  their internal-mobility consent in the ledger) chose to be shown to HR (the demo client
  Karin Lindqvist is enrolled too);
- an opening published onward to every member company's clients: a job ad in their feeds,
  marked as from a member company (the demo client, an IT project manager in Gothenburg, has
  it among her jobs);
- two upcoming seminars.

Idempotent: a second run finds the cases and openings by title and changes nothing. The
synthetic employees have no usable password (they cannot log in); their addresses are under
demo.vagval.se.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from vagval.accounts.demo import DEMO_CLIENT_EMAIL, DEMO_HR_EMAIL, DEMO_ORG_NUMBER
from vagval.accounts.models import Organisation, User
from vagval.accounts.selectors import user_get_by_email
from vagval.accounts.services import user_create
from vagval.web.demoloader import DemoLogin

from . import services
from .models import (
    Case,
    CaseKind,
    Enrolment,
    EnrolmentStatus,
    MatchDecision,
    Opening,
    OpeningAudience,
    OpeningMatch,
    Seminar,
    Site,
    UnionContact,
)

NOTICE_TITLE = "Omorganisation produktion och ekonomi 2026"
PROACTIVE_TITLE = "Kompetenskartläggning 2026"
OPENING_TITLE = "Controller, ekonomiavdelningen"
NETWORK_OPENING_TITLE = "IT-projektledare, digitalisering av produktionen"
VASTERAS = "8deT_FRF_2SP"
GOTEBORG = "PVZL_BQT_XtL"
IT_PROJECT_MANAGER = "z5AM_ayf_WcL"
# Projektledning IT, agila arbetsmetoder, kravhantering: what the opening asks for.
NETWORK_SKILLS = ["Pk2j_jXV_Y3j", "TMVb_DnH_etF", "Utw1_tLL_sS2"]

FIRST = ["Anna", "Erik", "Maria", "Johan", "Sara", "Lars", "Emma", "Karl", "Lina", "Per",
         "Eva", "Nils", "Ida", "Olof", "Moa", "Jonas", "Elin", "Mats", "Klara", "Anders",
         "Frida", "Gustav", "Hanna", "Oskar", "Tove", "Viktor"]  # fmt: skip
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson",
        "Hansson"]  # fmt: skip

# Proactive round: unit -> the skills each of its mapped people has (taxonomy concept ids).
ECONOMY_SKILLS = ["FYk9_RXp_7c5", "Lq2i_vZo_BEx", "awjU_C3D_XEJ", "5wab_aFK_gdL", "Gt5f_wdi_FSJ"]
IT_SKILLS = ["qfkh_ZRK_w4W", "Xnmr_kYS_YKY", "jCsR_WQX_CKD", "D7Ns_RG6_hD2", "5wab_aFK_gdL"]
CONTROLLER = "GrZU_ofe_QAx"

# Notice case: journey stage of the 16 who consented to statistics (5 + 6 + 5).
NOTICE_STAGES = ["not_started"] * 5 + ["competence"] * 6 + ["market"] * 5


def _person(n: int) -> tuple[str, str, str]:
    first = FIRST[n % len(FIRST)]
    last = LAST[(n * 7) % len(LAST)]
    return first, last, f"medarbetare{n:02d}@demo.vagval.se"


def _client(organisation: Organisation, n: int) -> User:
    first, last, email = _person(n)
    user = user_get_by_email(email=email)
    if user is None:
        user = user_create(
            email=email,
            password=None,
            role=User.Role.CLIENT,
            organisation=organisation,
            first_name=first,
            last_name=last,
            email_verified=True,
        )
    return user


def _enrol(case: Case, n: int, unit: str, *, invited_at: dt.datetime) -> Enrolment:
    first, last, email = _person(n)
    enrolment, _created = Enrolment.objects.get_or_create(
        case=case,
        email=email,
        defaults={"first_name": first, "last_name": last, "unit": unit, "invited_at": invited_at},
    )
    return enrolment


def _stage(user: User, stage: str) -> None:
    from journey.services.client import client_profile_get_or_create, client_profile_stage_advance

    client_profile_stage_advance(client=client_profile_get_or_create(user=user), stage=stage)


def _skills(user: User, skill_ids: list[str], stdout: TextIO) -> bool:
    from journey.services.client import client_profile_get_or_create
    from journey.services.competence import competence_profile_rebuild, skill_add

    client = client_profile_get_or_create(user=user)
    try:
        for i, sid in enumerate(skill_ids):
            skill_add(client=client, skill_id=sid, level=3 + i % 3)
    except Exception as exc:  # the taxonomy may not be loaded in a bare demo
        stdout.write(f"  kompetenser hoppades över ({exc})\n")
        return False
    competence_profile_rebuild(client=client)
    return True


def _network_opening(organisation: Organisation, hr: User, stdout: TextIO) -> None:
    """An opening published onward: in every client's feed, marked as from a member company."""
    if Opening.objects.filter(organisation=organisation, title=NETWORK_OPENING_TITLE).exists():
        return
    try:
        services.opening_create(
            organisation=organisation,
            actor=hr,
            title=NETWORK_OPENING_TITLE,
            description=(
                "Norrsken Industri digitaliserar produktionen och söker en IT-projektledare "
                "till vårt kontor i Göteborg. Du leder projekt med agila arbetsmetoder, "
                "ansvarar för kravhantering tillsammans med verksamheten och håller ihop "
                "leveranser från flera leverantörer. Du har erfarenhet av projektledning inom "
                "IT och trivs i en industriell miljö.\n\nSök senast sista ansökningsdagen "
                "med CV och några rader om varför du vill arbeta hos oss."
            ),
            occupation_id=IT_PROJECT_MANAGER,
            occupation_label="IT-projektledare",
            skill_ids=NETWORK_SKILLS,
            unit="IT",
            municipality_id=GOTEBORG,
            audience=OpeningAudience.NETWORK,
            closes_on=timezone.localdate() + dt.timedelta(days=28),
            apply_url="https://norrsken.example/jobb/it-projektledare",
        )
    except Exception as exc:  # the feed needs the taxonomy; the rest of the demo does not
        stdout.write(f"  tjänsten till andra medlemsföretag hoppades över ({exc})\n")
        return
    stdout.write("  en tjänst visas även i andra medlemsföretags medarbetares jobbflöden\n")


def load_demo_data(*, stdout: TextIO) -> list[DemoLogin]:
    organisation = Organisation.objects.filter(org_number=DEMO_ORG_NUMBER).first()
    hr = user_get_by_email(email=DEMO_HR_EMAIL)
    if organisation is None or hr is None:
        stdout.write("  hoppar över företagsportalen: demoföretaget eller HR-användaren saknas\n")
        return []
    _network_opening(organisation, hr, stdout)
    if Case.objects.filter(organisation=organisation, title=NOTICE_TITLE).exists():
        stdout.write("  företagsportalens demodata finns redan\n")
        return []
    now = timezone.now()
    today = timezone.localdate()
    site = Site.objects.create(
        organisation=organisation,
        name="Västerås, huvudkontoret",
        address="Industrigatan 1, Västerås",
        municipality_id=VASTERAS,
    )
    UnionContact.objects.get_or_create(
        organisation=organisation, name="Maria Ek", union="Unionen",
        defaults={"email": "maria.ek@demo.vagval.se"},
    )  # fmt: skip
    UnionContact.objects.get_or_create(
        organisation=organisation, name="Jonas Berg", union="Akademikerförbunden",
        defaults={"email": "jonas.berg@demo.vagval.se"},
    )  # fmt: skip

    notice = services.case_create(
        organisation=organisation,
        actor=hr,
        kind=CaseKind.NOTICE,
        title=NOTICE_TITLE,
        reason="Produktionen i Västerås flyttas och ekonomifunktionen samordnas med koncernen.",
        number_affected=24,
        notice_date=today - dt.timedelta(days=20),
        last_working_day=today + dt.timedelta(days=100),
        site=site,
        contact_name="Helena Sjöberg",
        contact_email=DEMO_HR_EMAIL,
    )
    invited_at = now - dt.timedelta(days=19)
    accepted = 0
    for n in range(24):
        unit = "Produktion" if n % 2 else "Ekonomi"
        enrolment = _enrol(notice, n, unit, invited_at=invited_at)
        if n < 18:
            user = _client(organisation, n)
            services.enrolment_accept(
                enrolment=enrolment,
                user=user,
                statistics_consent=n < 16,
                mobility_opt_in=unit == "Ekonomi",
            )
            if n < 16:
                _stage(user, NOTICE_STAGES[n])
            accepted += 1
        elif n < 20:
            services.enrolment_decline(enrolment=enrolment)
    karin = user_get_by_email(email=DEMO_CLIENT_EMAIL)
    if karin is not None and karin.role == User.Role.CLIENT:
        enrolment, _c = Enrolment.objects.get_or_create(
            case=notice,
            email=karin.email,
            defaults={"first_name": karin.first_name, "last_name": karin.last_name,
                      "unit": "Ekonomi", "invited_at": invited_at},
        )  # fmt: skip
        services.enrolment_accept(
            enrolment=enrolment, user=karin, statistics_consent=True, mobility_opt_in=True
        )
    stdout.write(f"  varsel med 24 anmälda, {accepted} har tackat ja\n")

    proactive = services.case_create(
        organisation=organisation,
        actor=hr,
        kind=CaseKind.PROACTIVE,
        title=PROACTIVE_TITLE,
        reason="",
        self_signup_domain="norrsken.example",
        contact_name="Helena Sjöberg",
        contact_email=DEMO_HR_EMAIL,
    )
    mapped = 0
    for i in range(14):
        n = 30 + i
        unit = "Ekonomi" if i % 2 == 0 else "IT"
        enrolment = _enrol(proactive, n, unit, invited_at=invited_at)
        if i >= 12:
            continue  # two have not answered yet
        user = _client(organisation, n)
        services.enrolment_accept(
            enrolment=enrolment, user=user, statistics_consent=True, mobility_opt_in=True
        )
        skills = ECONOMY_SKILLS if unit == "Ekonomi" else IT_SKILLS
        # Everyone has the first three skills of their unit, some more, so groups stay >= 5.
        if _skills(user, skills[: 3 + (i % 3)], stdout):
            mapped += 1
        _stage(user, "competence")
    stdout.write(f"  kompetenskartläggning: {mapped} har kartlagt sina kompetenser\n")

    opening = services.opening_create(
        organisation=organisation,
        actor=hr,
        title=OPENING_TITLE,
        description="Vi söker en controller till ekonomiavdelningen i Västerås. Du arbetar "
        "med budget, prognoser, bokslut och uppföljning tillsammans med verksamheten.",
        occupation_id=CONTROLLER,
        occupation_label="Controller",
        skill_ids=ECONOMY_SKILLS[:4],
        unit="Ekonomi",
        site=site,
        closes_on=today + dt.timedelta(days=30),
    )
    try:
        matched = services.opening_rank(opening_id=opening.pk)
    except Exception as exc:  # ranking needs the taxonomy; the rest of the demo does not
        stdout.write(f"  rankningen hoppades över ({exc})\n")
        matched = 0
    for match in OpeningMatch.objects.filter(opening=opening).order_by("-score", "id")[:3]:
        services.opening_match_decide(match_id=match.pk, client=match.client, show=True)
    shown = OpeningMatch.objects.filter(opening=opening, decision=MatchDecision.SHOWN).count()
    stdout.write(f"  intern tjänst: {matched} matchade, {shown} vill visas för HR\n")

    for days, title, audience in (
        (21, "Att leda i förändring: chefens roll vid ett varsel", "managers"),
        (35, "Omställningsavtalet för fackliga företrädare", "union"),
    ):
        Seminar.objects.get_or_create(
            title=title,
            defaults={
                "description": "Ett halvdagsseminarium med praktiska råd och erfarenhetsutbyte.",
                "audience": audience,
                "starts_at": now + dt.timedelta(days=days),
                "location": "Stockholm och digitalt",
                "capacity": 30,
            },
        )
    invited = Enrolment.objects.filter(
        case__organisation=organisation, status=EnrolmentStatus.INVITED
    ).count()
    stdout.write(f"  {invited} inbjudningar väntar på svar, två seminarier\n")
    return [DemoLogin(role="HR", email=DEMO_HR_EMAIL, description="varsel, statistik, tjänster")]
