"""Editors' side: roles, the draft → review → publish workflow in the Wagtail admin,
scheduled publishing, revisions and preview, and the admin forms of every page type."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import ArticlePage
from tests.accounts.factories import UserFactory
from tests.cms.builders import Tree, make_article, publish


def _member(group: str, email: str) -> Any:
    user = UserFactory(role="editor", email=email)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def writer(db: None) -> Any:
    return _member("Skribenter", "skribent@example.se")


@pytest.fixture
def editor(db: None) -> Any:
    return _member("Redaktörer", "redaktor@example.se")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_roles_and_workflow_exist(db: None) -> None:
    from wagtail.models import WorkflowPage

    root = Page.get_first_root_node()
    workflow = WorkflowPage.objects.get(page=root).workflow
    assert workflow.name == "Granskning"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Redaktörer"]
    writers = Group.objects.get(name="Skribenter")
    assert writers.permissions.filter(codename="access_admin").exists()
    assert not writers.permissions.filter(codename="change_readersubmission").exists()
    assert (
        Group.objects.get(name="Redaktörer")
        .permissions.filter(codename="change_readersubmission")
        .exists()
    )


def test_writer_cannot_publish_but_editor_can(tree: Tree, writer: Any, editor: Any) -> None:
    article = make_article(tree)
    assert article.permissions_for_user(writer).can_edit()
    assert not article.permissions_for_user(writer).can_publish()
    assert article.permissions_for_user(editor).can_publish()


def test_draft_review_publish_through_the_admin(tree: Tree, writer: Any, editor: Any) -> None:
    writer_client = _client(writer)
    add_url = reverse("wagtailadmin_pages:add", args=["cms", "articlepage", tree.analysis.pk])
    form = writer_client.get(add_url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    data["title"] = "Nytt utkast om kompetens"
    data["slug"] = "nytt-utkast"
    data["intro"] = "En ingress."
    data["body-count"] = "0"  # the StreamField editor is drawn by JavaScript
    data["action-submit"] = "Skicka till granskning"
    response = writer_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = ArticlePage.objects.get(slug="nytt-utkast")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert Client().get("/analys/nytt-utkast/").status_code == 404

    editor_client = _client(editor)
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    assert editor_client.post(approve, {"comment": "Bra!"}).status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert "Nytt utkast om kompetens" in Client().get("/analys/nytt-utkast/").content.decode()


def test_scheduled_publishing(tree: Tree) -> None:
    from wagtail.models import Revision

    article = make_article(tree)
    article.title = "Uppdaterad senare"
    article.go_live_at = timezone.now() + timedelta(hours=1)
    revision = article.save_revision()
    revision.publish()  # a future go-live only schedules the revision
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    assert "Uppdaterad senare" not in Client().get(article.url).content.decode()

    # An hour passes (moved back in time rather than waiting for it).
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["content"])
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=past)
    call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert article.live_revision_id == revision.pk
    assert "Uppdaterad senare" in Client().get(article.url).content.decode()


def test_revisions_are_kept_and_preview_shows_a_draft(tree: Tree, editor: Any) -> None:
    article = make_article(tree)
    article.title = "Andra versionen"
    publish(article)
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "Ett utkast som inte är publicerat"
    draft.save_revision(user=editor)
    assert article.revisions.count() == 3

    preview = draft.make_preview_request()
    assert preview.status_code == 200
    assert "Ett utkast som inte är publicerat" in preview.content.decode()
    # The public page still shows the published version.
    assert "Andra versionen" in Client().get(article.url).content.decode()


@pytest.mark.parametrize(
    ("model", "parent"),
    [
        ("articlepage", "analysis"),
        ("debatepage", "debate"),
        ("reportpage", "reports"),
        ("eventpage", "events"),
        ("aboutpage", "home"),
        ("accessibilitystatementpage", "home"),
    ],
)
def test_admin_add_form_of_each_page_type(tree: Tree, editor: Any, model: str, parent: str) -> None:
    url = reverse("wagtailadmin_pages:add", args=["cms", model, getattr(tree, parent).pk])
    response = _client(editor).get(url)
    assert response.status_code == 200


def test_admin_listings_of_snippets(tree: Tree, editor: Any) -> None:
    client = _client(editor)
    for model in (
        "author",
        "topic",
        "readersubmission",
        "barrierreport",
        "newslettersubscription",
        "eventregistration",
    ):
        response = client.get(reverse(f"wagtailsnippets_cms_{model}:list"))
        assert response.status_code == 200, model
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
