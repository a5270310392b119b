"""Warnings that repeat with every request during an outage, written once per interval.

While Redis or the database is down, the same warning would otherwise be written for
every request, and the log pipeline floods at the moment it matters most. A
``ThrottledLog`` writes the first one, then at most one per ``interval`` seconds with the
number left out since the last.
"""

import logging
import threading
import time


class ThrottledLog:
    def __init__(self, logger: logging.Logger, interval: float = 30.0):
        self.logger = logger
        self.interval = interval
        self._lock = threading.Lock()
        self._last = float("-inf")
        self._left_out = 0

    def warning(self, message: str, *args, **kwargs) -> bool:
        """Write ``message`` unless one was written less than ``interval`` seconds ago;
        True when it was written."""
        return self._log(logging.WARNING, message, args, kwargs)

    def error(self, message: str, *args, **kwargs) -> bool:
        """As :meth:`warning`, at ERROR level (``exc_info`` and the like pass through)."""
        return self._log(logging.ERROR, message, args, kwargs)

    def _log(self, level: int, message: str, args: tuple, kwargs: dict) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                self._left_out += 1
                return False
            self._last, left_out, self._left_out = now, self._left_out, 0
        if left_out:
            message += " (%d more like it since the last report)"
            args = (*args, left_out)
        self.logger.log(level, message, *args, **kwargs)
        return True
