"""Django admin of the adviser portal: profiles and seminars (case data is worked in the portal,
where every read is audited)."""

from django.contrib import admin

from .models import AdviserProfile, Seminar


@admin.register(AdviserProfile)
class AdviserProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "capacity", "accepts_new_clients", "is_team_lead")
    list_filter = ("accepts_new_clients", "is_team_lead")
    search_fields = ("user__email", "user__last_name")


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    list_display = ("title", "topic", "starts_at", "capacity", "host", "is_cancelled")
    list_filter = ("topic", "is_cancelled")
