"""URLs of the client journey, mounted at /resa/. Steps 2, 3 and 5 add their paths here."""

from django.urls import path

from .views import current_state, overview

app_name = "journey"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("andringar/sett/", overview.changes_seen, name="changes_seen"),
    # Step 1: nulägesanalys
    path("nulage/", current_state.start, name="current_state_start"),
    path("nulage/sammanfattning/", current_state.summary, name="current_state_summary"),
    path("nulage/orter/", current_state.places, name="current_state_places"),
    path("nulage/del/<slug:section>/", current_state.section, name="current_state_section"),
]
