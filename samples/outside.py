"""An independent held-out renderer: documents "made by other hands".

Templates here are deliberately unlike `samples.residency` / `samples.cards` (other
fonts, wording, layouts and date conventions), modelled on what real issuers print:
AAMVA-numbered licences ("4d DLN", "1", "2", "8", "3 DOB" in red), LN/FN cards, names as
two unlabeled lines, vertical under-21 cards, trilingual passport data pages, TD1 passport
cards, utility bills with a remittance stub, bank statements with a statement period,
leases with an ordinal date, agency letters dated at the top right. Only the plumbing is
shared (profiles, degradation, AAMVA encoding, MRZ composition, bundle writing).

Entry point: `generate(out, n, seed, program)`; same arguments, same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from models.flags import DEFAULT_DECISION, Decision, FlagCode
from models.truth import DocumentTruth, Truth
from samples import degrade
from samples.aamva import IINS, VERSIONS, CardData, ascii_upper, encode
from samples.cards import PassportData, corrupt_check_digit, licence_back, mrz_lines
from samples.generator import write
from samples.profiles import (
    CITIES,
    OUT_OF_STATE,
    STATE_NAMES,
    STREET_TYPES,
    Address,
    Person,
    make_address,
    make_person,
    other_person,
    profile_json,
)
from samples.render import font_path, id_photo, portrait
from samples.scenarios import Built, Doc, card_fields

GENERATOR_VERSION = "outside-1"
CLEAN_SHARE = 0.4
SCENARIOS: tuple[str, ...] = (
    "NAME_MISMATCH",
    "ADDRESS_MISMATCH",
    "DOCUMENT_TOO_OLD",
    "DOCUMENT_EXPIRED",
    "WRONG_DOCUMENT_TYPE",
    "DOB_MISMATCH",
    "ADDRESS_OUT_OF_STATE",
    "MRZ_INVALID",
    "IMAGE_BLURRY",
)
WINDOWS = {"CT": {"lease": 365, "default": 90}, "MA": {"lease": 183, "default": 60}}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
FR_MONTHS = (
    "JANV",
    "FÉVR",
    "MARS",
    "AVR",
    "MAI",
    "JUIN",
    "JUIL",
    "AOÛT",
    "SEPT",
    "OCT",
    "NOV",
    "DÉC",
)
RGB = tuple[int, int, int]
BLACK: RGB = (0, 0, 0)

# ------------------------------------------------------------------------------ fonts

_DV, _LB = "/usr/share/fonts/truetype/dejavu/", "/usr/share/fonts/truetype/liberation/"
FONT_FILES: dict[str, str] = {
    "dserif": _DV + "DejaVuSerif.ttf",
    "dserif-b": _DV + "DejaVuSerif-Bold.ttf",
    "dserifc": _DV + "DejaVuSerifCondensed.ttf",
    "dserifc-b": _DV + "DejaVuSerifCondensed-Bold.ttf",
    "dcond": _DV + "DejaVuSansCondensed.ttf",
    "dcond-b": _DV + "DejaVuSansCondensed-Bold.ttf",
    "dmono": _DV + "DejaVuSansMono.ttf",
    "dmono-b": _DV + "DejaVuSansMono-Bold.ttf",
    "lnarrow": _LB + "LiberationSansNarrow-Regular.ttf",
    "lnarrow-b": _LB + "LiberationSansNarrow-Bold.ttf",
    "lmono": _LB + "LiberationMono-Regular.ttf",
    "lmono-b": _LB + "LiberationMono-Bold.ttf",
    "lserif": _LB + "LiberationSerif-Regular.ttf",
    "lserif-b": _LB + "LiberationSerif-Bold.ttf",
    "lsans-i": _LB + "LiberationSans-Italic.ttf",
    "dserif-i": _DV + "DejaVuSerif-Italic.ttf",
}
FAMILIES: tuple[str, ...] = ("dserif", "dserifc", "dcond", "lnarrow", "lmono", "lserif", "dmono")


def _file(key: str) -> str:
    path = FONT_FILES.get(key, "")
    if Path(path).exists():
        return path
    return font_path("sans-bold" if key.endswith("-b") else "sans") or ""


@functools.lru_cache(maxsize=512)
def ttf(key: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A PIL font from the outside set's own font table."""
    path = _file(key)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


# ------------------------------------------------------------------------------ pages


@dataclass
class Sheet:
    """A US-letter page as drawing operations in points (origin top-left)."""

    family: str
    ops: list[tuple] = field(default_factory=list)

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float = 9.0,
        bold: bool = False,
        colour: RGB = BLACK,
        align: str = "left",
    ) -> None:
        key = f"{self.family}-b" if bold else self.family
        self.ops.append(("text", x, y, s, size, key, colour, align))

    def box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: RGB | None = None,
        stroke: RGB | None = None,
    ) -> None:
        self.ops.append(("box", x, y, w, h, fill, stroke))

    def rule(
        self, x1: float, y1: float, x2: float, y2: float, colour: RGB = (120, 120, 120)
    ) -> None:
        self.ops.append(("rule", x1, y1, x2, y2, colour))

    def poly(self, points: list[tuple[float, float]], fill: RGB) -> None:
        self.ops.append(("poly", tuple(points), fill))

    def para(self, x: float, y: float, s: str, chars: int = 100, size: float = 9.0) -> float:
        """A wrapped paragraph; returns the y below it."""
        for line in textwrap.wrap(s, chars):
            self.text(x, y, line, size)
            y += size * 1.4
        return y + size * 0.7


def _pdf(sheets: list[Sheet]) -> bytes:
    """A text PDF (reportlab, invariant) with the sheets' own TrueType fonts embedded."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1, pageCompression=1)
    c.setCreator("")
    c.setProducer("")
    h = letter[1]
    for sheet in sheets:
        for op in sheet.ops:
            if op[0] == "text":
                _, x, y, s, size, key, colour, align = op
                name = f"OUT-{key}"
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, _file(key)))
                c.setFont(name, size)
                c.setFillColorRGB(*(v / 255 for v in colour))
                draw = {"left": c.drawString, "right": c.drawRightString}.get(
                    align, c.drawCentredString
                )
                draw(x, h - y - size * 0.8, s)
            elif op[0] == "box":
                _, x, y, w, bh, fill, stroke = op
                if fill:
                    c.setFillColorRGB(*(v / 255 for v in fill))
                if stroke:
                    c.setStrokeColorRGB(*(v / 255 for v in stroke))
                c.rect(x, h - y - bh, w, bh, fill=1 if fill else 0, stroke=1 if stroke else 0)
            elif op[0] == "rule":
                _, x1, y1, x2, y2, colour = op
                c.setStrokeColorRGB(*(v / 255 for v in colour))
                c.line(x1, h - y1, x2, h - y2)
            else:
                _, points, fill = op
                c.setFillColorRGB(*(v / 255 for v in fill))
                path = c.beginPath()
                path.moveTo(points[0][0], h - points[0][1])
                for px, py in points[1:]:
                    path.lineTo(px, h - py)
                path.close()
                c.drawPath(path, fill=1, stroke=0)
        c.showPage()
    c.save()
    return buf.getvalue()


def _raster(sheet: Sheet, dpi: int) -> Image.Image:
    """The sheet as an RGB image at `dpi`."""
    k = dpi / 72.0
    img = Image.new("RGB", (int(612 * k), int(792 * k)), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    for op in sheet.ops:
        if op[0] == "text":
            _, x, y, s, size, key, colour, align = op
            fnt = ttf(key, max(6, round(size * k)))
            width = draw.textlength(s, font=fnt)
            shift = {"left": 0, "right": width}.get(align, width / 2)
            draw.text((x * k - shift, y * k), s, font=fnt, fill=colour)
        elif op[0] == "box":
            _, x, y, w, bh, fill, stroke = op
            draw.rectangle((x * k, y * k, (x + w) * k, (y + bh) * k), fill=fill, outline=stroke)
        elif op[0] == "rule":
            _, x1, y1, x2, y2, colour = op
            draw.line((x1 * k, y1 * k, x2 * k, y2 * k), fill=colour, width=max(1, round(k * 0.8)))
        else:
            _, points, fill = op
            draw.polygon([(px * k, py * k) for px, py in points], fill=fill)
    return img


def _logo(sheet: Sheet, x: float, y: float, colour: RGB, rng: random.Random) -> None:
    """An issuer logo made of shapes: a roundel, a bolt, a wave or a chevron."""
    kind = rng.choice(["roundel", "bolt", "wave", "chevron"])
    if kind == "roundel":
        pts = [(x + 18 + 18 * _cos(a), y + 18 + 18 * _sin(a)) for a in range(0, 360, 20)]
        sheet.poly(pts, colour)
        inner = [(x + 18 + 9 * _cos(a), y + 18 + 9 * _sin(a)) for a in range(0, 360, 30)]
        sheet.poly(inner, (255, 255, 255))
    elif kind == "bolt":
        sheet.poly(
            [
                (x + 20, y),
                (x + 4, y + 22),
                (x + 16, y + 22),
                (x + 10, y + 38),
                (x + 30, y + 14),
                (x + 18, y + 14),
            ],
            colour,
        )
    elif kind == "wave":
        for i in range(3):
            sheet.box(x, y + i * 12, 36, 7, fill=colour)
    else:
        sheet.poly(
            [
                (x, y),
                (x + 18, y + 18),
                (x + 36, y),
                (x + 36, y + 14),
                (x + 18, y + 34),
                (x, y + 14),
            ],
            colour,
        )


def _cos(deg: float) -> float:
    import math

    return math.cos(math.radians(deg))


def _sin(deg: float) -> float:
    import math

    return math.sin(math.radians(deg))


# ---------------------------------------- printing conventions


def _date(d: dt.date, style: str) -> str:
    """A date as US issuers print it on paper documents."""
    return {
        "mon": f"{d.strftime('%b')} {d.day}, {d.year}",
        "long": f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
        "us2": d.strftime("%m/%d/%y"),
        "us4": d.strftime("%m/%d/%Y"),
        "dmy": f"{d.day:02d}-{d.strftime('%b').upper()}-{d.year}",
        "dot": d.strftime("%m.%d.%Y"),
    }[style]


PAPER_DATES = ("mon", "long", "us2", "us4", "dmy", "dot")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Printed:
    """How a paper document prints its addressee: lines and the truth fields."""

    name_line: str
    address_lines: tuple[str, ...]
    fields: dict
    tags: tuple[str, ...]


def _printed(person: Person, address: Address, rng: random.Random, joint: bool = False) -> Printed:
    """Name and address in one of the conventions of real mailers."""
    tags: list[str] = []
    middle = person.middle
    roll = rng.random()
    if middle and roll < 0.4:
        middle = middle[0]
    elif middle and roll < 0.7:
        middle = None
    mid = [f"{middle}" if middle and len(middle) > 1 else middle] if middle else []
    parts = [person.first, *mid, person.last] + ([person.suffix] if person.suffix else [])
    name = " ".join(p for p in parts if p)
    if rng.random() < 0.15:
        name = f"{person.last} {person.first}" + (f" {middle}" if middle else "")
        tags.append("last_first_no_comma")
    if joint:
        co = make_person(rng, address.state)
        name = f"{name} {rng.choice(['OR', '&', 'AND'])} {co.first} {person.last}"
        tags.append("joint_holders")
    abbrev = rng.random() < 0.6
    street = address.line1(abbreviate=abbrev)
    unit_word = rng.choice(["APT", "UNIT", "#", "Apt", "Ste"]) if address.unit else ""
    unit = (
        (f"# {address.unit}" if unit_word == "#" else f"{unit_word} {address.unit}")
        if address.unit
        else None
    )
    zip_code = f"{address.zip}-{address.zip4}" if rng.random() < 0.45 else address.zip
    city_line = (
        f"{address.city} {address.state} {zip_code}"
        if rng.random() < 0.5
        else f"{address.city}, {address.state} {zip_code}"
    )
    lines = [f"{street} {unit}" if unit and rng.random() < 0.6 else street]
    if unit and lines[0] == street:
        lines.append(unit)
    lines.append(city_line)
    if rng.random() < 0.6:
        name, lines = name.upper(), [ln.upper() for ln in lines]
        tags.append("upper")
    fields = {
        "first_name": person.first,
        "middle_name": middle,
        "last_name": person.last,
        "suffix": person.suffix,
        "address": {
            "line1": street,
            "line2": unit,
            "city": address.city,
            "state": address.state,
            "zip": zip_code,
        },
    }
    return Printed(name, tuple(lines), fields, tuple(tags))


def _addressee(sheet: Sheet, x: float, y: float, printed: Printed, size: float = 10) -> None:
    sheet.text(x, y, printed.name_line, size)
    for i, line in enumerate(printed.address_lines, start=1):
        sheet.text(x, y + i * size * 1.3, line, size)


def _money(rng: random.Random, low: float, high: float) -> str:
    return f"${rng.uniform(low, high):,.2f}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


@dataclass
class Paper:
    """A residency document: its sheets and the truth of what it prints."""

    sheets: list[Sheet]
    fields: dict
    layout: str
    tags: list[str]


# ---------------------------------------- residency: utility bills

UTILITIES: dict[str, tuple[tuple[str, str], ...]] = {
    # kind: ((issuer name, remittance city line), ...)
    "electric": (
        ("Northway Electric", "DALLAS TX 75265-0031"),
        ("Quinebaug Power & Light", "BOSTON MA 02298-1234"),
    ),
    "gas": (
        ("Harborline Natural Gas", "PHILADELPHIA PA 19176-0094"),
        ("Tri-County Gas Company", "HARTFORD CT 06150-1901"),
    ),
    "water": (
        ("Regional Water Authority", "NEW HAVEN CT 06511-5966"),
        ("Pioneer Valley Water Dept.", "SPRINGFIELD MA 01102-0900"),
    ),
    "telecom": (
        ("Clearwave Internet & TV", "CAROL STREAM IL 60197-5085"),
        ("Atlantic Fiber Communications", "NEWARK NJ 07101-0650"),
    ),
}
UNITS = {"electric": "kWh", "gas": "CCF", "water": "HCF", "telecom": ""}


def utility_bill(person: Person, address: Address, date: dt.date, rng: random.Random) -> Paper:
    """An electric, gas, water or internet bill with a detachable payment stub."""
    kind = rng.choice(sorted(UTILITIES))
    issuer, remit_city = rng.choice(UTILITIES[kind])
    sheet = Sheet(rng.choice(FAMILIES))
    colour = rng.choice([(0, 84, 147), (0, 122, 61), (140, 20, 60), (90, 40, 140), (200, 90, 0)])
    printed = _printed(person, address, rng)
    style = rng.choice(PAPER_DATES)
    date_label = rng.choice(
        ["Bill Date", "Statement Date", "Date Mailed", "Invoice Date", "Billing Date"]
    )
    account = rng.choice(
        [
            f"{_digits(rng, 4)} {_digits(rng, 3)} {_digits(rng, 4)}",
            _digits(rng, 10),
            f"{_digits(rng, 6)}-{_digits(rng, 5)}",
        ]
    )
    due = date + dt.timedelta(days=rng.randint(18, 28))
    period_end = date - dt.timedelta(days=rng.randint(2, 6))
    period_start = period_end - dt.timedelta(days=rng.randint(28, 33))
    amount = _money(rng, 38, 420)
    _logo(sheet, 40, 36, colour, rng)
    sheet.text(84, 40, issuer, 17, bold=True, colour=colour)
    sheet.text(
        84,
        62,
        rng.choice(["Customer Service 1-800-", "Questions? Call 1-888-"])
        + f"{_digits(rng, 3)}-{_digits(rng, 4)}",
        8,
    )
    # right-hand account box
    sheet.box(360, 32, 215, 96, stroke=colour)
    rows = [
        ("Account Number", account),
        (date_label, _date(date, style)),
        ("Amount Due", amount),
        ("Payment Due", _date(due, style)),
    ]
    for i, (label, value) in enumerate(rows):
        sheet.text(368, 40 + i * 21, label, 8.5)
        sheet.text(568, 40 + i * 21, value, 9, bold=True, align="right")
    # window-envelope addressee block
    _addressee(sheet, 72, 150, printed, 10)
    y = 240
    sheet.box(40, y, 532, 18, fill=colour)
    sheet.text(48, y + 4, "ACCOUNT SUMMARY", 9.5, bold=True, colour=(255, 255, 255))
    service = ", ".join(printed.address_lines[:-1]) + ", " + printed.address_lines[-1]
    period = rng.choice(
        [
            f"Service Period: {_date(period_start, 'us2')} - {_date(period_end, 'us2')}",
            f"Service from {_date(period_start, 'mon')} to {_date(period_end, 'mon')} "
            f"({(period_end - period_start).days} days)",
            f"Billing period {_date(period_start, 'us4')} through {_date(period_end, 'us4')}",
        ]
    )
    lines = [
        f"Service Address: {service}",
        period,
        f"Previous Balance {_money(rng, 20, 300)}",
        f"Payment Received {_date(period_end - dt.timedelta(days=9), 'mon')} - Thank You",
    ]
    for i, line in enumerate(lines):
        sheet.text(48, y + 28 + i * 15, line, 9)
    _usage_table(sheet, kind, period_start, period_end, rng, y + 100)
    sheet.text(48, 560, f"Total Amount Due by {_date(due, 'long')}: {amount}", 11, bold=True)
    sheet.para(
        48,
        585,
        rng.choice(
            [
                "A late payment charge of 1.5% may be applied to balances not paid by the "
                "due date. To report an outage or emergency call us 24 hours a day.",
                "Your bill includes a Public Benefits charge that funds energy-efficiency "
                "programs. Visit our website to enroll in paperless billing and AutoPay.",
            ]
        ),
        110,
        8,
    )
    _stub(sheet, printed, issuer, remit_city, account, amount, due, rng)
    fields = {
        **printed.fields,
        "document_date": date.isoformat(),
        "due_date": due.isoformat(),
        "document_number": account,
    }
    return Paper(
        [sheet],
        fields,
        f"outside_{kind}_bill",
        [f"date_label:{date_label}", f"date_style:{style}", *printed.tags],
    )


def _usage_table(
    sheet: Sheet, kind: str, start: dt.date, end: dt.date, rng: random.Random, y: float
) -> None:
    if kind == "telecom":
        heads, rows = (
            ["Description", "Period", "Amount"],
            [
                ["Internet 300 Mbps", f"{start:%m/%d} - {end:%m/%d}", _money(rng, 40, 90)],
                ["Equipment Rental", f"{start:%m/%d} - {end:%m/%d}", _money(rng, 10, 15)],
                ["Taxes, Surcharges & Fees", "", _money(rng, 2, 9)],
            ],
        )
    else:
        prev, used = rng.randint(10000, 90000), rng.randint(20, 900)
        heads = ["Meter Number", "Read Dates", "Previous", "Present", f"Usage ({UNITS[kind]})"]
        rows = [
            [
                _digits(rng, 8),
                f"{start:%m/%d} - {end:%m/%d}",
                str(prev),
                str(prev + used),
                str(used),
            ]
        ]
        rows.append(["Delivery / Supply Charges", "", "", "", _money(rng, 30, 300)])
    xs = [48 + i * (520 / len(heads)) for i in range(len(heads))]
    sheet.rule(44, y - 3, 570, y - 3)
    for x, h in zip(xs, heads, strict=True):
        sheet.text(x, y, h, 8.5, bold=True)
    sheet.rule(44, y + 13, 570, y + 13)
    for r, row in enumerate(rows):
        for x, cell in zip(xs, row, strict=True):
            sheet.text(x, y + 19 + r * 14, cell, 8.5)


def _stub(
    sheet: Sheet,
    printed: Printed,
    issuer: str,
    remit_city: str,
    account: str,
    amount: str,
    due: dt.date,
    rng: random.Random,
) -> None:
    """The remittance stub: account holder on the left, the issuer's PO box on the right."""
    y = 640
    for x in range(36, 580, 9):
        sheet.rule(x, y, x + 5, y)
    sheet.text(40, y + 8, "Please detach and return this portion with your payment.", 7.5)
    sheet.text(40, y + 26, f"Account {account}", 9, bold=True)
    sheet.text(40, y + 40, f"Amount Due {amount}   Due {_date(due, 'us4')}", 9)
    sheet.text(40, y + 56, "Account holder:", 7.5)
    _addressee(sheet, 40, y + 67, printed, 9)
    sheet.text(360, y + 26, "Amount Enclosed $__________", 9)
    sheet.text(360, y + 60, issuer.upper(), 9)
    sheet.text(360, y + 72, f"PO BOX {rng.randint(1000, 99999)}", 9)
    sheet.text(360, y + 84, remit_city, 9)
    sheet.text(360, y + 110, f"{_digits(rng, 12)} {_digits(rng, 8)} {_digits(rng, 3)}", 8)


# ---------------------------------------- residency: bank statement

BANKS = (
    ("Nutmeg Federal Credit Union", "PO Box 2810, Rocky Hill CT 06067"),
    ("Bay Colony Savings Bank", "1 Commerce Plaza, Worcester MA 01608"),
    ("First Patriot Bank, N.A.", "PO Box 15284, Wilmington DE 19850"),
)


def bank_statement(person: Person, address: Address, date: dt.date, rng: random.Random) -> Paper:
    """A checking statement: 'Statement period: Jan 1 - Jan 31, 2026', summary, transactions."""
    bank, bank_address = rng.choice(BANKS)
    sheet = Sheet(rng.choice(FAMILIES))
    colour = rng.choice([(10, 50, 110), (0, 100, 90), (120, 0, 20)])
    printed = _printed(person, address, rng, joint=rng.random() < 0.15)
    end = date
    start = end - dt.timedelta(days=rng.choice([27, 29, 30]))
    _logo(sheet, 40, 34, colour, rng)
    sheet.text(84, 36, bank, 15, bold=True, colour=colour)
    sheet.text(84, 56, bank_address, 8)
    period_style = rng.randint(0, 2)
    if period_style == 0:
        span = f"{start.strftime('%b')} {start.day} - {end.strftime('%b')} {end.day}, {end.year}"
        period = f"Statement period: {span}"
    elif period_style == 1:
        period = f"For the period {_date(start, 'us4')} to {_date(end, 'us4')}"
    else:
        period = f"Statement Period {_date(start, 'us2')} through {_date(end, 'us2')}"
    sheet.text(575, 36, period, 9, bold=True, align="right")
    masked = f"XXXXXX{_digits(rng, 4)}"
    sheet.text(575, 52, f"Account Number: {masked}", 9, align="right")
    sheet.text(575, 66, f"Page 1 of {rng.randint(2, 4)}", 8, align="right")
    _addressee(sheet, 60, 130, printed, 10)
    begin_bal = rng.uniform(300, 9000)
    deposits, withdrawals = rng.uniform(800, 6000), rng.uniform(500, 5000)
    y = 230
    sheet.text(
        40,
        y,
        rng.choice(["Account Summary", "CHECKING SUMMARY", "Your Account at a Glance"]),
        11,
        bold=True,
        colour=colour,
    )
    summary = [
        (f"Beginning Balance on {start.strftime('%b')} {start.day}", begin_bal),
        ("Deposits and Other Credits", deposits),
        ("Withdrawals and Other Debits", -withdrawals),
        (f"Ending Balance on {end.strftime('%b')} {end.day}", begin_bal + deposits - withdrawals),
    ]
    for i, (label, value) in enumerate(summary):
        sheet.text(48, y + 20 + i * 14, label, 9)
        sheet.text(330, y + 20 + i * 14, f"{value:,.2f}", 9, align="right")
    _transactions(sheet, start, end, rng, y + 100, colour)
    fields = {**printed.fields, "document_date": end.isoformat(), "document_number": masked}
    return Paper(
        [sheet], fields, "outside_bank_statement", [f"period_style:{period_style}", *printed.tags]
    )


def _transactions(
    sheet: Sheet, start: dt.date, end: dt.date, rng: random.Random, y: float, colour: RGB
) -> None:
    sheet.box(40, y, 532, 16, fill=(235, 235, 235))
    for x, head in ((46, "Date"), (100, "Description"), (420, "Amount"), (520, "Balance")):
        sheet.text(x, y + 3, head, 8.5, bold=True, colour=colour)
    descs = [
        "POS PURCHASE STOP & SHOP #0612",
        "ACH DEPOSIT PAYROLL",
        "ONLINE TRANSFER TO SAVINGS",
        "CHECK #1043",
        "ATM WITHDRAWAL 12 MAIN ST",
        "DEBIT CARD AMAZON MKTPLACE",
    ]
    balance = rng.uniform(500, 5000)
    for i in range(rng.randint(6, 11)):
        day = start + dt.timedelta(days=round((end - start).days * (i + 1) / 12))
        amount = rng.uniform(-300, 400)
        balance += amount
        row = y + 22 + i * 14
        sheet.text(46, row, day.strftime("%m/%d"), 8.5)
        sheet.text(100, row, rng.choice(descs), 8.5)
        sheet.text(470, row, f"{amount:,.2f}", 8.5, align="right")
        sheet.text(570, row, f"{balance:,.2f}", 8.5, align="right")


# ------------------------------------------------------------------------------ residency: lease


LANDLORDS = (
    "Maple Ridge Property Management LLC",
    "Harbor Point Realty Trust",
    "J. & R. Kowalski",
    "Elmwood Apartments Associates",
)


def lease(person: Person, address: Address, date: dt.date, rng: random.Random) -> Paper:
    """A residential lease: parties, premises (state spelled out), term and rent."""
    sheet = Sheet(rng.choice(["dserif", "lserif", "dserifc", "lmono"]))
    printed = _printed(person, address, rng)
    landlord = rng.choice(LANDLORDS)
    state_name = STATE_NAMES.get(address.state, address.state)
    start = date + dt.timedelta(days=rng.randint(5, 30))
    end = start + dt.timedelta(days=364)
    sheet.text(
        306,
        50,
        rng.choice(
            ["RESIDENTIAL LEASE AGREEMENT", "APARTMENT LEASE", "Residential Rental Agreement"]
        ),
        15,
        bold=True,
        align="center",
    )
    ordinal = rng.random() < 0.5
    when = (
        f"the {_ordinal(date.day)} day of {MONTHS[date.month - 1]}, {date.year}"
        if ordinal
        else _date(date, "long")
    )
    tenant = printed.name_line
    street = ", ".join(printed.address_lines[:-1])
    premises = f"{street}, {address.city}, {state_name} {printed.fields['address']['zip']}"
    y = 90
    y = sheet.para(
        50,
        y,
        f'This Lease Agreement (the "Lease") is made and entered into on {when}, '
        f'by and between {landlord} ("Landlord") and {tenant} ("Tenant").',
        100,
        10,
    )
    y = sheet.para(
        50,
        y,
        "1. PREMISES. Landlord hereby leases to Tenant the residential dwelling "
        f'located at {premises} (the "Premises"), together with the fixtures and '
        "appliances therein.",
        100,
        10,
    )
    y = sheet.para(
        50,
        y,
        f"2. TERM. The term of this Lease shall commence on {_date(start, 'long')} "
        f"and end on {_date(end, 'long')}, unless renewed or terminated as provided "
        "herein.",
        100,
        10,
    )
    y = sheet.para(
        50,
        y,
        f"3. RENT. Tenant shall pay monthly rent of {_money(rng, 900, 2900)} on "
        "or before the first (1st) day of each month. Rent received after the fifth "
        "(5th) day is subject to a late fee.",
        100,
        10,
    )
    y = sheet.para(
        50,
        y,
        "4. SECURITY DEPOSIT. Upon execution of this Lease Tenant shall deposit "
        f"{_money(rng, 900, 2900)} with Landlord, to be held in accordance with "
        f"the laws of the State of {state_name}.",
        100,
        10,
    )
    notice_city, notice_zips = rng.choice(CITIES[rng.choice(["CT", "MA"])])
    y = sheet.para(
        50,
        y,
        f"5. NOTICES. Notices to Landlord shall be sent to {landlord}, {rng.randint(10, 900)} "
        f"Main Street, {notice_city} {notice_zips[0]}.",
        100,
        10,
    )
    y += 30
    for role, who in (("LANDLORD", landlord), ("TENANT", tenant)):
        sheet.rule(50, y, 300, y, BLACK)
        sheet.text(50, y + 4, f"{role}: {who}", 9)
        sheet.text(340, y - 12, _date(date + dt.timedelta(days=rng.randint(0, 2)), "us4"), 10)
        sheet.rule(330, y, 480, y, BLACK)
        sheet.text(340, y + 4, "Date", 9)
        y += 50
    fields = {**printed.fields, "document_date": date.isoformat()}
    return Paper(
        [sheet],
        fields,
        "outside_lease",
        ["ordinal_date" if ordinal else "long_date", *printed.tags],
    )


# ---------------------------------------- residency: government letter

AGENCIES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "CT": (
        (
            "STATE OF CONNECTICUT",
            "DEPARTMENT OF REVENUE SERVICES",
            "450 Columbus Blvd Ste 1, Hartford CT 06103-1837",
        ),
        (
            "State of Connecticut",
            "Department of Social Services",
            "55 Farmington Avenue, Hartford, CT 06105-3730",
        ),
        (
            "STATE OF CONNECTICUT",
            "DEPARTMENT OF MOTOR VEHICLES",
            "60 State Street, Wethersfield, CT 06161",
        ),
    ),
    "MA": (
        (
            "Commonwealth of Massachusetts",
            "Executive Office of Health and Human Services",
            "One Ashburton Place, 11th Floor, Boston, MA 02108",
        ),
        (
            "The Commonwealth of Massachusetts",
            "Department of Revenue",
            "PO Box 7010, Boston MA 02204",
        ),
        (
            "COMMONWEALTH OF MASSACHUSETTS",
            "DEPARTMENT OF UNEMPLOYMENT ASSISTANCE",
            "19 Staniford Street, Boston, MA 02114",
        ),
    ),
}
FEDERAL = (
    "SOCIAL SECURITY ADMINISTRATION",
    "Retirement, Survivors and Disability Insurance",
    "6100 Wabash Ave, Baltimore MD 21215",
)


def government_letter(person: Person, address: Address, date: dt.date, rng: random.Random) -> Paper:
    """An agency notice: seal and agency at the top left, the date at the top right."""
    state = address.state if address.state in AGENCIES else "CT"
    header, agency, agency_address = FEDERAL if rng.random() < 0.2 else rng.choice(AGENCIES[state])
    sheet = Sheet(rng.choice(["dserif", "lserif", "dcond", "lnarrow"]))
    printed = _printed(person, address, rng)
    colour = rng.choice([(20, 40, 90), (0, 0, 0), (60, 60, 60)])
    sheet.poly([(60 + 24 * _cos(a), 60 + 24 * _sin(a)) for a in range(0, 360, 15)], colour)
    sheet.poly([(60 + 17 * _cos(a), 60 + 17 * _sin(a)) for a in range(0, 360, 15)], (255, 255, 255))
    sheet.text(96, 40, header, 11, bold=True, colour=colour)
    sheet.text(96, 55, agency, 10, colour=colour)
    sheet.text(96, 69, agency_address, 8)
    style = rng.choice(["long", "mon", "us4"])
    label = rng.choice(["", "", "Date: ", "Notice Date: "])
    sheet.text(560, 100, f"{label}{_date(date, style)}", 10, align="right")
    letter_id = f"L{_digits(rng, 10)}"
    sheet.text(
        560,
        114,
        rng.choice(["Letter ID: ", "Notice Number: ", "Case No. "]) + letter_id,
        8.5,
        align="right",
    )
    _addressee(sheet, 72, 140, printed, 10)
    respond = date + dt.timedelta(days=rng.choice([30, 45, 60]))
    first_name = printed.name_line.split()[0].title()
    y = 230
    sheet.text(
        72,
        y,
        rng.choice(
            [
                "Re: Verification of Information",
                "RE: Notice of Account Update",
                "Subject: Your benefits information",
            ]
        ),
        10,
        bold=True,
    )
    y = sheet.para(72, y + 24, f"Dear {first_name}:", 100, 10)
    y = sheet.para(
        72,
        y,
        "We are writing to tell you about a change to your account for tax year "
        f"{date.year - 1}. Our records show the address printed above. If this information "
        f"is not correct, please contact us by {_date(respond, 'long')}.",
        95,
        10,
    )
    y = sheet.para(
        72,
        y,
        "You do not need to take any action if the information in this notice is "
        "correct. Please keep this letter for your records. For faster service, "
        "have this notice with you when you call.",
        95,
        10,
    )
    sheet.text(72, y + 20, "Sincerely,", 10)
    sheet.text(72, y + 56, agency, 10)
    fields = {**printed.fields, "document_date": date.isoformat(), "document_number": letter_id}
    return Paper(
        [sheet],
        fields,
        "outside_gov_letter",
        [f"agency:{agency}", f"date_label:{label or 'none'}", *printed.tags],
    )


RESIDENCY: dict[str, Callable[[Person, Address, dt.date, random.Random], Paper]] = {
    "utility_bill": utility_bill,
    "bank_statement": bank_statement,
    "lease": lease,
    "government_letter": government_letter,
}
RESIDENCY_WEIGHTS = {
    "utility_bill": 0.45,
    "bank_statement": 0.2,
    "lease": 0.15,
    "government_letter": 0.2,
}


# ------------------------------------------------------------------------------ identity cards

CARD_W, CARD_H = 1012, 638
RED: RGB = (190, 20, 30)
STATE_COLOURS: dict[str, RGB] = {
    "CT": (20, 60, 130),
    "MA": (150, 25, 35),
    "NY": (30, 90, 160),
    "RI": (10, 110, 120),
    "NH": (40, 100, 50),
    "VT": (30, 100, 60),
    "NJ": (180, 120, 20),
}


@dataclass(frozen=True)
class Card:
    """What the front of a licence or ID prints, and its barcode data."""

    data: CardData
    kind: str  # drivers_license / state_id
    date_fmt: str  # "/" or "-"

    def d(self, value: dt.date) -> str:
        return value.strftime(f"%m{self.date_fmt}%d{self.date_fmt}%Y")

    @property
    def given(self) -> str:
        parts = [self.data.first, self.data.middle or ""]
        return " ".join(p for p in parts if p) + (
            f" {self.data.suffix}" if self.data.suffix else ""
        )

    @property
    def street(self) -> str:
        return self.data.street + (f" {self.data.street2}" if self.data.street2 else "")

    @property
    def city_line(self) -> str:
        z = self.data.zip5 + (f"-{self.data.zip4}" if self.data.zip4 else "")
        return f"{self.data.city}, {self.data.state} {z}"

    @property
    def title(self) -> str:
        return "DRIVER LICENSE" if self.kind == "drivers_license" else "IDENTIFICATION CARD"


class Pen:
    """A small PIL drawing helper with the outside font table."""

    def __init__(self, img: Image.Image) -> None:
        self.img, self.draw = img, ImageDraw.Draw(img)

    def __call__(
        self, x: float, y: float, s: str, key: str, size: int, fill: RGB = (15, 15, 15)
    ) -> float:
        fnt = ttf(key, size)
        self.draw.text((x, y), s, font=fnt, fill=fill)
        return x + self.draw.textlength(s, font=fnt)

    def pair(
        self,
        x: float,
        y: float,
        label: str,
        value: str,
        size: int = 30,
        fill: RGB = (15, 15, 15),
        lkey: str = "lnarrow",
        vkey: str = "dcond-b",
    ) -> float:
        """An inline 'label value' pair, the label small and coloured."""
        end = self(
            x,
            y + size * 0.35,
            label,
            lkey,
            int(size * 0.6),
            (150, 30, 40) if label[:1].isdigit() else (90, 90, 110),
        )
        return self(end + 8, y, value, vkey, size, fill)


def _card_base(
    card: Card, rng: random.Random, vertical: bool = False
) -> tuple[Image.Image, Pen, RGB]:
    w, h = (CARD_H, CARD_W) if vertical else (CARD_W, CARD_H)
    colour = STATE_COLOURS.get(card.data.state, (60, 60, 120))
    tint = tuple(int(245 - (255 - c) * 0.05) for c in colour)
    img = Image.new("RGB", (w, h), tint)
    draw = ImageDraw.Draw(img)
    for i in range(0, w + h, rng.choice([14, 18, 22])):  # fine diagonal security lines
        draw.line((i, 0, i - h, h), fill=tuple(min(255, c + 6) for c in tint), width=1)
    draw.rectangle((0, 0, w, 96), fill=colour)
    pen = Pen(img)
    state = STATE_NAMES.get(card.data.state, card.data.state)
    pen(
        28,
        14,
        state.upper() if rng.random() < 0.5 else state,
        rng.choice(["dserif-b", "lserif-b", "dcond-b"]),
        44,
        (255, 255, 255),
    )
    pen(
        28 if vertical else w - 420,
        64 if vertical else 30,
        card.title,
        "dcond-b",
        26,
        (255, 240, 200),
    )
    if rng.random() < 0.6:  # REAL ID star
        cx, cy, r = w - 50, 48, 28
        pts = [
            (
                cx + (r if i % 2 == 0 else r / 2.4) * _cos(-90 + 36 * i),
                cy + (r if i % 2 == 0 else r / 2.4) * _sin(-90 + 36 * i),
            )
            for i in range(10)
        ]
        draw.polygon(pts, fill=(230, 180, 30))
    draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=30, outline=(140, 140, 140), width=2)
    return img, pen, colour


def _ghost(img: Image.Image, rng: random.Random, x: int, y: int) -> None:
    ghost = portrait(rng, (110, 140)).convert("L").point(lambda v: 170 + v // 4).convert("RGB")
    img.paste(ghost, (x, y))


def card_numbered(card: Card, rng: random.Random) -> Image.Image:
    """AAMVA numbered fields, portrait left, DOB in red."""
    img, pen, _ = _card_base(card, rng)
    img.paste(portrait(rng, (270, 340)), (30, 120))
    c, x = card.data, 330
    pen.pair(x, 112, "4d DLN" if card.kind == "drivers_license" else "4d IDN", c.number, 30)
    pen.pair(x, 156, "3 DOB", card.d(c.dob), 34, RED)
    pen.pair(x + 330, 156, "4b EXP", card.d(c.expiry), 30)
    pen.pair(x, 206, "1", c.last, 34)
    pen.pair(x, 248, "2", card.given, 30)
    pen.pair(x, 292, "8", card.street, 27)
    pen(x + 24, 328, card.city_line, "dcond-b", 27)
    pen.pair(x, 378, "4a ISS", card.d(c.issue), 24)
    pen.pair(
        x + 280, 378, "9 CLASS", c.vehicle_class if card.kind == "drivers_license" else "NONE", 24
    )
    pen.pair(x, 416, "12 RESTR", "NONE", 24)
    pen.pair(x + 280, 416, "9a END", "NONE", 24)
    pen.pair(x, 454, "15 SEX", c.sex, 24)
    pen.pair(x + 150, 454, "16 HGT", f"{c.height_in // 12}'-{c.height_in % 12:02d}\"", 24)
    pen.pair(x + 350, 454, "18 EYES", c.eyes, 24)
    pen.pair(x, 500, "5 DD", c.discriminator, 20)
    pen(x, 545, f"{c.first.title()} {c.last.title()}", "dserif-i", 40, (30, 30, 90))
    _ghost(img, rng, CARD_W - 150, CARD_H - 175)
    return img


def card_ln_fn(card: Card, rng: random.Random) -> Image.Image:
    """'LN' / 'FN' labels, portrait right, narrow sans."""
    img, pen, colour = _card_base(card, rng)
    img.paste(portrait(rng, (260, 330)), (CARD_W - 295, 120))
    c, x = card.data, 36
    pen.pair(
        x,
        112,
        "DL" if card.kind == "drivers_license" else "ID",
        c.number,
        34,
        lkey="lnarrow-b",
        vkey="lnarrow-b",
    )
    pen.pair(x, 165, "LN", c.last, 34, lkey="lnarrow-b", vkey="lnarrow-b")
    pen.pair(x, 210, "FN", card.given, 32, lkey="lnarrow-b", vkey="lnarrow-b")
    pen(x, 262, card.street, "lnarrow-b", 28)
    pen(x, 296, card.city_line, "lnarrow-b", 28)
    pen.pair(x, 350, "DOB", card.d(c.dob), 32, RED, lkey="lnarrow-b", vkey="lnarrow-b")
    pen.pair(x + 320, 350, "SEX", c.sex, 28, lkey="lnarrow-b", vkey="lnarrow-b")
    pen.pair(x, 398, "ISS", card.d(c.issue), 28, lkey="lnarrow-b", vkey="lnarrow-b")
    pen.pair(x + 320, 398, "EXP", card.d(c.expiry), 28, lkey="lnarrow-b", vkey="lnarrow-b")
    pen.pair(
        x,
        444,
        "HGT",
        f"{c.height_in // 12}-{c.height_in % 12:02d}",
        24,
        lkey="lnarrow-b",
        vkey="lnarrow-b",
    )
    pen.pair(x + 160, 444, "EYES", c.eyes, 24, lkey="lnarrow-b", vkey="lnarrow-b")
    pen.pair(x + 320, 444, "CLASS", c.vehicle_class, 24, lkey="lnarrow-b", vkey="lnarrow-b")
    pen(x, 520, f"{c.first.title()} {c.last.title()}", "lsans-i", 38, colour)
    _ghost(img, rng, CARD_W - 170, CARD_H - 160)
    return img


def card_two_lines(card: Card, rng: random.Random) -> Image.Image:
    """Name as two unlabeled lines (LAST / GIVEN), unlabeled address, serif, dashes in dates."""
    img, pen, _ = _card_base(card, rng)
    img.paste(portrait(rng, (250, 320)), (34, 130))
    c, x = card.data, 320
    pen(x, 112, "NO.", "dserif", 18, (110, 110, 110))
    pen(x + 50, 106, c.number, "dserif-b", 30)
    pen(x, 160, c.last, "dserif-b", 36)
    pen(x, 204, card.given, "dserif-b", 32)
    pen(x, 256, card.street, "dserif", 27)
    pen(x, 290, card.city_line, "dserif", 27)
    pen(x, 348, "DATE OF BIRTH", "dserif", 16, (110, 110, 110))
    pen(x, 368, card.d(c.dob), "dserif-b", 32, RED)
    pen(x + 330, 348, "EXPIRES", "dserif", 16, (110, 110, 110))
    pen(x + 330, 368, card.d(c.expiry), "dserif-b", 30)
    pen(x, 420, "ISSUED", "dserif", 16, (110, 110, 110))
    pen(x, 440, card.d(c.issue), "dserif", 26)
    pen(x + 330, 420, "SEX  HT  EYES", "dserif", 16, (110, 110, 110))
    pen(
        x + 330, 440, f"{c.sex}  {c.height_in // 12}-{c.height_in % 12:02d}  {c.eyes}", "dserif", 26
    )
    pen(40, 540, f"{c.first.title()} {c.last.title()}", "dserif-i", 40, (20, 20, 80))
    return img


def card_vertical(card: Card, rng: random.Random) -> Image.Image:
    """A vertical (under-21 style) card: portrait on top, red 'UNDER 21 UNTIL' band."""
    img, pen, _ = _card_base(card, rng, vertical=True)
    img.paste(portrait(rng, (240, 300)), ((CARD_H - 240) // 2, 110))
    c, x = card.data, 30
    until = (
        c.dob.replace(year=c.dob.year + 21)
        if not (c.dob.month == 2 and c.dob.day == 29)
        else dt.date(c.dob.year + 21, 3, 1)
    )
    ImageDraw.Draw(img).rectangle((0, 420, CARD_H, 462), fill=RED)
    pen(x, 426, f"UNDER 21 UNTIL {card.d(until)}", "dcond-b", 28, (255, 255, 255))
    pen.pair(x, 480, "4d DLN", c.number, 28)
    pen.pair(x, 522, "1", c.last, 32)
    pen.pair(x, 562, "2", card.given, 28)
    pen.pair(x, 604, "8", card.street, 25)
    pen(x + 22, 636, card.city_line, "dcond-b", 25)
    pen.pair(x, 688, "3 DOB", card.d(c.dob), 32, RED)
    pen.pair(x, 734, "4b EXP", card.d(c.expiry), 28)
    pen.pair(x, 776, "4a ISS", card.d(c.issue), 24)
    pen.pair(x + 300, 776, "15 SEX", c.sex, 24)
    pen.pair(x, 816, "9 CLASS", c.vehicle_class, 24)
    pen(x, 900, f"{c.first.title()} {c.last.title()}", "dserif-i", 36, (30, 30, 90))
    return img


def card_comma(card: Card, rng: random.Random) -> Image.Image:
    """Labels above values, name as 'LAST, GIVEN' on one line, portrait right."""
    img, pen, colour = _card_base(card, rng)
    img.paste(portrait(rng, (250, 320)), (CARD_W - 280, 125))
    c, x = card.data, 36
    grey = (95, 95, 95)

    def stacked(
        px: int, py: int, label: str, value: str, size: int = 28, fill: RGB = (15, 15, 15)
    ) -> None:
        pen(px, py, label, "dserifc", 15, grey)
        pen(px, py + 17, value, "dserifc-b", size, fill)

    stacked(x, 108, "LICENSE NO." if card.kind == "drivers_license" else "ID NO.", c.number, 30)
    stacked(x, 165, "NAME", f"{c.last}, {card.given}", 30)
    stacked(x, 225, "ADDRESS", card.street, 26)
    pen(x, 272, card.city_line, "dserifc-b", 26)
    stacked(x, 320, "DATE OF BIRTH", card.d(c.dob), 30, RED)
    stacked(x + 300, 320, "SEX", c.sex, 28)
    stacked(x, 382, "ISSUE DATE", card.d(c.issue), 26)
    stacked(x + 300, 382, "EXPIRATION DATE", card.d(c.expiry), 26)
    stacked(x, 444, "CLASS", c.vehicle_class, 24)
    stacked(x + 150, 444, "RESTRICTIONS", "NONE", 24)
    pen(x, 530, f"{c.first.title()} {c.last.title()}", "dserif-i", 38, colour)
    return img


CARD_LAYOUTS: dict[str, Callable[[Card, random.Random], Image.Image]] = {
    "numbered_red_dob": card_numbered,
    "ln_fn": card_ln_fn,
    "two_line_name": card_two_lines,
    "vertical_u21": card_vertical,
    "comma_name": card_comma,
}


def _dl_number(state: str, rng: random.Random) -> str:
    return {
        "MA": "S" + _digits(rng, 8),
        "NY": _digits(rng, 9),
        "NJ": "K" + _digits(rng, 14),
        "RI": _digits(rng, 7),
    }.get(state, _digits(rng, 9))


def make_card(
    person: Person, kind: str, issue: dt.date, expiry: dt.date, rng: random.Random
) -> Card:
    a = person.address
    data = CardData(
        subfile="DL" if kind == "drivers_license" else "ID",
        last=ascii_upper(person.last),
        first=ascii_upper(person.first),
        middle=ascii_upper(person.middle) if person.middle and rng.random() < 0.8 else None,
        suffix=person.suffix,
        dob=person.dob,
        issue=issue,
        expiry=expiry,
        number=_dl_number(a.state, rng),
        sex=person.sex,
        street=ascii_upper(a.line1(abbreviate=True)),
        street2=ascii_upper(a.line2(rng.choice(["APT", "UNIT", "#"]))) if a.unit else None,
        city=ascii_upper(a.city),
        state=a.state,
        zip5=a.zip,
        zip4=a.zip4 if rng.random() < 0.6 else None,
        height_in=person.height_in,
        eyes=person.eyes,
        hair=person.hair,
        discriminator="".join(
            rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.choice([10, 16, 20]))
        ),
    )
    return Card(data, kind, rng.choice(["/", "/", "-"]))


# ------------------------------------------------------------------------------ passports


def _pp_date(d: dt.date, style: str) -> str:
    mon = MONTHS[d.month - 1][:3]
    return {
        "title": f"{d.day:02d} {mon} {d.year}",
        "upper": f"{d.day:02d} {mon.upper()} {d.year}",
        "bilingual": f"{d.day:02d} {mon.upper()}/{FR_MONTHS[d.month - 1]} {d.year}",
        "bilingual2": f"{d.day:02d} {mon.upper()}/{FR_MONTHS[d.month - 1]} {d.strftime('%y')}",
    }[style]


def passport_data_page(
    data: PassportData, mrz: tuple[str, str], rng: random.Random
) -> tuple[Image.Image, str]:
    """A trilingual TD3 data page (portrait left, labels in blue serif italics)."""
    w, h = 1240, 872
    img = Image.new("RGB", (w, h), (238, 242, 236))
    draw = ImageDraw.Draw(img)
    for i in range(0, w, 9):
        draw.arc((i - 300, 200, i + 300, 800), 200, 340, fill=(226, 232, 226))
    pen = Pen(img)
    style = rng.choice(["title", "upper", "bilingual", "bilingual2"])
    blue = (40, 60, 120)
    pen(40, 20, "PASSPORT", "dserif-b", 30, blue)
    pen(240, 28, "PASSEPORT   PASAPORTE", "dserif", 20, blue)
    pen(640, 20, "UNITED STATES OF AMERICA", "dserif-b", 30, blue)
    img.paste(portrait(rng, (310, 390)), (36, 110))

    def fld(x: int, y: int, label: str, value: str) -> None:
        pen(x, y, label, "dserif-i", 15, blue)
        pen(x, y + 19, value, rng_value_font, 27)

    rng_value_font = rng.choice(["dmono-b", "lmono-b", "dcond-b"])
    x = 380
    fld(x, 80, "Type / Type / Tipo", "P")
    fld(x + 200, 80, "Code of Issuing State / Code de l'État émetteur", "USA")
    fld(x + 580, 80, "Passport No. / N° du passeport", data.number)
    fld(x, 150, "Surname / Nom / Apellidos", data.last)
    fld(x, 216, "Given Names / Prénoms / Nombres", data.given)
    fld(x, 282, "Nationality / Nationalité / Nacionalidad", "UNITED STATES OF AMERICA")
    fld(
        x, 348, "Date of birth / Date de naissance / Fecha de nacimiento", _pp_date(data.dob, style)
    )
    fld(x, 414, "Place of birth / Lieu de naissance / Lugar de nacimiento", data.birthplace)
    fld(x + 560, 414, "Sex / Sexe / Sexo", data.sex)
    fld(
        x,
        480,
        "Date of issue / Date de délivrance / Fecha de expedición",
        _pp_date(data.issue, style),
    )
    fld(
        x,
        546,
        "Date of expiration / Date d'expiration / Fecha de caducidad",
        _pp_date(data.expiry, style),
    )
    fld(x + 500, 480, "Authority / Autorité / Autoridad", "United States")
    pen(x + 500, 526, "Department of State", rng_value_font, 27)
    fld(x + 500, 546 + 20, "Endorsements / Mentions Spéciales", "SEE PAGE 27")
    draw.rectangle((0, h - 180, w, h), fill=(246, 248, 244))
    mono = rng.choice(["dmono", "lmono"])
    pen(36, h - 160, mrz[0], mono, 42, BLACK)
    pen(36, h - 90, mrz[1], mono, 42, BLACK)
    return img, style


def td1_lines(data: PassportData) -> tuple[str, str, str]:
    """The three TD1 MRZ lines of a US passport card (document code 'C')."""
    from mrz.generator.td1 import TD1CodeGenerator

    code = TD1CodeGenerator(
        "C",
        "USA",
        data.number,
        data.dob.strftime("%y%m%d"),
        data.sex,
        data.expiry.strftime("%y%m%d"),
        "USA",
        *_td1_names(data.last, data.given),
        force=True,
    )
    lines = str(code).strip().split("\n")
    return lines[0], lines[1], lines[2]


TD1_NAME_CHARS = 30
"""Characters of a TD1 zone's name line (surname, '<<', given names)."""


def _td1_names(last: str, given: str) -> tuple[str, str]:
    """Surname and given names as the TD1 zone holds them: punctuation dropped, and the
    given names cut at the end to fit the line (ICAO 9303 truncates the secondary
    identifier first), so a long name ("ZAIRA MICHELLE" after "ALVAREZ-RODRIGUEZ")
    still makes a card."""
    last = " ".join(last.replace("'", "").replace(".", " ").split())
    given = " ".join(given.replace("'", "").replace(".", " ").split())
    room = TD1_NAME_CHARS - len(last) - 2
    return last, given[: max(room, 1)].rstrip(" -")


def passport_card_front(data: PassportData, rng: random.Random) -> Image.Image:
    """A US passport card front (TD1 size): labels above values, portrait left."""
    img = Image.new("RGB", (CARD_W, CARD_H), (236, 240, 246))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, CARD_W, 80), fill=(30, 50, 100))
    pen = Pen(img)
    pen(28, 18, "UNITED STATES OF AMERICA", "dserif-b", 34, (255, 255, 255))
    pen(CARD_W - 300, 24, "PASSPORT CARD", "dcond-b", 30, (255, 230, 180))
    img.paste(portrait(rng, (250, 320)), (30, 110))
    grey = (70, 80, 110)

    def fld(x: int, y: int, label: str, value: str) -> None:
        pen(x, y, label, "lnarrow", 17, grey)
        pen(x, y + 19, value, "lnarrow-b", 28)

    x = 310
    fld(x, 100, "Nationality", "USA")
    fld(x + 300, 100, "Passport Card no.", data.number)
    fld(x, 160, "Surname", data.last)
    fld(x, 220, "Given Names", data.given)
    fld(x, 280, "Sex", data.sex)
    fld(x + 120, 280, "Date of Birth", _pp_date(data.dob, "upper"))
    fld(x, 340, "Place of Birth", data.birthplace)
    fld(x, 400, "Issued On", _pp_date(data.issue, "upper"))
    fld(x + 300, 400, "Expires On", _pp_date(data.expiry, "upper"))
    draw.rounded_rectangle(
        (0, 0, CARD_W - 1, CARD_H - 1), radius=30, outline=(140, 140, 140), width=2
    )
    return img


def passport_card_back(lines: tuple[str, str, str]) -> Image.Image:
    img = Image.new("RGB", (CARD_W, CARD_H), (244, 244, 244))
    pen = Pen(img)
    pen(40, 40, "This card is valid only for land and sea travel.", "lnarrow", 24, (60, 60, 60))
    for i, line in enumerate(lines):
        pen(40, CARD_H - 220 + i * 66, line, "dmono", 44, BLACK)
    return img


# ------------------------------------------------------------------------------ applications

VARIANTS: dict[str, tuple[str, ...]] = {
    "WRONG_DOCUMENT_TYPE": ("bill_as_identity", "licence_as_residency"),
    "ADDRESS_MISMATCH": ("house_number", "street", "zip"),
    "IMAGE_BLURRY": ("gaussian", "motion"),
}


@dataclass(frozen=True)
class Plan:
    """One outside application to build."""

    seed: int
    index: int
    program: str
    scenario: str = "clean"
    variant: str | None = None

    @property
    def application_id(self) -> str:
        return f"{self.program}-O{self.seed}-{self.index + 1:04d}"


def plan(n: int, seed: int, program: str = "both") -> list[Plan]:
    """About 40 percent clean applications, the rest cycling through `SCENARIOS`."""
    rng = random.Random(f"outside-plan:{seed}:{program}")
    n_clean = max(1, round(n * CLEAN_SHARE))
    slots = ["clean"] * n_clean + [SCENARIOS[i % len(SCENARIOS)] for i in range(n - n_clean)]
    rng.shuffle(slots)
    counts: dict[str, int] = {}
    plans = []
    for index, scenario in enumerate(slots):
        prog = program if program in ("CT", "MA") else rng.choice(["CT", "MA"])
        variants = VARIANTS.get(scenario)
        variant = variants[counts.get(scenario, 0) % len(variants)] if variants else None
        counts[scenario] = counts.get(scenario, 0) + 1
        plans.append(Plan(seed, index, prog, scenario, variant))
    return plans


def _stem(rng: random.Random) -> str:
    return rng.choice(
        [
            f"IMG_{rng.randint(1000, 9999)}",
            f"Scan_{rng.randint(2025, 2026)}{rng.randint(1000, 1231)}",
            f"upload-{rng.randint(10, 99)}",
            f"WhatsApp Image {rng.randint(1, 28)}",
            f"doc{rng.randint(100, 999)}",
        ]
    )


def _image_file(
    img: Image.Image, rng: random.Random, lossless: bool
) -> tuple[str, bytes, list[str]]:
    if lossless and rng.random() < 0.4:
        return f"{_stem(rng)}.png", degrade.png_bytes(img), ["png"]
    q = rng.randint(70, 90)
    return f"{_stem(rng)}.jpg", degrade.jpeg_bytes(img, q), [f"jpeg:{q}"]


def _capture(
    img: Image.Image, rng: random.Random, max_angle: float = 12.0
) -> tuple[Image.Image, list[str]]:
    if rng.random() < 0.35:
        scanned, tags = degrade.scan(img, rng, grey=False) if rng.random() < 0.5 else (img, [])
        return scanned, ["flat_scan", *tags]
    return degrade.photograph(img, rng, max_angle=max_angle, fill=rng.uniform(0.62, 0.86))


def _validity(
    submitted: dt.date, rng: random.Random, expired: bool, years: int
) -> tuple[dt.date, dt.date]:
    if expired:
        expiry = submitted - dt.timedelta(days=rng.randint(20, 600))
        return expiry - dt.timedelta(days=365 * years), expiry
    issue = submitted - dt.timedelta(days=rng.randint(90, 365 * years - 250))
    return issue, issue + dt.timedelta(days=365 * years + rng.randint(-3, 40))


def _truth(
    doc_type: str,
    fields: dict,
    layout: str | None,
    variations: list[str],
    flags: list[str] | None = None,
) -> DocumentTruth:
    return DocumentTruth(
        document_id="",
        document_type=doc_type,
        fields=fields,
        layout=layout,
        variations=variations,
        flags=flags or [],
    )


def identity_docs(
    p: Plan, person: Person, submitted: dt.date, rng: random.Random, kind: str
) -> list[Doc]:
    """Front (and sometimes back) of a licence / state ID, a passport page or a passport card."""
    expired = p.scenario == "DOCUMENT_EXPIRED"
    if kind in ("passport", "passport_card"):
        return _passport_docs(p, person, submitted, rng, kind, expired)
    issue, expiry = _validity(submitted, rng, expired, 8 if kind == "drivers_license" else 6)
    card = make_card(person, kind, issue, expiry, rng)
    layout = rng.choice(sorted(CARD_LAYOUTS))
    img, capture = _capture(CARD_LAYOUTS[layout](card, rng), rng)
    name, data, enc = _image_file(img, rng, "flat_scan" in capture)
    fields = card_fields(card.data)
    docs = [
        Doc(
            "identity",
            name,
            data,
            _truth(
                kind, fields, f"outside_{layout}", [f"date_sep:{card.date_fmt}", *capture, *enc]
            ),
            declared_type=kind,
        )
    ]
    if rng.random() < 0.6:
        version = rng.choice(VERSIONS)
        back = licence_back(card.data, encode(card.data, version, IINS[card.data.state]), rng)
        back_tags: list[str] = ["flat_scan"]
        if rng.random() < 0.5:
            back, back_tags = degrade.photograph(back, rng, max_angle=1.5, fill=0.85, skew=0.004)
        truth = _truth(kind, fields, f"aamva_v{version:02d}", back_tags)
        docs.append(
            Doc(
                "identity",
                f"{_stem(rng)}.jpg",
                degrade.jpeg_bytes(back, 88),
                truth,
                side="back",
                declared_type=kind,
            )
        )
    return docs


def _passport_docs(
    p: Plan, person: Person, submitted: dt.date, rng: random.Random, kind: str, expired: bool
) -> list[Doc]:
    issue, expiry = _validity(submitted, rng, expired, 10)
    given = " ".join(ascii_upper(x) for x in (person.first, person.middle) if x)
    number = (
        ("C" + _digits(rng, 8))
        if kind == "passport_card"
        else (rng.choice(["A", "B", ""]) + _digits(rng, 9))[:9]
    )
    birth = f"{STATE_NAMES[rng.choice(['CT', 'MA', 'NY', 'NJ', 'RI'])].upper()}, U.S.A."
    data = PassportData(
        ascii_upper(person.last), given, number, person.sex, person.dob, issue, expiry, birth
    )
    fields = {
        "first_name": ascii_upper(person.first),
        "middle_name": ascii_upper(person.middle) if person.middle else None,
        "last_name": data.last,
        "suffix": None,
        "date_of_birth": person.dob.isoformat(),
        "expiry_date": expiry.isoformat(),
        "issue_date": issue.isoformat(),
        "document_number": number,
    }
    if kind == "passport_card":
        img, capture = _capture(passport_card_front(data, rng), rng)
        name, payload, enc = _image_file(img, rng, "flat_scan" in capture)
        docs = [
            Doc(
                "identity",
                name,
                payload,
                _truth(kind, fields, "outside_passport_card", capture + enc),
                declared_type=kind,
            )
        ]
        if rng.random() < 0.5:
            lines = td1_lines(data)
            back, tags = _capture(passport_card_back(lines), rng, 4.0)
            truth = _truth(kind, {**fields, "mrz": list(lines)}, "outside_passport_card_td1", tags)
            docs.append(
                Doc(
                    "identity",
                    f"{_stem(rng)}.jpg",
                    degrade.jpeg_bytes(back, 88),
                    truth,
                    side="back",
                    declared_type=kind,
                )
            )
        return docs
    line1, line2 = mrz_lines(data)
    defects: list[str] = []
    if p.scenario == "MRZ_INVALID":
        line2, which = corrupt_check_digit(line2, rng)
        defects.append(f"mrz_check_digit:{which}")
    page, style = passport_data_page(data, (line1, line2), rng)
    img, capture = _capture(page, rng, 8.0)
    name, payload, enc = _image_file(img, rng, "flat_scan" in capture)
    truth = _truth(
        "passport",
        {**fields, "mrz": [line1, line2]},
        "outside_passport_td3",
        [f"date_style:{style}", *capture, *enc],
    )
    truth.defects = defects
    return [Doc("identity", name, payload, truth, declared_type="passport")]


def _residency_date(
    doc_type: str, program: str, submitted: dt.date, rng: random.Random, too_old: bool
) -> dt.date:
    window = WINDOWS[program].get(doc_type, WINDOWS[program]["default"])
    if too_old:
        return submitted - dt.timedelta(days=rng.randint(window + 25, window + 240))
    upper = 150 if doc_type == "lease" else min(45, window - 10)
    return submitted - dt.timedelta(days=rng.randint(3, upper))


def _paper_file(paper: Paper, rng: random.Random) -> tuple[str, bytes, list[str]]:
    """Text PDF, scanned PDF, phone photo or scanned image of the first sheet."""
    roll = rng.random()
    if roll < 0.45:
        return f"{_stem(rng)}.pdf", _pdf(paper.sheets), ["text_pdf"]
    page = _raster(paper.sheets[0], rng.choice([150, 170, 200]))
    if roll < 0.6:
        img, tags = degrade.scan(page, rng, grey=rng.random() < 0.5)
        return f"{_stem(rng)}.pdf", _image_pdf(img), ["scanned_pdf", *tags]
    if roll < 0.85:
        img, tags = degrade.photograph(page, rng, max_angle=7.0, fill=rng.uniform(0.8, 0.92))
        name, data, enc = _image_file(img, rng, False)
        return name, data, ["phone_photo", *tags, *enc]
    img, tags = degrade.scan(page, rng, grey=rng.random() < 0.5)
    name, data, enc = _image_file(img, rng, True)
    return name, data, ["scanned_image", *tags, *enc]


def _image_pdf(img: Image.Image) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.drawImage(
        ImageReader(io.BytesIO(degrade.jpeg_bytes(img, 82))),
        0,
        0,
        width=letter[0],
        height=letter[1],
    )
    c.showPage()
    c.save()
    return buf.getvalue()


def _moved(address: Address, what: str, rng: random.Random) -> Address:
    if what == "street":
        other = make_address(rng, address.state)
        street = other.street if other.street != address.street else "Quarry"
        return replace(address, street=street, street_type=rng.choice(sorted(STREET_TYPES)))
    if what == "zip":
        options = [
            (c, z)
            for c, zs in CITIES[address.state]
            for z in zs
            if z != address.zip and c != address.city
        ]
        city, zip_code = rng.choice(options)
        return replace(address, city=city, zip=zip_code)
    return replace(address, number=str(int(address.number) + rng.choice([2, 4, 11, 100, 305])))


def residency_doc(p: Plan, person: Person, submitted: dt.date, rng: random.Random) -> Doc:
    """The residency proof, with the scenario's defect applied."""
    doc_type = rng.choices(
        sorted(RESIDENCY_WEIGHTS), weights=[RESIDENCY_WEIGHTS[t] for t in sorted(RESIDENCY_WEIGHTS)]
    )[0]
    if p.program == "MA" and doc_type == "bank_statement" and rng.random() < 0.5:
        doc_type = "utility_bill"
    too_old = p.scenario == "DOCUMENT_TOO_OLD"
    date = _residency_date(doc_type, p.program, submitted, rng, too_old)
    addressee, address, defects = person, person.address, []
    if p.scenario == "NAME_MISMATCH":
        addressee = other_person(rng, person)
        defects.append("addressee_is_another_person")
    elif p.scenario == "ADDRESS_MISMATCH":
        address = _moved(person.address, p.variant or "house_number", rng)
        defects.append(f"address_changed:{p.variant}")
    paper = RESIDENCY[doc_type](addressee, address, date, rng)
    name, data, tags = _paper_file(paper, rng)
    truth = _truth(doc_type, paper.fields, paper.layout, paper.tags + tags)
    truth.defects = defects
    if p.scenario in (
        "NAME_MISMATCH",
        "ADDRESS_MISMATCH",
        "DOCUMENT_TOO_OLD",
        "ADDRESS_OUT_OF_STATE",
    ):
        truth.flags.append(p.scenario)
        if too_old:
            truth.defects.append(f"dated:{(submitted - date).days}_days_before")
    return Doc("residency", name, data, truth, declared_type=doc_type)


def _identity_kind(p: Plan, rng: random.Random) -> str:
    if p.scenario == "MRZ_INVALID" or (p.scenario == "ADDRESS_OUT_OF_STATE" and p.program == "MA"):
        return "passport"
    kinds, weights = (
        ["drivers_license", "state_id", "passport", "passport_card"],
        [0.5, 0.15, 0.25, 0.1],
    )
    kind = rng.choices(kinds, weights=weights)[0]
    return "passport" if kind == "passport_card" and p.program == "MA" else kind


def _blur(doc: Doc, variant: str | None, rng: random.Random) -> None:
    img = Image.open(io.BytesIO(doc.data)).convert("RGB")
    if variant == "motion":
        length = rng.randint(35, 55)
        img = degrade.motion_blur(img, length, rng.uniform(0, 180))
        doc.truth.defects.append(f"blur:motion:{length}")
    else:
        sigma = rng.uniform(5.0, 8.0)
        img = degrade.gaussian_blur(img, sigma)
        doc.truth.defects.append(f"blur:gaussian:{sigma:.1f}")
    doc.filename = doc.filename.rsplit(".", 1)[0] + ".jpg"
    doc.data = degrade.jpeg_bytes(img, 88)
    doc.truth.flags.append("IMAGE_BLURRY")
    doc.truth.legible = False


def _dob_typo(dob: dt.date, rng: random.Random) -> dt.date:
    if dob.day <= 12 and dob.day != dob.month:
        return dt.date(dob.year, dob.day, dob.month)
    return dob + dt.timedelta(days=rng.choice([-366, -31, 10, 365]))


def _wrong_docs(p: Plan, person: Person, submitted: dt.date, rng: random.Random) -> list[Doc]:
    """WRONG_DOCUMENT_TYPE: a bill uploaded as identity, or a licence uploaded as residency."""
    if p.variant == "bill_as_identity":
        paper = utility_bill(
            person, person.address, submitted - dt.timedelta(days=rng.randint(5, 30)), rng
        )
        name, data, tags = _paper_file(paper, rng)
        truth = _truth("utility_bill", paper.fields, paper.layout, tags, ["WRONG_DOCUMENT_TYPE"])
        truth.defects = ["bill_as_identity"]
        return [
            Doc("identity", name, data, truth, declared_type="drivers_license"),
            residency_doc(p, person, submitted, rng),
        ]
    docs = identity_docs(p, person, submitted, rng, "passport")
    issue, expiry = _validity(submitted, rng, False, 8)
    card = make_card(person, "drivers_license", issue, expiry, rng)
    layout = rng.choice(sorted(CARD_LAYOUTS))
    img, capture = _capture(CARD_LAYOUTS[layout](card, rng), rng)
    truth = _truth(
        "drivers_license",
        card_fields(card.data),
        f"outside_{layout}",
        capture,
        ["WRONG_DOCUMENT_TYPE"],
    )
    truth.defects = ["licence_as_residency"]
    docs.append(
        Doc(
            "residency",
            f"{_stem(rng)}.jpg",
            degrade.jpeg_bytes(img, 86),
            truth,
            declared_type="utility_bill",
        )
    )
    return docs


def build(p: Plan) -> Built:
    """One outside application (a pure function of `p`)."""
    rng = random.Random(f"outside:{p.seed}:{p.index}:{p.program}")
    degrade.QUALITY_CAP["jpeg"] = 100
    submitted = dt.date(2026, 1, 15) + dt.timedelta(days=rng.randint(0, 320))
    kind = "new" if rng.random() < 0.6 else "renewal"
    state = rng.choice(OUT_OF_STATE) if p.scenario == "ADDRESS_OUT_OF_STATE" else p.program
    person = make_person(rng, state)
    profile_person = (
        replace(person, dob=_dob_typo(person.dob, rng)) if p.scenario == "DOB_MISMATCH" else person
    )
    if p.scenario == "WRONG_DOCUMENT_TYPE":
        docs = _wrong_docs(p, person, submitted, rng)
    else:
        docs = identity_docs(p, person, submitted, rng, _identity_kind(p, rng))
        if p.scenario == "DOCUMENT_EXPIRED":
            docs[0].truth.flags.append("DOCUMENT_EXPIRED")
        elif p.scenario in ("DOB_MISMATCH", "MRZ_INVALID"):
            docs[0].truth.flags.append(p.scenario)
        elif p.scenario == "IMAGE_BLURRY":
            _blur(docs[0], p.variant, rng)
        docs.append(residency_doc(p, person, submitted, rng))
    if kind == "new":
        docs.append(
            Doc(
                "photo",
                f"{_stem(rng)}.jpg",
                degrade.jpeg_bytes(id_photo(rng), 90),
                _truth("photo", {}, None, ["astronaut_portrait"]),
            )
        )
    profile, tags = profile_json(profile_person, rng)
    docs[0].truth.variations.extend(tags)
    return _assemble(p, submitted, kind, profile, docs)


def _assemble(p: Plan, submitted: dt.date, kind: str, profile: dict, docs: list[Doc]) -> Built:
    files: dict[str, bytes] = {}
    entries: list[dict] = []
    for i, doc in enumerate(docs, start=1):
        name = doc.filename
        while name in files:
            name = f"{i}_{name}"
        files[name] = doc.data
        entry: dict = {"document_id": f"doc-{i}", "role": doc.role, "file": name}
        if doc.side:
            entry["side"] = doc.side
        if p.program == "CT" and doc.declared_type and doc.role != "photo":
            entry["declared_type"] = doc.declared_type
        address = doc.truth.fields.get("address")
        expiry = doc.truth.fields.get("expiry_date")
        state = address.get("state") if isinstance(address, dict) else None
        if (
            p.program == "MA"
            and doc.role == "identity"
            and not doc.side
            and expiry
            and state != "MA"
        ):
            entry["declared_expiry_date"] = expiry
        entries.append(entry)
        doc.truth.document_id = f"doc-{i}"
    flags = sorted({f for d in docs for f in d.truth.flags})
    decision = Decision.worst([DEFAULT_DECISION[FlagCode(f)] for f in flags])
    manifest = {
        "application_id": p.application_id,
        "program": p.program,
        "kind": kind,
        "submitted_on": submitted.isoformat(),
        "profile": profile,
        "documents": entries,
    }
    truth = Truth(
        application_id=p.application_id,
        scenario=p.scenario,
        decision=decision,
        flags=flags,
        documents=[d.truth for d in docs],
        seed=p.seed,
        generator_version=GENERATOR_VERSION,
    )
    return Built(p.application_id, manifest, files, truth, docs)


def _build_and_write(args: tuple[Plan, str]) -> str:
    p, out = args
    return str(write(build(p), Path(out)))


def generate(
    out: Path,
    n: int,
    seed: int,
    program: str = "both",
    jobs: int = 2,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write `n` outside applications under `out` (deterministic in `seed`); their folders."""
    if program not in ("CT", "MA", "both"):
        raise ValueError("program must be CT, MA or both")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    work = [(p, str(out)) for p in plan(n, seed, program)]
    folders: list[Path] = []
    if jobs <= 1 or len(work) <= 2:
        results = map(_build_and_write, work)
        for folder in results:
            folders.append(Path(folder))
            if progress:
                progress(folders[-1])
        return folders
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for folder in pool.map(_build_and_write, work, chunksize=1):
            folders.append(Path(folder))
            if progress:
                progress(folders[-1])
    return folders
