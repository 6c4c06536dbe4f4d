"""URLs of the adviser portal, mounted at /radgivare/.

The adviser's pages are at the top; the client's pages about their adviser live under
`min-radgivare/`. Every adviser URL with a `client_id` returns 404 for a client who is not in
the signed-in adviser's caseload (tests/advisers/test_access.py checks every one).
"""

from django.urls import path

from .views import adviser, client

app_name = "advisers"

# Adviser URLs that show or change one client's data: (name, path, view). The access test
# walks this list, so a new client URL is covered as soon as it is added here.
CLIENT_DATA_URLS = [
    ("client", "klienter/<int:client_id>/", adviser.client_detail),
    ("step_add", "klienter/<int:client_id>/steg/", adviser.step_add),
    ("step_toggle", "klienter/<int:client_id>/steg/<int:step_id>/", adviser.step_toggle),
    ("note_add", "klienter/<int:client_id>/anteckningar/", adviser.note_add),
    ("messages", "klienter/<int:client_id>/meddelanden/", adviser.message_thread),
    ("meeting_book", "klienter/<int:client_id>/moten/boka/", adviser.meeting_book),
    ("meeting", "klienter/<int:client_id>/moten/<int:meeting_id>/", adviser.meeting_detail),
    (
        "meeting_cancel",
        "klienter/<int:client_id>/moten/<int:meeting_id>/avboka/",
        adviser.meeting_cancel,
    ),
    (
        "meeting_ics",
        "klienter/<int:client_id>/moten/<int:meeting_id>/kalender.ics",
        adviser.meeting_ics_download,
    ),
    ("recommend", "klienter/<int:client_id>/tips/", adviser.recommend),
    ("outcome", "klienter/<int:client_id>/utfall/", adviser.outcome),
]

urlpatterns = [
    path("", adviser.caseload, name="caseload"),
    *[path(route, view, name=name) for name, route, view in CLIENT_DATA_URLS],
    path("tider/", adviser.slots, name="slots"),
    path("tider/<int:slot_id>/ta-bort/", adviser.slot_delete, name="slot_delete"),
    path("seminarier/", adviser.seminars, name="seminars"),
    path("seminarier/nytt/", adviser.seminar_create, name="seminar_create"),
    path("seminarier/<int:seminar_id>/", adviser.seminar_detail, name="seminar"),
    path("siffror/", adviser.figures, name="figures"),
    path("profil/", adviser.profile_edit, name="profile"),
    path("team/", adviser.team, name="team"),
    path("team/arenden/<int:case_id>/", adviser.reassign, name="reassign"),
    path("team/arenden/<int:case_id>/avslag/", adviser.change_decline, name="change_decline"),
    # The client's side
    path("min-radgivare/", client.home, name="client_home"),
    path("min-radgivare/boka/", client.book, name="client_book"),
    path("min-radgivare/moten/<int:meeting_id>/", client.meeting, name="client_meeting"),
    path(
        "min-radgivare/moten/<int:meeting_id>/avboka/",
        client.meeting_cancel,
        name="client_meeting_cancel",
    ),
    path(
        "min-radgivare/moten/<int:meeting_id>/kalender.ics",
        client.meeting_ics_download,
        name="client_meeting_ics",
    ),
    path("min-radgivare/meddelanden/", client.message_thread, name="client_messages"),
    path("min-radgivare/steg/<int:step_id>/", client.step_toggle, name="client_step_toggle"),
    path(
        "min-radgivare/tips/<int:rec_id>/ta-bort/",
        client.recommendation_dismiss,
        name="client_recommendation_dismiss",
    ),
    path("min-radgivare/byt/", client.change, name="client_change"),
    path("min-radgivare/seminarier/", client.seminars, name="client_seminars"),
    path("min-radgivare/utfall/", client.outcome, name="client_outcome"),
    path("min-radgivare/delning/", client.sharing, name="client_sharing"),
]
