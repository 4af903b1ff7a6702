"""Names on documents unlike our own (issue #4): addressee lines printed family name
first without a comma ("PATEL SIOBHAN P"), compound and Irish family names, and cards
whose two unlabelled (or garble-labelled) name lines need their order told."""

from __future__ import annotations

import datetime as dt

import pytest

from models.flags import DocumentType
from models.internal import Word
from pipeline.reading import extract
from tests.reading.synth import line_segments, line_words

REF = dt.date(2026, 3, 1)


def _line(text: str, x: int, y: int, h: int = 24, label_h: int = 0) -> list[Word]:
    return line_words(text, x, y, h, label_h=label_h)


_segs = line_segments


def _names(fields: dict) -> dict:
    return {k: v.value for k, v in fields.items() if k.endswith("_name")}


def _bill(name: str, city: str = "QUINCY, MA 02169", *extra: list[Word]) -> dict:
    segs = _segs(
        _line("Northway Electric", 230, 110, h=44),
        _line("Billing Date 06/04/2026", 1020, 170),
        _line(name, 200, 420),
        _line("4562 MAIN DRIVE", 200, 456),
        _line(city, 200, 492),
        *extra,
    )
    return extract.extract_residency(segs, REF, DocumentType.UTILITY_BILL)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("PATEL SIOBHAN P", ("SIOBHAN", "P", "PATEL")),
        ("Gonzalez-Rivera Elizabeth G", ("Elizabeth", "G", "Gonzalez-Rivera")),
        ("DE LA CRUZ KWAME MARIE", ("KWAME", "MARIE", "DE LA CRUZ")),
        ("VAN BUREN AISHA CARLOS", ("AISHA", "CARLOS", "VAN BUREN")),
        ("Patel José", ("José", None, "Patel")),
        ("SMITH-JONES LINH", ("LINH", None, "SMITH-JONES")),
    ],
)
def test_addressee_printed_family_name_first(line: str, expected: tuple) -> None:
    names = _names(_bill(line))
    first, middle, last = expected
    assert names.get("first_name") == first
    assert names.get("middle_name") == middle
    assert names.get("last_name") == last


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("SIOBHAN P PATEL", ("SIOBHAN", "P", "PATEL")),
        ("Chloé Martin", ("Chloé", None, "Martin")),  # Martin: a family name too
        ("JOSE LUIS GARCIA", ("JOSE", "LUIS", "GARCIA")),
        ("KWAME DE LA CRUZ", ("KWAME", None, "DE LA CRUZ")),
        ("ANNE-MARIE OKAFOR", ("ANNE-MARIE", None, "OKAFOR")),
    ],
)
def test_given_first_addressee_is_unchanged(line: str, expected: tuple) -> None:
    names = _names(_bill(line))
    first, middle, last = expected
    assert (names.get("first_name"), names.get("middle_name"), names.get("last_name")) == (
        first,
        middle,
        last,
    )


def test_formal_salutation_names_the_family_name() -> None:
    dear = _line("Dear Ms. Castillo:", 200, 640)
    names = _names(_bill("CASTILLO OKAFOR", "QUINCY, MA 02169", dear))
    assert (names["first_name"], names["last_name"]) == ("OKAFOR", "CASTILLO")
    names = _names(_bill("CASTILLO OKAFOR"))  # nothing tells: the usual order
    assert (names["first_name"], names["last_name"]) == ("CASTILLO", "OKAFOR")


@pytest.mark.parametrize("particle", ["O", "6"])
def test_irish_particle_stays_with_the_family_name(particle: str) -> None:
    names = _names(_bill(f"CHLOE LOUISE {particle} SUILLEABHAIN"))
    assert names == {
        "first_name": "CHLOE",
        "middle_name": "LOUISE",
        "last_name": "O SUILLEABHAIN",
    }


def test_city_line_state_read_in_lower_case() -> None:
    fields = _bill("EDWARD J CHEN", "PROVIDENCE Ri 02906")
    address = fields["address"].value
    assert (address.city, address.state, address.zip) == ("PROVIDENCE", "RI", "02906")
    assert _names(fields) == {"first_name": "EDWARD", "middle_name": "J", "last_name": "CHEN"}


# ---------------------------------------------------------------- cards


def _card(top: list[Word], bottom: list[Word], *extra: list[Word]) -> dict:
    segs = _segs(
        _line("MASSACHUSETTS", 30, 20, h=38),
        top,
        bottom,
        _line("4703 MAPLE TER APT 7", 44, 274, h=22),
        _line("NEWTON, MA 02458", 44, 310, h=22),
        _line("DOB 07/01/1957", 44, 368, h=20),
        *extra,
        width=1012,
        height=640,
    )
    return extract.extract_identity(segs, REF)


def test_garbled_ln_fn_labels_before_two_name_lines() -> None:
    """'LN' / 'FN' in small type read as "v" / "rv": the name lines are still read,
    family over given (a family name that is also a state's name is no card header when
    labelled)."""
    fields = _card(
        _line("v WASHINGTON", 44, 172, h=26, label_h=15),
        _line("rv THERESA MAE", 44, 220, h=24, label_h=12),
    )
    assert _names(fields) == {
        "last_name": "WASHINGTON",
        "first_name": "THERESA",
        "middle_name": "MAE",
    }


def test_label_garbled_with_a_mark_before_a_name_line() -> None:
    """'FN' read as "=v", taller than the name (a mark joined it): still no name word."""
    fields = _card(
        _line("VAN BUREN", 74, 180, h=26), _line("=v RENEE LOUISE", 44, 224, h=25, label_h=35)
    )
    assert _names(fields) == {
        "last_name": "VAN BUREN",
        "first_name": "RENEE",
        "middle_name": "LOUISE",
    }


def test_two_line_order_told_by_the_name_in_reading_order() -> None:
    signature = _line("Chloe Martin", 44, 550, h=30)
    fields = _card(_line("MARTIN", 44, 172, h=26), _line("CHLOE", 44, 220, h=24), signature)
    assert _names(fields) == {"last_name": "MARTIN", "first_name": "CHLOE"}
    # without it, a family name that is also a given name tells nothing: left out
    alone = _card(_line("MARTIN", 44, 172, h=26), _line("CHLOE", 44, 220, h=24))
    assert _names(alone) == {}


def test_two_line_order_told_by_a_middle_initial() -> None:
    fields = _card(_line("NGUYEN", 44, 172, h=26), _line("KWAME A", 44, 220, h=24))
    assert _names(fields) == {"last_name": "NGUYEN", "first_name": "KWAME", "middle_name": "A"}


@pytest.mark.parametrize(
    ("family", "expected"), [("1DE LA CRUZ", "DE LA CRUZ"), ("-1CHEN", "CHEN")]
)
def test_field_number_glued_to_a_short_family_name(family: str, expected: str) -> None:
    fields = _card(_line(family, 30, 172, h=26), _line("2 KWAME", 30, 220, h=24))
    assert _names(fields) == {"last_name": expected, "first_name": "KWAME"}


def test_ordinal_after_field_number_is_not_unglued() -> None:
    assert extract._GLUED_NUMBER.match("1ST") is None
    assert extract._GLUED_NUMBER.match("2ND") is None


def test_lone_letter_after_a_name_label_is_no_name() -> None:
    """A portrait's edge read "fn I": no first name "I"; the garble-labelled name lines
    are read instead."""
    portrait = _line("fn I", 820, 252, h=15)
    fields = _card(
        _line("in PATEL", 47, 176, h=26, label_h=16),
        _line("en WILLIAM", 47, 224, h=24, label_h=14),
        portrait,
    )
    assert _names(fields) == {"last_name": "PATEL", "first_name": "WILLIAM"}


def test_a_house_number_whose_zero_was_read_as_an_at_sign_is_the_street_line() -> None:
    """CT-S10088-0052: a water bill's "50 HIGHLAND ROAD" read "5@ HIGHLAND ROAD": no street
    line, and the '5' its text printed flagged a clean bill ADDRESS_MISMATCH."""
    segs = _segs(
        _line("Regional Water Authority", 230, 110, h=44),
        _line("LINH CASTILLO", 200, 420),
        _line("5@ HIGHLAND ROAD", 200, 456),
        _line("MIDDLETOWN, CT 06457", 200, 492),
    )
    fields = extract.extract_residency(segs, REF, DocumentType.UTILITY_BILL)
    assert fields["address"].value.line1 == "50 HIGHLAND ROAD"
    assert _names(fields) == {"first_name": "LINH", "last_name": "CASTILLO"}
