"""URLs of the person's privacy pages, mounted at /mina-uppgifter/."""

from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("samtycken/", views.consents, name="consents"),
    path("samtycken/<str:purpose>/", views.consent_change, name="change"),
    path("vem-har-sett/", views.access_log, name="access_log"),
    path("ladda-ner/", views.export, name="export"),
    path("radera/", views.delete_account, name="delete"),
    path("raderat/", views.deleted, name="deleted"),
]
