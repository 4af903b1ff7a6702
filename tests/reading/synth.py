"""Synthetic documents for the reading tests: licence fronts and bills drawn with PIL/reportlab.

Every renderer returns the image (or PDF bytes) and the box where each value was drawn,
so tests can check evidence boxes. Layouts differ on purpose (label beside / above /
AAMVA-numbered / one-line names) so that extraction is not tested on one template.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from models.contract import Application
from models.internal import DocumentState, Page, PageText, Word
from pipeline.context import Context
from pipeline.rules import builtin_pack

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SANS_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
LIB = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
LIB_BOLD = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"

Box = tuple[int, int, int, int]


@dataclass
class Drawn:
    """An image and where each named value was drawn on it."""

    image: np.ndarray
    boxes: dict[str, Box] = field(default_factory=dict)


class Canvas:
    """A white image with helpers that remember where values were drawn."""

    def __init__(self, width: int, height: int, bg: tuple[int, int, int] = (255, 255, 255)) -> None:
        self.img = Image.new("RGB", (width, height), bg)
        self.draw = ImageDraw.Draw(self.img)
        self.boxes: dict[str, Box] = {}

    def text(
        self,
        xy: tuple[int, int],
        text: str,
        size: int = 28,
        bold: bool = False,
        key: str | None = None,
        font: str | None = None,
        fill: tuple[int, int, int] = (20, 20, 20),
    ) -> Box:
        path = font or (SANS_BOLD if bold else SANS)
        f = ImageFont.truetype(path, size)
        self.draw.text(xy, text, font=f, fill=fill)
        box = tuple(int(v) for v in self.draw.textbbox(xy, text, font=f))
        if key:
            old = self.boxes.get(key)
            self.boxes[key] = box if old is None else _union(old, box)  # type: ignore[assignment]
        return box  # type: ignore[return-value]

    def done(self) -> Drawn:
        return Drawn(np.asarray(self.img)[:, :, ::-1].copy(), self.boxes)


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def licence_aamva_numbered() -> Drawn:
    """Layout A: AAMVA field numbers before labels and values, names on two lines."""
    c = Canvas(1200, 756, (236, 242, 250))
    c.draw.rectangle((0, 0, 1200, 90), fill=(40, 70, 140))
    c.text((30, 18), "CONNECTICUT", 44, True, fill=(255, 255, 255))
    c.text((520, 30), "DRIVER LICENSE", 34, True, fill=(255, 255, 255))
    c.draw.rectangle((30, 130, 330, 520), fill=(170, 170, 180))
    c.text((380, 120), "4d DLN", 22)
    c.text((490, 114), "123456789", 32, True, key="document_number")
    c.text((380, 170), "3 DOB", 22)
    c.text((470, 164), "03/14/1981", 32, True, key="date_of_birth")
    c.text((780, 170), "4b EXP", 22)
    c.text((880, 164), "03/14/2029", 32, True, key="expiry_date")
    c.text((380, 230), "1", 22)
    c.text((410, 222), "GONZALEZ-RIVERA", 34, True, key="last_name")
    c.text((380, 280), "2", 22)
    c.text((410, 272), "MARIA", 34, True, key="first_name")
    c.text((560, 272), "L", 34, True, key="middle_name")
    c.text((380, 340), "8", 22)
    c.text((410, 334), "12 ELM ST APT 3", 30, key="address")
    c.text((410, 378), "HARTFORD, CT 06106", 30, key="address")
    c.text((380, 450), "4a ISS", 22)
    c.text((480, 444), "03/10/2021", 30, key="issue_date")
    c.text((780, 450), "15 SEX F", 22)
    c.text((380, 520), "16 HGT 5'-05\"", 22)
    c.text((780, 520), "CLASS D", 22)
    return c.done()


def licence_labels_above() -> Drawn:
    """Layout B: small labels above their values (LN / FN / DOB / EXP / ADDRESS)."""
    c = Canvas(1100, 694)
    c.text((360, 20), "MASSACHUSETTS", 40, True, font=LIB_BOLD)
    c.text((360, 70), "IDENTIFICATION CARD", 28, font=LIB)
    c.draw.rectangle((30, 30, 320, 400), fill=(150, 150, 160))
    c.text((360, 130), "ID NUMBER", 18, font=LIB)
    c.text((360, 152), "S12345678", 30, True, key="document_number", font=LIB_BOLD)
    c.text((720, 130), "EXPIRES", 18, font=LIB)
    c.text((720, 152), "08-22-2030", 30, True, key="expiry_date", font=LIB_BOLD)
    c.text((360, 210), "LN", 18, font=LIB)
    c.text((360, 232), "O'BRIEN", 32, True, key="last_name", font=LIB_BOLD)
    c.text((360, 290), "FN", 18, font=LIB)
    c.text((360, 312), "JAMES", 32, True, key="first_name", font=LIB_BOLD)
    c.text((480, 312), "PATRICK", 32, True, key="middle_name", font=LIB_BOLD)
    c.text((360, 370), "DOB", 18, font=LIB)
    c.text((360, 392), "11-02-1975", 30, True, key="date_of_birth", font=LIB_BOLD)
    c.text((720, 370), "ISSUED", 18, font=LIB)
    c.text((720, 392), "08-22-2022", 30, key="issue_date", font=LIB)
    c.text((360, 450), "ADDRESS", 18, font=LIB)
    c.text((360, 472), "48 WORCESTER RD", 28, key="address", font=LIB)
    c.text((360, 508), "FRAMINGHAM, MA 01702", 28, key="address", font=LIB)
    return c.done()


def licence_one_line_name() -> Drawn:
    """Layout C: "LAST, FIRST MIDDLE" on one line, inline "LABEL: value" fields."""
    c = Canvas(1000, 630, (250, 246, 236))
    c.text((30, 20), "STATE OF CONNECTICUT", 30, True)
    c.text((30, 60), "Driver License", 28)

    def labelled(y: int, label: str, value: str, key: str) -> None:
        end = c.text((330, y), label, 28)[2]
        c.text((end + 14, y), value, 28, key=key)

    labelled(130, "LIC#:", "987 654 321", "document_number")
    c.text((330, 180), "NGUYEN, THANH V JR", 34, True, key="name")
    c.text((330, 240), "77 FARMINGTON AVE", 26, key="address")
    c.text((330, 276), "NEW BRITAIN CT 06051", 26, key="address")
    labelled(340, "DOB:", "1990-07-04", "date_of_birth")
    labelled(390, "ISS:", "2024-01-15", "issue_date")
    labelled(440, "EXP:", "2032-07-04", "expiry_date")
    c.draw.rectangle((30, 120, 300, 460), fill=(160, 160, 170))
    return c.done()


def bill_image_utility() -> Drawn:
    """An electric bill page image: company header with PO box, addressee block, dates."""
    c = Canvas(1700, 2200)
    c.text((100, 100), "BRIGHTSIDE ELECTRIC COMPANY", 48, True)
    c.text((100, 170), "PO BOX 5500", 30)
    c.text((100, 210), "SPRINGFIELD, MA 01101-5500", 30)
    c.text((1100, 120), "Statement Date:", 30)
    c.text((1350, 120), "10/28/2026", 30, key="document_date")
    c.text((1100, 170), "Due Date:", 30)
    c.text((1350, 170), "11/18/2026", 30)
    c.text((1100, 220), "Account: 4471-2209", 30)
    c.text((100, 420), "MARIA L GONZALEZ-RIVERA", 32, key="name")
    c.text((100, 465), "12 ELM ST APT 3", 32, key="address")
    c.text((100, 510), "HARTFORD, CT 06106", 32, key="address")
    c.text((100, 700), "Service period: 09/25/2026 - 10/24/2026", 30)
    c.text((100, 760), "Electric usage 612 kWh", 30)
    c.text((100, 820), "Amount due $ 118.42", 30)
    return c.done()


def bill_pdf(kind: str) -> tuple[bytes, dict[str, str]]:
    """A text PDF of a residency document of `kind` ("bank", "lease", "letter")."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    truth: dict[str, str] = {}
    if kind == "bank":
        pdf.setFont("Helvetica-Bold", 18)
        pdf.drawString(72, 730, "Harbor Federal Credit Union")
        pdf.setFont("Helvetica", 10)
        pdf.drawString(72, 714, "P.O. Box 1200, Boston, MA 02101")
        pdf.drawString(400, 730, "Statement Period 09/01/2026 to 09/30/2026")
        pdf.drawString(400, 716, "Statement Date: October 2, 2026")
        pdf.setFont("Helvetica", 11)
        pdf.drawString(90, 640, "JAMES P O'BRIEN")
        pdf.drawString(90, 626, "48 Worcester Road")
        pdf.drawString(90, 612, "Framingham, MA 01702")
        pdf.drawString(72, 560, "Checking account summary")
        pdf.drawString(
            72, 544, "Beginning balance $2,210.11   Deposits $3,100.00   Ending balance $2,004.90"
        )
        truth = {
            "document_date": "2026-10-02",
            "first_name": "JAMES",
            "last_name": "O'BRIEN",
            "city": "FRAMINGHAM",
            "zip": "01702",
            "state": "MA",
        }
    elif kind == "lease":
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(200, 740, "RESIDENTIAL LEASE AGREEMENT")
        pdf.setFont("Helvetica", 11)
        pdf.drawString(
            72, 700, "This lease is made on 3 June 2026 between Oak Property Management LLC"
        )
        pdf.drawString(72, 686, "(the Landlord) and the Tenant named below.")
        pdf.drawString(72, 650, "Tenant:")
        pdf.drawString(130, 650, "Thanh V Nguyen Jr")
        pdf.drawString(72, 636, "Premises:")
        pdf.drawString(130, 636, "77 Farmington Ave, Unit 2")
        pdf.drawString(130, 622, "New Britain, CT 06051")
        pdf.drawString(72, 590, "Term begins 07/01/2026 and ends 06/30/2027. Monthly rent $1,450.")
        truth = {
            "document_date": "2026-06-03",
            "first_name": "THANH",
            "last_name": "NGUYEN",
            "city": "NEW BRITAIN",
            "zip": "06051",
            "state": "CT",
        }
    else:  # a government letter
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(72, 740, "COMMONWEALTH OF MASSACHUSETTS")
        pdf.drawString(72, 722, "DEPARTMENT OF REVENUE")
        pdf.setFont("Helvetica", 10)
        pdf.drawString(72, 706, "PO Box 7010, Boston MA 02204")
        pdf.setFont("Helvetica", 11)
        pdf.drawString(400, 690, "Date of Notice: 09/15/2026")
        pdf.drawString(400, 676, "Respond by: 10/15/2026")
        pdf.drawString(72, 640, "Ana Maria Silva")
        pdf.drawString(72, 626, "9 Pleasant Street, Apt 4B")
        pdf.drawString(72, 612, "Worcester, MA 01609")
        pdf.drawString(72, 570, "Dear Ana Maria Silva,")
        pdf.drawString(72, 556, "This notice concerns your tax return for 2025.")
        truth = {
            "document_date": "2026-09-15",
            "first_name": "ANA",
            "last_name": "SILVA",
            "city": "WORCESTER",
            "zip": "01609",
            "state": "MA",
        }
    pdf.save()
    return buf.getvalue(), truth


def application(program: str = "CT", submitted: str = "2026-11-20") -> Application:
    """A minimal valid application (the reading stages only use submitted_on and the program)."""
    return Application.model_validate(
        {
            "application_id": "T-READ",
            "program": program,
            "kind": "new",
            "submitted_on": submitted,
            "profile": {
                "first_name": "Maria",
                "last_name": "Gonzalez-Rivera",
                "date_of_birth": "1981-03-14",
                "address": {
                    "line1": "12 Elm St",
                    "city": "Hartford",
                    "state": "CT",
                    "zip": "06106",
                },
            },
            "documents": [{"document_id": "d1", "role": "identity", "file": "x.jpg"}],
        }
    )


def context(program: str = "CT", submitted: str = "2026-11-20") -> Context:
    return Context(application=application(program, submitted), rules=builtin_pack(program))


def image_doc(image: np.ndarray, role: str = "identity", **kw: object) -> DocumentState:
    return DocumentState("d1", role, "front", b"", pages=(Page(0, image),), page_count=1, **kw)  # type: ignore[arg-type]


def text_doc(texts: tuple[PageText, ...], role: str = "residency", **kw: object) -> DocumentState:
    return DocumentState("d1", role, "front", b"", text=texts, page_count=len(texts), **kw)  # type: ignore[arg-type]


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def line_words(
    text: str, x: int, y: int, h: int = 20, step: int = 14, label_h: int = 0
) -> list[Word]:
    """OCR words of one printed line from (x, y), `step` px per character and between words;
    with `label_h`, the first word is a small label of that height on the same baseline."""
    out = []
    for i, tok in enumerate(text.split()):
        height = label_h if i == 0 and label_h else h
        width = step * len(tok)
        out.append(Word(tok, 0.95, (x, y + h - height, x + width, y + h), 0, 0))
        x += width + step
    return out


def line_segments(*lines: list[Word], width: int = 1700, height: int = 2200) -> list:
    """The layout segments of a page holding `lines` (of `line_words`)."""
    from pipeline.reading.layout import segments

    return segments(PageText(0, tuple(w for ln in lines for w in ln), "ocr", width, height))
