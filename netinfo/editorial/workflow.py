"""The editorial workflow: who may publish, what an editor may not touch, and the edit
version that stops one person's save silently overwriting another's (review dates and the
dashboard: netinfo.editorial.dashboard).

Everything here works on models and users, not requests, so it is tested directly and used
by the admin (netinfo.editorial.content_admin), the data migration that creates the roles, and the
``pre_save`` hook below that counts versions. See docs/editorial-workflow.md.
"""

import functools

from django.apps import apps as global_apps
from django.db.models import F
from django.db.models.signals import post_migrate, pre_save
from django.dispatch import receiver

from netinfo.content_version import versioned_models

EDITOR = "Content editor"
APPROVER = "Content approver"
CLINICAL_REVIEWER = "Clinical reviewer"

#: Fields only a content approver may change: publishing, and recording a review.
APPROVER_FIELDS = ("state", "last_reviewed", "reviewed_by", "next_review_due", "change_note")
#: Records that staff read but never write in the admin.
READ_ONLY_MODELS = {("netinfo", "feedback")}
#: Clinical sign-offs: only clinical reviewers record them; everyone else reads them.
SIGN_OFF_MODELS = {("netinfo", "clinicalreview")}

PUBLISHED = "published"
DRAFT = "draft"


# ---- Roles and permissions ---------------------------------------------------------------


@functools.cache
def is_content_model(model):
    """True for a model built on netinfo.models.Content (works on migration-time models too,
    which keep their fields but not their Python base classes)."""
    names = {field.name for field in model._meta.get_fields()}
    wanted = {"state", "version", "next_review_due", "change_note"}
    return wanted <= names and "history_id" not in names  # not simple_history's copy


def publish_codename(model):
    """Publishing is one permission per content model, e.g. ``trials.publish_trial``."""
    return f"publish_{model._meta.model_name}"


def can_publish(user, model):
    opts = model._meta
    return bool(user and user.has_perm(f"{opts.app_label}.{publish_codename(model)}"))


def content_apps():
    """The apps whose records the roles work on: those that register content with
    ``netinfo.content_version`` (from their ``AppConfig.ready()``)."""
    return sorted({model._meta.app_label for model in versioned_models()})


def role_permissions(apps=global_apps):
    """{group name: {(app_label, model_name, codename, name)}} for the three roles.

    Editors add, change and view every record of the content apps, and delete supporting
    rows (a trial's locations, a treatment's uses); they cannot delete or publish a content
    record. Approvers can do all of that, plus delete and publish content records and delete
    feedback. Nobody adds or edits feedback. Clinical reviewers are approvers who also
    record clinical reviews, which the other two roles only read.
    """
    editor, approver, clinical = set(), set(), set()
    for label in content_apps():
        try:
            app_models = apps.get_app_config(label).get_models()
        except LookupError:
            continue
        for model in app_models:
            opts = model._meta
            if opts.model_name.startswith("historical") or "history_id" in {
                f.name for f in opts.get_fields()
            }:
                continue

            def perm(action, opts=opts):
                return (
                    opts.app_label,
                    opts.model_name,
                    f"{action}_{opts.model_name}",
                    f"Can {action} {opts.verbose_name_raw}",
                )

            if (opts.app_label, opts.model_name) in SIGN_OFF_MODELS:
                editor.add(perm("view"))
                approver.add(perm("view"))
                clinical |= {perm("add"), perm("change")}
                continue
            if (opts.app_label, opts.model_name) in READ_ONLY_MODELS:
                editor.add(perm("view"))
                approver |= {perm("view"), perm("delete")}
                continue
            common = {perm("view"), perm("add"), perm("change")}
            editor |= common
            approver |= common | {perm("delete")}
            if is_content_model(model):
                approver.add(perm("publish"))
            else:
                editor.add(perm("delete"))
    return {EDITOR: editor, APPROVER: approver, CLINICAL_REVIEWER: clinical | approver}


def sync_roles(apps=global_apps, using="default"):
    """Create the groups and give them their permissions. Safe to run again: it only adds.

    Called by the data migration (with migration-time models) and after every ``migrate``,
    so a content model added later gets its permissions without another data migration.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = {}
    for group_name, wanted in role_permissions(apps).items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        permissions = []
        for app_label, model_name, codename, name in sorted(wanted):
            key = (app_label, model_name)
            if key not in content_types:
                content_types[key], _ = ContentType.objects.using(using).get_or_create(
                    app_label=app_label, model=model_name
                )
            permission, _ = Permission.objects.using(using).get_or_create(
                content_type=content_types[key], codename=codename, defaults={"name": name}
            )
            permissions.append(permission)
        group.permissions.add(*permissions)


@receiver(post_migrate, dispatch_uid="netinfo.editorial.workflow.sync_roles")
def sync_roles_after_migrate(sender, using="default", apps=global_apps, **kwargs):
    if sender.label == "netinfo":
        sync_roles(apps, using)


# ---- Publishing rules --------------------------------------------------------------------


def stored_values(obj, fields=APPROVER_FIELDS):
    """The values of ``fields`` as they are in the database now, or None for a new record."""
    if obj.pk is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).values(*fields).first()


def protect_approver_fields(user, obj):
    """Undo any change a non-approver made to the publishing and review fields.

    The last line of defence, whatever path the save came by (change form, add form,
    history revert, list editing, a crafted POST): existing records keep their stored
    values, new records start as drafts with no review recorded.
    """
    if can_publish(user, type(obj)):
        return False
    stored = stored_values(obj)
    if stored is None:
        stored = {"state": DRAFT, "last_reviewed": None, "reviewed_by": ""}
        stored |= {"next_review_due": None, "change_note": ""}
    changed = False
    for name, value in stored.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def publish_refusal(user, model, new_state, old_state):
    """Why this user may not make this state change, or None if they may."""
    if new_state == PUBLISHED and old_state != PUBLISHED and not can_publish(user, model):
        return "Only a content approver can publish. Save it as a draft and ask an approver."
    if new_state != PUBLISHED and old_state == PUBLISHED and not can_publish(user, model):
        return "Only a content approver can take a page off the site."
    return None


def set_state(records, user, state, reason):
    """Publish or unpublish each record with its own save, so each gets a history entry and
    a new version. Returns how many changed. Refuses users who may not publish."""
    changed = 0
    for record in records:
        if not can_publish(user, type(record)):
            raise PermissionError(publish_refusal(user, type(record), state, record.state))
        if record.state == state:
            continue
        record.state = state
        record._history_user = user
        record._change_reason = reason
        record.save()
        changed += 1
    return changed


# ---- No silent overwrites ----------------------------------------------------------------


class StaleEdit(Exception):
    """The record changed in the database after this copy was loaded."""

    def __init__(self, model, pk, expected):
        self.model, self.pk, self.expected = model, pk, expected
        super().__init__(f"{model._meta.label} {pk} is no longer at version {expected}")


def current_version(model, pk):
    return model._base_manager.filter(pk=pk).values_list("version", flat=True).first()


@receiver(pre_save, dispatch_uid="netinfo.editorial.workflow.count_version")
def count_version(sender, instance, raw=False, using=None, **kwargs):
    """Every save of an existing content record adds one to its version, in one UPDATE.

    A save that says which version it was edited from (``instance._expected_version``, set by
    the admin form) only succeeds if the database still has that version: the check and the
    increment are a single ``UPDATE ... WHERE version = n``, which also locks the row until
    the transaction ends, so two saves racing each other cannot both pass.
    """
    if raw or instance._state.adding or not is_content_model(sender):
        return
    manager = sender._base_manager.using(using)
    expected = getattr(instance, "_expected_version", None)
    rows = manager.filter(pk=instance.pk)
    if expected is not None:
        if not rows.filter(version=expected).update(version=F("version") + 1):
            raise StaleEdit(sender, instance.pk, expected)
        instance.version = expected + 1
        instance._expected_version = instance.version  # a second save() from the same edit
        return
    if rows.update(version=F("version") + 1):
        instance.version = rows.values_list("version", flat=True).get()
