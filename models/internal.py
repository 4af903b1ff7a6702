"""Frozen dataclasses that pipeline stages pass to each other. No I/O here.

A document flows through the stages as a `DocumentState`; each stage returns a new
state (`dataclasses.replace`) and each check returns a `CheckResult`. Images are
numpy arrays (BGR, uint8), never re-decoded once loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

import numpy as np

from models.flags import DocumentType, FlagCode

Box = tuple[int, int, int, int]
"""x0, y0, x1, y1 in pixels of the page image, origin top-left."""
FaceBox = tuple[int, int, int, int]
"""A face found by the cascades: x, y, width, height in pixels of the image searched."""

Source = Literal["ocr", "pdf_text", "barcode", "mrz", "declared"]
Status = Literal["pass", "warn", "fail", "skipped"]


class FileKind(StrEnum):
    """File types recognised by content sniffing."""

    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    WEBP = "webp"
    HEIC = "heic"
    PDF = "pdf"


@dataclass(frozen=True)
class Word:
    """One word read on a page, with its box and confidence (0 to 1)."""

    text: str
    confidence: float
    box: Box
    page: int
    line: int
    """Index of the text line on its page (words of one line share it)."""


@dataclass(frozen=True)
class PageText:
    """All words of one page, from the PDF text layer or from OCR."""

    page: int
    words: tuple[Word, ...]
    source: Literal["ocr", "pdf_text"]
    width: int
    height: int

    @property
    def lines(self) -> list[list[Word]]:
        """Words grouped by line, in reading order."""
        grouped: dict[int, list[Word]] = {}
        for word in self.words:
            grouped.setdefault(word.line, []).append(word)
        return [grouped[k] for k in sorted(grouped)]

    @property
    def text(self) -> str:
        """The page's text, one line per text line."""
        return "\n".join(" ".join(w.text for w in line) for line in self.lines)

    @property
    def mean_confidence(self) -> float:
        """Mean word confidence (1.0 for a PDF text layer, 0 for no words)."""
        if not self.words:
            return 0.0
        return float(sum(w.confidence for w in self.words) / len(self.words))


@dataclass(frozen=True)
class Page:
    """One page image: a photo, a TIFF frame, or a rendered PDF page (BGR uint8)."""

    index: int
    image: np.ndarray = field(repr=False, compare=False)
    dpi: float | None = None
    """Effective resolution where known (PDF renders, TIFF/JPEG metadata)."""
    to_stored: tuple[float, ...] | None = None
    """Row-major 3x3 matrix taking this image's pixels to the stored page image's pixels
    (set by rectification; None: this image is the stored page image)."""


@dataclass(frozen=True)
class ReadAddress:
    """An address as read from a document."""

    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None


FieldName = Literal[
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "date_of_birth",
    "expiry_date",
    "issue_date",
    "document_date",
    "document_number",
    "address",
]


@dataclass(frozen=True)
class FieldValue:
    """An extracted value with the evidence behind it."""

    value: str | dt.date | ReadAddress
    source: Source
    confidence: float
    page: int | None = None
    box: Box | None = None


@dataclass(frozen=True)
class BarcodeRecord:
    """A decoded AAMVA PDF417 licence barcode."""

    version: int
    issuer_id: str
    elements: Mapping[str, str]
    """Raw data elements by their three-letter id (DCS, DAC, DBB...)."""
    fields: Mapping[str, FieldValue]
    """The elements turned into contract fields (source "barcode")."""
    box: Box | None = None
    page: int = 0
    document_type: DocumentType | None = None
    """drivers_license (DL subfile) or state_id (ID subfile); None when not stated."""
    jurisdiction: str | None = None
    """Issuing state or province (two letters) from the issuer id, else DAJ."""


@dataclass(frozen=True)
class MrzRecord:
    """A machine-readable zone as read, with its check-digit verdict."""

    kind: Literal["TD1", "TD2", "TD3"]
    lines: tuple[str, ...]
    valid: bool
    """True when every check digit agrees."""
    confident: bool
    """True when OCR read the zone well enough that a check-digit failure means something."""
    failed_checks: tuple[str, ...]
    fields: Mapping[str, FieldValue]
    page: int = 0
    box: Box | None = None
    sound: bool = True
    """The zone's shape is right (digits in its digit fields, length within repair)."""
    raw: tuple[str, ...] = ()
    """The lines as OCR read them, before repair (another read of the band may witness them)."""


@dataclass(frozen=True)
class Classification:
    """The document type found, with a confidence and the cues that decided it."""

    document_type: DocumentType
    confidence: float
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measurement:
    """A quality measurement on a page: its value, a 0-1 score (1 = good), where measured."""

    name: str
    value: float
    score: float
    detail: str


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check. A failed check is a result, never an exception."""

    name: str
    status: Status
    score: float | None = None
    detail: str | None = None
    flag: FlagCode | None = None
    """Raised with this result (usually when status is "fail")."""
    message: str | None = None
    """For the reviewer: what was found, and where."""
    applicant_message: str | None = None
    """For the applicant: what to do about it."""
    evidence: Mapping[str, object] | None = None


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a document across applications (for DUPLICATE_DOCUMENT)."""

    sha256: str
    phash: str | None = None
    """64-bit perceptual hash (hex) of the first page image."""
    document_number: str | None = None
    holder: str | None = None
    """A normalised holder name, to tell 'same number, other person'."""
    fine_hash: str | None = None
    """256-bit difference hash of page 1 at 17x16: tells same-layout documents apart."""
    text_hash: str | None = None
    """Signature of the number-bearing words read (6 hex digits each): overlaps on a re-read."""


@dataclass(frozen=True)
class PriorMatch:
    """A document of another application that looks like this one."""

    application_id: str
    document_id: str
    reason: Literal["same_file", "same_image", "same_number_other_person"]
    distance: int = 0


@dataclass(frozen=True)
class DocumentState:
    """Everything known about one document as it passes through the stages."""

    document_id: str
    role: str
    side: str
    data: bytes = field(repr=False, compare=False)
    declared_type: str | None = None
    declared_expiry_date: dt.date | None = None
    kind: FileKind | None = None
    page_count: int = 0
    pages: tuple[Page, ...] = field(default=(), repr=False)
    """Decoded (and, after rectification, flattened) page images."""
    text: tuple[PageText, ...] = ()
    barcode: BarcodeRecord | None = None
    mrz: MrzRecord | None = None
    faces: int | None = None
    """Faces found (photo role, or the portrait of an identity document); None = not looked."""
    face_boxes: tuple[FaceBox, ...] = ()
    """The faces `faces` counts where the stage kept them: (x, y, width, height) in pixels
    of the first page image as it is now (rectify's portrait search)."""
    classification: Classification | None = None
    fields: Mapping[str, FieldValue] = field(default_factory=dict)
    witnesses: Mapping[str, FieldValue] = field(default_factory=dict)
    """Values printed on the card's other side (an identity back's front): they may vouch
    for, or against, this side's machine-readable zone; never compared with the profile."""
    measurements: tuple[Measurement, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    fingerprint: Fingerprint | None = None
    stopped: CheckResult | None = None
    """Set when a stage found the file unusable: later stages are skipped."""
    timings: Mapping[str, float] = field(default_factory=dict, compare=False)
    """Seconds spent per stage (for the benchmark; never part of the verdict)."""

    @property
    def full_text(self) -> str:
        """The text of every page, pages separated by a form feed."""
        return "\f".join(p.text for p in self.text)

    def measurement(self, name: str) -> Measurement | None:
        """The measurement called `name` (first page unless named per page), if taken."""
        return next((m for m in self.measurements if m.name == name), None)

    @property
    def document_type(self) -> DocumentType:
        """The classified type, or OTHER when not classified."""
        return self.classification.document_type if self.classification else DocumentType.OTHER
