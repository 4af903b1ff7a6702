"""A bill prints the addressee's block twice (letter and remittance stub): a ZIP misread
on one block, the profile's street, state and ZIP printed on the other, only warns
(CT-S10016-0113: "06852" read at 0.96 for the "06851" of both). A document addressed to
another ZIP prints it everywhere, and stays ADDRESS_MISMATCH."""

from __future__ import annotations

from dataclasses import replace

from models.flags import FlagCode
from models.internal import PageText
from pipeline.matching.checks import check_address
from tests.matching.builders import address, context, doc, text_page

PROFILE = {
    "line1": "59 Pleasant Ter",
    "line2": "Apt 3",
    "city": "Norwalk",
    "state": "CT",
    "zip": "06851",
}


def _page(lines: list[str]) -> PageText:
    return text_page(lines, 0.96, width=1300, height=1700)


def _bill(stub_city_line: str):
    lines = [
        "KOWALSKI, LUCIA R",
        "59 Pleasant Terrace",
        "Apt 3",
        "Norwalk, CT 06852",
        "Please detach and return this portion with your payment.",
        "KOWALSKI, LUCIA R Make checks payable to:",
        "59 Pleasant Terrace Regional Water Authority",
        "Apt 3 PO Box 6076",
        f"{stub_city_line} Providence, RI 02940",
    ]
    read = address("59 PLEASANT TERRACE", "APT 3", "NORWALK", "CT", "06852")
    d = doc(source="ocr", confidence=0.92, address=read)
    return replace(d, text=(_page(lines),))


def test_a_zip_the_twin_block_prints_as_the_profiles_only_warns() -> None:
    result = check_address(_bill("Norwalk, CT 06851"), context(address=PROFILE))
    assert result is not None and result.status == "warn" and result.flag is None
    assert "06851" in str(result.evidence.get("found_in_text"))


def test_the_other_zip_on_both_blocks_is_a_mismatch() -> None:
    result = check_address(_bill("Norwalk, CT 06852"), context(address=PROFILE))
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH


def test_copies_that_disagree_and_together_read_the_profiles_zip_only_warn() -> None:
    """CT-S10043-0144: "06205" on the letter, "06106" on the stub, for the 06105 of both:
    the document disagrees with itself, and each profile digit is read by one copy."""
    result = check_address(_bill("Norwalk, CT 06751"), context(address=PROFILE))
    assert result is not None and result.status == "warn" and result.flag is None
    assert "disagree" in result.detail


def test_copies_that_disagree_without_the_profiles_digit_are_a_mismatch() -> None:
    # the last digit is 2 in both copies: the profile's 1 is read by none
    result = check_address(_bill("Norwalk, CT 06752"), context(address=PROFILE))
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH
