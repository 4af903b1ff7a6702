"""Identity documents: licence and state-ID fronts (several layouts), barcode backs, passports.

`licence_front(card, layout, rng)` draws an 85.6 x 54 mm card (1100 px wide) in one of
`FRONT_LAYOUTS`; they differ in colours, fonts, label wording (numbered AAMVA labels such as
"4b EXP" vs plain "Expires"), name order and portrait side. `licence_back` carries a real
AAMVA PDF417 barcode (zxing-cpp). `passport_page` draws a US passport data page (TD3) with
an MRZ built by the `mrz` package's generator.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import zxingcpp
from mrz.generator.td3 import TD3CodeGenerator
from PIL import Image, ImageDraw

from samples.aamva import CardData
from samples.profiles import MONTHS, STATE_NAMES
from samples.render import font, guilloche, portrait, text_width

CARD_W = 1100
CARD_H = round(CARD_W * 54 / 85.6)


@dataclass(frozen=True)
class Theme:
    """Colours and fonts of a card layout."""

    band: tuple[int, int, int]
    paper: tuple[int, int, int]
    label: tuple[int, int, int]
    value: tuple[int, int, int]
    label_font: str
    value_font: str
    title_font: str


def _us(d: dt.date, sep: str = "/") -> str:
    return d.strftime(f"%m{sep}%d{sep}%Y")


def _base(card: CardData, theme: Theme, rng: random.Random, title: str) -> Image.Image:
    img = guilloche((CARD_W, CARD_H), theme.paper, rng)
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle(
        (0, 0, CARD_W - 1, CARD_H - 1), radius=38, outline=(120, 120, 120), width=2
    )
    draw.rectangle((0, 0, CARD_W, 118), fill=theme.band)
    state = STATE_NAMES.get(card.state, card.state).upper()
    draw.text((40, 14), state, font=font(theme.title_font, 54), fill=(255, 255, 255))
    tw = text_width(draw, title, font(theme.title_font, 34))
    draw.text((CARD_W - tw - 40, 24), title, font=font(theme.title_font, 34), fill=(255, 255, 255))
    draw.text((CARD_W - 170, 70), "USA", font=font(theme.title_font, 30), fill=(255, 255, 255))
    return img


def _paste_portrait(img: Image.Image, rng: random.Random, left: bool) -> tuple[int, int]:
    pw, ph = 280, 350
    x = 36 if left else CARD_W - pw - 36
    img.paste(portrait(rng, (pw, ph)), (x, 145))
    # ghost image on the opposite side, faded
    ghost = portrait(rng, (96, 120)).convert("L").point(lambda v: 150 + v // 3).convert("RGB")
    gx = CARD_W - 140 if left else 40
    img.paste(ghost, (gx, CARD_H - 135))
    return (x + pw + 40, 150) if left else (40, 150)


def _signature(draw: ImageDraw.ImageDraw, card: CardData, x: int, y: int) -> None:
    name = f"{card.first.title()} {card.last.title()}"
    draw.text((x, y), name, font=font("script", 40), fill=(20, 20, 70))


def _field(
    draw: ImageDraw.ImageDraw,
    theme: Theme,
    x: int,
    y: int,
    label: str,
    value: str,
    size: int = 32,
    inline: bool = False,
) -> int:
    """Draw a label and its value; returns the next y."""
    lf, vf = font(theme.label_font, 20), font(theme.value_font, size)
    if inline:
        draw.text((x, y + (size - 20) // 2), label, font=lf, fill=theme.label)
        draw.text((x + text_width(draw, label, lf) + 10, y), value, font=vf, fill=theme.value)
        return y + size + 12
    draw.text((x, y), label, font=lf, fill=theme.label)
    draw.text((x, y + 22), value, font=vf, fill=theme.value)
    return y + 22 + size + 10


def _address_lines(card: CardData) -> list[str]:
    street = card.street + (f" {card.street2}" if card.street2 else "")
    zip_code = card.zip5 + (f"-{card.zip4}" if card.zip4 else "")
    return [street, f"{card.city}, {card.state} {zip_code}"]


def _kind_title(card: CardData) -> str:
    return "DRIVER LICENSE" if card.subfile == "DL" else "IDENTIFICATION CARD"


def _numbered(card: CardData, rng: random.Random, left: bool, theme: Theme) -> Image.Image:
    """AAMVA numbered labels: 4d DLN, 1 (family name), 2 (given names), 3 DOB, 4b EXP."""
    img = _base(card, theme, rng, _kind_title(card))
    draw = ImageDraw.Draw(img)
    x, y = _paste_portrait(img, rng, left)
    y = _field(draw, theme, x, y, "4d DLN", card.number, 36, inline=True)
    y = _field(
        draw,
        theme,
        x,
        y,
        "1",
        card.last + (f" {card.suffix}" if card.suffix else ""),
        36,
        inline=True,
    )
    y = _field(
        draw, theme, x, y, "2", " ".join(p for p in (card.first, card.middle) if p), 32, inline=True
    )
    lines = _address_lines(card)
    y = _field(draw, theme, x, y, "8", lines[0], 28, inline=True)
    draw.text((x + 25, y - 6), lines[1], font=font(theme.value_font, 28), fill=theme.value)
    y += 38
    _field(draw, theme, x, y, "3 DOB", _us(card.dob), 32, inline=True)
    _field(draw, theme, x + 330, y, "4b EXP", _us(card.expiry), 32, inline=True)
    y += 50
    _field(draw, theme, x, y, "4a ISS", _us(card.issue), 26, inline=True)
    _field(draw, theme, x + 330, y, "15 SEX", card.sex, 26, inline=True)
    y += 44
    height = f"{card.height_in // 12}'-{card.height_in % 12:02d}\""
    _field(draw, theme, x, y, "16 HGT", height, 26, inline=True)
    _field(draw, theme, x + 330, y, "18 EYES", card.eyes, 26, inline=True)
    _signature(draw, card, 40 if left else CARD_W - 520, CARD_H - 80)
    return img


def _plain(card: CardData, rng: random.Random, left: bool, theme: Theme) -> Image.Image:
    """Plain English labels in a two-column grid."""
    img = _base(card, theme, rng, _kind_title(card))
    draw = ImageDraw.Draw(img)
    x, y = _paste_portrait(img, rng, left)
    number_label = "License No." if card.subfile == "DL" else "ID No."
    y = _field(draw, theme, x, y - 6, number_label, card.number, 34)
    y = _field(
        draw,
        theme,
        x,
        y - 6,
        "Last Name",
        card.last + (f" {card.suffix}" if card.suffix else ""),
        34,
    )
    if card.middle:
        _field(draw, theme, x + 300, y - 6, "Middle Name", card.middle, 30)
    y = _field(draw, theme, x, y - 6, "First Name", card.first, 30)
    _field(draw, theme, x, y, "Date of Birth", _us(card.dob), 30)
    y = _field(draw, theme, x + 260, y, "Expires", _us(card.expiry), 30)
    lines = _address_lines(card)
    draw.text((x, y), "Address", font=font(theme.label_font, 20), fill=theme.label)
    draw.text((x, y + 22), lines[0], font=font(theme.value_font, 26), fill=theme.value)
    draw.text((x, y + 52), lines[1], font=font(theme.value_font, 26), fill=theme.value)
    y += 92
    _field(draw, theme, x, y, "Issued", _us(card.issue), 24)
    _field(draw, theme, x + 200, y, "Sex", card.sex, 24)
    _field(
        draw, theme, x + 290, y, "Height", f"{card.height_in // 12}-{card.height_in % 12:02d}", 24
    )
    _signature(draw, card, 40 if left else CARD_W - 520, CARD_H - 70)
    return img


def _short(card: CardData, rng: random.Random, left: bool, theme: Theme) -> Image.Image:
    """Short labels LN / FN / DOB / EXP / ISS / DL, dates with dashes."""
    img = _base(card, theme, rng, _kind_title(card))
    draw = ImageDraw.Draw(img)
    x, y = _paste_portrait(img, rng, left)
    y = _field(
        draw, theme, x, y, "DL" if card.subfile == "DL" else "ID", card.number, 36, inline=True
    )
    _field(draw, theme, x, y, "EXP", _us(card.expiry, "-"), 34, inline=True)
    y = _field(draw, theme, x + 330, y, "ISS", _us(card.issue, "-"), 26, inline=True)
    y = _field(draw, theme, x, y, "LN", card.last, 36, inline=True)
    given = " ".join(p for p in (card.first, card.middle, card.suffix) if p)
    y = _field(draw, theme, x, y, "FN", given, 32, inline=True)
    for line in _address_lines(card):
        draw.text((x, y), line, font=font(theme.value_font, 28), fill=theme.value)
        y += 34
    y += 8
    y = _field(draw, theme, x, y, "DOB", _us(card.dob, "-"), 34, inline=True)
    _field(draw, theme, x, y, "SEX", card.sex, 24, inline=True)
    _field(
        draw,
        theme,
        x + 140,
        y,
        "HGT",
        f"{card.height_in // 12}'-{card.height_in % 12:02d}\"",
        24,
        inline=True,
    )
    _field(draw, theme, x + 330, y, "EYES", card.eyes, 24, inline=True)
    _signature(draw, card, 40 if left else CARD_W - 520, CARD_H - 70)
    return img


def _oneline(card: CardData, rng: random.Random, left: bool, theme: Theme) -> Image.Image:
    """Name as `LAST, FIRST MIDDLE` on one line; "Date of Birth"/"Expiration"/"Issue Date"."""
    img = _base(card, theme, rng, "ID CARD" if card.subfile == "ID" else "DRIVER'S LICENSE")
    draw = ImageDraw.Draw(img)
    x, y = _paste_portrait(img, rng, left)
    given = " ".join(p for p in (card.first, card.middle) if p)
    name = f"{card.last}{' ' + card.suffix if card.suffix else ''}, {given}"
    y = _field(draw, theme, x, y, "Name", name, 30)
    lines = _address_lines(card)
    draw.text((x, y), lines[0], font=font(theme.value_font, 26), fill=theme.value)
    draw.text((x, y + 32), lines[1], font=font(theme.value_font, 26), fill=theme.value)
    y += 76
    _field(draw, theme, x, y, "Date of Birth", _us(card.dob), 32)
    y = _field(draw, theme, x + 300, y, "Expiration", _us(card.expiry), 32)
    _field(draw, theme, x, y, "Issue Date", _us(card.issue), 24)
    y = _field(draw, theme, x + 300, y, "Number", card.number, 28)
    _field(draw, theme, x, y, "Sex", card.sex, 22, inline=True)
    _field(draw, theme, x + 120, y, "Eyes", card.eyes, 22, inline=True)
    _field(draw, theme, x + 260, y, "Hair", card.hair, 22, inline=True)
    _signature(draw, card, 40 if left else CARD_W - 520, CARD_H - 60)
    return img


THEMES: dict[str, Theme] = {
    "numbered_blue": Theme(
        (22, 60, 140),
        (232, 238, 246),
        (150, 30, 30),
        (10, 10, 10),
        "sans-bold",
        "sans-bold",
        "sans-bold",
    ),
    "plain_green": Theme(
        (18, 110, 90),
        (234, 244, 236),
        (60, 90, 80),
        (15, 15, 15),
        "dejavu",
        "dejavu-bold",
        "dejavu-bold",
    ),
    "short_red": Theme(
        (140, 24, 40),
        (248, 238, 232),
        (140, 24, 40),
        (20, 20, 20),
        "serif-bold",
        "serif-bold",
        "serif-bold",
    ),
    "oneline_purple": Theme(
        (70, 40, 110),
        (240, 236, 246),
        (90, 70, 110),
        (0, 0, 0),
        "condensed",
        "condensed-bold",
        "condensed-bold",
    ),
    "numbered_gold": Theme(
        (120, 90, 20),
        (246, 242, 226),
        (80, 60, 20),
        (25, 25, 25),
        "narrow",
        "narrow-bold",
        "narrow-bold",
    ),
}
FRONT_LAYOUTS: dict[str, tuple[Callable[..., Image.Image], str, bool]] = {
    # name: (drawer, theme, portrait on the left)
    "numbered_left": (_numbered, "numbered_blue", True),
    "plain_right": (_plain, "plain_green", False),
    "short_left": (_short, "short_red", True),
    "oneline_right": (_oneline, "oneline_purple", False),
    "numbered_right": (_numbered, "numbered_gold", False),
    "plain_left": (_plain, "short_red", True),
}


def licence_front(card: CardData, layout: str, rng: random.Random) -> Image.Image:
    """The front of a licence or state ID in `layout` (a key of `FRONT_LAYOUTS`)."""
    drawer, theme, left = FRONT_LAYOUTS[layout]
    return drawer(card, rng, left, THEMES[theme])


def pdf417(payload: str, scale: int) -> Image.Image:
    """A PDF417 symbol of `payload` (bytes-exact: control characters preserved)."""
    barcode = zxingcpp.create_barcode(
        payload.encode("latin-1"), zxingcpp.BarcodeFormat.PDF417, options="ecLevel=3"
    )
    arr = np.asarray(barcode.to_image(scale=scale))
    return Image.fromarray(arr).convert("RGB")


def licence_back(card: CardData, payload: str, rng: random.Random) -> Image.Image:
    """The back of a licence: restrictions text and the AAMVA PDF417 barcode."""
    img = Image.new("RGB", (CARD_W, CARD_H), (244, 244, 240))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle(
        (0, 0, CARD_W - 1, CARD_H - 1), radius=38, outline=(120, 120, 120), width=2
    )
    lines = [
        f"9 CLASS {card.vehicle_class}   9a END NONE   12 RESTR NONE",
        f"5 DD {card.discriminator}",
    ]
    if rng.random() < 0.5:
        lines.append("ORGAN DONOR")
    y = 28
    for line in lines:
        draw.text((40, y), line, font=font("sans", 24), fill=(30, 30, 30))
        y += 32
    symbol = pdf417(payload, 1)
    scale = max(2, (CARD_W - 60) // symbol.size[0])
    symbol = pdf417(payload, scale)
    if symbol.size[0] > CARD_W - 40:
        symbol = symbol.resize((CARD_W - 40, symbol.size[1]), Image.Resampling.NEAREST)
    top = y + max(10, (CARD_H - y - symbol.size[1]) // 2 - 10)
    img.paste(symbol, ((CARD_W - symbol.size[0]) // 2, top))
    return img


@dataclass(frozen=True)
class PassportData:
    """What a US passport data page prints."""

    last: str
    given: str
    number: str
    sex: str
    dob: dt.date
    issue: dt.date
    expiry: dt.date
    birthplace: str


def _pp_date(d: dt.date) -> str:
    return f"{d.day:02d} {MONTHS[d.month - 1].title()} {d.year}"


def _yymmdd(d: dt.date) -> str:
    return d.strftime("%y%m%d")


def _mrz_name(name: str) -> str:
    """A printed name as the MRZ spells it: periods and apostrophes omitted."""
    return " ".join(name.replace(".", " ").replace("'", "").split())


def mrz_lines(data: PassportData) -> tuple[str, str]:
    """The two TD3 MRZ lines, from the `mrz` package's generator.

    ICAO 9303 omits punctuation other than hyphens from the MRZ name ("ST. JOHN" is
    written ST<JOHN); the generator refuses a "." so it is dropped here."""
    code = TD3CodeGenerator(
        "P",
        "USA",
        _mrz_name(data.last),
        _mrz_name(data.given),
        data.number,
        "USA",
        _yymmdd(data.dob),
        data.sex,
        _yymmdd(data.expiry),
        "",
        force=True,
    )
    first, second = str(code).strip().split("\n")
    return first, second


def corrupt_check_digit(line2: str, rng: random.Random) -> tuple[str, str]:
    """Line 2 with one check digit changed: (new line, which digit)."""
    positions = {"document_number": 9, "birth_date": 19, "expiry_date": 27, "final": 43}
    which = rng.choice(list(positions))
    pos = positions[which]
    old = line2[pos]
    new = str((int(old) + rng.randint(1, 9)) % 10) if old.isdigit() else "7"
    return line2[:pos] + new + line2[pos + 1 :], which


def passport_page(data: PassportData, mrz: tuple[str, str], rng: random.Random) -> Image.Image:
    """A US passport data page (125 x 88 mm) with its machine-readable zone."""
    w, h = 1250, 880
    img = guilloche((w, h), (236, 234, 244), rng)
    draw = ImageDraw.Draw(img)
    hf, lf, vf = font("serif-bold", 30), font("sans", 17), font("sans-bold", 28)
    draw.text((40, 24), "PASSPORT", font=hf, fill=(40, 40, 90))
    draw.text((330, 24), "UNITED STATES OF AMERICA", font=hf, fill=(40, 40, 90))
    img.paste(portrait(rng, (300, 380)), (40, 120))

    def field(x: int, y: int, label: str, value: str) -> None:
        draw.text((x, y), label, font=lf, fill=(70, 70, 110))
        draw.text((x, y + 20), value, font=vf, fill=(15, 15, 15))

    x = 380
    field(x, 90, "Type / Type / Tipo", "P")
    field(x + 250, 90, "Code / Code / Código", "USA")
    field(x + 520, 90, "Passport No. / No. du Passeport", data.number)
    field(x, 160, "Surname / Nom / Apellidos", data.last)
    field(x, 230, "Given Names / Prénoms / Nombres", data.given)
    field(x, 300, "Nationality / Nationalité / Nacionalidad", "UNITED STATES OF AMERICA")
    field(x, 370, "Date of birth / Date de naissance", _pp_date(data.dob))
    field(x + 420, 370, "Sex / Sexe / Sexo", data.sex)
    field(x, 440, "Place of birth / Lieu de naissance", data.birthplace)
    field(x, 510, "Date of issue / Date de délivrance", _pp_date(data.issue))
    field(x + 420, 510, "Authority / Autorité", "United States")
    draw.text((x + 420, 552), "Department of State", font=vf, fill=(15, 15, 15))
    field(x, 580, "Date of expiration / Date d'expiration", _pp_date(data.expiry))
    field(x + 420, 600, "Endorsements", "SEE PAGE 27")
    draw.rectangle((0, h - 190, w, h), fill=(250, 250, 250))
    mf = font("ocrb", 44)
    draw.text((40, h - 170), mrz[0], font=mf, fill=(0, 0, 0))
    draw.text((40, h - 95), mrz[1], font=mf, fill=(0, 0, 0))
    return img
