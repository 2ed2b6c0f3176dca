"""Logging filters (used by LOGGING in netinfo/settings.py)."""

import logging


class HostileRequestsAsWarnings(logging.Filter):
    """A request Django refuses as suspicious (a forged Host header, a tampered cookie, too
    many fields: the ``django.security.*`` loggers) is someone else's probe, not a fault of
    the site. Django logs each at ERROR with a traceback; show one warning line instead."""

    def filter(self, record):
        if record.name.startswith("django.security.") and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = record.stack_info = None
            return record.levelno >= logging.getLogger().getEffectiveLevel()
        return True
