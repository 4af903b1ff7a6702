"""Text quoted from documents and profiles, made safe to show a reviewer or an applicant.

`safe_text(text)` escapes every control, format (bidi overrides, zero-width) and line or
paragraph separator character as a visible `\\uXXXX`/`\\xXX` sequence, so that a name
holding a terminal escape or a right-to-left override cannot rewrite what a reviewer
reads, and caps the length. Pure: used where results become the contract's verdict.
"""

from __future__ import annotations

import unicodedata

MAX_MESSAGE_CHARS = 2000
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def safe_text(text: str, max_chars: int = MAX_MESSAGE_CHARS) -> str:
    """`text` with unsafe characters escaped and at most `max_chars` characters kept."""
    if text.isprintable() and len(text) <= max_chars:
        return text  # fast path: nothing to escape (isprintable is False for all of the above)
    out = "".join(_visible(c) if unicodedata.category(c) in _UNSAFE_CATEGORIES else c for c in text)
    if len(out) > max_chars:
        out = out[: max_chars - 1] + "…"
    return out
