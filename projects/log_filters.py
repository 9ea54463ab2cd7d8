"""Logging filters named in ``settings.LOGGING``.

Django logs every 403 on ``django.request`` with the full traceback of the
``PermissionDenied`` that caused it. A refused request is expected traffic (a resident on
another household's page, a crawler), not a bug: one warning line with the method, path
and user is what an operator needs, and tracebacks stay for real errors.
"""

import logging

from django.core.exceptions import PermissionDenied


class PermissionDeniedOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        if exc_info and exc_info[0] is not None and issubclass(exc_info[0], PermissionDenied):
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            who = getattr(user, "username", "") or "anonymous"
            method = getattr(request, "method", "")
            record.msg = "Forbidden (permission denied): %s %s user=%s"
            record.args = (method, getattr(request, "path", ""), who)
            record.exc_info = None
            record.exc_text = None
        return True
