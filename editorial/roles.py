"""The clinic's roles: who may write, publish and translate what.

- Editors: create and edit pages in every language; submit them for moderation; start translations.
- Moderators: everything editors do, plus publish.
- Translators kk / ru / en: edit and publish pages only in their language's tree; start translations only into it.

Wagtail's page permissions are tree-based, so a translators group holds its page permissions on its language's home
page: Wagtail itself then refuses everything outside that tree. The home pages do not exist on a new install, so the
binding is made when a home page is created (signals.py) and, for sites that already have content, by the migration.

Functions take the app registry (`apps`) so the migration and the running site share them.
"""

EDITORS = "Editors"
MODERATORS = "Moderators"
TRANSLATORS_PREFIX = "Translators "
LANGUAGE_CODES = ("kk", "ru", "en")
REVIEW_WORKFLOW = "Review and publish"
REVIEW_TASK = "Review and publish"

ADMIN_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("wagtail_localize", "translation", "submit_translation"),
]
MEDIA_PERMISSIONS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "choose_document"),
]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
TRANSLATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page"]


def translators_group_name(language_code: str) -> str:
    return f"{TRANSLATORS_PREFIX}{language_code}"


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return permission


def _page_permission(apps, codename):
    return _permission(apps, "wagtailcore", "page", codename)


def _grant_page_permissions(apps, group, page, codenames):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_page_permission(apps, codename))


def _grant_media_permissions(apps, group):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for app_label, model, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=_permission(apps, app_label, model, codename)
        )


def setup_roles(apps) -> None:
    """Create or complete the groups; idempotent."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    root = Page.objects.filter(depth=1).first()

    for name, page_codenames in ((EDITORS, EDITOR_PAGE_PERMISSIONS), (MODERATORS, MODERATOR_PAGE_PERMISSIONS)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*(_permission(apps, *spec) for spec in ADMIN_PERMISSIONS))
        _grant_media_permissions(apps, group)
        if root is not None:
            _grant_page_permissions(apps, group, root, page_codenames)
        # Editors may not publish: Wagtail's default install gives them no publish permission, keep it so.

    HomePage = apps.get_model("home", "HomePage")
    for code in LANGUAGE_CODES:
        group, _created = Group.objects.get_or_create(name=translators_group_name(code))
        group.permissions.add(*(_permission(apps, *spec) for spec in ADMIN_PERMISSIONS))
        _grant_media_permissions(apps, group)
        for home in HomePage.objects.filter(locale__language_code=code):
            _grant_page_permissions(apps, group, home, TRANSLATOR_PAGE_PERMISSIONS)


def bind_translators_to_home(apps, home) -> None:
    """Give the translators of the home page's language their permissions on its tree."""
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=translators_group_name(home.locale.language_code))
    _grant_page_permissions(apps, group, home, TRANSLATOR_PAGE_PERMISSIONS)


def setup_review_workflow(apps):
    """The "Review and publish" workflow: a moderator approves before a news item goes live."""
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    workflow, _created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=REVIEW_TASK,
            active=True,
            content_type=ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")[0],
        )
    task.groups.add(Group.objects.get(name=MODERATORS))
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    NewsIndexPage = apps.get_model("news", "NewsIndexPage")
    for news_index in NewsIndexPage.objects.all():
        bind_review_workflow(apps, news_index, workflow)
    return workflow


def bind_review_workflow(apps, news_index, workflow=None) -> None:
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    workflow = workflow or Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page_id=news_index.pk, defaults={"workflow": workflow})
