"""URLs of the shared pages: home and health check."""

from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("start/", views.home, name="home"),
    path("sprak/", views.set_language, name="set_language"),
]
