"""Duplicate detection: same file, same image re-encoded, same number for another person,
and look-alike documents of one layout that are NOT duplicates."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from models.flags import DocumentType, FlagCode
from models.internal import DocumentState, Fingerprint, Page
from pipeline.context import Context
from pipeline.fingerprint import MemoryPriorIndex, compare, fingerprint, text_hash, text_overlap
from pipeline.matching.checks import check_duplicate
from pipeline.rules import builtin_pack
from tests.matching.builders import application, context, fv


def card(name: str, number: str, dob: str, seed: int) -> np.ndarray:
    """A licence-like card: fixed layout and labels, personal text and a 'portrait'."""
    img = np.full((400, 640, 3), (235, 225, 200), np.uint8)
    cv2.rectangle(img, (0, 0), (640, 60), (120, 40, 20), -1)
    cv2.putText(
        img,
        "CONNECTICUT DRIVER LICENSE",
        (20, 42),
        cv2.FONT_HERSHEY_SIMPLEX,
        1.0,
        (255, 255, 255),
        2,
    )
    rng = np.random.default_rng(seed)
    face = rng.integers(60, 200, (8, 6, 3), dtype=np.uint8)
    img[90:330, 30:210] = cv2.resize(face, (180, 240), interpolation=cv2.INTER_NEAREST)
    for i, (label, value) in enumerate(
        [("DL", number), ("NAME", name), ("DOB", dob), ("EXP", "03/14/2029")]
    ):
        cv2.putText(
            img,
            f"{label} {value}",
            (240, 120 + 50 * i),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.8,
            (20, 20, 20),
            2,
        )
    return img


def jpeg(img: np.ndarray, quality: int = 92, scale: float = 1.0) -> tuple[bytes, np.ndarray]:
    if scale != 1.0:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    data = buf.tobytes()
    return data, cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


def licence_state(
    img: np.ndarray, name: str, number: str, dob: str, quality: int = 92, scale: float = 1.0
) -> DocumentState:
    data, decoded = jpeg(img, quality, scale)
    first, last = name.split()
    text = (
        f"CONNECTICUT DRIVER LICENSE\nDL {number}\nNAME {name}\nDOB {dob}\nEXP 03/14/2029\nCLASS D"
    )
    from models.internal import PageText, Word

    words = tuple(
        Word(w, 0.9, (0, 0, 1, 1), 0, i)
        for i, line in enumerate(text.split("\n"))
        for w in line.split()
    )
    doc = DocumentState(
        document_id="doc-1",
        role="identity",
        side="front",
        data=data,
        pages=(Page(0, decoded),),
        text=(PageText(0, words, "ocr", decoded.shape[1], decoded.shape[0]),),
        fields={
            "first_name": fv(first, "ocr"),
            "last_name": fv(last, "ocr"),
            "document_number": fv(number, "ocr"),
        },
    )
    return fingerprint(doc, context())


@pytest.fixture(scope="module")
def original() -> DocumentState:
    return licence_state(
        card("MARIA GONZALEZ", "123456789", "03/14/1981", 1),
        "MARIA GONZALEZ",
        "123456789",
        "03/14/1981",
    )


def test_same_file(original: DocumentState) -> None:
    assert compare(original.fingerprint, original.fingerprint) == ("same_file", 0)  # type: ignore[arg-type]


def test_reencoded_and_resized_image_is_the_same(original: DocumentState) -> None:
    img = card("MARIA GONZALEZ", "123456789", "03/14/1981", 1)
    again = licence_state(img, "MARIA GONZALEZ", "123456789", "03/14/1981", quality=55, scale=0.7)
    assert again.fingerprint.sha256 != original.fingerprint.sha256  # type: ignore[union-attr]
    found = compare(again.fingerprint, original.fingerprint)  # type: ignore[arg-type]
    assert found is not None and found[0] == "same_image"


def test_same_layout_other_licences_are_not_duplicates(original: DocumentState) -> None:
    for i, (name, number, dob) in enumerate(
        [
            ("JOHN SMITH", "987654321", "07/02/1975"),
            ("ANNA KIM", "555123987", "11/30/1990"),
            ("MARIA LOPEZ", "246813579", "01/01/1960"),
        ]
    ):
        other = licence_state(card(name, number, dob, 10 + i), name, number, dob)
        assert compare(other.fingerprint, original.fingerprint) is None, name  # type: ignore[arg-type]


def test_same_layout_without_numbers_relies_on_text_not_phash(original: DocumentState) -> None:
    """A pHash-near pair with no number must be told apart by text or the fine hash."""
    a = replace(original.fingerprint, document_number=None, sha256="a")  # type: ignore[arg-type]
    other = licence_state(
        card("JOHN SMITH", "987654321", "07/02/1975", 1), "JOHN SMITH", "987654321", "07/02/1975"
    )
    b = replace(other.fingerprint, document_number=None, sha256="b")  # type: ignore[arg-type]
    assert compare(a, b) is None


def test_phash_alone_must_be_nearly_exact() -> None:
    base = Fingerprint(sha256="a", phash="0f0f0f0f0f0f0f0f")
    near = Fingerprint(sha256="b", phash="0f0f0f0f0f0f0f0e")  # 1 bit
    far = Fingerprint(sha256="c", phash="0f0f0f0f0f0f0ff0")  # 8 bits... beyond
    looser = Fingerprint(sha256="d", phash="0f0f0f0f0f0f0f00")  # 4 bits
    assert compare(near, base) == ("same_image", 1)
    assert compare(looser, base) is None
    assert compare(far, base) is None


def test_same_number_other_person() -> None:
    mine = Fingerprint(sha256="a", document_number="123456789", holder="MARIA GONZALEZ")
    theirs = Fingerprint(sha256="b", document_number="123456789", holder="JOHN SMITH")
    again = Fingerprint(sha256="c", document_number="123456789", holder="MARIA GONZALES")
    assert compare(theirs, mine) == ("same_number_other_person", 0)
    assert compare(again, mine) is None  # the same holder, read slightly differently


def test_text_signature_overlaps_for_a_reread_not_for_other_content() -> None:
    base = (
        "ELECTRIC COMPANY STATEMENT ACCOUNT 4471209931 MARIA GONZALEZ 1234 ELM ST HARTFORD CT "
        "06106 STATEMENT DATE 10/28/2026 AMOUNT DUE 184.12 DUE DATE 12/01/2026 USAGE 5120 KWH "
        "CALL 1 800 286 2000"
    )
    noisy = base.replace("4471209931", "447I209931").replace("HARTFORD", "HARTF0RD")
    other = (
        "ELECTRIC COMPANY STATEMENT ACCOUNT 9988123410 JOHN SMITH 7765 OAK AVE NEW HAVEN CT "
        "06511 STATEMENT DATE 10/02/2026 AMOUNT DUE 131.40 DUE DATE 12/01/2026 USAGE 8400 KWH "
        "CALL 1 800 286 2000"
    )
    h, hn, ho = text_hash(base), text_hash(noisy), text_hash(other)
    assert h and hn and ho
    assert text_overlap(h, hn) == 1.0  # 'I' for '1' is folded
    assert text_overlap(h, ho) < 0.75
    assert text_hash("NO NUMBERS HERE AT ALL") is None


def test_index_never_matches_the_same_application(original: DocumentState) -> None:
    index = MemoryPriorIndex()
    index.record("APP-1", (original,))
    assert index.matches(original.fingerprint, "APP-1") == []  # type: ignore[arg-type]
    found = index.matches(original.fingerprint, "APP-2")  # type: ignore[arg-type]
    assert [m.reason for m in found] == ["same_file"]


def test_check_duplicate_flags_with_evidence(original: DocumentState) -> None:
    index = MemoryPriorIndex()
    index.record("APP-0", (original,))
    ctx = Context(application=application(), rules=builtin_pack("CT"), prior=index)
    result = check_duplicate(original, ctx)
    assert result is not None and result.flag == FlagCode.DUPLICATE_DOCUMENT
    assert "APP-0" in (result.message or "")
    assert result.evidence and result.evidence["matches"][0]["reason"] == "same_file"
    clean = check_duplicate(original, context())
    assert clean is not None and clean.status == "pass"
    assert DocumentType.OTHER  # classification unset: message still names the document


def test_photos_are_not_checked_for_duplicates(original: DocumentState) -> None:
    index = MemoryPriorIndex()
    index.record("APP-0", (original,))
    ctx = Context(application=application(), rules=builtin_pack("CT"), prior=index)
    photo = replace(original, role="photo")
    assert check_duplicate(photo, ctx) is None


def _faded_page(seed: int) -> np.ndarray:
    """A near-blank scanned page: white paper, text faded to almost nothing."""
    rng = np.random.default_rng(seed)
    img = np.full((1100, 850, 3), 250, np.uint8)
    for row in range(80, 1000, 40):
        width = int(rng.integers(200, 700))
        img[row : row + 12, 60 : 60 + width] = 246
    noise = rng.integers(-2, 3, img.shape)
    return np.clip(img.astype(np.int16) + noise, 0, 255).astype(np.uint8)


def _page_state(img: np.ndarray) -> DocumentState:
    data, decoded = jpeg(img)
    doc = DocumentState(
        document_id="doc-3", role="residency", side="front", data=data, pages=(Page(0, decoded),)
    )
    return fingerprint(doc, context())


def test_near_blank_pages_get_no_image_hashes_and_never_match() -> None:
    """Two different faded bills: nothing was read, and their near-uniform pages hash alike."""
    a, b = _page_state(_faded_page(1)), _page_state(_faded_page(2))
    assert a.fingerprint and b.fingerprint
    assert a.fingerprint.phash is None and a.fingerprint.fine_hash is None
    assert compare(a.fingerprint, b.fingerprint) is None
    assert compare(a.fingerprint, a.fingerprint) == ("same_file", 0)  # the very file still is


def test_a_page_with_content_keeps_its_hashes(original: DocumentState) -> None:
    assert original.fingerprint and original.fingerprint.phash and original.fingerprint.fine_hash


def test_image_only_match_needs_both_hashes_nearly_exact() -> None:
    """Nothing read on either side: pages of one template come within a few pHash bits and
    10-25 fine-hash bits, so the fine hash must be nearly exact too."""
    fine = "0" * 64
    base = Fingerprint(sha256="a", phash="0f0f0f0f0f0f0f0f", fine_hash=fine)
    same = Fingerprint(sha256="b", phash="0f0f0f0f0f0f0f0e", fine_hash="0" * 62 + "0f")  # 4 bits
    template = Fingerprint(sha256="c", phash="0f0f0f0f0f0f0f0e", fine_hash="0" * 60 + "ffff")
    looser = Fingerprint(sha256="d", phash="0f0f0f0f0f0f0f00", fine_hash=fine)  # pHash 4 bits
    assert compare(same, base) == ("same_image", 1)
    assert compare(template, base) is None  # 16 fine-hash bits apart
    assert compare(looser, base) is None


def test_same_text_decides_over_a_distant_phash_limit() -> None:
    """What was read decides whenever both sides know it: same number means same image,
    a different number means another document, however close the hashes."""
    base = Fingerprint(sha256="a", phash="0f0f0f0f0f0f0f0f", document_number="123456789")
    reread = Fingerprint(sha256="b", phash="0f0f0f0f0f0f0f00", document_number="123456789")
    other = Fingerprint(sha256="c", phash="0f0f0f0f0f0f0f0f", document_number="987654321")
    assert compare(reread, base) == ("same_image", 4)
    assert compare(other, base) is None


def test_a_masked_account_number_never_confirms_a_duplicate_alone() -> None:
    """'XXXXXX1264' shows four digits: two people's statements share them one time in ten
    thousand, and one misread digit apart far more often."""
    mine = Fingerprint(sha256="a", document_number="XXXXXX4089", holder="MARIA GONZALEZ")
    slip = Fingerprint(sha256="b", document_number="XXXXXX1089", holder="JOHN SMITH")
    same = Fingerprint(sha256="c", document_number="XXXXXX4089", holder="JOHN SMITH")
    assert compare(slip, mine) is None
    assert compare(same, mine) is None
    # with a look-alike image of one template, the number does not decide: the text does
    look = Fingerprint(sha256="d", phash="0f0f0f0f0f0f0f00", document_number="XXXXXX4089",
                       text_hash="aaaaaabbbbbbccccccdddddd")  # fmt: skip
    other = Fingerprint(sha256="e", phash="0f0f0f0f0f0f0f0f", document_number="XXXXXX4089",
                        text_hash="eeeeeeffffff111111222222")  # fmt: skip
    assert compare(other, look) is None
    reread = replace(other, text_hash="aaaaaabbbbbbccccccdddddd")
    assert compare(reread, look) == ("same_image", 4)
    # a full number still does
    full = replace(other, document_number="4471209931", text_hash=None)
    assert compare(full, replace(look, document_number="4471209931")) == ("same_image", 4)


def test_masked_numbers_with_other_visible_digits_are_other_documents() -> None:
    a = Fingerprint(sha256="a", phash="0f0f0f0f0f0f0f0f", document_number="XXXXXX4089")
    b = Fingerprint(sha256="b", phash="0f0f0f0f0f0f0f0f", document_number="XXXXXX7731")
    assert compare(b, a) is None  # an exact image hash would otherwise decide alone
    assert compare(replace(b, document_number="XXXXXX4089"), a) == ("same_image", 0)


def test_masking_characters_are_kept_in_the_fingerprint_number() -> None:
    from pipeline.fingerprint import fingerprint_number, is_masked

    assert fingerprint_number("****1264") == "XXXX1264"
    assert fingerprint_number("\u2022\u2022\u2022\u2022 \u2022\u2022\u2022\u2022 1264") == (
        "XXXXXXXX1264"
    )
    assert fingerprint_number("D123-4567-890") == "D1234567890"
    assert is_masked("XXXX1264") and not is_masked("D1234567890") and not is_masked("X1234567")
    short = Fingerprint(sha256="a", document_number="1264", holder="MARIA GONZALEZ")
    other = Fingerprint(sha256="b", document_number="1264", holder="JOHN SMITH")
    assert compare(other, short) is None  # four characters identify nothing


def test_a_signature_shrunk_to_a_few_template_words_does_not_confirm() -> None:
    """Glare leaves three number-bearing words read, two or three of them template
    constants (a form number, the company's phone, the billing date): sharing them with
    another person's bill of that template proves nothing; four shared words do."""
    mine = Fingerprint(sha256="a", phash="0f0f0f0f0f0f0f0f",
                       text_hash="aaaaaabbbbbbcccccc111111222222")  # fmt: skip
    glare = Fingerprint(sha256="b", phash="0f0f0f0f0f0f0f00", text_hash="aaaaaabbbbbbcccccc")
    assert compare(glare, mine) is None  # 3 of 3 shared, pHash 4 bits: not enough
    reread = replace(glare, text_hash="aaaaaabbbbbbcccccc111111")
    assert compare(reread, mine) == ("same_image", 4)
    other = replace(glare, text_hash="aaaaaa333333444444555555")
    assert compare(other, mine) is None  # low overlap still refutes


def test_a_rephotographed_document_is_the_same_when_number_and_text_agree() -> None:
    """CT-S10019-0049: one licence photographed again, flattened to another crop: its
    pHash 12 bits away, its number and number-bearing words the same."""
    text = text_hash("DLN 283429332 DOB 07/15/1954 EXP 01/22/2032 ISS 02/03/2024 98 FARMINGTON")
    other = text_hash("DLN 283429332 DOB 03/02/1971 EXP 11/02/2030 ISS 05/05/2022 12 ELM")
    base = Fingerprint(sha256="a", phash="8f21702f17701f8f", document_number="283429332")
    again = Fingerprint(sha256="b", phash="9722704707f02f9f", document_number="283429332")
    assert compare(replace(again, text_hash=text), replace(base, text_hash=text)) == (
        "same_image",
        12,
    )
    # the number alone (a misread other licence, dates differing) is not enough that far
    assert compare(replace(again, text_hash=other), replace(base, text_hash=text)) is None
    assert compare(again, base) is None  # nothing read to confirm it
    far = Fingerprint(sha256="c", phash="70de8fd0e88fe060", document_number="283429332")
    assert compare(replace(far, text_hash=text), replace(base, text_hash=text)) is None
