"""Signals the core app sends for the other apps.

``content_loaded`` is sent after content is written in bulk, without the per-record signals
(``load_content``, ``rerender_content``): each app brings what it derives from its records
up to date (the trials app, the finder's search text).
"""

from django.dispatch import Signal

#: Sent after content was written in bulk (raw loads skip the per-record signals).
content_loaded = Signal()
