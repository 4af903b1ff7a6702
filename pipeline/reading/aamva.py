"""AAMVA DL/ID PDF417 payload parser (pure: text in, fields out, no I/O).

`parse_aamva(payload)` reads the header (compliance indicator, file type "ANSI "/"AAMVA",
issuer identification number, AAMVA version, jurisdiction version, number of entries),
the subfile directory and the data elements of versions 0 (pre-standard, best effort)
to 10, and returns an `AamvaResult` whose `fields` are contract fields with source
"barcode". It is tolerant of what real scanners hand over: junk before "@", missing
or doubled separators ("\\r\\n"), wrong directory offsets, lowercase. Anything that is
not an AAMVA payload raises `AamvaError` (never another exception).

Dates are MMDDCCYY for US issuers and CCYYMMDD for Canadian ones (and for some
version 1 cards); the other order is tried when the expected one is not a valid date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from models.flags import DocumentType
from models.internal import FieldValue, ReadAddress


class AamvaError(ValueError):
    """The payload is not a usable AAMVA DL/ID barcode."""


# Issuer identification numbers (public AAMVA IIN list): IIN -> (jurisdiction, country).
IIN_JURISDICTIONS: Mapping[str, tuple[str, str]] = {
    "604426": ("PE", "CAN"),
    "604427": ("AS", "USA"),
    "604428": ("QC", "CAN"),
    "604429": ("YT", "CAN"),
    "604430": ("MP", "USA"),
    "604431": ("PR", "USA"),
    "604432": ("AB", "CAN"),
    "604433": ("NU", "CAN"),
    "604434": ("NT", "CAN"),
    "636000": ("VA", "USA"),
    "636001": ("NY", "USA"),
    "636002": ("MA", "USA"),
    "636003": ("MD", "USA"),
    "636004": ("NC", "USA"),
    "636005": ("SC", "USA"),
    "636006": ("CT", "USA"),
    "636007": ("LA", "USA"),
    "636008": ("MT", "USA"),
    "636009": ("NM", "USA"),
    "636010": ("FL", "USA"),
    "636011": ("DE", "USA"),
    "636012": ("ON", "CAN"),
    "636013": ("NS", "CAN"),
    "636014": ("CA", "USA"),
    "636015": ("TX", "USA"),
    "636016": ("NL", "CAN"),
    "636017": ("NB", "CAN"),
    "636018": ("IA", "USA"),
    "636019": ("GU", "USA"),
    "636020": ("CO", "USA"),
    "636021": ("AR", "USA"),
    "636022": ("KS", "USA"),
    "636023": ("OH", "USA"),
    "636024": ("VT", "USA"),
    "636025": ("PA", "USA"),
    "636026": ("AZ", "USA"),
    "636027": ("US-DOS", "USA"),
    "636028": ("BC", "CAN"),
    "636029": ("OR", "USA"),
    "636030": ("MO", "USA"),
    "636031": ("WI", "USA"),
    "636032": ("MI", "USA"),
    "636033": ("AL", "USA"),
    "636034": ("ND", "USA"),
    "636035": ("IL", "USA"),
    "636036": ("NJ", "USA"),
    "636037": ("IN", "USA"),
    "636038": ("MN", "USA"),
    "636039": ("NH", "USA"),
    "636040": ("UT", "USA"),
    "636041": ("ME", "USA"),
    "636042": ("SD", "USA"),
    "636043": ("DC", "USA"),
    "636044": ("SK", "CAN"),
    "636045": ("WA", "USA"),
    "636046": ("KY", "USA"),
    "636047": ("HI", "USA"),
    "636048": ("MB", "CAN"),
    "636049": ("NV", "USA"),
    "636050": ("ID", "USA"),
    "636051": ("MS", "USA"),
    "636052": ("RI", "USA"),
    "636053": ("TN", "USA"),
    "636054": ("NE", "USA"),
    "636055": ("GA", "USA"),
    "636056": ("CU", "MEX"),
    "636057": ("HL", "MEX"),
    "636058": ("OK", "USA"),
    "636059": ("AK", "USA"),
    "636060": ("WY", "USA"),
    "636061": ("WV", "USA"),
    "636062": ("VI", "USA"),
}

_HEADER = re.compile(r"(?:ANSI|AAMVA) ?(\d{6})(\d{2})")
_ENTRY = re.compile(r"([A-Z][A-Z0-9])(\d{4})(\d{4})")
_SEPARATORS = re.compile(r"[\r\n\x1c\x1d\x1e]+")
_ELEMENT = re.compile(r"^([DZ][A-Z]{2})(.*)$", re.DOTALL)
_EMPTY_NAMES = frozenset({"", "NONE", "UNAVL", "UNAVAILABLE", "NFN", "NMN"})
_MAX_PAYLOAD = 64_000
_MIN_ELEMENTS = 2
_CORE = ("DAQ", "DCS", "DAA", "DAB", "DBO", "DBB", "DAC", "DCT")


@dataclass(frozen=True)
class AamvaResult:
    """A parsed AAMVA payload."""

    version: int
    issuer_id: str
    jurisdiction: str | None
    country: str
    """"USA", "CAN" or "MEX" (DCG element, else the issuer's country)."""
    jurisdiction_version: int | None
    subfile_type: str | None
    """"DL" (driver's licence) or "ID" (identification card); None when unstated."""
    elements: Mapping[str, str]
    fields: Mapping[str, FieldValue]
    sex: str | None = None
    """"M", "F" or "X" (DBC)."""
    zip_plus4: str | None = None
    raw_dates: Mapping[str, str] = field(default_factory=dict)

    @property
    def document_type(self) -> DocumentType | None:
        """drivers_license for a DL subfile, state_id for an ID subfile."""
        return {"DL": DocumentType.DRIVERS_LICENSE, "ID": DocumentType.STATE_ID}.get(
            self.subfile_type or ""
        )


@dataclass(frozen=True)
class _Header:
    version: int
    issuer_id: str
    jurisdiction_version: int | None
    types: tuple[str, ...]
    data_start: int


def parse_aamva(payload: str | bytes) -> AamvaResult:
    """Parse an AAMVA DL/ID barcode payload; AamvaError when it is not one."""
    text = _as_text(payload)
    header = _parse_header(text)
    types = header.types if header else ()
    start = header.data_start if header else 0
    elements = _parse_elements(text[start:], types)
    if sum(1 for k in elements if k.startswith("D")) < _MIN_ELEMENTS or not any(
        k in elements for k in _CORE
    ):
        raise AamvaError("no AAMVA data elements found")
    if header is None and not _headerless_ok(elements):
        raise AamvaError("no AAMVA header")
    return _build(header, elements)


def _as_text(payload: str | bytes) -> str:
    if isinstance(payload, bytes | bytearray):
        text = bytes(payload[:_MAX_PAYLOAD]).decode("latin-1")
    elif isinstance(payload, str):
        text = payload[:_MAX_PAYLOAD]
    else:
        raise AamvaError("payload must be text or bytes")
    return text.upper()


def _parse_header(text: str) -> _Header | None:
    """Find the file header and the subfile directory after any junk."""
    match = _HEADER.search(text)
    if match is None:
        return None
    iin, version = match.group(1), int(match.group(2))
    pos = match.end()
    # Version 2+ carries a 2-digit jurisdiction version before the entry count; try
    # the layout the version implies first, then the other (real cards get it wrong).
    layouts = (4, 2) if version >= 2 else (2, 4)
    for width in layouts:
        digits = text[pos : pos + width]
        if not digits.isdigit():
            continue
        types, end = _directory(text, pos + width)
        if types:
            jver = int(digits[:2]) if width == 4 else None
            return _Header(version, iin, jver, types, end)
    # No usable directory: the data follow the header (pre-standard cards).
    return _Header(version, iin, None, (), pos)


def _directory(text: str, pos: int) -> tuple[tuple[str, ...], int]:
    types: list[str] = []
    while len(types) < 20:
        entry = _ENTRY.match(text, pos)
        if entry is None:
            break
        types.append(entry.group(1))
        pos = entry.end()
    return tuple(types), pos


def _parse_elements(data: str, types: tuple[str, ...]) -> dict[str, str]:
    """Data elements by id, first occurrence wins; subfile-type prefixes are dropped."""
    known = set(types) | {"DL", "ID"}
    elements: dict[str, str] = {}
    for raw in _SEPARATORS.split(data):
        line = raw.lstrip(" @")
        if len(line) >= 5 and line[:2] in known and _ELEMENT.match(line[2:5]):
            line = line[2:]
        match = _ELEMENT.match(line)
        if match is None:
            continue
        key, value = match.group(1), match.group(2).strip()
        elements.setdefault(key, value)
    return elements


def _headerless_ok(elements: Mapping[str, str]) -> bool:
    """Accept a payload without header only when it clearly is a licence record."""
    has_name = any(k in elements for k in ("DCS", "DAA", "DAB"))
    return has_name and "DAQ" in elements and "DBB" in elements


def _build(header: _Header | None, el: Mapping[str, str]) -> AamvaResult:
    iin = header.issuer_id if header else ""
    jurisdiction, country = IIN_JURISDICTIONS.get(iin, (None, "USA"))
    dcg = el.get("DCG", "")[:3]
    if dcg in ("USA", "CAN", "MEX"):
        country = dcg
    types = header.types if header else ()
    subfile = next((t for t in types if t in ("DL", "ID")), None)
    fields: dict[str, FieldValue] = {}
    for name, value in _names(el).items():
        fields[name] = _fv(value)
    canadian = country == "CAN"
    raw_dates = {}
    for name, key in (("date_of_birth", "DBB"), ("expiry_date", "DBA"), ("issue_date", "DBD")):
        if key in el:
            raw_dates[name] = el[key]
            parsed = parse_aamva_date(el[key], canadian)
            if parsed is not None:
                fields[name] = _fv(parsed)
    number = el.get("DAQ", "").strip()
    if number:
        fields["document_number"] = _fv(number)
    address, plus4 = _address(el, canadian, header.version if header else 0)
    if address is not None:
        fields["address"] = _fv(address)
    return AamvaResult(
        version=header.version if header else 0,
        issuer_id=iin,
        jurisdiction=jurisdiction or (el.get("DAJ") or None),
        country=country,
        jurisdiction_version=header.jurisdiction_version if header else None,
        subfile_type=subfile,
        elements=dict(el),
        fields=fields,
        sex=_sex(el.get("DBC", "")),
        zip_plus4=plus4,
        raw_dates=raw_dates,
    )


def _fv(value: str | dt.date | ReadAddress) -> FieldValue:
    return FieldValue(value=value, source="barcode", confidence=1.0)


def parse_aamva_date(raw: str, canadian: bool) -> dt.date | None:
    """An AAMVA date: MMDDCCYY (US) or CCYYMMDD (Canada, some version 1 cards)."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) != 8:
        return None
    orders = ("ymd", "mdy") if canadian else ("mdy", "ymd")
    for order in orders:
        if order == "mdy":
            month, day, year = digits[:2], digits[2:4], digits[4:]
        else:
            year, month, day = digits[:4], digits[4:6], digits[6:]
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
        if 1900 <= date.year <= 2199:
            return date
    return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.replace(",", " ").split())
    return None if value in _EMPTY_NAMES else value


def _names(el: Mapping[str, str]) -> dict[str, str]:
    """last/first/middle/suffix from DCS/DAC/DAD (v4+), DCT (v2-3), DAB/DBO.. or DAA (v1)."""
    last = _clean(el.get("DCS") or el.get("DAB") or el.get("DBO"))
    first = _clean(el.get("DAC") or el.get("DBP"))
    middle = _clean(el.get("DAD") or el.get("DBQ"))
    suffix = _clean(el.get("DCU") or el.get("DAE"))
    if first is None and el.get("DCT"):
        given = _split_given(el["DCT"])
        first, middle = given[0], middle or (" ".join(given[1:]) or None)
    if (last is None or first is None) and el.get("DAA"):
        full = _split_full(el["DAA"])
        last = last or full.get("last")
        first = first or full.get("first")
        middle = middle or full.get("middle")
        suffix = suffix or full.get("suffix")
    out = {"last_name": last, "first_name": first, "middle_name": middle, "suffix": suffix}
    return {k: v for k, v in out.items() if v}


def _split_given(raw: str) -> list[str]:
    parts = [p for p in re.split(r"[,$ ]+", raw.strip()) if p and p not in _EMPTY_NAMES]
    return parts or [""]


def _split_full(raw: str) -> dict[str, str]:
    """DAA: "LAST,FIRST,MIDDLE[,SUFFIX]" (commas or "$"), else "LAST FIRST MIDDLE"."""
    parts = re.split(r"[,$]", raw) if re.search(r"[,$]", raw) else raw.split()
    parts = [" ".join(p.split()) for p in parts]
    keys = ("last", "first", "middle", "suffix")
    return {k: p for k, p in zip(keys, parts, strict=False) if p and p not in _EMPTY_NAMES}


def _address(
    el: Mapping[str, str], canadian: bool, version: int
) -> tuple[ReadAddress | None, str | None]:
    """DAG..DAK (DAL..DAP, the residence address of version 1, preferred when present)."""
    keys = ("DAL", "DAM", "DAN", "DAO", "DAP") if version <= 1 and "DAL" in el else None
    line1, line2, city, state, postal = (
        el.get(k) for k in (keys or ("DAG", "DAH", "DAI", "DAJ", "DAK"))
    )
    zip_code, plus4 = _postal(postal or "", canadian)
    parts = [_clean(v) for v in (line1, line2, city, state)]
    if not any(parts) and zip_code is None:
        return None, None
    address = ReadAddress(
        line1=parts[0], line2=parts[1], city=parts[2], state=parts[3], zip=zip_code
    )
    return address, plus4


def _postal(raw: str, canadian: bool) -> tuple[str | None, str | None]:
    """US ZIP (9 digits padded with zeros or spaces) -> ZIP5 and plus4; Canada as printed."""
    raw = raw.strip()
    if canadian or re.match(r"^[A-Z]\d[A-Z]", raw):
        code = re.sub(r"\s+", "", raw)
        return (f"{code[:3]} {code[3:6]}" if len(code) >= 6 else code or None), None
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 5:
        return None, None
    plus4 = digits[5:9]
    return digits[:5], (plus4 if len(plus4) == 4 and plus4 != "0000" else None)


def _sex(raw: str) -> str | None:
    return {"1": "M", "2": "F", "9": "X", "M": "M", "F": "F", "X": "X"}.get(raw.strip()[:1])
