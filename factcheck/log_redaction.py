"""A logging filter that keeps secrets out of the logs: API tokens (``fc_<prefix>_<secret>``,
claims.tokens) and the values of ``Authorization`` headers, in a record's message and its
arguments (a request's META logged as an argument included).

It sits on the root handlers (settings ``LOGGING``), so it sees the records of every logger.
The record's message is formatted once here and its arguments dropped, so no handler or
formatter after it can print the raw values again.
"""

import logging
import re
from collections.abc import Mapping

# A token, or anything that starts like one: the public prefix may stay, the rest goes.
# Already redacted text is left as it is (the filter may see a record twice).
_TOKEN = re.compile(
    r"\bfc_([0-9a-f]{8})_(?!\[redacted\])[A-Za-z0-9_\-]+"
    r"|\bfc_(?![0-9a-f]{8}_\[redacted\])[A-Za-z0-9_\-]{6,}"
)
# An Authorization header written out: "Authorization: Bearer …", "'HTTP_AUTHORIZATION':
# 'Basic …'", "authorization=…". The value runs to the end of the quote or line.
_HEADER = re.compile(
    r"((?:HTTP_)?(?:PROXY_)?AUTHORIZATION['\"]?\s*[:=]\s*)"  # the name and its separator
    r"(?:'[^'\n]*'|\"[^\"\n]*\""  # a quoted value
    r"|[^\s,;}\]]+(?:[ \t]+[^\s,;}\]'\"]+)?)",  # or a scheme and its credentials
    re.IGNORECASE,
)
_SECRET_KEYS = re.compile(r"^(?:HTTP_)?(?:PROXY_)?AUTHORIZATION$", re.IGNORECASE)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` without API tokens and Authorization header values."""
    text = _HEADER.sub(lambda m: f"{m[1]}'{REDACTED}'", text)
    return _TOKEN.sub(lambda m: f"fc_{m[1]}_{REDACTED}" if m[1] else f"fc_{REDACTED}", text)


def _clean(value, depth: int = 0):
    """A logged argument with secret header values replaced (mappings such as META, lists,
    tuples); strings redacted; anything else as it is (its text is redacted later)."""
    if depth > 3:
        return value
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {
            key: REDACTED
            if isinstance(key, str) and _SECRET_KEYS.match(key)
            else _clean(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(item, depth + 1) for item in value)
    return value


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            if record.args:
                if isinstance(record.args, Mapping):
                    record.args = _clean(record.args)
                else:
                    record.args = tuple(_clean(arg) for arg in record.args)
            message = record.getMessage()
        except Exception:  # a message that does not format: the handler says so later
            if isinstance(record.msg, str):
                record.msg = redact(record.msg)
            return True
        record.msg, record.args = redact(message), None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
