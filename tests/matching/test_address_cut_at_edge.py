"""A street name cut off at the page's edge ('601 Wether' for '601 Wethersfield': the scan
lost the right margin of a lease) is not another street: a warning, not ADDRESS_MISMATCH
(CT-O4205-0065). The same short name read inside the page is still a mismatch."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.flags import DocumentType, FlagCode
from models.internal import PageText, Word
from pipeline.matching.checks import check_address
from tests.matching.builders import address, context, doc

PROFILE = {"line1": "601 Wethersfield Dr", "city": "Hartford", "state": "CT", "zip": "06106"}
WIDTH = 1445


def _lease(right_edge: int, street: str = "WETHER"):
    words = (
        Word("located", 0.97, (1100, 294, 1200, 312), 0, 3),
        Word("at", 0.96, (1210, 294, 1240, 312), 0, 3),
        Word("601", 0.96, (1250, 294, 1300, 312), 0, 3),
        Word(street.title(), 0.97, (right_edge - 85, 294, right_edge, 312), 0, 3),
        Word("Dr,", 0.97, (115, 330, 150, 348), 0, 4),
        Word("Hartford,", 0.97, (160, 330, 260, 348), 0, 4),
    )
    page = PageText(0, words, "ocr", WIDTH, 1870)
    read = address(f"601 {street} DR")
    d = doc(doc_type=DocumentType.LEASE, source="ocr", confidence=0.86, address=read)
    return replace(d, text=(page,))


def test_a_street_cut_at_the_page_edge_only_warns() -> None:
    result = check_address(_lease(WIDTH - 7), context(address=PROFILE))
    assert result is not None and result.flag is None and result.status == "warn"
    assert "edge of the page" in (result.detail or "")


@pytest.mark.parametrize(("zip_read", "flagged"), [("06196", False), ("06107", True)])
def test_a_cut_street_beside_a_zip_misread_by_one_digit_only_warns(
    zip_read: str, flagged: bool
) -> None:
    """Both slips on one lease ("380 Wethers" cut, "96107" read for 06107, CT-O4267-0089):
    a ZIP one easily misread digit off (0/9) does not turn the cut into a mismatch; another
    ZIP (6/7 are no OCR pair) does."""
    lease = _lease(WIDTH - 7)
    read = replace(lease.fields["address"].value, zip=zip_read)
    lease = replace(lease, fields={"address": replace(lease.fields["address"], value=read)})
    result = check_address(lease, context(address=PROFILE))
    assert result is not None and (result.flag == FlagCode.ADDRESS_MISMATCH) is flagged
    if not flagged:
        assert "edge of the page" in (result.detail or "") and "ZIP" in (result.detail or "")


def test_the_same_read_inside_the_page_is_a_mismatch() -> None:
    result = check_address(_lease(WIDTH - 200), context(address=PROFILE))
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH


def test_another_street_at_the_edge_is_a_mismatch() -> None:
    result = check_address(_lease(WIDTH - 7, "WESTON"), context(address=PROFILE))
    assert result is not None and result.flag == FlagCode.ADDRESS_MISMATCH


def test_a_half_letter_short_of_the_edge_is_still_cut() -> None:
    """The letter cut in half at the edge is not read: 'WETHER' ends about two letter
    heights short of the edge (MA-O4103-0076); three heights short it is text that ended."""
    near = check_address(_lease(WIDTH - 32), context(address=PROFILE))
    assert near is not None and near.status == "warn"
    short = check_address(_lease(WIDTH - 60), context(address=PROFILE))
    assert short is not None and short.flag == FlagCode.ADDRESS_MISMATCH


def _straightened_lease(right_end: int, lines_ending_there: int):
    """A skewed scan straightened: the page is wider than the cut, where every line stops
    (MA-O4127-0021: '3166 FRAN' at 1455 px of a 1503 px page)."""
    page_width = WIDTH + 60
    words = [
        Word("located", 0.97, (1100, 294, 1200, 318), 0, 3),
        Word("601", 0.96, (1250, 294, 1300, 318), 0, 3),
        Word("Wether", 0.97, (right_end - 85, 294, right_end, 318), 0, 3),
    ]
    for i in range(lines_ending_there):
        end = right_end - 3 * (i % 2)
        words.append(Word("words", 0.97, (end - 80, 350 + 40 * i, end, 374 + 40 * i), 0, 4 + i))
    page = PageText(0, tuple(words), "ocr", page_width, 1870)
    d = doc(
        doc_type=DocumentType.LEASE, source="ocr", confidence=0.86, address=address("601 WETHER DR")
    )
    return replace(d, text=(page,))


def test_a_cut_inside_a_straightened_page_is_where_the_lines_stop() -> None:
    cut = check_address(_straightened_lease(WIDTH, 4), context(address=PROFILE))
    assert cut is not None and cut.status == "warn" and cut.flag is None
    lone = check_address(_straightened_lease(WIDTH, 1), context(address=PROFILE))
    assert lone is not None and lone.flag == FlagCode.ADDRESS_MISMATCH


def test_the_letter_the_edge_cut_through_may_be_misread() -> None:
    """'537 Broac' for '537 Broadway Ln' (MA-O4145-0061): the 'd' cut through its stem
    read 'c'. The letters before it must be the profile street's: one differing earlier
    makes another street."""
    cut = check_address(_lease(WIDTH - 7, "WETHEC"), context(address=PROFILE))
    assert cut is not None and cut.status == "warn" and cut.flag is None
    other = check_address(_lease(WIDTH - 7, "WESTC"), context(address=PROFILE))
    assert other is not None and other.flag == FlagCode.ADDRESS_MISMATCH
