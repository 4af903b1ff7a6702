"""An addressee's name printed family name first with nothing on the page to say so is
read in the order the profile confirms; any other name is left as read."""

from __future__ import annotations

import datetime as dt

import pytest

from models.contract import Address, Profile
from models.internal import FieldValue
from pipeline.reading.name_order import profile_order


def _profile(first: str, last: str) -> Profile:
    address = Address(line1="12 Elm St", city="Hartford", state="CT", zip="06106")
    return Profile(
        first_name=first, last_name=last, date_of_birth=dt.date(1980, 1, 2), address=address
    )


def _read(*parts: str) -> dict[str, FieldValue]:
    keys = (
        ("first_name", "middle_name", "last_name")
        if len(parts) == 3
        else ("first_name", "last_name")
    )
    return {
        k: FieldValue(v, "ocr", 0.9, page=0, box=(i, 0, i + 1, 1))
        for i, (k, v) in enumerate(zip(keys, parts, strict=True))
    }


def _names(fields: dict[str, FieldValue]) -> tuple[str | None, ...]:
    return tuple(
        fields[k].value if k in fields else None for k in ("first_name", "middle_name", "last_name")
    )


@pytest.mark.parametrize(
    ("read", "profile", "expected"),
    [
        (("HADDAD", "KWAME"), ("Kwame", "Haddad"), ("KWAME", None, "HADDAD")),
        (("BROWN", "REBECCA", "LEE"), ("Rebecca", "Brown"), ("REBECCA", "LEE", "BROWN")),
        (("MUNOZ", "MICHAEL"), ("Michael", "Muñoz"), ("MICHAEL", None, "MUNOZ")),
        (("SMITH", "BILL"), ("William", "Smith"), ("BILL", None, "SMITH")),  # a nickname
    ],
)
def test_family_name_first_is_read_in_the_profiles_order(read, profile, expected) -> None:
    assert _names(profile_order(_read(*read), _profile(*profile))) == expected


@pytest.mark.parametrize(
    ("read", "profile"),
    [
        (("KWAME", "HADDAD"), ("Kwame", "Haddad")),  # already given name first
        (("HADDAD", "JOHN"), ("Kwame", "Haddad")),  # another person: left as read
        (("JAMES", "SMITH"), ("John", "James")),  # a first word that is the profile's surname
        (("LEE", "ANN"), ("Lee", "Ann")),  # both readings fit: the page's order stands
    ],
)
def test_other_names_are_left_as_read(read, profile) -> None:
    fields = _read(*read)
    assert profile_order(fields, _profile(*profile)) == fields


def test_the_evidence_moves_with_the_words() -> None:
    out = profile_order(_read("HADDAD", "KWAME"), _profile("Kwame", "Haddad"))
    assert out["last_name"].box == (0, 0, 1, 1) and out["first_name"].box == (1, 0, 2, 1)
