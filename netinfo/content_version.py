"""The content version: what the public pages show, as of now, in one small value.

Each app registers, from its ``AppConfig.ready()``, the models whose records public pages
show and editors change (``register``): its content models, and the others a page shows
(a treatment's type, a drug, a clinical review). Each has an ``updated_at`` that every save
sets, so the version is the latest ``updated_at`` of each, read in one query; each is the
last entry of an index, so the query costs the same at 10 or 10,000 trials. The page cache
(``netinfo.caching.page_cache``), what pages keep per version in each process
(``netinfo.caching.versioned``), the trial finder's index and the site search are kept per
version: any save, addition or deletion shows on the very next request, on every app server.

Some changes leave no ``updated_at`` behind, so they touch ``ContentStamp`` (itself part of
the version) instead:

- deleting a registered record;
- saving or deleting one of its *parts* (``register(..., parts=...)``): rows inside a record
  with no ``updated_at`` of their own (a trial's places, registry numbers and publications,
  a treatment's uses);
- linking or unlinking records (the many-to-many fields of registered models), from either
  side.

The admin saves the record with its parts anyway; this is for code that does not (the
importer, a shell, a test), so that no edit waits for the cache to expire.

Read once a request: the page cache reads it for a public page and keeps it for the rest of
the request (``kept_for_request``), so the finder's index, the site search and the page's
glossary ask no second query. Outside such a request, ``content_version()`` reads it afresh.

Modules that follow every content model (the glossary's record of where terms are used, the
history's links) say so with ``on_content_model``, whichever app registers the model.
"""

import contextlib
import contextvars

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

from netinfo.models import Content, ContentStamp

_versioned = []  # registered models, in the order of the version's parts
_followers = []  # callables given each content model
_sql = None  # the version's query, made on first use after the last registration
# The version read for the request being worked out (by the page cache), or None.
_kept = contextvars.ContextVar("content_version", default=None)


def register(*models, parts=()):
    """Make ``models`` (each with an ``updated_at``) and ``parts`` (rows inside them without
    one) part of the content version. Called from each app's ``AppConfig.ready()``."""
    global _sql
    for model in models:
        if model in _versioned:
            continue
        _versioned.append(model)
        if model is not ContentStamp:
            post_delete.connect(_changed, sender=model, dispatch_uid=f"deleted:{model._meta}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_linked, sender=through, dispatch_uid=f"links:{through._meta}")
        if issubclass(model, Content):
            for follower in _followers:
                follower(model)
    for part in parts:
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=part, dispatch_uid=f"part:{part._meta}")
    _sql = None


def on_content_model(follower):
    """Call ``follower(model)`` for every content model registered, before and after now."""
    _followers.append(follower)
    for model in content_models():
        follower(model)


def versioned_models():
    """The registered models, in the order of the version's parts."""
    return tuple(_versioned)


def content_models():
    """The registered models whose records carry rendered markdown (built on ``Content``)."""
    return [model for model in _versioned if issubclass(model, Content)]


def _changed(sender, raw=False, **kwargs):
    if not raw:  # loaddata: the loader touches it once at the end
        ContentStamp.touch()


def _linked(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        ContentStamp.touch()


def read():
    """The latest edit of each registered model, in one query."""
    global _sql
    if _sql is None:
        tables = (connection.ops.quote_name(model._meta.db_table) for model in _versioned)
        parts = ", ".join(f"(SELECT MAX(updated_at) FROM {table})" for table in tables)
        _sql = f"SELECT {parts}"  # noqa: S608 - table names only
    with connection.cursor() as cursor:
        cursor.execute(_sql)
        return [str(value) for value in cursor.fetchone()]


def content_version():
    """The content as of now: the version kept for this request, or read now."""
    version = _kept.get()
    return read() if version is None else version


def kept():
    """The version kept for the request being worked out, or None (not a cached page)."""
    return _kept.get()


@contextlib.contextmanager
def kept_for_request():
    """Read the version once and keep it while the block works out the request's page."""
    version = read()
    token = _kept.set(version)
    try:
        yield version
    finally:
        _kept.reset(token)
