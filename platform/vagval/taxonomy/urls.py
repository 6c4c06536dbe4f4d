"""URLs of vagval.taxonomy."""

from django.urls import path  # noqa: F401

app_name = "taxonomy"
urlpatterns: list = []
