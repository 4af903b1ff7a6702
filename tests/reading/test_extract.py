"""Field extraction on differently laid-out licence fronts and residency proofs (real OCR).

Each synthetic image is OCRed once per module. Evidence boxes are checked against the
box where the value was drawn.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.internal import DocumentState, FieldValue, ReadAddress
from pipeline.load import load_file
from pipeline.reading import classify, extract, ocr
from tests.reading import synth

CTX = synth.context()


def _run(doc: DocumentState) -> DocumentState:
    if doc.pages:
        doc = ocr.read_text(doc, CTX)
    return extract.extract_fields(classify.classify(doc, CTX), CTX)


@pytest.fixture(scope="module")
def licences() -> dict[str, tuple[DocumentState, synth.Drawn]]:
    out = {}
    for name, make in (
        ("aamva", synth.licence_aamva_numbered),
        ("above", synth.licence_labels_above),
        ("oneline", synth.licence_one_line_name),
    ):
        drawn = make()
        out[name] = (_run(synth.image_doc(drawn.image)), drawn)
    return out


def _v(fields: dict[str, FieldValue], key: str) -> object:
    return fields[key].value if key in fields else None


def _covers(
    found: tuple[int, int, int, int], drawn: tuple[int, int, int, int], slack: int = 8
) -> bool:
    inside = (
        found[0] <= drawn[0] + slack
        and found[1] <= drawn[1] + slack
        and found[2] >= drawn[2] - slack
        and found[3] >= drawn[3] - slack
    )
    area = lambda b: max(1, (b[2] - b[0]) * (b[3] - b[1]))  # noqa: E731
    return inside and area(found) <= 2.0 * area(drawn)


EXPECTED = {
    "aamva": {
        "last_name": "GONZALEZ-RIVERA", "first_name": "MARIA", "middle_name": "L",
        "date_of_birth": dt.date(1981, 3, 14), "expiry_date": dt.date(2029, 3, 14),
        "issue_date": dt.date(2021, 3, 10), "document_number": "123456789",
        "address": ReadAddress("12 ELM ST", "APT 3", "HARTFORD", "CT", "06106"),
    },
    "above": {
        "last_name": "O'BRIEN", "first_name": "JAMES", "middle_name": "PATRICK",
        "date_of_birth": dt.date(1975, 11, 2), "expiry_date": dt.date(2030, 8, 22),
        "issue_date": dt.date(2022, 8, 22), "document_number": "S12345678",
        "address": ReadAddress("48 WORCESTER RD", None, "FRAMINGHAM", "MA", "01702"),
    },
    "oneline": {
        "last_name": "NGUYEN", "first_name": "THANH", "middle_name": "V", "suffix": "JR",
        "date_of_birth": dt.date(1990, 7, 4), "expiry_date": dt.date(2032, 7, 4),
        "issue_date": dt.date(2024, 1, 15), "document_number": "987654321",
        "address": ReadAddress("77 FARMINGTON AVE", None, "NEW BRITAIN", "CT", "06051"),
    },
}  # fmt: skip


@pytest.mark.parametrize("layout", sorted(EXPECTED))
def test_licence_fields(licences, layout: str) -> None:
    doc, _ = licences[layout]
    got = {k: _v(doc.fields, k) for k in EXPECTED[layout]}
    assert got == EXPECTED[layout]
    for value in doc.fields.values():
        assert value.source == "ocr" and 0 < value.confidence <= 1 and value.page == 0


@pytest.mark.parametrize("layout", sorted(EXPECTED))
def test_licence_evidence_boxes_cover_the_drawn_values(licences, layout: str) -> None:
    doc, drawn = licences[layout]
    for key, box in drawn.boxes.items():
        if key == "name":
            continue
        assert _covers(doc.fields[key].box, box), (key, doc.fields[key].box, box)


def test_licence_types(licences) -> None:
    kinds = {k: d.classification.document_type.value for k, (d, _) in licences.items()}
    assert kinds == {"aamva": "drivers_license", "above": "state_id", "oneline": "drivers_license"}


@pytest.fixture(scope="module")
def bill_image() -> tuple[DocumentState, synth.Drawn]:
    drawn = synth.bill_image_utility()
    return _run(synth.image_doc(drawn.image, role="residency")), drawn


def test_bill_addressee_not_company_po_box(bill_image) -> None:
    doc, drawn = bill_image
    assert doc.fields["address"].value == ReadAddress(
        "12 ELM ST", "APT 3", "HARTFORD", "CT", "06106"
    )
    assert _v(doc.fields, "last_name") == "GONZALEZ-RIVERA"
    assert _v(doc.fields, "first_name") == "MARIA"
    assert _covers(doc.fields["address"].box, drawn.boxes["address"])


def test_bill_statement_date_not_due_date(bill_image) -> None:
    doc, drawn = bill_image
    assert doc.fields["document_date"].value == dt.date(2026, 10, 28)
    assert _covers(doc.fields["document_date"].box, drawn.boxes["document_date"])
    assert doc.classification.document_type.value == "utility_bill"


@pytest.mark.parametrize("kind", ["bank", "lease", "letter"])
def test_text_pdf_residency_fields(kind: str) -> None:
    data, truth = synth.bill_pdf(kind)
    doc = _run(load_file(DocumentState("d1", "residency", "front", data), CTX))
    fields = doc.fields
    assert not doc.pages  # a text PDF is never OCRed
    address = fields["address"].value
    assert (address.city, address.state, address.zip) == (
        truth["city"],
        truth["state"],
        truth["zip"],
    )
    assert str(_v(fields, "first_name")).upper() == truth["first_name"]
    assert str(_v(fields, "last_name")).upper() == truth["last_name"]
    assert fields["document_date"].value.isoformat() == truth["document_date"]
    assert all(v.source == "pdf_text" for v in fields.values())


def test_residency_ignores_remittance_block() -> None:
    import io

    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 740, "City Water Department   Bill Date: 11/02/2026   Pay by: 11/30/2026")
    pdf.drawString(72, 700, "Robert K Lee")
    pdf.drawString(72, 686, "31 Oak Street")
    pdf.drawString(72, 672, "Hartford, CT 06105")
    pdf.drawString(72, 620, "Water usage 12 CCF   Amount due $40.10")
    pdf.drawString(72, 200, "Make checks payable to:")
    pdf.drawString(72, 186, "Water Collections Center")
    pdf.drawString(72, 172, "500 Main Street")
    pdf.drawString(72, 158, "Hartford, CT 06103")
    pdf.save()
    doc = _run(load_file(DocumentState("d1", "residency", "front", buf.getvalue()), CTX))
    assert (
        doc.fields["address"].value.line1 == "31 OAK ST"
        or doc.fields["address"].value.line1 == "31 OAK STREET"
    )
    assert doc.fields["document_date"].value == dt.date(2026, 11, 2)
    assert _v(doc.fields, "last_name") == "Lee"


def test_barcode_and_mrz_fields_take_precedence() -> None:
    from models.internal import BarcodeRecord

    drawn = synth.licence_aamva_numbered()
    barcode_name = FieldValue("GONZALEZ RIVERA", "barcode", 1.0)
    record = BarcodeRecord(9, "636006", {"DCS": "GONZALEZ RIVERA"}, {"last_name": barcode_name})
    doc = _run(synth.image_doc(drawn.image, barcode=record))
    assert doc.fields["last_name"].source == "barcode"
    assert doc.fields["date_of_birth"].source == "ocr"


def test_nothing_is_guessed_on_a_blank_page() -> None:
    import numpy as np

    doc = _run(synth.image_doc(np.full((800, 1270, 3), 255, np.uint8)))
    assert dict(doc.fields) == {}
