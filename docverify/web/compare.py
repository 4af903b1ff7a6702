"""The physician's profile beside what each document says, field by field.

Display scores only (0-100, rapidfuzz on upper-cased text; dates exact): the pipeline's own
checks, with their measured values, are shown separately on the page. A level names the
colour: `match`, `near`, `mismatch`, or `absent` when the document has no such value.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

NEAR, MATCH = 70.0, 90.0

FIELDS: tuple[tuple[str, str], ...] = (
    ("first_name", "First name"),
    ("middle_name", "Middle name"),
    ("last_name", "Last name"),
    ("date_of_birth", "Date of birth"),
    ("address.line1", "Street"),
    ("address.city", "City"),
    ("address.state", "State"),
    ("address.zip", "ZIP"),
    ("expiry_date", "Expires"),
    ("document_date", "Document date"),
    ("document_number", "Document no."),
)
_PROFILE_ONLY = {
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "address.line1",
    "address.city",
    "address.state",
    "address.zip",
}


@dataclass(frozen=True)
class Cell:
    """One document's value for one field."""

    value: str | None
    score: int | None
    level: str


@dataclass(frozen=True)
class FieldRow:
    """A field: the profile's value and each document's."""

    key: str
    label: str
    profile: str | None
    cells: tuple[Cell, ...]


def _get(data: dict[str, Any] | None, dotted: str) -> str | None:
    cur: Any = data or {}
    for part in dotted.split("."):
        cur = cur.get(part) if isinstance(cur, dict) else None
        if cur is None:
            return None
    text = str(cur).strip()
    return text or None


def _norm(text: str) -> str:
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return " ".join("".join(c if c.isalnum() else " " for c in text.upper()).split())


def _similarity(field: str, ref: str, got: str) -> int:
    if field == "date_of_birth":
        return 100 if ref == got else 0
    if field == "address.zip":
        return 100 if ref[:5] == got[:5] else 0  # ZIP+4 against ZIP
    if field == "middle_name" and min(len(ref), len(got)) == 1:
        return 100 if ref[:1] == got[:1] else 0  # an initial against a full name
    return round(fuzz.token_sort_ratio(ref, got))


def score(field: str, profile: str | None, found: str | None) -> Cell:
    """The display score of a document value against the profile's."""
    if found is None:
        return Cell(None, None, "absent")
    if profile is None or field not in _PROFILE_ONLY:
        return Cell(found, None, "info")
    value = _similarity(field, _norm(profile), _norm(found))
    level = "match" if value >= MATCH else "near" if value >= NEAR else "mismatch"
    return Cell(found, value, level)


def field_rows(profile: dict[str, Any], documents: list[dict[str, Any]]) -> list[FieldRow]:
    """One row per field that the profile or any document has."""
    line1 = " ".join(
        p for p in (_get(profile, "address.line1"), _get(profile, "address.line2")) if p
    )
    rows = []
    for key, label in FIELDS:
        ref = line1 or None if key == "address.line1" else _get(profile, key)
        cells = []
        for doc in documents:
            fields = doc.get("fields") or {}
            found = _get(fields, key)
            if key == "address.line1" and found and _get(fields, "address.line2"):
                found = f"{found} {_get(fields, 'address.line2')}"
            cells.append(score(key, ref, found))
        if ref is None and all(c.value is None for c in cells):
            continue
        rows.append(FieldRow(key, label, ref, tuple(cells)))
    return rows


def field_levels(rows: list[FieldRow], index: int) -> dict[str, str]:
    """The colour level of each field of the document at `index` (for its evidence boxes)."""
    rank = {"info": 0, "match": 1, "near": 2, "mismatch": 3}
    out: dict[str, str] = {}
    for row in rows:
        cell = row.cells[index]
        level = cell.level if cell.level != "absent" else "info"
        key = row.key.split(".")[0]
        if rank[level] >= rank[out.get(key, "info")]:
            out[key] = level
    return out
