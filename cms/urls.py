"""URLs of cms."""

from django.urls import path  # noqa: F401

app_name = "cms"
urlpatterns: list = []
