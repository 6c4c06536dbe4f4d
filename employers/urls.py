"""URLs of employers."""

from django.urls import path  # noqa: F401

app_name = "employers"
urlpatterns: list = []
