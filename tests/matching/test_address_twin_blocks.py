"""A bill prints the addressee's block twice (letter and remittance stub): a ZIP misread
on one block, the profile's street, state and ZIP printed on the other, only warns
(CT-S10016-0113: "06852" read at 0.96 for the "06851" of both). A document addressed to
another ZIP prints it everywhere, and stays ADDRESS_MISMATCH."""

from __future__ import annotations

from dataclasses import replace

from models.flags import FlagCode
from models.internal import PageText, Word
from pipeline.matching.checks import check_address
from tests.matching.builders import address, context, doc, fv, text_page

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


def test_the_twin_blocks_state_misread_still_vouches_for_its_zip() -> None:
    """'West Hartford, C7 06107' on the top block, the stub's ZIP read '06207'
    (CT-S10079-0002): 'C7' is the CT OCR misread, not another state."""
    result = check_address(_bill("Norwalk, C7 06851"), context(address=PROFILE))
    assert result is not None and result.status == "warn" and result.flag is None
    result = check_address(_bill("Norwalk, RI 06851"), context(address=PROFILE))
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH


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


def _cut_lease(street_word: str, cut_lines: int):
    """A lease photographed off the frame's right edge: `cut_lines` lines end together at
    x=900, the street line among them ending in `street_word`."""
    rows = [["Landlord", "hereby", "leases", "to", "Tenant", "at", "59", street_word]]
    rows += [["the", "fixtures", "and", "applia"], ["unless", "renewed", "or", "termi"]][
        : cut_lines - 1
    ]
    words = []
    for i, row in enumerate(rows):
        x = 900 - 60 * len(row)
        for text in row:
            words.append(Word(text, 0.95, (x, 40 * i, x + 55, 40 * i + 20), 0, i))
            x += 60
    words.append(Word("Norwalk,", 0.95, (100, 200, 180, 220), 0, 9))
    read = address(f"59 {street_word}", None, "NORWALK", "CT", "06851")
    d = doc(source="ocr", confidence=0.9, address=read)
    return replace(d, text=(PageText(0, tuple(words), "ocr", 1000, 1400),))


def test_a_street_name_cut_at_the_texts_edge_only_warns() -> None:
    """CT-O4193-0155: "1501 ASYLI" for Asylum Street on a lease photographed off the frame:
    the street line ends, with the lines around it, at the cut edge."""
    result = check_address(_cut_lease("PLEASI", 3), context(address=PROFILE))
    assert result is not None and result.status == "warn" and result.flag is None
    assert "cut" in result.detail
    # the street line read on past the cut ("ASYLI 21" in the real lease): still cut
    lease = _cut_lease("PLEASI", 3)
    run_on = address("59 PLEASI 21", None, "NORWALK", "CT", "06851")
    lease = replace(lease, fields={**lease.fields, "address": fv(run_on, "ocr", 0.9)})
    result = check_address(lease, context(address=PROFILE))
    assert result is not None and result.status == "warn" and result.flag is None


def test_another_street_or_an_uncut_page_is_a_mismatch() -> None:
    other = check_address(_cut_lease("PLEDGE", 3), context(address=PROFILE))
    assert other is not None and other.flag == FlagCode.ADDRESS_MISMATCH
    uncut = check_address(_cut_lease("PLEASI", 1), context(address=PROFILE))
    assert uncut is not None and uncut.flag == FlagCode.ADDRESS_MISMATCH
