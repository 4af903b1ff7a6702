"""The addressee block of a residency proof is read as printed (issue #5): OCR slips in the
house number or ZIP, ZIP+4 forms, a glued state and ZIP, one-line 'Service address:'
blocks, a unit line of its own; the sender's own street address is never taken."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from models.internal import DocumentState, PageText, Word
from pipeline.load import load_file
from pipeline.reading import classify, extract
from pipeline.reading.layout import segments
from tests.reading import synth

CTX = synth.context()
HEADER = [
    (54, 750, "Eversource Energy", 15),
    (54, 735, "PO Box 56002"),
    (54, 724, "Boston, MA 02205-6002"),
    (400, 750, "Bill Date: 11/02/2026"),
    (400, 736, "Account Number 1234 567 8901"),
]


def _fields(lines: list[tuple]) -> dict[str, object]:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    for x, y, text, *size in lines:
        pdf.setFont("Helvetica-Bold" if size else "Helvetica", size[0] if size else 10)
        pdf.drawString(x, y, text)
    pdf.save()
    doc = load_file(DocumentState("d1", "residency", "front", buf.getvalue()), CTX)
    doc = extract.extract_fields(classify.classify(doc, CTX), CTX)
    return {k: v.value for k, v in doc.fields.items()}


def _address(fields: dict[str, object]) -> tuple[object, ...] | None:
    a = fields.get("address")
    return None if a is None else (a.line1, a.line2, a.city, a.state, a.zip)  # type: ignore[attr-defined]


CASES = {
    "house number with OCR's I for 1": (
        [(72, 680, "ROBERT K LEE"), (72, 666, "2I61 MAPLE AVE"), (72, 652, "HARTFORD, CT 06106")],
        ("2161 MAPLE AVE", None, "HARTFORD", "CT", "06106"),
    ),
    "ZIP with OCR's O for 0": (
        [(72, 680, "ROBERT K LEE"), (72, 666, "46 WALNUT PL"), (72, 652, "HARTFORD, CT O6106")],
        ("46 WALNUT PL", None, "HARTFORD", "CT", "06106"),
    ),
    "state glued to ZIP": (
        [(72, 680, "Tom Kofi Brown"), (72, 666, "3191 Summer Place"),
         (72, 652, "New Bedford, MA02740")],
        ("3191 SUMMER PLACE", None, "NEW BEDFORD", "MA", "02740"),
    ),
    "two-word city line, state glued to ZIP+4": (
        [(72, 680, "Daniel De La Cruz"), (72, 666, "663 Lafayette Ct"),
         (72, 652, "Amherst, MA01002-5794")],
        ("663 LAFAYETTE CT", None, "AMHERST", "MA", "01002"),
    ),
    "ZIP with OCR's copyright sign for 0": (
        [(72, 680, "COSTA, LINH"), (72, 666, "327 Highland 8lvd"),
         (72, 652, "Norwalk, CT \u00a96851")],
        ("327 HIGHLAND BLVD", None, "NORWALK", "CT", "06851"),
    ),
    "ZIP+4 without hyphen": (
        [(72, 680, "Robert K Lee"), (72, 666, "46 Walnut Pl # 2"),
         (72, 652, "HARTFORD CT 061061234")],
        ("46 WALNUT PL", "# 2", "HARTFORD", "CT", "06106"),
    ),
    "one-line service address": (
        [(72, 680, "Customer: Robert K Lee"),
         (72, 666, "Service address: 2161 Maple Ave, Hartford, CT 06106")],
        ("2161 MAPLE AVE", None, "HARTFORD", "CT", "06106"),
    ),
    "city line followed by more text": (
        [(72, 680, "ROBERT K LEE"), (72, 666, "2161 MAPLE AVE"),
         (72, 652, "HARTFORD, CT 06106  Due 11/30/2026")],
        ("2161 MAPLE AVE", None, "HARTFORD", "CT", "06106"),
    ),
    "unit line of its own": (
        [(72, 680, "Robert K Lee"), (72, 666, "2161 Maple Ave"), (72, 652, "Apartment 3"),
         (72, 638, "Hartford, CT 06106")],
        ("2161 MAPLE AVE", "APARTMENT 3", "HARTFORD", "CT", "06106"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_addressee_block_is_read_as_printed(case: str) -> None:
    lines, want = CASES[case]
    fields = _fields([*HEADER, *lines])
    assert _address(fields) == want
    assert str(fields.get("last_name", "")).upper() in {"LEE", "BROWN", "DE LA CRUZ", "COSTA"}


def test_labelled_service_address_beats_the_senders_street_address() -> None:
    fields = _fields(
        [
            (54, 750, "Hartford Water Co", 15),
            (54, 735, "100 Main Street"),
            (54, 724, "Hartford, CT 06103"),
            (400, 750, "Bill Date: 11/02/2026"),
            (72, 680, "Service Address:"),
            (72, 666, "46 Walnut Pl"),
            (72, 652, "Hartford, CT 06106"),
        ]
    )
    assert _address(fields) == ("46 WALNUT PL", None, "HARTFORD", "CT", "06106")


def test_remittance_block_is_not_the_addressee() -> None:
    fields = _fields(
        [
            *HEADER,
            (72, 200, "Make checks payable to:"),
            (72, 188, "Eversource Energy"),
            (72, 176, "300 Cadwell Drive"),
            (72, 164, "Springfield, MA 01104"),
            (72, 680, "Robert K Lee"),
            (72, 666, "46 Walnut Pl"),
            (72, 652, "Hartford, CT 06106"),
        ]
    )
    assert _address(fields) == ("46 WALNUT PL", None, "HARTFORD", "CT", "06106")


def test_house_number_is_what_is_printed_not_the_profiles() -> None:
    """Extraction never looks at the profile: another house number is read as printed."""
    lines = [
        (72, 680, "Robert K Lee"),
        (72, 666, "2161 Maple Ave"),
        (72, 652, "Hartford, CT 06106"),
    ]
    fields = _fields([*HEADER, *lines])
    assert _address(fields)[0] == "2161 MAPLE AVE"  # type: ignore[index]


def test_street_type_read_with_a_bracket_is_not_a_unit() -> None:
    assert extract._split_street("4512 MADISON P] UNIT 12") == ("4512 MADISON PL", "UNIT 12")


def test_ocr_words_street_line_with_letter_slip() -> None:
    """The same on OCR words (boxes only, no PDF)."""

    def line(text: str, y: int, i: int) -> list[Word]:
        out, x = [], 100
        for t in text.split():
            out.append(Word(t, 0.93, (x, y, x + 14 * len(t), y + 22), 0, i))
            x += 14 * len(t) + 12
        return out

    words = [
        *line("JANE Q PUBLIC", 300, 0),
        *line("2O61 MAPLE AVE", 330, 1),
        *line("HARTFORD, CT 06106-1234", 360, 2),
    ]
    segs = segments(PageText(0, tuple(words), "ocr", 1200, 1600))
    found = extract.find_address(segs)
    assert found is not None
    value = found[0].value
    assert (value.line1, value.zip) == ("2061 MAPLE AVE", "06106")


def test_senders_one_line_footer_address_is_not_the_addressee() -> None:
    fields = _fields(
        [
            (54, 750, "Bill Date: 11/02/2026"),
            (54, 100, "Eversource Energy, 107 Selden St, Berlin, CT 06037"),
            (72, 680, "Robert K Lee"),
            (72, 666, "46 Walnut Pl"),
            (72, 652, "Hartford, CT 06106"),
        ]
    )
    assert _address(fields) == ("46 WALNUT PL", None, "HARTFORD", "CT", "06106")
    alone = _fields([(54, 750, "Bill Date: 11/02/2026"),
                     (54, 100, "Eversource Energy, 107 Selden St, Berlin, CT 06037")])  # fmt: skip
    assert "address" not in alone


def test_letterhead_one_line_address_is_never_the_addressee() -> None:
    """The sender's one-line address under its name, with the addressee's block unreadable."""
    fields = _fields(
        [
            (230, 750, "CITY OF NORWALK", 14),
            (230, 732, "OFFICE OF THE TAX COLLECTOR"),
            (230, 718, "42 Main Street, Norwalk, CT 06851"),
            (72, 690, "Bill Date: 04-25-2026"),
            (72, 666, "COSTA, LINH"),
            (72, 652, "~~~ ~~~~ ~~~"),
        ]
    )
    assert "address" not in fields
