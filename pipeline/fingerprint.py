"""Document fingerprints and the duplicate decision (DUPLICATE_DOCUMENT).

A `Fingerprint` holds the file's SHA-256, a 64-bit perceptual hash (pHash) of the first
page, a 256-bit difference hash (finer), a signature of the number-bearing words read,
the document number and the holder's normalised name.

`compare(new, old) -> (reason, distance) | None` decides whether `old` (a document of
another application) is the same document as `new`:
- `same_file`: identical bytes;
- `same_image`: perceptual hashes close AND what was read agrees: the first of the
  document number and the number-bearing words that both sides know (words confirm only
  when at least `text_min_shared` are shared: a signature shrunk by glare to a few
  template constants says nothing). Different licences
  of one state's layout, or bills of one company's template, look alike at 32x32 and even
  at 16x16: when nothing was read on one side, both hashes must be nearly exact. The
  same document photographed again may lie farther apart, when both its number and its
  number-bearing words agree (`phash_content_max_distance`). A near-blank page has no
  image hashes.
- `same_number_other_person`: the same document number held by another person.

A masked number ('XXXXXX1264', '****1264': an account number with only its last digits
shown) or a number with fewer than `_MIN_NUMBER_CHARS` characters is not a discriminator:
the visible digits of two people's accounts collide (one in ten thousand for four digits,
far more often with one misread character tolerated). It never confirms a match on its
own; two masked numbers whose visible digits clearly differ do tell documents apart.
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
_MASK_CHARS = re.compile(r"[*\u2022\u25cf\u00b7#]")
"""Characters that hide the digits of a masked number (asterisks, bullets, hashes)."""
_MASK_RUN = re.compile(r"X{3,}")
"""A run of X hiding digits: a masked number, once mask characters are folded to X."""
_MIN_NUMBER_CHARS = 6
"""Visible characters a number needs to identify a document (fewer: a tail, a fragment)."""


def thumbnail(gray: np.ndarray) -> np.ndarray:
    """The 32x32 float thumbnail of a grey image that `phash` and `image_contrast` read."""
    return cv.resize_exact(gray, 32, 32).astype(np.float32)


def phash(thumb: np.ndarray) -> str:
    """64-bit perceptual hash of an image's `thumbnail`, as 16 hex digits."""
    dct = cv.dct(thumb)[:8, :8]
    median = float(np.median(dct.flatten()[1:]))
    bits = (dct.flatten() > median).astype(np.uint8)
    return f"{int(''.join(map(str, bits)), 2):016x}"


def fine_hash(gray: np.ndarray) -> str:
    """256-bit difference hash of a grey image (17x16 grid, left-right gradients), as 64
    hex digits."""
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


def _words(signature: str) -> set[str]:
    return {signature[i : i + 6] for i in range(0, len(signature), 6)}


def text_overlap(a: str, b: str) -> float:
    """Share of the smaller signature's words found in the other (0 to 1)."""
    sa, sb = _words(a), _words(b)
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


def fingerprint_number(value: str | None) -> str | None:
    """A document number as kept in a fingerprint: `normalize_number`, with the characters
    that mask digits ('*', bullets, '#') kept as 'X', so that a masked number stays
    recognisable as one ('****1264' -> 'XXXX1264', not '1264')."""
    if not value:
        return None
    return normalize_number(_MASK_CHARS.sub("X", value.upper()))


def is_masked(number: str | None) -> bool:
    """A number that shows only some of its characters (a run of X hides the others)."""
    return bool(number and _MASK_RUN.search(number.upper()))


def _visible(number: str) -> str:
    return _MASK_RUN.sub("", number)


def _holder(doc: DocumentState) -> str | None:
    fields = {k: doc.fields.get(k) for k in ("first_name", "last_name")}
    if not any(fields.values()):
        return None
    values = {k: str(v.value) if v else None for k, v in fields.items()}
    name = person_name(values["first_name"], None, values["last_name"])
    return " ".join((*name.given[:1], *name.surname)) or None


def image_contrast(thumb: np.ndarray) -> float:
    """Grey-level standard deviation of an image's `thumbnail` (0 for a uniform page)."""
    return float(thumb.std())


def fingerprint(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: attach the document's fingerprint. A near-blank first page gets no image
    hashes: two faded or washed-out pages look alike whatever they showed. The page is
    converted to grey and shrunk once for all three image measures."""
    number = doc.fields.get("document_number")
    gray = cv.to_gray(doc.pages[0].image) if doc.pages else None
    thumb = thumbnail(gray) if gray is not None else None
    if thumb is not None and image_contrast(thumb) < ctx.config.match.image_min_contrast:
        gray = thumb = None
    return replace(
        doc,
        fingerprint=Fingerprint(
            sha256=hashlib.sha256(doc.data).hexdigest(),
            phash=phash(thumb) if thumb is not None else None,
            document_number=fingerprint_number(str(number.value)) if number else None,
            holder=_holder(doc),
            fine_hash=fine_hash(gray) if gray is not None else None,
            text_hash=text_hash(doc.full_text),
        ),
    )


def _same_number(a: str | None, b: str | None) -> bool | None:
    """True/False when both numbers are known (one misread character tolerated), else None.

    A masked or short number never says True: its visible digits are shared by many
    documents. Two masked numbers whose visible parts differ by more than a misread
    character are different accounts (False); otherwise they say nothing (None)."""
    a, b = normalize_number(a), normalize_number(b)
    if not a or not b:
        return None
    if is_masked(a) or is_masked(b):
        if is_masked(a) and is_masked(b):
            va, vb = _visible(a), _visible(b)
            if va and vb and Levenshtein.distance(va, vb) > 1:
                return False
        return None
    if min(len(a), len(b)) < _MIN_NUMBER_CHARS:
        return None
    return a == b or Levenshtein.distance(a, b) <= 1


def _close(a: str | None, b: str | None, limit: int) -> bool | None:
    if not a or not b or len(a) != len(b):
        return None
    return hamming(a, b) <= limit


def _same_text(a: str | None, b: str | None, cfg: MatchConfig) -> bool | None:
    """False when the signatures share too small a part of their words; True when they
    share most of them and at least `text_min_shared`; else None (too few words read to
    tell a re-read from two documents of one template)."""
    if not a or not b:
        return None
    if text_overlap(a, b) < cfg.text_overlap_min:
        return False
    return True if len(_words(a) & _words(b)) >= cfg.text_min_shared else None


def _same_image(new: Fingerprint, old: Fingerprint, cfg: MatchConfig) -> int | None:
    """The pHash distance when `new` and `old` are the same image, else None."""
    if not new.phash or not old.phash:
        return None
    distance = hamming(new.phash, old.phash)
    number = _same_number(new.document_number, old.document_number)
    text = _same_text(new.text_hash, old.text_hash, cfg)
    if distance > cfg.phash_max_distance:
        # re-photographed: farther apart, the same number and number-bearing words
        both = number is True and text is True
        return distance if both and distance <= cfg.phash_content_max_distance else None
    # The first signal both sides know decides: number, then text.
    signal = number if number is not None else text
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
