"""An unsure OCR read whose street name is two letters off the profile's ('WHIMEY' for
'WHITNEY', MA-S9797-0140), everything else agreeing, is a misread (warned); read surely,
or a short name, or another street, it is a mismatch."""

from __future__ import annotations

from pipeline.matching.checks import check_address
from tests.matching.builders import address, context, doc

PROFILE = {"line1": "35 Whitney Ln", "line2": "Apt 3C", "city": "Pittsfield", "state": "MA",
           "zip": "01201"}  # fmt: skip


def _check(
    line1: str, confidence: float, profile: dict[str, str] = PROFILE
) -> tuple[str, str | None]:
    read = address(line1, "Apt 3C", city="Pittsfield", state="MA", zip_code="01201")
    document = doc(source="ocr", confidence=confidence, address=read)
    result = check_address(document, context("MA", address=profile))
    assert result is not None
    return result.status, result.flag


def test_an_unsure_two_letter_slip_in_a_long_street_name_is_warned() -> None:
    assert _check("35 WHIMEY LN", 0.53) == ("warn", None)


def test_the_same_slip_read_surely_is_a_mismatch() -> None:
    assert _check("35 WHIMEY LN", 0.95) == ("fail", "ADDRESS_MISMATCH")


def test_another_street_read_unsurely_is_still_a_mismatch() -> None:
    assert _check("35 CHESTNUT LN", 0.53) == ("fail", "ADDRESS_MISMATCH")


def test_a_short_street_two_letters_away_is_another_street() -> None:
    high = {**PROFILE, "line1": "35 High St"}
    assert _check("35 HILL ST", 0.53, high) == ("fail", "ADDRESS_MISMATCH")


def test_only_the_street_type_read_unsurely_is_warned() -> None:
    """'BLVD' read 'BND' (Bend) at 0.48, MA-S10002-0188; read surely, another street."""
    assert _check("35 WHITNEY LK", 0.48) == ("warn", None)
    assert _check("35 WHITNEY LK", 0.95) == ("fail", "ADDRESS_MISMATCH")


def test_another_street_ocr_could_not_resolve_is_warned() -> None:
    """CT-S10035-0099: a bank statement's street line read 'Voces' at 0.01, no reading."""
    from dataclasses import replace

    from tests.matching.builders import text_page

    def check(confidence: float) -> tuple[str, str | None]:
        read = address("35 CHESTNUT LN", "Apt 3C", city="Pittsfield", state="MA",
                       zip_code="01201")  # fmt: skip
        lines = ["35", "CHESTNUT LN", "Pittsfield, MA 01201"]
        page = text_page(lines)
        words = tuple(replace(w, confidence=confidence) if w.line == 1 else w for w in page.words)
        document = replace(
            doc(source="ocr", confidence=confidence, address=read),
            text=(replace(page, words=words),),
        )
        result = check_address(document, context("MA", address=PROFILE))
        assert result is not None
        return result.status, result.flag

    assert check(0.01) == ("warn", None)
    assert check(0.30) == ("fail", "ADDRESS_MISMATCH")
