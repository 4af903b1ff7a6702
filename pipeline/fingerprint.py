"""Document fingerprints and the duplicate decision (DUPLICATE_DOCUMENT).

A `Fingerprint` holds the file's SHA-256, a 64-bit perceptual hash (pHash) of the first
page, a 256-bit difference hash (finer), a signature of the number-bearing words read,
the document number and the holder's normalised name.

`compare(new, old) -> (reason, distance) | None` decides whether `old` (a document of
another application) is the same document as `new`:
- `same_file`: identical bytes;
- `same_image`: perceptual hashes close AND what was read agrees: the first of the
  document number and the number-bearing words that both sides know. Different licences
  of one state's layout, or bills of one company's template, look alike at 32x32 and even
  at 16x16: when nothing was read on one side, both hashes must be nearly exact. A
  near-blank page has no image hashes.
- `same_number_other_person`: the same document number held by another person.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from models.internal import DocumentState, Fingerprint, PriorMatch
from pipeline.config import MatchConfig
from pipeline.context import Context
from pipeline.matching.names import person_name
from pipeline.tools import cv

_DEFAULT = MatchConfig()
_DIGIT_FOLD = str.maketrans(
    {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"}
)
_MIN_CONTENT = 3
_MAX_CONTENT = 64


def phash(image: np.ndarray) -> str:
    """64-bit perceptual hash of an image, as 16 hex digits."""
    gray = cv.to_gray(image)
    small = cv.resize_exact(gray, 32, 32).astype(np.float32)
    dct = cv.dct(small)[:8, :8]
    median = float(np.median(dct.flatten()[1:]))
    bits = (dct.flatten() > median).astype(np.uint8)
    return f"{int(''.join(map(str, bits)), 2):016x}"


def fine_hash(image: np.ndarray) -> str:
    """256-bit difference hash (17x16 grid, left-right gradients), as 64 hex digits."""
    gray = cv.to_gray(image)
    small = cv.resize_exact(gray, 17, 16).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).flatten().astype(np.uint8)
    return f"{int(''.join(map(str, bits)), 2):064x}"


def text_hash(text: str) -> str | None:
    """Content signature: sorted short hashes of the number-bearing words (account and
    document numbers, dates, amounts, house numbers, ZIPs), the words that tell two
    documents of one template apart. OCR-confused letters are folded to digits first.
    None when fewer than `_MIN_CONTENT` such words were read."""
    found = set()
    for word in re.findall(r"[A-Z0-9][A-Z0-9/.,:-]*[A-Z0-9]", text.upper()):
        core = re.sub(r"[^A-Z0-9]", "", word)
        digits = sum(c.isdigit() for c in core)
        if len(core) < 4 or digits * 2 < len(core):
            continue
        folded = core.translate(_DIGIT_FOLD)
        found.add(hashlib.blake2b(folded.encode(), digest_size=3).hexdigest())
    if len(found) < _MIN_CONTENT:
        return None
    return "".join(sorted(found)[:_MAX_CONTENT])


def text_overlap(a: str, b: str) -> float:
    """Share of the smaller signature's words found in the other (0 to 1)."""
    sa = {a[i : i + 6] for i in range(0, len(a), 6)}
    sb = {b[i : i + 6] for i in range(0, len(b), 6)}
    return len(sa & sb) / min(len(sa), len(sb))


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def normalize_number(value: str | None) -> str | None:
    """A document number as upper-case letters and digits only."""
    if not value:
        return None
    cleaned = re.sub(r"[^A-Z0-9]", "", value.upper())
    return cleaned or None


def _holder(doc: DocumentState) -> str | None:
    fields = {k: doc.fields.get(k) for k in ("first_name", "last_name")}
    if not any(fields.values()):
        return None
    values = {k: str(v.value) if v else None for k, v in fields.items()}
    name = person_name(values["first_name"], None, values["last_name"])
    return " ".join((*name.given[:1], *name.surname)) or None


def image_contrast(image: np.ndarray) -> float:
    """Grey-level standard deviation of the 32x32 thumbnail (0 for a uniform page)."""
    gray = cv.to_gray(image)
    return float(cv.resize_exact(gray, 32, 32).astype(np.float32).std())


def fingerprint(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: attach the document's fingerprint. A near-blank first page gets no image
    hashes: two faded or washed-out pages look alike whatever they showed."""
    number = doc.fields.get("document_number")
    first = doc.pages[0].image if doc.pages else None
    if first is not None and image_contrast(first) < ctx.config.match.image_min_contrast:
        first = None
    return replace(
        doc,
        fingerprint=Fingerprint(
            sha256=hashlib.sha256(doc.data).hexdigest(),
            phash=phash(first) if first is not None else None,
            document_number=normalize_number(str(number.value)) if number else None,
            holder=_holder(doc),
            fine_hash=fine_hash(first) if first is not None else None,
            text_hash=text_hash(doc.full_text),
        ),
    )


def _same_number(a: str | None, b: str | None) -> bool | None:
    """True/False when both numbers are known (one misread character tolerated), else None."""
    a, b = normalize_number(a), normalize_number(b)
    if not a or not b:
        return None
    return a == b or (min(len(a), len(b)) >= 6 and Levenshtein.distance(a, b) <= 1)


def _close(a: str | None, b: str | None, limit: int) -> bool | None:
    if not a or not b or len(a) != len(b):
        return None
    return hamming(a, b) <= limit


def _same_text(a: str | None, b: str | None, minimum: float) -> bool | None:
    if not a or not b:
        return None
    return text_overlap(a, b) >= minimum


def _same_image(new: Fingerprint, old: Fingerprint, cfg: MatchConfig) -> int | None:
    """The pHash distance when `new` and `old` are the same image, else None."""
    if not new.phash or not old.phash:
        return None
    distance = hamming(new.phash, old.phash)
    if distance > cfg.phash_max_distance:
        return None
    # The first signal both sides know decides: number, then text.
    for signal in (
        _same_number(new.document_number, old.document_number),
        _same_text(new.text_hash, old.text_hash, cfg.text_overlap_min),
    ):
        if signal is not None:
            return distance if signal else None
    # Nothing read to tell two pages of one template apart: the image alone must be
    # nearly identical, at both scales.
    if distance > cfg.phash_alone_max_distance:
        return None
    fine = _close(new.fine_hash, old.fine_hash, cfg.fine_hash_max_distance)
    return distance if fine is not False else None


def _other_person(a: str | None, b: str | None, cfg: MatchConfig) -> bool:
    if not a or not b:
        return False
    return fuzz.ratio(a, b) / 100.0 < cfg.holder_same_min


def compare(
    new: Fingerprint, old: Fingerprint, cfg: MatchConfig = _DEFAULT
) -> tuple[str, int] | None:
    """Why `old` is the same document as `new` (reason, distance), or None."""
    if new.sha256 == old.sha256:
        return "same_file", 0
    distance = _same_image(new, old, cfg)
    if distance is not None:
        return "same_image", distance
    same_number = _same_number(new.document_number, old.document_number)
    if same_number and _other_person(new.holder, old.holder, cfg):
        return "same_number_other_person", 0
    return None


class MemoryPriorIndex:
    """A prior-document index in memory (evaluation runs, tests); first come, first kept."""

    def __init__(self, cfg: MatchConfig = _DEFAULT) -> None:
        self._seen: list[tuple[str, str, Fingerprint]] = []
        self._cfg = cfg

    def matches(self, fingerprint: Fingerprint, application_id: str) -> list[PriorMatch]:
        """Documents of *other* applications that look like this one."""
        out = []
        for app_id, doc_id, old in self._seen:
            if app_id == application_id:
                continue
            found = compare(fingerprint, old, self._cfg)
            if found:
                out.append(PriorMatch(app_id, doc_id, found[0], found[1]))  # type: ignore[arg-type]
        return out

    def record(self, application_id: str, documents: tuple[DocumentState, ...]) -> None:
        """Remember an application's documents (replacing an earlier run of the same one)."""
        self._seen = [s for s in self._seen if s[0] != application_id]
        self._seen.extend(
            (application_id, d.document_id, d.fingerprint) for d in documents if d.fingerprint
        )
