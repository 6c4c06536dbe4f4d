"""URLs of the client journey, mounted at /resa/. Steps 2, 3 and 5 add their paths here."""

from django.urls import include, path

from .views import competence, current_state, feed, market, overview

app_name = "journey"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("andringar/sett/", overview.changes_seen, name="changes_seen"),
    # Step 1: nulägesanalys
    path("nulage/", current_state.start, name="current_state_start"),
    path("nulage/sammanfattning/", current_state.summary, name="current_state_summary"),
    path("nulage/orter/", current_state.places, name="current_state_places"),
    path("nulage/del/<slug:section>/", current_state.section, name="current_state_section"),
    # Step 2: kompetensinventering
    path("kompetens/", competence.hub, name="competence"),
    path("kompetens/klar/", competence.complete, name="competence_complete"),
    path("kompetens/sok/<slug:kind>/", competence.autocomplete, name="competence_autocomplete"),
    path("kompetens/erfarenheter/", competence.experiences, name="competence_experiences"),
    path(
        "kompetens/erfarenheter/<int:pk>/",
        competence.experience_edit,
        name="competence_experience_edit",
    ),
    path(
        "kompetens/erfarenheter/<int:pk>/ta-bort/",
        competence.experience_delete,
        name="competence_experience_delete",
    ),
    path(
        "kompetens/erfarenheter/<int:pk>/lagg-till/",
        competence.experience_accept,
        name="competence_experience_accept",
    ),
    path("kompetens/utbildning/", competence.education, name="competence_education"),
    path(
        "kompetens/utbildning/<int:pk>/",
        competence.education_edit,
        name="competence_education_edit",
    ),
    path(
        "kompetens/utbildning/<int:pk>/ta-bort/",
        competence.education_delete,
        name="competence_education_delete",
    ),
    path("kompetens/kompetenser/", competence.skills, name="competence_skills"),
    path("kompetens/kompetenser/forslag/", competence.suggestions, name="competence_suggestions"),
    path("kompetens/kompetenser/niva/", competence.skill_level, name="competence_skill_level"),
    path("kompetens/kompetenser/ta-bort/", competence.skill_remove, name="competence_skill_remove"),
    path("kompetens/sprak/", competence.languages, name="competence_languages"),
    path("kompetens/sprak/ta-bort/", competence.language_remove, name="competence_language_remove"),
    path("kompetens/korkort/", competence.licences, name="competence_licences"),
    path("kompetens/cv/", competence.cv, name="competence_cv"),
    path("kompetens/cv/<int:pk>/radera/", competence.cv_delete, name="competence_cv_delete"),
    # Step 3: arbetsmarknadsinventering
    path("arbetsmarknad/", market.market, name="market"),
    # Step 4: CV, brev och intervju (its own app, journey.cv)
    path("cv/", include("journey.cv.urls")),
    # Step 5: lediga jobb
    path("jobb/", feed.feed, name="feed"),
    path("jobb/annons/<int:ad_id>/", feed.ad, name="feed_ad"),
    path("jobb/annons/<int:ad_id>/<slug:action>/", feed.ad_action, name="feed_ad_action"),
    path("jobb/ansokningar/", feed.applications, name="feed_applications"),
    path("jobb/ansokningar/<int:pk>/", feed.application_update, name="feed_application_update"),
    path("jobb/bevakning/", feed.alerts, name="feed_alerts"),
    path("jobb/avsluta-bevakning/<str:token>/", feed.unsubscribe, name="feed_unsubscribe"),
]
