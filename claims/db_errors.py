"""The database cannot be reached or used right now: the errors that become 503 (and for
which a stale cached page is better than none). Shared by the page cache
(``claims.caching``) and the project's 503 answers (``factcheck.middleware``,
``factcheck.urls.handler500``); it imports nothing of the project."""

from django.db import InterfaceError, OperationalError

try:  # what psycopg raises where Django does not wrap it (closing a dead connection)
    from psycopg import InterfaceError as _PGInterfaceError
    from psycopg import OperationalError as _PGOperationalError
except ImportError:  # pragma: no cover - SQLite-only installations
    _PGInterfaceError = _PGOperationalError = OperationalError

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, _PGOperationalError, _PGInterfaceError)
