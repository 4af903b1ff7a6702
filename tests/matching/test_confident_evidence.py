"""A mismatch flag must rest on confident evidence: unsure reads warn, sure ones flag."""

from __future__ import annotations

from dataclasses import replace

from models.flags import DocumentType, FlagCode
from models.internal import BarcodeRecord, DocumentState, FieldValue, PageText, Word
from pipeline.matching.checks import check_address, check_name
from tests.matching.builders import address, context, doc, fv

# Profile: Maria Louise Gonzalez-Rivera, 12 Elm Street, Apt 3, Hartford CT 06106.


def _mixed(first: FieldValue, last: FieldValue, role: str = "residency") -> DocumentState:
    d = doc(role=role, source="ocr")
    return replace(d, fields={"first_name": first, "last_name": last})


def _page(*lines: list[tuple[str, float]]) -> tuple[PageText, ...]:
    words = tuple(
        Word(text, conf, (10 * i, 20 * n, 10 * i + 8, 20 * n + 15), 0, n)
        for n, line in enumerate(lines)
        for i, (text, conf) in enumerate(line)
    )
    return (PageText(0, words, "ocr", 1000, 1000),)


# --------------------------------------------------------------------------- names


def test_a_garbled_low_confidence_first_name_with_a_confident_surname_warns() -> None:
    d = _mixed(fv("ie", "ocr", 0.11), fv("GONZALEZ-RIVERA", "ocr", 0.96))
    result = check_name(d, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "low confidence" in (result.detail or "")


def test_a_confidently_read_other_first_name_is_still_flagged() -> None:
    d = _mixed(fv("JENNIFER", "ocr", 0.95), fv("GONZALEZ-RIVERA", "ocr", 0.96))
    result = check_name(d, context())
    assert result is not None and result.flag == FlagCode.NAME_MISMATCH


def test_an_unsure_first_name_no_misread_would_give_is_another_name() -> None:
    """'WEI' at 0.59 for 'JENNIFER' (CT-S10002-0155); a misread or a cut word still warns."""
    other = _mixed(fv("WEI", "ocr", 0.59), fv("GONZALEZ-RIVERA", "ocr", 0.96))
    result = check_name(other, context())
    assert result is not None and result.flag == FlagCode.NAME_MISMATCH
    for misread in ("MAR1A", "MARI", "MAHIA"):
        near = _mixed(fv(misread, "ocr", 0.59), fv("GONZALEZ-RIVERA", "ocr", 0.96))
        result = check_name(near, context())
        assert result is not None and result.flag is None, misread


def test_an_unsure_nickname_one_letter_off_is_a_misread() -> None:
    """'LTZ' at 0.67 on a bill for Elizabeth's 'LIZ' (MA-S10005-0053)."""
    ctx = context(first_name="Elizabeth", middle_name=None)
    near = _mixed(fv("LTZ", "ocr", 0.67), fv("GONZALEZ-RIVERA", "ocr", 0.96))
    result = check_name(near, ctx)
    assert result is not None and result.status == "warn" and result.flag is None
    sure = _mixed(fv("LTZ", "ocr", 0.95), fv("GONZALEZ-RIVERA", "ocr", 0.96))
    assert check_name(sure, ctx).flag == FlagCode.NAME_MISMATCH  # type: ignore[union-attr]
    for other in ("LTX", "WEI", "LTXA"):
        far = _mixed(fv(other, "ocr", 0.67), fv("GONZALEZ-RIVERA", "ocr", 0.96))
        assert check_name(far, ctx).flag == FlagCode.NAME_MISMATCH, other  # type: ignore[union-attr]


def test_a_single_letter_read_as_the_surname_is_an_initial() -> None:
    """'Susan R' for 'Susan R Ó Súilleabháin', the surname lost (MA-S10002-0034)."""
    cut = _mixed(fv("MARIA", "ocr", 0.82), fv("L", "ocr", 0.82))
    result = check_name(cut, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "single letter" in (result.detail or "")
    other = _mixed(fv("MARIA", "ocr", 0.82), fv("LI", "ocr", 0.82))
    assert check_name(other, context()).flag == FlagCode.NAME_MISMATCH  # type: ignore[union-attr]


def test_a_confidently_read_other_surname_is_flagged_whatever_the_first_name() -> None:
    d = _mixed(fv("ie", "ocr", 0.11), fv("NGUYEN", "ocr", 0.96))
    result = check_name(d, context())
    assert result is not None and result.flag == FlagCode.NAME_MISMATCH


def test_a_form_label_read_as_the_name_warns() -> None:
    d = doc(source="ocr", confidence=0.87, first_name="Named",
            middle_name="Insured and Mailing", last_name="Address")  # fmt: skip
    result = check_name(d, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "form label" in (result.detail or "")


def test_a_real_name_with_one_common_word_is_still_a_name() -> None:
    result = check_name(doc(first_name="Bill", last_name="Page"), context())
    assert result is not None and result.flag == FlagCode.NAME_MISMATCH


def test_a_nickname_printed_with_the_surname_means_the_reader_took_other_words() -> None:
    d = replace(
        doc(source="ocr", confidence=0.9, first_name="Account", last_name="Summary"),
        text=_page([("Mia", 0.9), ("Gonzalez-Rivera", 0.9)], [("12", 0.9), ("Elm", 0.9)]),
    )
    result = check_name(d, context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_a_barcode_naming_the_applicant_outweighs_a_misread_front() -> None:
    front = doc(role="identity", doc_type=DocumentType.DRIVERS_LICENSE, source="ocr",
                confidence=0.9, first_name="JESSICA", last_name="GONZALEZ-RIVERA")  # fmt: skip
    barcode = BarcodeRecord(
        10, "636006", {}, {"first_name": fv("MARIA", "barcode"),
                           "last_name": fv("GONZALEZ-RIVERA", "barcode")},
    )  # fmt: skip
    result = check_name(replace(front, barcode=barcode), context())
    assert result is not None and result.flag is None and "barcode" in (result.detail or "")
    other = BarcodeRecord(
        10, "636006", {}, {"first_name": fv("JESSICA", "barcode"),
                           "last_name": fv("GONZALEZ-RIVERA", "barcode")},
    )  # fmt: skip
    flagged = check_name(replace(front, barcode=other), context())
    assert flagged is not None and flagged.flag == FlagCode.NAME_MISMATCH


# --------------------------------------------------------------------------- addresses


def _bill(zip_read: str, *lines: list[tuple[str, float]]) -> DocumentState:
    d = doc(source="ocr", confidence=0.9, address=address("12 Elm St", "Apt 3", zip_code=zip_read))
    return replace(d, text=_page(*lines))


def test_a_zip_digit_read_with_low_word_confidence_warns() -> None:
    d = _bill("06107", [("HARTFORD", 0.95), ("CT", 0.95), ("06107", 0.41)])
    result = check_address(d, context())
    assert result is not None and result.status == "warn" and result.flag is None


def test_a_clearly_printed_other_zip_is_flagged() -> None:
    d = _bill("06107", [("HARTFORD", 0.95), ("CT", 0.95), ("06107", 0.96)])
    result = check_address(d, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH


def test_a_zip_read_once_against_the_profiles_printed_twice_warns() -> None:
    d = _bill(
        "06107",
        [("HARTFORD,", 0.95), ("CT", 0.95), ("06107", 0.96)],
        [("HARTFORD,", 0.95), ("CT", 0.95), ("06106-1234", 0.96)],
        [("HARTFORD", 0.95), ("CT", 0.95), ("06106", 0.96)],
    )
    result = check_address(d, context())
    assert result is not None and result.status == "warn" and result.flag is None
    twice_other = _bill(
        "06107",
        [("HARTFORD,", 0.95), ("CT", 0.95), ("06107", 0.96)],
        [("HARTFORD,", 0.95), ("CT", 0.95), ("06107", 0.96)],
        [("HARTFORD", 0.95), ("CT", 0.95), ("06106", 0.96)],
    )
    flagged = check_address(twice_other, context())
    assert flagged is not None and flagged.flag == FlagCode.ADDRESS_MISMATCH


def test_a_clearly_printed_other_house_number_is_flagged() -> None:
    d = replace(
        doc(source="ocr", confidence=0.9, address=address("13 Elm St", "Apt 3")),
        text=_page([("13", 0.96), ("Elm", 0.95), ("St", 0.95)]),
    )
    result = check_address(d, context())
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH
    unsure = replace(d, text=_page([("13", 0.35), ("Elm", 0.95), ("St", 0.95)]))
    warned = check_address(unsure, context())
    assert warned is not None and warned.status == "warn" and warned.flag is None


def _house(number: str, *lines: list[tuple[str, float]]) -> DocumentState:
    d = doc(source="ocr", confidence=0.84, address=address(f"{number} Elm St", "Apt 3"))
    return replace(d, text=_page(*lines))


def test_a_house_number_with_a_digit_more_read_less_surely_than_its_line_warns() -> None:
    """MA-S10086-0177: a tax bill's '4859 Pleasant St' read '48539' at 0.84, its street at
    0.96: a glyph read as two (here 12 read '132', '1' and '2' kept in order)."""
    d = _house("132", [("132", 0.84), ("Elm", 0.96), ("St", 0.96)])
    result = check_address(d, context())
    assert result is not None and result.status == "warn" and result.flag is None
    assert "one digit more or fewer" in (result.detail or "")
    # read as surely as its line, another digit, or a one-digit profile number: a mismatch
    sure = _house("132", [("132", 0.95), ("Elm", 0.96), ("St", 0.96)])
    other = _house("13", [("13", 0.84), ("Elm", 0.96), ("St", 0.96)])
    longer = _house("1322", [("1322", 0.84), ("Elm", 0.96), ("St", 0.96)])
    for flagged in (sure, other, longer):
        assert check_address(flagged, context()).flag == FlagCode.ADDRESS_MISMATCH  # type: ignore[union-attr]
    home = {"line1": "5 Elm Street", "line2": "Apt 3", "city": "Hartford", "state": "CT"}
    one_digit = context(address={**home, "zip": "06106"})
    added = _house("15", [("15", 0.84), ("Elm", 0.96), ("St", 0.96)])
    assert check_address(added, one_digit).flag == FlagCode.ADDRESS_MISMATCH  # type: ignore[union-attr]


def test_an_mrz_name_one_letter_off_warns_but_another_mrz_name_is_flagged() -> None:
    ctx = context(first_name="Robert", middle_name=None, last_name="Del Rio")
    passport = DocumentType.PASSPORT
    slip = doc(role="identity", doc_type=passport, source="mrz", confidence=0.95,
               first_name="ROBERI", last_name="DEL RIO")  # fmt: skip
    result = check_name(slip, ctx)
    assert result is not None and result.status == "warn" and result.flag is None
    other = doc(role="identity", doc_type=passport, source="mrz", confidence=0.95,
                first_name="HECTOR", last_name="DEL RIO")  # fmt: skip
    flagged = check_name(other, ctx)
    assert flagged is not None and flagged.flag == FlagCode.NAME_MISMATCH
