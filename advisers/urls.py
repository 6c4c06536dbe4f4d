"""URLs of advisers."""

from django.urls import path  # noqa: F401

app_name = "advisers"
urlpatterns: list = []
