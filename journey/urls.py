"""URLs of journey."""

from django.urls import path  # noqa: F401

app_name = "journey"
urlpatterns: list = []
