"""AAMVA DL/ID card design standard: an encoder of PDF417 payloads for generated licences.

`encode(card, version, iin)` returns the payload text: the header (`@`, LF, RS, CR,
`ANSI `, issuer identification number, AAMVA version, jurisdiction version, number of
entries), the subfile directory (type, 4-digit offset, 4-digit length per subfile) and
the subfiles (`DL`/`ID` then elements `XXXvalue` separated by LF, each ended by CR).
US dates are MMDDCCYY. Versions 3 to 10 are supported (3 names the person with DCT).
This is the samples' own encoder: it shares no code with the pipeline's decoder.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

IINS: dict[str, str] = {
    "CT": "636006",
    "MA": "636002",
    "NY": "636001",
    "RI": "636052",
    "NJ": "636036",
    "NH": "636039",
    "VT": "636024",
}
VERSIONS: tuple[int, ...] = (3, 4, 8, 9, 10)


@dataclass(frozen=True)
class CardData:
    """What a licence says, in AAMVA terms (values upper-case ASCII)."""

    subfile: str  # "DL" or "ID"
    last: str
    first: str
    middle: str | None
    suffix: str | None
    dob: dt.date
    issue: dt.date
    expiry: dt.date
    number: str
    sex: str  # "M" / "F"
    street: str
    street2: str | None
    city: str
    state: str
    zip5: str
    zip4: str | None
    height_in: int
    eyes: str
    hair: str
    discriminator: str
    vehicle_class: str = "D"


def ascii_upper(text: str) -> str:
    """Upper-case ASCII, accents stripped (AAMVA fields carry no diacritics)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if ord(c) < 128).upper()


def _date(d: dt.date) -> str:
    return d.strftime("%m%d%Y")


def _elements(card: CardData, version: int) -> list[tuple[str, str]]:
    """The data elements of the DL/ID subfile, in the usual order for `version`."""
    zip_code = (card.zip5 + (card.zip4 or "0000")).ljust(11)
    head: list[tuple[str, str]] = []
    if card.subfile == "DL":
        head += [("DCA", card.vehicle_class), ("DCB", "NONE"), ("DCD", "NONE")]
    head.append(("DBA", _date(card.expiry)))
    if version <= 3:
        given = ",".join(x for x in (card.first, card.middle) if x)
        names = [("DCS", card.last), ("DCT", given)]
    else:
        names = [("DCS", card.last), ("DAC", card.first), ("DAD", card.middle or "NONE")]
    body: list[tuple[str, str]] = [
        ("DBD", _date(card.issue)),
        ("DBB", _date(card.dob)),
        ("DBC", "1" if card.sex == "M" else "2"),
        ("DAY", card.eyes),
        ("DAU", f"{card.height_in:03d} IN" if version >= 4 else f"{card.height_in:03d} in"),
        ("DAG", card.street),
    ]
    if card.street2:
        body.append(("DAH", card.street2))
    body += [
        ("DAI", card.city),
        ("DAJ", card.state),
        ("DAK", zip_code),
        ("DAQ", card.number),
        ("DCF", card.discriminator),
        ("DCG", "USA"),
    ]
    if card.suffix:
        body.append(("DCU", card.suffix))
    if version >= 4:
        body += [("DDE", "N"), ("DDF", "N"), ("DDG", "N"), ("DAZ", card.hair)]
    if version >= 5:
        body += [("DCK", f"{card.discriminator[-6:]}{card.state}0001"), ("DDB", "08292017")]
    if version >= 8:
        body.append(("DDA", "F"))
    if version >= 10:
        under21 = dt.date(card.dob.year + 21, card.dob.month, min(card.dob.day, 28))
        body.append(("DDJ", _date(under21)))
    return head + names + body


def encode(card: CardData, version: int, iin: str, jurisdiction_version: int = 0) -> str:
    """The AAMVA payload text of `card` (compliance indicator `@`, then header, then subfiles)."""
    elements = _elements(card, version)
    main = card.subfile + "\n".join(code + value for code, value in elements) + "\r"
    subfiles = [(card.subfile, main)]
    state_sub = f"Z{card.state[0]}"
    subfiles.append((state_sub, f"{state_sub}{state_sub}A{card.discriminator[:4]}\r"))
    header = f"@\n\x1e\rANSI {iin}{version:02d}{jurisdiction_version:02d}{len(subfiles):02d}"
    offset = len(header) + 10 * len(subfiles)
    directory = ""
    for kind, text in subfiles:
        directory += f"{kind}{offset:04d}{len(text):04d}"
        offset += len(text)
    return header + directory + "".join(text for _, text in subfiles)
