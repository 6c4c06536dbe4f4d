"""The URLconf of the batch settings: the batch commands serve no pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
