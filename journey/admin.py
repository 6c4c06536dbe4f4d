"""Django admin for step 1's questionnaire: staff edit drafts and publish versions.

A published version is read-only here (responses point at its questions); to change the
questionnaire, make a new draft version from it, edit, and publish. Client data (responses,
CurrentState) is deliberately not in the admin: advisers see it in their portal, with consent
and an audit trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from journey.models import Question, Questionnaire
from journey.services.questionnaire import questionnaire_publish, questionnaire_version_copy


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    ordering = ["order"]
    fields = [
        ("key", "section", "order"),
        ("kind", "required"),
        "text_sv",
        "text_en",
        "help_sv",
        "help_en",
        "options",
        "show_if",
        ("min_value", "max_value", "max_choices"),
    ]

    def _editable(self, obj: Questionnaire | None) -> bool:
        return obj is None or not obj.published

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["slug", "version", "title_sv", "published", "published_at"]
    list_filter = ["slug", "published"]
    readonly_fields = ["published", "published_at", "created_at"]
    inlines = [QuestionInline]
    actions = ["copy_as_draft", "publish"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.published:
            return False  # frozen: answers were given against exactly these questions
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.published:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Skapa en ny version (utkast) från markerade"))
    def copy_as_draft(self, request: HttpRequest, queryset: QuerySet[Questionnaire]) -> None:
        for questionnaire in queryset:
            copy = questionnaire_version_copy(questionnaire=questionnaire)
            self.message_user(request, _("Skapade %(copy)s.") % {"copy": copy})

    @admin.action(description=_("Publicera markerade"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Questionnaire]) -> None:
        for questionnaire in queryset:
            try:
                questionnaire_publish(questionnaire=questionnaire)
            except (ValidationError, ValueError) as exc:
                self.message_user(
                    request,
                    _("%(q)s publicerades inte: %(error)s") % {"q": questionnaire, "error": exc},
                    level=messages.ERROR,
                )
            else:
                self.message_user(request, _("Publicerade %(q)s.") % {"q": questionnaire})
