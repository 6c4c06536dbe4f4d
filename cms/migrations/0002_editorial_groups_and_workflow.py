"""Editorial roles and the review workflow, created as data.

- "Skribenter" (writers): may use the Wagtail admin, write and edit pages, upload images and
  documents, edit authors and topics, but not publish: they send pages for review.
- "Redaktörer" (editors): everything writers may, plus publish, lock, translate and moderate
  reader submissions and the other reader queues.
- The workflow "Granskning" (one task, "Redaktörsgranskning", approved by Redaktörer) applies
  to the whole tree, replacing Wagtail's default "Moderators approval" there.

Also makes sure the English locale exists next to the default Swedish one.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITERS = "Skribenter"
EDITORS = "Redaktörer"
WORKFLOW = "Granskning"
TASK = "Redaktörsgranskning"

WRITER_PAGE_PERMS = ["add_page", "change_page"]
EDITOR_PAGE_PERMS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
WRITER_MODEL_PERMS = [
    ("wagtailadmin", "access_admin"),
    ("cms", "add_author"),
    ("cms", "change_author"),
    ("cms", "view_author"),
    ("cms", "add_topic"),
    ("cms", "change_topic"),
    ("cms", "view_topic"),
]
EDITOR_MODEL_PERMS = [
    *WRITER_MODEL_PERMS,
    ("cms", "delete_author"),
    ("cms", "delete_topic"),
    ("cms", "view_readersubmission"),
    ("cms", "change_readersubmission"),
    ("cms", "view_barrierreport"),
    ("cms", "change_barrierreport"),
    ("cms", "view_newslettersubscription"),
    ("cms", "delete_newslettersubscription"),
    ("cms", "view_eventregistration"),
    ("cms", "change_eventregistration"),
    ("simple_translation", "submit_translation"),
]


def _perm(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def forwards(apps, schema_editor):
    # Model permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Locale = apps.get_model("wagtailcore", "Locale")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ContentType = apps.get_model("contenttypes", "ContentType")

    Locale.objects.get_or_create(language_code="en")

    writers, _ = Group.objects.get_or_create(name=WRITERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    root = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    for group, page_perms, model_perms in (
        (writers, WRITER_PAGE_PERMS, WRITER_MODEL_PERMS),
        (editors, EDITOR_PAGE_PERMS, EDITOR_MODEL_PERMS),
    ):
        for app_label, codename in model_perms:
            permission = _perm(apps, app_label, codename)
            if permission is not None:
                group.permissions.add(permission)
        if root is not None:
            for codename in page_perms:
                permission = _perm(apps, "wagtailcore", codename)
                if permission is not None:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root, permission=permission
                    )
        if root_collection is not None:
            for app_label, codename in COLLECTION_PERMS:
                permission = _perm(apps, app_label, codename)
                if permission is not None:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.add(editors)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW).delete()
    Task.objects.filter(name=TASK).delete()
    Group.objects.filter(name__in=[WRITERS, EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("simple_translation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
