"""Step 2, the competence inventory, as a client uses it: experiences matched to occupations as
they type (free text kept), education, skills with levels, languages and driving licences,
suggestions accepted and declined, the CompetenceProfile with sources and levels, what changed,
the downstream refresh, privacy, and the query budget of every page."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import lxml.html
import pytest
from django.test import Client

from journey.models import (
    ChangeKind,
    ClientProfile,
    CompetenceProfile,
    CompetenceSkill,
    Education,
    Experience,
    JourneyChange,
    JourneyStep,
    LanguageSkill,
    SuggestionStatus,
)
from journey.privacy import export_user_data
from journey.selectors.competence import (
    competence_for_matching,
    competence_profile_get,
    competence_step_status,
)
from journey.services import competence as services
from journey.services import downstream
from journey.services.downstream import ChangeNote, StepRefresher
from tests.accounts.factories import UserFactory
from vagval.accounts.models import User

pytestmark = pytest.mark.usefixtures("taxonomy_loaded")

IT_PROJECT_MANAGER = "z5AM_ayf_WcL"  # Projektledare, IT
SOFTWARE_DEVELOPER = "rQds_YGd_quU"  # Mjukvaruutvecklare
PROJECT_MANAGEMENT_IT = "Pk2j_jXV_Y3j"  # Projektledning, IT
SCRUM = "Cnqu_REg_6jo"
JAVA = "jCsR_WQX_CKD"
SQL = "Xnmr_kYS_YKY"
SWEDISH = "zSLA_vw2_FXN"
ENGLISH = "NVxJ_hLg_TYS"
LICENCE_B = "VTK8_WRx_GcM"
LICENCE_C = "BKCx_hST_Pcm"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


def suggest(client: ClientProfile, *skill_ids: str) -> int:
    return services.skill_suggestions_add(
        client=client,
        suggestions=[
            services.SkillSuggestion(s, "from_occupation", f"Vanlig i annonser ({s})", score=0.5)
            for s in skill_ids
        ],
    )


# ---- experiences: matched as you type, free text kept ------------------------------------


def test_the_title_is_matched_to_occupations_as_you_type(browser: Client) -> None:
    response = browser.get(
        "/resa/kompetens/sok/occupation/", {"title": "projektledare it", "listbox": "t-options"}
    )
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    listbox = doc.get_element_by_id("t-options")
    assert listbox.get("role") == "listbox"
    options = listbox.findall("li")
    assert all(o.get("role") == "option" for o in options)
    assert options[0].get("data-value") == IT_PROJECT_MANAGER
    assert options[0].get("data-label") == "Projektledare, IT"
    # Announced to screen readers.
    assert "förslag" in doc.xpath("//div[@role='status']")[0].text_content()


def test_the_autocomplete_serves_skills_and_languages_and_refuses_other_types(
    browser: Client,
) -> None:
    skills = browser.get("/resa/kompetens/sok/skill/", {"skill_text": "scrum"})
    assert f'data-value="{SCRUM}"' in skills.content.decode()
    languages = browser.get("/resa/kompetens/sok/language/", {"language_text": "engel"})
    assert f'data-value="{ENGLISH}"' in languages.content.decode()
    assert browser.get("/resa/kompetens/sok/municipality/", {"q": "Göteborg"}).status_code == 404


def test_the_experience_form_has_an_accessible_combobox(browser: Client) -> None:
    doc = lxml.html.fromstring(browser.get("/resa/kompetens/erfarenheter/").content.decode())
    title = doc.get_element_by_id("id_title")
    assert title.get("role") == "combobox"
    assert title.get("aria-controls") == "id_title-options"
    assert title.get("hx-get").startswith("/resa/kompetens/sok/occupation/")
    assert doc.xpath("//label[@for='id_title']")
    assert doc.get_element_by_id("id_occupation_id").get("type") == "hidden"


def test_a_picked_occupation_is_saved_and_the_title_kept_as_typed(
    browser: Client, client_user: User
) -> None:
    response = browser.post(
        "/resa/kompetens/erfarenheter/",
        {
            "title": "Projektledare för fabrikens IT-system",
            "occupation_id": IT_PROJECT_MANAGER,
            "employer": "Volvo Cars",
            "start_date": "2018-03",
            "end_date": "2024-06",
            "description": "Agila projekt.",
        },
    )
    assert response.status_code == 302
    experience = Experience.objects.get(client_id=client_user.pk)
    assert experience.title == "Projektledare för fabrikens IT-system"
    assert experience.occupation_id == IT_PROJECT_MANAGER
    assert (experience.start_date, experience.end_date) == (
        dt.date(2018, 3, 1),
        dt.date(2024, 6, 1),
    )
    page = text(browser.get("/resa/kompetens/erfarenheter/"))
    assert "Projektledare för fabrikens IT-system, Volvo Cars" in page
    assert "Yrke: Projektledare, IT" in page


def test_a_title_that_matches_no_occupation_is_kept_as_free_text(
    browser: Client, client_user: User
) -> None:
    browser.post("/resa/kompetens/erfarenheter/", {"title": "Chief Happiness Wizard"})
    experience = Experience.objects.get(client_id=client_user.pk)
    assert (experience.title, experience.occupation_id) == ("Chief Happiness Wizard", "")
    page = text(browser.get("/resa/kompetens/erfarenheter/"))
    assert "Inget yrke kopplat – din titel sparas som du skrev den." in page


def test_without_javascript_an_exact_title_is_matched_and_others_can_be_picked_later(
    browser: Client, client_user: User
) -> None:
    browser.post("/resa/kompetens/erfarenheter/", {"title": "Mjukvaruutvecklare"})
    browser.post("/resa/kompetens/erfarenheter/", {"title": "projektledare inom it"})
    exact, vague = Experience.objects.filter(client_id=client_user.pk).order_by("id")
    assert exact.occupation_id == SOFTWARE_DEVELOPER
    assert vague.occupation_id == ""
    # The edit page offers occupations as radio buttons (no JS needed) ...
    edit = browser.get(f"/resa/kompetens/erfarenheter/{vague.pk}/")
    doc = lxml.html.fromstring(edit.content.decode())
    offered = doc.xpath("//input[@name='occupation_radio']/@value")
    assert IT_PROJECT_MANAGER in offered and "none" in offered
    # ... and picking one keeps the title.
    browser.post(
        f"/resa/kompetens/erfarenheter/{vague.pk}/",
        {"title": "projektledare inom it", "occupation_radio": IT_PROJECT_MANAGER},
    )
    vague.refresh_from_db()
    assert (vague.title, vague.occupation_id) == ("projektledare inom it", IT_PROJECT_MANAGER)
    # "None of these" drops the occupation again.
    browser.post(
        f"/resa/kompetens/erfarenheter/{vague.pk}/",
        {
            "title": "projektledare inom it",
            "occupation_id": IT_PROJECT_MANAGER,
            "occupation_radio": "none",
        },
    )
    vague.refresh_from_db()
    assert vague.occupation_id == ""


def test_the_form_keeps_what_was_typed_when_it_is_refused(
    browser: Client, client_user: User
) -> None:
    response = browser.post(
        "/resa/kompetens/erfarenheter/",
        {
            "title": "Projektledare, IT",
            "occupation_id": IT_PROJECT_MANAGER,
            "employer": "Volvo Cars",
            "start_date": "2020-05",
            "end_date": "2019-01",
            "description": "Mina viktigaste projekt",
        },
    )
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    assert doc.get_element_by_id("id_title").get("value") == "Projektledare, IT"
    assert doc.get_element_by_id("id_employer").get("value") == "Volvo Cars"
    assert doc.get_element_by_id("id_start_date").get("value") == "2020-05"
    assert doc.get_element_by_id("id_end_date").get("value") == "2019-01"
    assert doc.get_element_by_id("id_end_date").get("aria-invalid") == "true"
    assert doc.get_element_by_id("id_occupation_id").get("value") == IT_PROJECT_MANAGER
    assert "Mina viktigaste projekt" in doc.get_element_by_id("id_description").text_content()
    summary = doc.get_element_by_id("error-summary").text_content()
    assert "Slutet kan inte vara före början." in summary
    assert not Experience.objects.filter(client_id=client_user.pk).exists()


def test_a_bad_month_and_a_missing_title_are_explained(browser: Client) -> None:
    page = text(browser.post("/resa/kompetens/erfarenheter/", {"start_date": "våren 2019"}))
    assert "Skriv din yrkestitel." in page
    assert "Skriv månaden som år och månad, till exempel 2019-03." in page


def test_a_tampered_occupation_id_is_refused_with_a_message(
    browser: Client, client_user: User
) -> None:
    response = browser.post(
        "/resa/kompetens/erfarenheter/", {"title": "Utvecklare", "occupation_id": JAVA}
    )  # a skill, not an occupation
    assert response.status_code == 200
    assert "Vi känner inte igen det valet." in text(response)
    assert not Experience.objects.filter(client_id=client_user.pk).exists()


def test_step_1_and_the_account_prefill_the_job_being_left(
    browser: Client, client_user: User, profile: ClientProfile
) -> None:
    from vagval.accounts.models import Organisation

    organisation = Organisation.objects.create(org_number="5560360793", name="Volvo Cars AB")
    client_user.organisation = organisation
    client_user.save()
    profile.last_working_day = dt.date(2026, 12, 31)
    profile.save()
    doc = lxml.html.fromstring(browser.get("/resa/kompetens/erfarenheter/").content.decode())
    assert doc.get_element_by_id("id_employer").get("value") == "Volvo Cars AB"
    assert doc.get_element_by_id("id_end_date").get("value") == "2026-12"
    assert "från det du redan berättat" in doc.text_content()
    # Once that job is listed it is not offered again.
    browser.post(
        "/resa/kompetens/erfarenheter/", {"title": "Projektledare", "employer": "Volvo Cars AB"}
    )
    doc = lxml.html.fromstring(browser.get("/resa/kompetens/erfarenheter/").content.decode())
    assert doc.get_element_by_id("id_employer").get("value") in (None, "")


# ---- skills, suggestions, levels -----------------------------------------------------------


def test_skills_are_added_with_autocomplete_ids_or_resolved_from_text(
    browser: Client, client_user: User
) -> None:
    browser.post(
        "/resa/kompetens/kompetenser/",
        {"skill_text": "Scrum", "skill_id": SCRUM, "level": "4"},
    )
    # No JS: the text "Java, programmeringsspråk" names exactly one skill.
    browser.post("/resa/kompetens/kompetenser/", {"skill_text": "Java, programmeringsspråk"})
    skills = dict(
        CompetenceSkill.objects.filter(client_id=client_user.pk).values_list("skill_id", "level")
    )
    assert skills == {SCRUM: 4, JAVA: None}
    # A vague text gets "Menade du" choices and keeps the text.
    response = browser.post("/resa/kompetens/kompetenser/", {"skill_text": "java"})
    doc = lxml.html.fromstring(response.content.decode())
    assert doc.get_element_by_id("id_skill_text").get("value") == "java"
    assert JAVA in doc.xpath("//fieldset[@class='candidates']//input/@value")
    assert "Välj en av kompetenserna nedan" in doc.text_content()


def test_suggestions_are_accepted_or_declined_with_one_tap_and_declines_are_remembered(
    browser: Client, profile: ClientProfile
) -> None:
    assert suggest(profile, SCRUM, JAVA, SQL) == 3
    page = lxml.html.fromstring(browser.get("/resa/kompetens/kompetenser/").content.decode())
    assert len(page.xpath("//li[@class='suggestion']")) == 3
    browser.post("/resa/kompetens/kompetenser/forslag/", {"skill_id": SCRUM, "decision": "accept"})
    browser.post("/resa/kompetens/kompetenser/forslag/", {"skill_id": JAVA, "decision": "reject"})
    status = dict(CompetenceSkill.objects.filter(client=profile).values_list("skill_id", "status"))
    assert status == {SCRUM: "accepted", JAVA: "rejected", SQL: "suggested"}
    # Suggested again (from a CV, an ad, the occupations): a decline is final.
    assert suggest(profile, JAVA, SQL) == 0
    assert CompetenceSkill.objects.get(client=profile, skill_id=JAVA).status == "rejected"
    page = text(browser.get("/resa/kompetens/kompetenser/"))
    assert "1 avböjd kompetens" in page
    # "Accept all" takes the rest.
    browser.post("/resa/kompetens/kompetenser/forslag/", {"decision": "accept_all"})
    assert CompetenceSkill.objects.get(client=profile, skill_id=SQL).status == "accepted"
    profile_row = competence_profile_get(client=profile)
    assert profile_row is not None
    assert {s["concept_id"]: s["source"] for s in profile_row.skills} == {
        SCRUM: "from_occupation",
        SQL: "from_occupation",
    }


def test_accepting_in_place_with_htmx_returns_the_updated_list(
    browser: Client, profile: ClientProfile
) -> None:
    suggest(profile, SCRUM)
    response = browser.post(
        "/resa/kompetens/kompetenser/forslag/",
        {"skill_id": SCRUM, "decision": "accept"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    doc = lxml.html.fromstring(response.content.decode())
    assert doc.get_element_by_id("skills-content") is not None
    assert doc.xpath(f"//li[@id='k-{SCRUM}']")  # now among "Dina kompetenser"
    assert not doc.xpath(f"//li[@id='s-{SCRUM}']")


def test_levels_are_rated_and_a_removed_skill_is_not_suggested_again(
    browser: Client, profile: ClientProfile
) -> None:
    services.skill_add(client=profile, skill_id=JAVA)
    browser.post("/resa/kompetens/kompetenser/niva/", {"skill_id": JAVA, "level": "5"})
    assert CompetenceSkill.objects.get(client=profile, skill_id=JAVA).level == 5
    response = browser.post(
        "/resa/kompetens/kompetenser/niva/", {"skill_id": JAVA, "level": "9"}, follow=True
    )
    assert "Välj en nivå mellan 1 och 5." in text(response)
    assert CompetenceSkill.objects.get(client=profile, skill_id=JAVA).level == 5
    browser.post("/resa/kompetens/kompetenser/ta-bort/", {"skill_id": JAVA})
    assert CompetenceSkill.objects.get(client=profile, skill_id=JAVA).status == "rejected"
    assert suggest(profile, JAVA) == 0
    # The client may still add it back themselves.
    services.skill_add(client=profile, skill_id=JAVA, level=2)
    row = CompetenceSkill.objects.get(client=profile, skill_id=JAVA)
    assert (row.status, row.level) == ("accepted", 2)


# ---- education, languages, driving licence --------------------------------------------------


def test_education_languages_and_licences(browser: Client, profile: ClientProfile) -> None:
    from vagval.taxonomy.selectors import concept_list

    level = next(c for c in concept_list(type="sun-education-level-2") if "3 år" in c.label_sv)
    response = browser.post(
        "/resa/kompetens/utbildning/",
        {
            "name": "Civilingenjör datateknik",
            "institution": "Chalmers",
            "level_id": level.concept_id,
            "field_text": "Datateknik",
            "start_year": "2005",
            "end_year": "2010",
        },
    )
    assert response.status_code == 302
    education = Education.objects.get(client=profile)
    assert (education.name, education.level_id) == ("Civilingenjör datateknik", level.concept_id)
    browser.post(
        "/resa/kompetens/sprak/",
        {"language_text": "Svenska", "language_id": SWEDISH, "level": "native"},
    )
    browser.post("/resa/kompetens/sprak/", {"language_text": "Engelska", "level": "fluent"})
    assert dict(
        LanguageSkill.objects.filter(client=profile).values_list("language_id", "level")
    ) == {SWEDISH: "native", ENGLISH: "fluent"}
    browser.post("/resa/kompetens/korkort/", {"licences": [LICENCE_B, LICENCE_C]})
    browser.post("/resa/kompetens/korkort/", {"licences": [LICENCE_B]})
    result = competence_profile_get(client=profile)
    assert result is not None
    assert [d["concept_id"] for d in result.driving_licences] == [LICENCE_B]
    assert {lang["concept_id"]: lang["level"] for lang in result.languages} == {
        SWEDISH: "native",
        ENGLISH: "fluent",
    }
    assert result.education[0]["name"] == "Civilingenjör datateknik"
    page = text(browser.get("/resa/kompetens/"))
    assert "Civilingenjör datateknik, Chalmers (2010)" in page
    assert "Körkort: B" in page


def test_education_years_are_checked_and_input_kept(browser: Client) -> None:
    response = browser.post(
        "/resa/kompetens/utbildning/",
        {"name": "Ekonomi", "start_year": "2012", "end_year": "2009"},
    )
    doc = lxml.html.fromstring(response.content.decode())
    assert doc.get_element_by_id("id_name").get("value") == "Ekonomi"
    assert "Slutåret kan inte vara före startåret." in doc.text_content()
    bad_level = browser.post("/resa/kompetens/utbildning/", {"name": "Ekonomi", "level_id": SCRUM})
    assert bad_level.status_code == 200
    assert "Välj ett giltigt alternativ" in text(bad_level)


# ---- the profile, what changed, the downstream refresh ---------------------------------------


def test_the_profile_is_rebuilt_with_sources_and_levels_and_only_on_change(
    profile: ClientProfile,
) -> None:
    services.experience_save(
        client=profile,
        data=services.ExperienceInput(
            title="IT-projektledare",
            occupation_id=IT_PROJECT_MANAGER,
            start_date=dt.date(2018, 1, 1),
            end_date=dt.date(2021, 1, 1),
        ),
    )
    services.experience_save(
        client=profile,
        data=services.ExperienceInput(
            title="Utvecklare",
            occupation_id=SOFTWARE_DEVELOPER,
            start_date=dt.date(2016, 1, 1),
            end_date=dt.date(2019, 1, 1),
        ),
    )
    services.skill_add(client=profile, skill_id=PROJECT_MANAGEMENT_IT, level=4)
    suggest(profile, SCRUM)
    services.suggestions_decide(client=profile, skill_ids=[SCRUM], accept=True)
    latest = competence_profile_get(client=profile)
    assert latest is not None and latest.revision == 4  # suggesting alone changed nothing
    assert latest.skills == [
        {
            "concept_id": PROJECT_MANAGEMENT_IT,
            "label": "Projektledning, IT",
            "source": "declared",
            "level": 4,
        },
        {
            "concept_id": SCRUM,
            "label": "Scrum, systemutvecklingsmetod",
            "source": "from_occupation",
            "level": None,
        },
    ]
    occupations = {o["concept_id"]: o for o in latest.occupations}
    assert occupations[IT_PROJECT_MANAGER]["years"] == 3.0
    assert occupations[SOFTWARE_DEVELOPER]["label"] == "Mjukvaruutvecklare"
    assert latest.experience_years == 5.0  # 2016-2021, the overlap counted once
    assert services.competence_profile_rebuild(client=profile).revision == 4
    history = CompetenceProfile.objects.filter(client=profile).order_by("revision")
    assert [p.revision for p in history] == [1, 2, 3, 4]
    assert history[0].skills == []  # earlier revisions are kept
    matching = competence_for_matching(client=profile)
    assert matching is not None
    assert matching.skills == {PROJECT_MANAGEMENT_IT: 0.8, SCRUM: 0.6}
    assert matching.occupations_held[0] == IT_PROJECT_MANAGER


def test_every_change_is_recorded_and_queues_the_downstream_refresh_after_commit(
    browser: Client,
    profile: ClientProfile,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        browser.post("/resa/kompetens/kompetenser/", {"skill_text": "Scrum", "skill_id": SCRUM})
    assert len(callbacks) == 1
    assert callbacks[0].func.__self__.name == "journey.tasks.client_downstream_refresh"
    assert callbacks[0].args == (profile.pk,)
    change = JourneyChange.objects.get(client=profile, step="competence")
    assert change.kind == ChangeKind.UPDATED
    assert change.message_sv == "Lade till kompetensen Scrum, systemutvecklingsmetod."
    # Setting the same level again is no change: nothing recorded, nothing queued.
    services.skill_level_set(client=profile, skill_id=SCRUM, level=3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.skill_level_set(client=profile, skill_id=SCRUM, level=3)
    assert callbacks == []
    assert JourneyChange.objects.filter(client=profile, step="competence").count() == 2


def test_the_downstream_refreshers_see_the_new_profile(
    browser: Client,
    profile: ClientProfile,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    seen: list[list[str]] = []

    def market_refresh(*, client: ClientProfile) -> list[ChangeNote]:
        latest = competence_profile_get(client=client)
        seen.append(latest.skill_ids if latest else [])
        return [ChangeNote("2 nya yrkesförslag sedan du lade till Scrum", "2 new occupations")]

    monkeypatch.setattr(
        downstream,
        "DOWNSTREAM_REFRESHERS",
        (StepRefresher(step=JourneyStep.MARKET, path=f"{__name__}.REFRESHER"),),
    )
    monkeypatch.setitem(globals(), "REFRESHER", market_refresh)
    browser.post("/resa/nulage/")  # Min resa opens once step 1 is started
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/resa/kompetens/kompetenser/", {"skill_text": "Scrum", "skill_id": SCRUM})
    assert seen == [[SCRUM]]
    assert "2 nya yrkesförslag" in text(browser.get("/resa/"))


def test_min_resa_shows_step_2_and_its_progress(browser: Client, profile: ClientProfile) -> None:
    status = competence_step_status(client=profile, language="sv")
    assert status.state == "not_started"
    suggest(profile, SCRUM, JAVA)
    services.skill_add(client=profile, skill_id=SQL, level=3)
    status = competence_step_status(client=profile, language="sv")
    assert status.state == "in_progress"
    assert status.facts == [
        "0 erfarenheter, 1 kompetens, 0 språk.",
        "2 förslag väntar på ditt svar.",
    ]
    profile.refresh_from_db()
    assert profile.journey_stage == "competence"
    browser.post("/resa/kompetens/klar/")
    assert competence_step_status(client=profile, language="en").state == "done"


# ---- privacy: only the client's own data, export, erase --------------------------------------


def test_a_client_can_neither_see_nor_change_another_clients_rows(
    browser: Client, other_client_user: User
) -> None:
    from journey.services.client import client_profile_get_or_create

    other = client_profile_get_or_create(user=other_client_user)
    theirs = services.experience_save(
        client=other, data=services.ExperienceInput(title="Hemlig titel hos Olle")
    )
    services.skill_add(client=other, skill_id=JAVA)
    assert browser.get(f"/resa/kompetens/erfarenheter/{theirs.pk}/").status_code == 404
    browser.post(f"/resa/kompetens/erfarenheter/{theirs.pk}/", {"title": "Kapad"})
    browser.post(f"/resa/kompetens/erfarenheter/{theirs.pk}/ta-bort/")
    browser.post("/resa/kompetens/kompetenser/ta-bort/", {"skill_id": JAVA})
    theirs.refresh_from_db()
    assert theirs.title == "Hemlig titel hos Olle"
    assert CompetenceSkill.objects.get(client=other, skill_id=JAVA).status == "accepted"
    for url in (
        "/resa/kompetens/",
        "/resa/kompetens/erfarenheter/",
        "/resa/kompetens/kompetenser/",
    ):
        assert "Hemlig titel hos Olle" not in browser.get(url).content.decode()
        assert "Java, programmeringsspråk" not in browser.get(url).content.decode()


@pytest.mark.parametrize("role", [User.Role.ADVISER, User.Role.HR])
def test_other_roles_and_anonymous_visitors_are_kept_out(db: None, role: str) -> None:
    assert Client().get("/resa/kompetens/").status_code == 302
    staff = Client()
    staff.force_login(UserFactory(role=role))  # type: ignore[arg-type]
    assert staff.get("/resa/kompetens/kompetenser/").status_code == 403
    assert staff.get("/resa/kompetens/sok/skill/?q=java").status_code == 403


def test_the_export_holds_everything_step_2_stores(browser: Client, profile: ClientProfile) -> None:
    services.experience_save(
        client=profile,
        data=services.ExperienceInput(
            title="Markör-titel", employer="Markör AB", description="Markör-text"
        ),
    )
    suggest(profile, SCRUM)
    services.suggestions_decide(client=profile, skill_ids=[SCRUM], accept=False)
    services.language_save(client=profile, language_id=SWEDISH, level="native")
    services.driving_licences_set(client=profile, licence_ids=[LICENCE_B])
    data = export_user_data(profile.user)["competence"]
    assert data["experiences"][0]["title"] == "Markör-titel"
    assert data["experiences"][0]["description"] == "Markör-text"
    assert data["skills"][0]["skill_id"] == SCRUM and data["skills"][0]["status"] == "rejected"
    assert data["languages"][0]["language_id"] == SWEDISH
    assert data["driving_licences"] == [LICENCE_B]
    assert [p["revision"] for p in data["profiles"]] == [1, 2, 3]
    from journey.privacy import erase_user_data

    erase_user_data(profile.user)
    assert not Experience.objects.filter(employer="Markör AB").exists()
    assert not CompetenceProfile.objects.exists()


# ---- query budget ----------------------------------------------------------------------------


@pytest.fixture
def filled(profile: ClientProfile) -> ClientProfile:
    """A client with something in every part of step 2."""
    for title, occupation in (("IT-projektledare", IT_PROJECT_MANAGER), ("Utvecklare", "")):
        services.experience_save(
            client=profile,
            data=services.ExperienceInput(
                title=title, occupation_id=occupation, start_date=dt.date(2015, 1, 1)
            ),
        )
    services.education_save(client=profile, data=services.EducationInput(name="Ekonomi"))
    for skill in (PROJECT_MANAGEMENT_IT, JAVA):
        services.skill_add(client=profile, skill_id=skill, level=3)
    suggest(profile, SCRUM, SQL)
    services.language_save(client=profile, language_id=SWEDISH, level="native")
    services.driving_licences_set(client=profile, licence_ids=[LICENCE_B])
    return profile


@pytest.mark.parametrize(
    "url",
    [
        "/resa/kompetens/",
        "/resa/kompetens/erfarenheter/",
        "/resa/kompetens/utbildning/",
        "/resa/kompetens/kompetenser/",
        "/resa/kompetens/sprak/",
        "/resa/kompetens/cv/",
        "/resa/kompetens/sok/occupation/?title=projektledare",
    ],
)
def test_every_page_stays_within_ten_queries(
    browser: Client,
    filled: ClientProfile,
    url: str,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    browser.get(url)  # warm the per-process caches (autocomplete index, taxonomy version)
    with django_assert_max_num_queries(10):
        response = browser.get(url)
    assert response.status_code == 200


def test_step_2_costs_min_resa_one_query(
    filled: ClientProfile,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    """Min resa has ten queries for five steps; step 2's status is computed in one."""
    with django_assert_num_queries(1):
        status = competence_step_status(client=filled, language="sv")
    assert status.facts[0] == "2 erfarenheter, 2 kompetenser, 1 språk."


def test_the_edit_pages_stay_within_ten_queries(
    browser: Client,
    filled: ClientProfile,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    experience = Experience.objects.filter(client=filled).first()
    education = Education.objects.filter(client=filled).first()
    assert experience is not None and education is not None
    for url in (
        f"/resa/kompetens/erfarenheter/{experience.pk}/",
        f"/resa/kompetens/utbildning/{education.pk}/",
    ):
        browser.get(url)
        with django_assert_max_num_queries(10):
            assert browser.get(url).status_code == 200


def test_pages_render_on_their_own_without_javascript(
    browser: Client, filled: ClientProfile
) -> None:
    """Every action on the pages is a real form with a submit button and a csrf token."""
    for url in ("/resa/kompetens/kompetenser/", "/resa/kompetens/sprak/"):
        doc = lxml.html.fromstring(browser.get(url).content.decode())
        for form in doc.xpath("//main//form"):
            assert form.get("method") == "post"
            assert form.xpath(".//input[@name='csrfmiddlewaretoken']")
            assert form.xpath(".//button[@type='submit']"), lxml.html.tostring(form)[:200]
    assert SuggestionStatus.SUGGESTED in CompetenceSkill.objects.values_list("status", flat=True)


# ---- demo --------------------------------------------------------------------------------------


def test_the_demo_client_has_a_half_finished_step_2_once(questionnaire) -> None:  # type: ignore[no-untyped-def]
    import io

    from journey.demo import load_demo_data
    from vagval.accounts.demo import DEMO_CLIENT_EMAIL
    from vagval.accounts.demo import load_demo_data as accounts_demo

    out = io.StringIO()
    accounts_demo(stdout=out)
    load_demo_data(stdout=out)
    assert "påbörjat kompetensinventeringen (steg 2)" in out.getvalue()
    demo = ClientProfile.objects.get(user__email=DEMO_CLIENT_EMAIL)
    assert Experience.objects.filter(client=demo, status="accepted").count() == 2
    statuses = Counter(CompetenceSkill.objects.filter(client=demo).values_list("status", flat=True))
    assert statuses["accepted"] >= 4 and statuses["suggested"] >= 5
    status = competence_step_status(client=demo, language="sv")
    assert status.state == "in_progress"
    revision = competence_profile_get(client=demo).revision  # type: ignore[union-attr]
    load_demo_data(stdout=out)  # again: nothing changes
    assert Experience.objects.filter(client=demo).count() == 2
    assert competence_profile_get(client=demo).revision == revision  # type: ignore[union-attr]
    page = Client()
    page.force_login(demo.user)
    html = text(page.get("/resa/kompetens/kompetenser/"))
    assert "Scrum, systemutvecklingsmetod" in html and "Lägg till alla förslag" in html
