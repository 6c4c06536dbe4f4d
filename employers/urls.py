"""URLs of the member-company portal, mounted at /foretag/.

HR pages first; then the pages invited people and clients use. The trust test
(tests/employers/test_access.py) walks this list: a new URL must be added there too.
"""

from django.urls import path

from .views import hr, public

app_name = "employers"
urlpatterns = [
    path("", hr.home, name="home"),
    path("foretaget/", hr.company, name="company"),
    path("arenden/", hr.case_list, name="case_list"),
    path("arenden/nytt/", hr.case_create, name="case_create"),
    path("arenden/<int:case_id>/", hr.case_detail, name="case_detail"),
    path("arenden/<int:case_id>/andra/", hr.case_update, name="case_update"),
    path("arenden/<int:case_id>/statistik.csv", hr.case_export, name="case_export"),
    path("arenden/<int:case_id>/lista/", hr.import_upload, name="import_upload"),
    path("arenden/<int:case_id>/lista/<int:job_id>/", hr.import_detail, name="import_detail"),
    path(
        "arenden/<int:case_id>/lista/<int:job_id>/status/",
        hr.import_status,
        name="import_status",
    ),
    path(
        "arenden/<int:case_id>/lista/<int:job_id>/ta-bort/",
        hr.import_cancel,
        name="import_cancel",
    ),
    path("statistik/", hr.stats, name="stats"),
    path("statistik.csv", hr.stats_export, name="stats_export"),
    path("kompetenskarta/", hr.competence_map, name="competence_map"),
    path("kompetenskarta.csv", hr.competence_map_export, name="competence_map_export"),
    path("tjanster/", hr.opening_list, name="opening_list"),
    path("tjanster/ny/", hr.opening_create, name="opening_create"),
    path("tjanster/<int:opening_id>/", hr.opening_detail, name="opening_detail"),
    path("kandidater/", hr.candidates, name="candidates"),
    path("kandidater/<str:ref>/kontakt/", hr.candidate_contact, name="candidate_contact"),
    path("kontaktforfragningar/", hr.contact_requests, name="contact_requests"),
    path("seminarier/", hr.seminars, name="seminars"),
    # Invitation links and the client's side
    path("inbjudan/hr/<str:token>/", public.hr_invitation_accept, name="hr_invitation_accept"),
    path("inbjudan/<str:token>/", public.enrolment_accept, name="enrolment_accept"),
    path("anmalan/<str:token>/", public.self_signup, name="self_signup"),
    path("for-dig/", public.client_home, name="client_home"),
    path("for-dig/tjanst/<int:match_id>/", public.client_match_decide, name="client_match_decide"),
    path(
        "for-dig/forfragan/<int:request_id>/",
        public.client_request_decide,
        name="client_request_decide",
    ),
    path("for-dig/interna-tjanster/", public.client_mobility, name="client_mobility"),
]
