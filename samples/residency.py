"""Residency proofs: utility bills, bank statements, leases, letters, insurance and tax bills.

A builder lays a US-letter page out as drawing operations in points (origin top-left);
the same page renders to a text PDF (reportlab, invariant: fixed dates and ids) or to an
image (PIL) for the photographed and scanned variants. Every document carries distractors
(the company's own address or PO box, due dates, service periods, transaction dates) beside
the addressee block and the document date the verifier must find.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import textwrap
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from samples.profiles import (
    DATE_STYLES,
    STATE_NAMES,
    Address,
    Person,
    bill_address,
    bill_name,
    format_date,
)
from samples.render import font, font_path

PAGE_W, PAGE_H = 612.0, 792.0
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    # family: (pdf regular, pdf bold, image regular, image bold)
    "helvetica": ("Helvetica", "Helvetica-Bold", "sans", "sans-bold"),
    "times": ("Times-Roman", "Times-Bold", "serif", "serif-bold"),
    "courier": ("Courier", "Courier-Bold", "mono", "mono-bold"),
    "dejavu": ("DejaVuSans", "DejaVuSans-Bold", "dejavu", "dejavu-bold"),
    "libserif": ("LiberationSerif", "LiberationSerif-Bold", "serif", "serif-bold"),
    "narrow": ("LiberationSansNarrow", "LiberationSansNarrow-Bold", "narrow", "narrow-bold"),
}
_TTF = {
    "DejaVuSans": "dejavu",
    "DejaVuSans-Bold": "dejavu-bold",
    "LiberationSerif": "serif",
    "LiberationSerif-Bold": "serif-bold",
    "LiberationSansNarrow": "narrow",
    "LiberationSansNarrow-Bold": "narrow-bold",
}


@dataclass
class Page:
    """A page as drawing operations (points, origin top-left)."""

    family: str
    ops: list[tuple] = field(default_factory=list)

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float = 10,
        bold: bool = False,
        colour: tuple[int, int, int] = (0, 0, 0),
        align: str = "left",
    ) -> None:
        self.ops.append(("text", x, y, s, size, bold, colour, align))

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: tuple[int, int, int] | None = None,
        stroke: tuple[int, int, int] | None = None,
    ) -> None:
        self.ops.append(("rect", x, y, w, h, fill, stroke))

    def line(
        self, x1: float, y1: float, x2: float, y2: float, colour: tuple[int, int, int] = (0, 0, 0)
    ) -> None:
        self.ops.append(("line", x1, y1, x2, y2, colour))

    def para(self, x: float, y: float, s: str, width_chars: int = 95, size: float = 10) -> float:
        """Wrapped paragraph; returns the y below it."""
        for line in textwrap.wrap(s, width_chars):
            self.text(x, y, line, size)
            y += size * 1.35
        return y + size * 0.6


def render_pdf(pages: list[Page]) -> bytes:
    """A text PDF of `pages` (reportlab, invariant output: same input, same bytes)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1, pageCompression=1)
    c.setAuthor("")
    c.setCreator("")
    c.setProducer("")
    for page in pages:
        regular, bold = FAMILIES[page.family][:2]
        for name in (regular, bold):
            if name in _TTF and name not in pdfmetrics.getRegisteredFontNames():
                path = font_path(_TTF[name])
                if path:
                    pdfmetrics.registerFont(TTFont(name, path))
        for op in page.ops:
            _pdf_op(c, op, regular, bold)
        c.showPage()
    c.save()
    return buf.getvalue()


def _pdf_op(c: object, op: tuple, regular: str, bold: str) -> None:
    kind = op[0]
    if kind == "text":
        _, x, y, s, size, is_bold, colour, align = op
        c.setFont(bold if is_bold else regular, size)  # type: ignore[attr-defined]
        c.setFillColorRGB(*(v / 255 for v in colour))  # type: ignore[attr-defined]
        base = PAGE_H - y - size * 0.8
        draw = {"left": c.drawString, "right": c.drawRightString, "center": c.drawCentredString}[
            align
        ]  # type: ignore[attr-defined]
        draw(x, base, s)
    elif kind == "rect":
        _, x, y, w, h, fill, stroke = op
        if fill:
            c.setFillColorRGB(*(v / 255 for v in fill))  # type: ignore[attr-defined]
        if stroke:
            c.setStrokeColorRGB(*(v / 255 for v in stroke))  # type: ignore[attr-defined]
        c.rect(x, PAGE_H - y - h, w, h, fill=1 if fill else 0, stroke=1 if stroke else 0)  # type: ignore[attr-defined]
    elif kind == "line":
        _, x1, y1, x2, y2, colour = op
        c.setStrokeColorRGB(*(v / 255 for v in colour))  # type: ignore[attr-defined]
        c.line(x1, PAGE_H - y1, x2, PAGE_H - y2)  # type: ignore[attr-defined]


def render_image(page: Page, dpi: int) -> Image.Image:
    """The page as an RGB image at `dpi`."""
    k = dpi / 72.0
    img = Image.new("RGB", (int(PAGE_W * k), int(PAGE_H * k)), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    regular, bold = FAMILIES[page.family][2:]
    for op in page.ops:
        if op[0] == "text":
            _, x, y, s, size, is_bold, colour, align = op
            fnt = font(bold if is_bold else regular, max(6, round(size * k)))
            width = draw.textlength(s, font=fnt)
            px = x * k - (width if align == "right" else width / 2 if align == "center" else 0)
            draw.text((px, y * k), s, font=fnt, fill=colour)
        elif op[0] == "rect":
            _, x, y, w, h, fill, stroke = op
            draw.rectangle((x * k, y * k, (x + w) * k, (y + h) * k), fill=fill, outline=stroke)
        elif op[0] == "line":
            _, x1, y1, x2, y2, colour = op
            draw.line((x1 * k, y1 * k, x2 * k, y2 * k), fill=colour, width=max(1, round(k)))
    return img


@dataclass(frozen=True)
class Issuer:
    """Who sends a document: name and its own (distractor) address."""

    name: str
    lines: tuple[str, ...]
    phone: str
    colour: tuple[int, int, int]


def _issuer(rng: random.Random, kind: str, state: str) -> Issuer:
    st = STATE_NAMES.get(state, state)
    colour = rng.choice([(0, 70, 140), (0, 110, 80), (150, 40, 20), (90, 30, 110), (30, 30, 30)])
    phone = f"1-800-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
    po = f"PO Box {rng.randint(1000, 99999)}"
    remit = rng.choice(
        [
            ("Boston, MA 02205",),
            ("Hartford, CT 06151",),
            ("Albany, NY 12212",),
            ("Providence, RI 02940",),
            ("Springfield, MA 01101",),
        ]
    )
    names = {
        "electric": [
            f"{st} Light & Power",
            "Nutmeg Electric Company",
            "Bay State Power",
            "Colonial Energy",
        ],
        "gas": ["Charter Oak Gas Co.", "Pioneer Natural Gas", f"{st} Natural Gas Corp."],
        "water": [
            "Regional Water Authority",
            "Pioneer Valley Water",
            "Metropolitan Water District",
        ],
        "bank": [
            "Harbor Federal Savings",
            "Constitution State Bank",
            "First Colonial Credit Union",
            "Minuteman Community Bank",
        ],
        "insurance": [
            "Granite Mutual Insurance Co.",
            "Patriot Auto Insurance",
            "Homestead Casualty",
        ],
        "landlord": [
            "Oakridge Property Management LLC",
            "Riverside Apartments LLC",
            "Elm City Realty",
        ],
    }
    if kind in names:
        return Issuer(rng.choice(names[kind]), (po, *remit), phone, colour)
    raise ValueError(kind)


@dataclass(frozen=True)
class ResidencyDoc:
    """A generated residency proof: its page(s) and what it prints."""

    document_type: str
    layout: str
    pages: list[Page]
    fields: dict
    tags: list[str]


def _addressee(
    page: Page, x: float, y: float, name_line: str, addr_lines: list[str], size: float = 10.5
) -> None:
    page.text(x, y, name_line, size, bold=True)
    for i, line in enumerate(addr_lines):
        page.text(x, y + (i + 1) * size * 1.3, line, size)


def _header(page: Page, issuer: Issuer, right: bool) -> None:
    x = 540 if right else 54
    align = "right" if right else "left"
    page.rect(54 if not right else 480, 36, 60, 24, fill=issuer.colour)
    ty = 66
    page.text(x, ty, issuer.name, 15, bold=True, colour=issuer.colour, align=align)
    for i, line in enumerate(issuer.lines):
        page.text(x, ty + 19 + i * 11, line, 8.5, align=align)
    page.text(
        x, ty + 19 + len(issuer.lines) * 11, f"Customer Service {issuer.phone}", 8.5, align=align
    )


def _summary(
    page: Page, x: float, y: float, rows: list[tuple[str, str]], colour: tuple[int, int, int]
) -> float:
    page.rect(x, y, 230, 16 + 15 * len(rows), stroke=colour)
    page.rect(x, y, 230, 14, fill=colour)
    page.text(x + 6, y + 2, "ACCOUNT SUMMARY", 8.5, bold=True, colour=(255, 255, 255))
    for i, (label, value) in enumerate(rows):
        page.text(x + 6, y + 18 + 15 * i, label, 9)
        page.text(x + 224, y + 18 + 15 * i, value, 9, bold=True, align="right")
    return y + 16 + 15 * len(rows) + 10


def _stub(
    page: Page,
    issuer: Issuer,
    name_line: str,
    addr_lines: list[str],
    account: str,
    amount: str,
    due: str,
) -> None:
    y = 640
    for x in range(54, 560, 8):
        page.line(x, y, x + 4, y, (120, 120, 120))
    page.text(54, y + 8, "Please detach and return this portion with your payment.", 7.5)
    page.text(54, y + 24, f"Account Number {account}", 9, bold=True)
    page.text(54, y + 37, f"Amount Due {amount}   Due by {due}", 9)
    _addressee(page, 54, y + 58, name_line, addr_lines, 8.5)
    page.text(340, y + 58, "Make checks payable to:", 8)
    page.text(340, y + 70, issuer.name, 9, bold=True)
    for i, line in enumerate(issuer.lines):
        page.text(340, y + 82 + 11 * i, line, 9)


def _money(rng: random.Random, low: float, high: float) -> str:
    return f"${rng.uniform(low, high):,.2f}"


def _common(
    person: Person, address: Address, rng: random.Random
) -> tuple[dict, str, list[str], list[str]]:
    name_fields, name_line, tags = bill_name(person, rng)
    addr_fields, addr_lines, addr_tags = bill_address(address, rng)
    return {**name_fields, "address": addr_fields}, name_line, addr_lines, tags + addr_tags


def utility_bill(
    person: Person, address: Address, date: dt.date, rng: random.Random
) -> ResidencyDoc:
    """An electric, gas or water bill (three layouts)."""
    utility = rng.choice(["electric", "gas", "water"])
    issuer = _issuer(rng, utility, address.state)
    fields, name_line, addr_lines, tags = _common(person, address, rng)
    style = rng.choice(DATE_STYLES)
    variant = rng.choice(["classic", "boxed", "banner"])
    page = Page(rng.choice(list(FAMILIES)))
    account = f"{rng.randint(1000, 9999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    due = date + dt.timedelta(days=rng.randint(18, 28))
    start = date - dt.timedelta(days=rng.randint(33, 40))
    end = date - dt.timedelta(days=rng.randint(2, 5))
    amount = _money(rng, 40, 380)
    date_label = rng.choice(["Bill Date", "Statement Date", "Date Issued", "Billing Date"])
    due_label = rng.choice(["Payment Due", "Due Date", "Please Pay By"])
    rows = [
        ("Account Number", account),
        (date_label, format_date(date, style)),
        ("Service Period", f"{format_date(start, 'us')} - {format_date(end, 'us')}"),
        ("Previous Balance", _money(rng, 40, 300)),
        ("Payment Received - Thank You", "-" + _money(rng, 40, 300)),
        (due_label, format_date(due, style)),
        ("Total Amount Due", amount),
    ]
    _header(page, issuer, right=variant == "banner")
    if variant == "classic":
        _addressee(page, 72, 170, name_line, addr_lines)
        y = _summary(page, 310, 160, rows, issuer.colour)
    elif variant == "boxed":
        y = _summary(page, 54, 150, rows, issuer.colour)
        _addressee(page, 330, 165, name_line, addr_lines)
        page.text(330, 150, "SERVICE ADDRESS / MAIL TO", 7.5, colour=(90, 90, 90))
    else:
        page.rect(54, 140, 504, 22, fill=issuer.colour)
        page.text(
            60,
            145,
            f"YOUR {utility.upper()} BILL  -  {date_label}: {format_date(date, style)}",
            11,
            bold=True,
            colour=(255, 255, 255),
        )
        _addressee(page, 72, 180, name_line, addr_lines)
        y = _summary(page, 310, 175, rows[:1] + rows[2:], issuer.colour)
    unit = {"electric": "kWh", "gas": "Therms", "water": "HCF"}[utility]
    y = max(y, 290) + 10
    page.text(54, y, f"{utility.title()} usage details", 11, bold=True, colour=issuer.colour)
    page.line(54, y + 15, 558, y + 15, issuer.colour)
    y += 22
    prev_read, use = rng.randint(10000, 60000), rng.randint(20, 900)
    for label, value in [
        ("Meter number", f"{rng.randint(10**7, 10**8 - 1)}"),
        (f"Previous reading {format_date(start, 'us')}", f"{prev_read:,}"),
        (f"Current reading {format_date(end, 'us')}", f"{prev_read + use:,}"),
        (f"Total usage ({unit})", f"{use:,}"),
        ("Supply charge", _money(rng, 20, 180)),
        ("Delivery charge", _money(rng, 15, 140)),
        ("Customer charge", _money(rng, 9, 15)),
    ]:
        page.text(64, y, label, 9.5)
        page.text(548, y, value, 9.5, align="right")
        y += 14
    y += 10
    page.para(
        54,
        y,
        "To avoid a late payment charge of 1.5% per month, payment must be received "
        "by the due date. For questions about your bill, call customer service or visit our "
        "office. Our mailing address is shown above.",
        110,
        8.5,
    )
    _stub(page, issuer, name_line, addr_lines, account, amount, format_date(due, style))
    fields |= {
        "document_date": date.isoformat(),
        "due_date": due.isoformat(),
        "document_number": account,
    }
    return ResidencyDoc(
        "utility_bill", f"utility_{variant}", [page], fields, [*tags, f"date_style:{style}"]
    )


def bank_statement(
    person: Person, address: Address, date: dt.date, rng: random.Random
) -> ResidencyDoc:
    """A monthly bank statement with a transaction list (dates as distractors)."""
    issuer = _issuer(rng, "bank", address.state)
    fields, name_line, addr_lines, tags = _common(person, address, rng)
    style = rng.choice(DATE_STYLES)
    page = Page(rng.choice(list(FAMILIES)))
    start = date - dt.timedelta(days=rng.randint(28, 31))
    account = f"XXXXXX{rng.randint(1000, 9999)}"
    _header(page, issuer, right=rng.random() < 0.5)
    _addressee(page, 72, 170, name_line, addr_lines)
    rows = [
        ("Account", account),
        ("Statement Date", format_date(date, style)),
        ("Statement Period", f"{format_date(start, 'us')} to {format_date(date, 'us')}"),
        ("Beginning Balance", _money(rng, 200, 9000)),
        ("Deposits and Credits", _money(rng, 500, 5000)),
        ("Withdrawals and Debits", _money(rng, 300, 4000)),
        ("Ending Balance", _money(rng, 200, 9000)),
    ]
    y = _summary(page, 310, 160, rows, issuer.colour) + 20
    page.text(54, y, "TRANSACTION DETAIL", 11, bold=True, colour=issuer.colour)
    y += 18
    page.text(54, y, "Date", 9, bold=True)
    page.text(130, y, "Description", 9, bold=True)
    page.text(548, y, "Amount", 9, bold=True, align="right")
    y += 14
    descriptions = [
        "DEBIT CARD PURCHASE GROCERY",
        "ONLINE TRANSFER TO SAVINGS",
        "DIRECT DEPOSIT PAYROLL",
        "ATM WITHDRAWAL",
        "CHECK #1042",
        "UTILITY AUTOPAY",
        "PHARMACY PURCHASE",
    ]
    for _ in range(rng.randint(8, 14)):
        day = start + dt.timedelta(days=rng.randint(0, (date - start).days))
        page.text(54, y, day.strftime("%m/%d"), 9)
        page.text(130, y, rng.choice(descriptions), 9)
        page.text(548, y, _money(rng, 3, 900), 9, align="right")
        y += 13
    page.para(
        54,
        max(y + 12, 640),
        f"Member FDIC. Questions? Call {issuer.phone} or write to us at {', '.join(issuer.lines)}.",
        110,
        8,
    )
    fields |= {"document_date": date.isoformat(), "document_number": account}
    return ResidencyDoc(
        "bank_statement", "bank_statement", [page], fields, [*tags, f"date_style:{style}"]
    )


def insurance_statement(
    person: Person, address: Address, date: dt.date, rng: random.Random
) -> ResidencyDoc:
    """An auto-insurance declarations page (policy period as distractor dates)."""
    issuer = _issuer(rng, "insurance", address.state)
    fields, name_line, addr_lines, tags = _common(person, address, rng)
    style = rng.choice(DATE_STYLES)
    page = Page(rng.choice(list(FAMILIES)))
    policy = f"{rng.choice('ABCP')}{rng.randint(10**8, 10**9 - 1)}"
    begins = date + dt.timedelta(days=rng.randint(5, 20))
    ends = begins + dt.timedelta(days=182)
    _header(page, issuer, right=rng.random() < 0.5)
    page.text(306, 140, "AUTOMOBILE POLICY DECLARATIONS", 13, bold=True, align="center")
    page.text(54, 165, f"Date Issued: {format_date(date, style)}", 10)
    page.text(330, 165, f"Policy Number: {policy}", 10)
    page.text(54, 185, "Named Insured and Mailing Address", 8.5, colour=(90, 90, 90))
    _addressee(page, 54, 198, name_line, addr_lines)
    page.text(330, 185, "Policy Period (12:01 a.m. standard time)", 8.5, colour=(90, 90, 90))
    page.text(330, 198, f"{format_date(begins, 'us')} to {format_date(ends, 'us')}", 10)
    y = 280
    page.text(54, y, "Coverages", 11, bold=True, colour=issuer.colour)
    y += 18
    for label in [
        "Bodily Injury Liability",
        "Property Damage",
        "Uninsured Motorist",
        "Medical Payments",
        "Collision",
        "Comprehensive",
    ]:
        page.text(64, y, label, 9.5)
        page.text(548, y, _money(rng, 30, 400), 9.5, align="right")
        y += 14
    year = rng.randint(2012, 2025)
    page.text(
        54,
        y + 12,
        f"Vehicle: {year} {rng.choice(_VEHICLES)}"
        f"  VIN {rng.randint(10**9, 10**10 - 1)}XYZ{rng.randint(100, 999)}",
        9.5,
    )
    page.para(
        54,
        y + 40,
        "The vehicle is principally garaged at the mailing address above unless stated "
        f"otherwise. Claims: {issuer.phone}. Send correspondence to {', '.join(issuer.lines)}.",
        110,
        8.5,
    )
    fields |= {"document_date": date.isoformat(), "document_number": policy}
    return ResidencyDoc(
        "insurance_statement",
        "insurance_declarations",
        [page],
        fields,
        [*tags, f"date_style:{style}"],
    )


_AGENCIES = {
    "CT": [
        "State of Connecticut Department of Revenue Services",
        "Connecticut Department of Motor Vehicles",
        "Connecticut Department of Social Services",
    ],
    "MA": [
        "Commonwealth of Massachusetts Department of Revenue",
        "Massachusetts Registry of Motor Vehicles",
        "Massachusetts Department of Transitional Assistance",
    ],
}
_VEHICLES = ["HONDA CIVIC", "TOYOTA RAV4", "FORD F150", "SUBARU OUTBACK"]
_AGENCY_CITIES = [
    "Hartford, CT 06102",
    "Boston, MA 02204",
    "Baltimore, MD 21235",
    "Kansas City, MO 64999",
]
_FEDERAL = [
    "Social Security Administration",
    "Internal Revenue Service",
    "U.S. Department of Veterans Affairs",
]


def government_letter(
    person: Person, address: Address, date: dt.date, rng: random.Random
) -> ResidencyDoc:
    """A letter from a state or federal agency."""
    fields, name_line, addr_lines, tags = _common(person, address, rng)
    style = rng.choice(DATE_STYLES)
    agency = rng.choice(_AGENCIES.get(address.state, []) + _FEDERAL)
    page = Page(rng.choice(["times", "libserif", "helvetica", "courier"]))
    page.text(306, 50, agency.upper(), 13, bold=True, align="center")
    page.text(
        306,
        68,
        f"PO Box {rng.randint(100, 9999)}, {rng.choice(_AGENCY_CITIES)}",
        9,
        align="center",
    )
    page.line(54, 84, 558, 84)
    page.text(400, 100, format_date(date, style), 10.5)
    _addressee(page, 72, 130, name_line, addr_lines)
    ref = f"{rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
    page.text(72, 215, f"Reference: {ref}", 10.5, bold=True)
    greeting = f"Dear {fields['first_name']} {person.last}:"
    y = page.para(72, 240, greeting, 90, 10.5)
    body = [
        "We are writing to confirm the information we have on file for you. Our records show the "
        "mailing address printed above. If this address is not correct, please contact us within "
        "30 days of the date of this letter.",
        f"You do not need to respond to this letter if the information is correct. Please keep it "
        "for your records. Any response must be received by "
        f"{format_date(date + dt.timedelta(days=30), 'long')}.",
        "This notice was generated automatically. Thank you.",
    ]
    for paragraph in body:
        y = page.para(72, y, paragraph, 90, 10.5)
    page.text(72, y + 20, "Sincerely,", 10.5)
    page.text(72, y + 50, agency, 10.5)
    fields |= {"document_date": date.isoformat(), "document_number": ref}
    return ResidencyDoc(
        "government_letter", "government_letter", [page], fields, [*tags, f"date_style:{style}"]
    )


def tax_bill(person: Person, address: Address, date: dt.date, rng: random.Random) -> ResidencyDoc:
    """A municipal real-estate or motor-vehicle tax bill."""
    fields, name_line, addr_lines, tags = _common(person, address, rng)
    style = rng.choice(DATE_STYLES)
    page = Page(rng.choice(list(FAMILIES)))
    kind = rng.choice(
        ["REAL ESTATE TAX BILL", "MOTOR VEHICLE EXCISE TAX BILL", "PROPERTY TAX BILL"]
    )
    town = address.city
    page.text(306, 44, f"CITY OF {town.upper()}", 14, bold=True, align="center")
    page.text(306, 62, "OFFICE OF THE TAX COLLECTOR", 10, align="center")
    page.text(
        306,
        76,
        f"{rng.randint(1, 600)} Main Street, {town}, {address.state} {address.zip}",
        9,
        align="center",
    )
    page.text(306, 100, kind, 12, bold=True, align="center")
    page.text(
        306, 116, f"Fiscal Year {date.year}  -  Grand List {date.year - 1}", 10, align="center"
    )
    bill_no = f"{date.year - 1}-{rng.randint(10, 99)}-{rng.randint(10000, 99999)}"
    page.text(54, 145, f"Bill Date: {format_date(date, style)}", 10)
    page.text(330, 145, f"Bill Number: {bill_no}", 10)
    page.text(54, 165, "Owner / Mailing Address", 8.5, colour=(90, 90, 90))
    _addressee(page, 54, 178, name_line, addr_lines)
    first_due = dt.date(date.year, 7, 1) if date.month < 7 else dt.date(date.year + 1, 1, 1)
    y = 260
    page.text(54, y, "Assessment", 9.5)
    page.text(300, y, f"${rng.randint(80, 400) * 1000:,}", 9.5, align="right")
    page.text(54, y + 14, "Mill rate", 9.5)
    page.text(300, y + 14, f"{rng.uniform(20, 45):.2f}", 9.5, align="right")
    amount = _money(rng, 300, 4000)
    page.text(54, y + 28, "Installment due", 9.5)
    page.text(300, y + 28, f"{format_date(first_due, 'us')}  {amount}", 9.5, align="right")
    page.para(
        54,
        y + 60,
        "Interest of 1.5% per month is charged on late payments from the due date. "
        "Payments may be mailed to the Tax Collector at the address above.",
        110,
        8.5,
    )
    fields |= {"document_date": date.isoformat(), "document_number": bill_no}
    return ResidencyDoc("tax_bill", "tax_bill", [page], fields, [*tags, f"date_style:{style}"])


def lease(person: Person, address: Address, date: dt.date, rng: random.Random) -> ResidencyDoc:
    """A residential lease agreement (two pages: terms, then signatures)."""
    issuer = _issuer(rng, "landlord", address.state)
    fields, name_line, addr_lines, tags = _common(person, address, rng)
    style = rng.choice(DATE_STYLES)
    family = rng.choice(["times", "libserif", "helvetica", "dejavu"])
    start = date + dt.timedelta(days=rng.randint(3, 25))
    end = start + dt.timedelta(days=364)
    rent = f"${rng.randint(9, 32) * 100:,}.00"
    p1 = Page(family)
    p1.text(306, 50, "RESIDENTIAL LEASE AGREEMENT", 15, bold=True, align="center")
    p1.text(306, 70, f"{issuer.name}, {', '.join(issuer.lines)}", 9, align="center")
    y = p1.para(
        54,
        100,
        f"This Lease Agreement is made on {format_date(date, style)} between {issuer.name} "
        f'("Landlord") and {name_line} ("Tenant").',
        100,
        10.5,
    )
    y = p1.para(54, y, "1. PREMISES. Landlord leases to Tenant the dwelling located at:", 100, 10.5)
    for line in addr_lines:
        p1.text(90, y, line, 10.5, bold=True)
        y += 14
    y += 8
    clauses = [
        f"2. TERM. The term begins on {format_date(start, 'long')} and ends on "
        f"{format_date(end, 'long')}.",
        f"3. RENT. Tenant shall pay {rent} per month, due on the first day of each month, "
        "to the Landlord "
        "at the address above or at such other place as Landlord designates in writing.",
        f"4. SECURITY DEPOSIT. Tenant has deposited {rent} as security for the performance "
        "of this Lease.",
        "5. UTILITIES. Tenant is responsible for electricity and gas. Landlord provides "
        "water and sewer.",
        "6. OCCUPANCY. The premises shall be used only as a private residence for Tenant.",
        "7. NOTICES. Notices to Landlord shall be sent to the address printed at the top "
        "of this Lease.",
    ]
    for clause in clauses:
        y = p1.para(54, y, clause, 100, 10.5)
    p2 = Page(family)
    p2.text(54, 60, "SIGNATURES", 12, bold=True)
    p2.text(54, 100, "Landlord: ______________________________", 10.5)
    p2.text(54, 118, f"{issuer.name}   Date: {format_date(date, style)}", 10)
    p2.text(54, 160, "Tenant: ________________________________", 10.5)
    p2.text(54, 178, f"{name_line}   Date: {format_date(date, style)}", 10)
    fields |= {"document_date": date.isoformat()}
    return ResidencyDoc("lease", "lease", [p1, p2], fields, [*tags, f"date_style:{style}"])


BUILDERS = {
    "utility_bill": utility_bill,
    "bank_statement": bank_statement,
    "insurance_statement": insurance_statement,
    "government_letter": government_letter,
    "tax_bill": tax_bill,
    "lease": lease,
}
