"""URLs of vagval.taxonomy, mounted at /api/taxonomy/."""

from django.urls import path

from vagval.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("autocomplete", views.autocomplete, name="autocomplete"),
]
