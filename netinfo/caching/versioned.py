"""Small things many pages need, kept in each process per version of the content they come
from, so that a page asks no query for them: the glossary for template text
(``netinfo.page_glossary``) and the list pages' own records (``netinfo.list_pages``).

Each is registered (``netinfo.apps``) with the models whose ``updated_at`` (in the content
version the page cache keeps for this request: ``netinfo.content_version.kept``) says it
may have changed. It is worked out again when one of them changes, and at least every
``MAX_AGE`` seconds, like the page cache and the finder index (a deletion leaves no
``updated_at``). Outside a cached page (signed-in staff, previews) it is worked out each time.
"""

import threading
import time

from netinfo import content_version
from netinfo.caching.page_cache import CACHE_SECONDS

MAX_AGE = CACHE_SECONDS

_lock = threading.Lock()
_registry = {}  # name -> (models, build)
_memos = {}  # name -> (key, built_at, value)


def register(name, models, build):
    """``build()`` makes the value from the database; ``models``: what it depends on."""
    _registry[name] = (tuple(models), build)


def _key(models, version):
    order = content_version.versioned_models()
    return tuple(version[order.index(model)] for model in models)


def get(name):
    models, build = _registry[name]
    version = content_version.kept()
    if version is None:
        return build()
    key = _key(models, version)
    with _lock:
        memo = _memos.get(name)
        if memo and memo[0] == key and time.monotonic() - memo[1] <= MAX_AGE:
            return memo[2]
        value = build()
        _memos[name] = (key, time.monotonic(), value)
        return value


def warm():
    """Work out everything registered for the content as it is now, as the first page after
    a change would (for tests that count a page's queries)."""
    version = content_version.read()
    with _lock:
        for name, (models, build) in _registry.items():
            _memos[name] = (_key(models, version), time.monotonic(), build())


def forget():
    """Drop what this process keeps (for tests, whose rolled-back content can share a
    version)."""
    with _lock:
        _memos.clear()
