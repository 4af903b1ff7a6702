"""The order of an addressee's name that the page does not tell, told by the profile.

Bills, statements and letters print the addressee "KWAME HADDAD" or "HADDAD KWAME", often
with nothing on the page (comma, label, initial) to tell which word is the family name.
Extraction reads such a line given name first. A reviewer holding the application reads
"HADDAD KWAME" at once as the applicant's name, family name first: `profile_order` does
the same, and only that: the parts are swapped when the first word printed is the
profile's family name and the next the profile's given name (or a nickname of it), never
when the first word could be the given name. Another person's name is left as read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from rapidfuzz import fuzz

from models.contract import Profile
from models.internal import FieldValue
from pipeline.matching.nicknames import same_given_name

SAME_MIN = 85.0
"""Similarity (0-100) at which an OCR-read word is taken for a profile name."""


def profile_order(fields: Mapping[str, FieldValue], profile: Profile) -> dict[str, FieldValue]:
    """`fields` with first / middle / last name reordered family name first when the
    profile confirms that reading (see the module's docstring); unchanged otherwise."""
    out = dict(fields)
    first, middle, last = (fields.get(k) for k in ("first_name", "middle_name", "last_name"))
    if first is None or last is None or not isinstance(first.value, str):
        return out
    printed = [str(first.value), *(str(middle.value).split() if middle else []), str(last.value)]
    if len(printed) not in (2, 3) or not _surname_first(printed, profile):
        return out
    if middle is None:  # "HADDAD KWAME"
        out["first_name"], out["last_name"] = last, first
        return out
    # "BROWN REBECCA LEE": read first BROWN, middle REBECCA, last LEE
    out["last_name"], out["first_name"], out["middle_name"] = first, middle, last
    return out


def _surname_first(printed: list[str], profile: Profile) -> bool:
    head, given = printed[0], printed[1]
    if _same(head, profile.first_name) or same_given_name(head, profile.first_name):
        return False
    named = _same(given, profile.first_name) or same_given_name(
        fold_name(given), profile.first_name
    )
    return _same(head, profile.last_name) and named


def _same(read: str, profile_name: str) -> bool:
    return fuzz.ratio(fold_name(read), fold_name(profile_name)) >= SAME_MIN


def fold_name(name: str) -> str:
    """A name upper-cased, accents and everything but letters dropped ("Muñoz" -> "MUNOZ"),
    to compare readings."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if c.isalpha() and not unicodedata.combining(c)).upper()
