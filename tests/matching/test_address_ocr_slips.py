"""A street or city read by OCR with a character OCR confuses ('MILI' for 'MILL') is the
profile's street, not another address (MA-S9494-0102); the same spelling from an exact
source, or another street name read by OCR, still differs."""

from __future__ import annotations

from pipeline.matching.checks import check_address
from tests.matching.builders import address, context, doc


def _check(line1: str, source: str, city: str = "Hartford") -> str | None:
    document = doc(source=source, confidence=0.85, address=address(line1, "Apt 3", city=city))
    result = check_address(document, context(**{"address": _profile()}))
    assert result is not None
    return result.flag


def _profile() -> dict[str, str]:
    return {"line1": "50 Mill Place", "line2": "Apt 3", "city": "Hartford", "state": "CT",
            "zip": "06106"}  # fmt: skip


def test_an_ocr_slip_in_a_short_street_name_is_no_mismatch() -> None:
    assert _check("50 MILI PLACE", "ocr") is None
    assert _check("50 MILL PLACE", "ocr", city="HARTF0RD") is None


def test_another_street_read_by_ocr_is_still_a_mismatch() -> None:
    assert _check("50 HILL PLACE", "ocr") == "ADDRESS_MISMATCH"
    assert _check("50 MAIN PLACE", "ocr") == "ADDRESS_MISMATCH"


def test_the_same_spelling_from_a_text_layer_is_a_mismatch() -> None:
    assert _check("50 MILI PLACE", "pdf_text") == "ADDRESS_MISMATCH"


def test_a_garbled_city_beside_the_profiles_zip_is_a_misread() -> None:
    assert _check("50 MILL PLACE", "ocr", city="HAFRD") is None  # ZIP 06106 agrees
    assert _check("50 MILL PLACE", "ocr", city="BRISTOL") == "ADDRESS_MISMATCH"
    assert _check("50 MILL PLACE", "pdf_text", city="HAFRD") == "ADDRESS_MISMATCH"


def test_a_street_type_glued_to_the_name_is_the_profiles_street() -> None:
    """'50 MILLPLACE' (CT-S10033-0036 read 'MILLAVE' for Mill Ave): the type is cut off."""
    assert _check("50 MILLPLACE", "ocr") is None
    assert _check("50 MILLPL", "ocr") is None
    assert _check("50 HILLPLACE", "ocr") == "ADDRESS_MISMATCH"  # another name, type cut
    assert _check("50 MILLWAY", "ocr") == "ADDRESS_MISMATCH"  # another type: not cut


def test_another_street_type_glued_to_the_name_is_another_street() -> None:
    """'MILLST' for Mill Place scored 0.80 as a street name and passed: cut off, ST leaves
    the profile's name exactly, and ST is not PL. A name ending like a type keeps it."""
    assert _check("50 MILLST", "ocr") == "ADDRESS_MISMATCH"
    assert _check("50 MILLSTREET", "ocr") == "ADDRESS_MISMATCH"
    forest = {**_profile(), "line1": "50 Forest Pl"}
    read = doc(source="ocr", confidence=0.85, address=address("50 FOREST"))
    result = check_address(read, context(address=forest))
    assert result is not None and result.flag is None


def test_a_unit_read_with_a_letter_for_a_digit_is_the_profiles_unit() -> None:
    """CT-O4173-0009: 'Apt 5A' read '# SA'; from an exact source it is another unit."""
    profile = {**_profile(), "line2": "Apt 5A"}
    read = address("50 MILL PLACE", "# SA")
    ocr = check_address(doc(source="ocr", confidence=0.85, address=read), context(address=profile))
    exact = check_address(doc(source="pdf_text", address=read), context(address=profile))
    assert ocr is not None and ocr.flag is None
    assert exact is not None and exact.flag == "ADDRESS_MISMATCH"
    other = address("50 MILL PLACE", "# 6A")
    moved = check_address(
        doc(source="ocr", confidence=0.85, address=other), context(address=profile)
    )
    assert moved is not None and moved.flag == "ADDRESS_MISMATCH"
