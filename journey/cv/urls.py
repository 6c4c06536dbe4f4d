"""URLs of step 4, mounted at /resa/cv/ inside the journey's namespace ("journey:cv:...")."""

from django.urls import path

from . import views

app_name = "cv"
urlpatterns = [
    path("", views.index, name="index"),
    path("nytt/", views.create, name="create"),
    path("importera/", views.import_cv, name="import"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/spara/<slug:part>/", views.save_part, name="save"),
    path("<int:pk>/flytta/", views.move, name="move"),
    path("<int:pk>/forhandsvisning/", views.preview, name="preview"),
    path("<int:pk>/nytt-fran-inventeringen/", views.offer, name="offer"),
    path("<int:pk>/import-klar/", views.confirm_import, name="confirm_import"),
    path("<int:pk>/ladda-ner/<slug:fmt>/", views.download, name="download"),
    path("<int:pk>/ta-bort/", views.delete, name="delete"),
    path("<int:pk>/aterstall/", views.restore, name="restore"),
    path("<int:pk>/kopiera/", views.copy, name="copy"),
    path("<int:pk>/granska/", views.check, name="check"),
    path("granskning/<int:pk>/", views.check_result, name="check_result"),
    path("granskning/<int:pk>/lagg-till/", views.check_add, name="check_add"),
    path("brev/nytt/", views.letter_new, name="letter_new"),
    path("brev/mall/", views.letter_template, name="letter_template"),
    path("brev/<int:pk>/", views.letter, name="letter"),
    path("brev/<int:pk>/ladda-ner/<slug:fmt>/", views.letter_download, name="letter_download"),
    path("brev/<int:pk>/ta-bort/", views.letter_delete, name="letter_delete"),
    path("brev/<int:pk>/aterstall/", views.letter_restore, name="letter_restore"),
    path("intervju/", views.practice, name="practice"),
    path("intervju/<int:pk>/", views.practice_set, name="practice_set"),
    path("intervju/<int:pk>/svar/<int:answer_pk>/", views.practice_answer, name="practice_answer"),
    path("intervju/<int:pk>/dela/", views.practice_share, name="practice_share"),
    path("intervju/<int:pk>/ta-bort/", views.practice_delete, name="practice_delete"),
    path("pitch/", views.pitch, name="pitch"),
]
