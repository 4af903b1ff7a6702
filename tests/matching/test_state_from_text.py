"""ADDRESS_OUT_OF_STATE on a residency proof whose address block the extractor did not read
(a two-column statement interleaves it with "Statement Date" lines): the city, state and
ZIP line printed under the profile's own street line is judged, never the issuer's address
(MA-S9898-0200: a Nashua, NH bank statement passed)."""

from __future__ import annotations

from dataclasses import replace

from models.flags import DocumentType, FlagCode
from models.internal import PageText
from pipeline.matching.checks import check_state
from tests.matching.builders import address, context, doc, text_page

NH = {"line1": "59 Chestnut Lane", "line2": "Unit 2B", "city": "Nashua", "state": "NH",
      "zip": "03060"}  # fmt: skip
MA = {"line1": "59 Chestnut Lane", "line2": "Unit 2B", "city": "Worcester", "state": "MA",
      "zip": "01602"}  # fmt: skip


def _page(lines: list[str]) -> PageText:
    return text_page(lines)


def _statement(lines: list[str], **fields: object):
    d = doc(doc_type=DocumentType.BANK_STATEMENT, source="ocr", confidence=0.9, **fields)
    return replace(d, text=(_page(lines),))


def _block(city_line: str) -> list[str]:
    return [
        "Harbor Federal Savings",
        "PO Box 43284",
        "Hartford, CT 06151",
        "PATRICIA OKAFOR Account XXXXXX7747",
        "59 Chestnut tn",
        "Statement Date 02/22/2026",
        "Unit 2B",
        f"{city_line} Statement Period 01/22/2026 to 02/22/2026",
    ]


def test_an_out_of_state_block_under_the_profile_street_is_flagged() -> None:
    result = check_state(_statement(_block("Nashua, NH 03060-9246")), context("MA", address=NH))
    assert result is not None and result.flag == FlagCode.ADDRESS_OUT_OF_STATE
    assert result.evidence and result.evidence["state"] == "NH"


def test_an_in_state_block_passes_though_the_issuer_is_elsewhere() -> None:
    result = check_state(_statement(_block("Worcester, MA 01602")), context("MA", address=MA))
    assert result is not None and result.status == "pass"


def test_only_the_issuer_address_in_the_text_is_not_judged() -> None:
    lines = ["Harbor Federal Savings", "Hartford, CT 06151", "Statement Date 02/22/2026"]
    assert check_state(_statement(lines), context("MA", address=NH)) is None


def test_a_block_read_with_city_only_looks_under_the_street() -> None:
    read = address("59 Chestnut Ln", city="Nashua", state=None, zip_code=None)  # type: ignore[arg-type]
    bill = _statement(_block("Nashua, NH 03060"), address=read)
    result = check_state(bill, context("MA", address=NH))
    assert result is not None and result.flag == FlagCode.ADDRESS_OUT_OF_STATE


def test_an_issuer_column_beside_the_street_line_is_not_taken() -> None:
    lines = ["59 Chestnut Ln Hartford, CT 06151", "Unit 2B", "Worcester, MA 01602"]
    result = check_state(_statement(lines), context("MA", address=MA))
    assert result is not None and result.status == "pass"


def test_a_misread_state_leaves_the_zip_to_judge() -> None:
    """'WARWICK, R! 02886': the state unread, the ZIP out of state (CT-S9898-0111)."""
    ri = {"line1": "688 Summer Dr", "line2": "Unit 3D", "city": "Warwick", "state": "RI",
          "zip": "02886"}  # fmt: skip
    lines = ["MARGARET ANNE O'BRIEN", "688 SUMMER DR APT 3D", "WARWICK, R! 02886-1800"]
    result = check_state(_statement(lines), context("CT", address=ri))
    assert result is not None and result.flag == FlagCode.ADDRESS_OUT_OF_STATE
    assert result.evidence and result.evidence["zip"] == "02886"


def test_a_state_printed_in_full_is_read() -> None:
    nj = {"line1": "601 Wethersfield Dr", "city": "Newark", "state": "NJ", "zip": "07102"}
    lines = ["located at 601 Wethersfield Dr, Newark, New Jersey 07102 (the Premises)"]
    result = check_state(_statement(lines), context("CT", address=nj))
    assert result is not None and result.flag == FlagCode.ADDRESS_OUT_OF_STATE
    assert result.evidence and result.evidence["state"] == "NJ"
