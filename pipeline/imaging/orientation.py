"""Turning a page upright: which quarter turn makes its text read the right way up.

Contract: `upright_rotation(image, geometry, ocr, portrait)` -> (clockwise degrees, the
faces found on the upright page when `portrait` asked for them). Used by `rectify` on each
flattened page. When the text lines already run across the page (the usual case) only 0
or 180 degrees are possible: an identity front is turned over when the face cascade finds
the portrait only upside down and the other cues confirm it (reading the card both ways,
then the lines' ink balance, Tesseract's orientation detection and a strong detection
voting); any other page, or a front with no face either way, when its lines' ink balance
does not read upright and Tesseract's orientation detection (0.1-0.5 s a page) says 180,
firmly or confirmed by reading the page both ways. OSD also runs when the lines run down
the page or their direction is unclear (`geometry.orientation_osd_when_horizontal` asks it
for every page): a 90/180/270 turn is kept when it is confident and the text-line
direction agrees (without a portrait, a half turn only when the balance does not read
upright; a quarter turn OSD is unsure of is taken from the balance); on an identity front,
unless the turned page shows the portrait, another turn showing it upright, with its text
or a strong detection agreeing, replaces OSD's (which turned an upright vertical card
over). Measured with `docverify samples turned` (see the README).
"""

from __future__ import annotations

import numpy as np

from models.internal import PageText
from pipeline.config import FaceConfig, GeometryConfig, OcrConfig
from pipeline.errors import ToolError, ToolMissing
from pipeline.imaging import face
from pipeline.tools import cv, tesseract


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark print on its local background (255 = ink), blocks a twentieth of the short side."""
    block = max(15, (min(gray.shape[:2]) // 20) | 1)
    return cv.adaptive_ink(gray, block, 12)


def _lines_horizontal(gray: np.ndarray) -> bool | None:
    """True when text lines run along rows, False along columns, None when unclear."""
    ratio = _line_ratio(gray)
    if ratio is None:
        return None
    if ratio > 1.3:
        return True
    return False if ratio < 1 / 1.3 else None


SOLID_SHARE = 0.5
EDGE_SHARE = 0.05
"""Rows and columns inked over `SOLID_SHARE` of the page within `EDGE_SHARE` of its edges
are a strip left along a flattened page's edge (the table beyond it, a shadow), not text:
such a strip is one long 'line' that outweighed a sideways statement's text
(CT-O4225-0086 turned: its lines called across, the page left sideways). Solid bands
inside the page are the document's own (a card's coloured bands), and run along its text."""


def _line_ratio(gray: np.ndarray) -> float | None:
    """How much more the page's ink varies from row to row than from column to column
    (each profile's variance over its length, edge strips left out: `EDGE_SHARE`); None
    when the page holds too little or too much ink to tell."""
    ink = ink_mask(gray)
    if not 0.002 < float(np.count_nonzero(ink)) / ink.size < 0.35:
        return None
    rows = _profile_variance(ink.sum(axis=1, dtype=np.float64), ink.shape[1])
    cols = _profile_variance(ink.sum(axis=0, dtype=np.float64), ink.shape[0])
    return rows / cols if cols > 0 else (None if rows == 0 else float("inf"))


def _profile_variance(sums: np.ndarray, length: int) -> float:
    """Variance of the ink sums of the rows (or columns) `length` long, over that length,
    without the solid ones near the ends of the profile (`EDGE_SHARE`)."""
    edge = max(1, int(EDGE_SHARE * len(sums)))
    near_edge = np.zeros(len(sums), bool)
    near_edge[:edge] = near_edge[-edge:] = True
    kept = sums[~(near_edge & (sums > SOLID_SHARE * 255 * length))]
    return float(np.var(kept) / length) if kept.size else 0.0


def upright_rotation(
    image: np.ndarray,
    cfg: GeometryConfig,
    ocr: OcrConfig,
    portrait: FaceConfig | None = None,
    ruled: bool = False,
) -> tuple[int, tuple[face.Box, ...] | None]:
    """Clockwise degrees (0/90/180/270) that make the page upright, and the faces found on
    the upright page when `portrait` asked for them (None when not looked); `ruled`: a page
    of print (a residency proof), whose rules and filled bands are no letters
    (`text_line_balance`)."""
    gray = cv.to_gray(image)
    probe = cv.scale(gray, min(1.0, cfg.orientation_probe_side / max(gray.shape[:2])))
    horizontal = _lines_horizontal(probe)
    if portrait is None:
        return _upright_by_text(gray, probe, horizontal, cfg, ocr, ruled), None
    if horizontal is True and not cfg.orientation_osd_when_horizontal:
        return _upright_by_portrait(gray, probe, portrait, cfg, ocr)
    rotation = _osd_rotation(gray, horizontal, cfg, ocr)
    return _portrait_rotation(gray, rotation, portrait, cfg, ocr)


def _upright_by_text(
    gray: np.ndarray,
    probe: np.ndarray,
    horizontal: bool | None,
    cfg: GeometryConfig,
    ocr: OcrConfig,
    ruled: bool = False,
) -> int:
    """The turn of a page that shows no portrait, from its text alone.

    Lines running across and reading upright by their ink balance (most pages of mixed
    case): 0, without asking OSD. Otherwise Tesseract's orientation detection decides: on
    bills, statements and letters of the outside generator it was right both ways on every
    page it was confident on, where the balance alone left a third unsure (capitals,
    tables, forms). Its half turn is taken when the balance reads upside down, unless OSD
    is unsure and the page reads clearly better as it is (a bank statement whose dark
    header band made its balance -0.33, OSD 180 at 2.0, read as gibberish turned over:
    MA-S10070-0177); when the balance is unsure, only when firm (`_half_turn`) and
    on lines not measured running down the page (a sparse letter upside down measured so,
    MA-O4221-0039); never when the balance reads upright (OSD turned an upright vertical
    licence over, MA-O4219-0050). Its quarter turns need lines that do not already run
    across."""
    balance = text_line_balance(probe, ruled)
    limit = cfg.orientation_flip_text_balance
    across = horizontal is True
    if across and balance >= limit and not cfg.orientation_osd_when_horizontal:
        return 0
    found = _osd(gray, cfg, ocr)
    if found is None and horizontal is False:
        return _quarter_turn_by_text(probe, limit, ruled)
    if found is None or found.rotate == 0:
        return 0
    if found.rotate == 180:
        if balance <= -limit:
            return 180 if _half_turn(gray, found, cfg, ocr, unclear=True) else 0
        alone = horizontal is not False and balance < limit
        return 180 if alone and _half_turn(gray, found, cfg, ocr, unclear=False) else 0
    return 0 if across else found.rotate


def _half_turn(
    gray: np.ndarray,
    found: tesseract.Orientation,
    cfg: GeometryConfig,
    ocr: OcrConfig,
    unclear: bool,
) -> bool:
    """OSD's 180 taken: on its word alone at `orientation_flip_min_confidence`; below it,
    as the page reads both ways (`_reads_turned`), and `unclear` where the readings tell
    nothing. Upside-down statements of outside seed 4221 were answered at 1.7-4.0; a dark
    upright statement at 2.1 (CT-S10063-0133) and a dark upright licence at 1.4
    (CT-S10063-0015), which OSD, asked again on the turned page, also called upright: OSD's
    second answer is the mirror of its first, no confirmation."""
    if found.confidence >= cfg.orientation_flip_min_confidence:
        return True
    turned = _reads_turned(gray, cfg, ocr, ocr.page_psm)
    return unclear if turned is None else turned


def _quarter_turn_by_text(probe: np.ndarray, limit: float, ruled: bool = False) -> int:
    """90 or 270 for a page whose lines run down it and on which OSD was unsure: the quarter
    turn whose lines read upright by their ink balance; 0 when neither does (sideways bills
    of generate seed 10063 OSD left unturned, CT-S10063-0060, -0080)."""
    balance = text_line_balance(_turned(probe, 90), ruled)
    if balance >= limit:
        return 90
    return 270 if balance <= -limit else 0


def _turned(gray: np.ndarray, clockwise_deg: int) -> np.ndarray:
    """The page turned clockwise by a multiple of 90 degrees."""
    return np.ascontiguousarray(np.rot90(gray, k=-clockwise_deg // 90)) if clockwise_deg else gray


def _portrait_rotation(
    gray: np.ndarray, rotation: int, portrait: FaceConfig, cfg: GeometryConfig, ocr: OcrConfig
) -> tuple[int, tuple[face.Box, ...]]:
    """The turn of a page whose text direction is unclear or runs down the page (OSD's
    `rotation`, 0 when it was unsure), and the faces on the page so turned.

    OSD's turn is kept when its page shows the portrait upright. When it does not, OSD may
    be wrong (on a vertical card, a few lines of large type, it answered 180 with barely
    enough confidence on an upright card): the other quarter turns are searched, the
    opposite one first, and one whose page shows a face wins, but only with the evidence
    `_upright_by_portrait` asks for, so that a false face on turned print can neither turn
    a faceless card nor hide its missing portrait. No face either way: OSD's turn."""
    for turn in (rotation, *_other_turns(rotation)):
        view = _turned(gray, turn)
        found = face.faces_in(view, portrait)
        if found and (turn == rotation or _upright_confirmed(view, portrait, cfg, ocr)):
            return turn, tuple(found)
    return rotation, ()


def _other_turns(rotation: int) -> tuple[int, ...]:
    """The three quarter turns other than `rotation`, its opposite first."""
    opposite = (rotation + 180) % 360
    return (opposite, *(t for t in (0, 90, 180, 270) if t not in (rotation, opposite)))


def _upright_confirmed(
    view: np.ndarray, portrait: FaceConfig, cfg: GeometryConfig, ocr: OcrConfig
) -> bool:
    """Beyond one face detection, is this turn of the page upright? Read both ways
    (`_reads_turned`), the clearly better reading settles it. Otherwise its text lines,
    when they do not run down it, read upright by their ink balance (upside down: no);
    when the text says nothing, the first cascade finds the face with many overlapping
    hits. The balance alone misread sideways licences whose capitals over small labels
    balance upside down when upright (MA-S10064-0060, CT-S10064-0009 turned)."""
    read = _reads_turned(view, cfg, ocr, ocr.card_psm)
    if read is not None:
        return not read
    probe = cv.scale(view, min(1.0, cfg.orientation_probe_side / max(view.shape[:2])))
    if _lines_horizontal(probe) is not False:
        balance = text_line_balance(probe)
        if balance >= cfg.orientation_flip_text_balance:
            return True
        if balance <= -cfg.orientation_flip_text_balance:
            return False
    return _strong_face(view, portrait, cfg)


def _upright_by_portrait(
    gray: np.ndarray,
    probe: np.ndarray,
    portrait: FaceConfig,
    cfg: GeometryConfig,
    ocr: OcrConfig,
) -> tuple[int, tuple[face.Box, ...]]:
    """0 or 180 for a page whose lines run across: the upright face cascade finds a portrait
    only the right way up. None found either way: the page is turned by its text alone, as
    one that shows no portrait (a bill sent as proof of identity upside down was read as
    gibberish, MA-O4221-0057).

    A face found only on the turned page is not enough to turn it: on a card whose portrait
    is blank, one false detection on upside-down print would both turn the card over and
    hide the missing portrait. The turn also needs the other cues to say so (see
    `_turn_confirmed`)."""
    found = face.faces_in(gray, portrait)
    if found:
        return 0, tuple(found)
    turned_gray = np.ascontiguousarray(gray[::-1, ::-1])
    turned = face.faces_in(turned_gray, portrait)
    if not turned:
        return _upright_by_text(gray, probe, True, cfg, ocr), ()
    if _turn_confirmed(gray, turned_gray, text_line_balance(probe), portrait, cfg, ocr):
        return 180, tuple(turned)
    return 0, ()


def _turn_confirmed(
    gray: np.ndarray,
    turned_gray: np.ndarray,
    balance: float,
    portrait: FaceConfig,
    cfg: GeometryConfig,
    ocr: OcrConfig,
) -> bool:
    """Does the evidence beyond one face detection say the page is upside down?

    `balance` (the text lines' ink balance, `text_line_balance` of the probe) reading
    upside down: yes. Otherwise the page is read both ways (`_reads_turned`), which
    settles it unless neither reading is clearly better (an illegible card); then the
    cues vote, each for or against: the balance reading upright, Tesseract's orientation
    detection saying 0 or 180, the first cascade finding the turned portrait with many more
    overlapping detections than a face needs; the turn needs more for than against.
    Without the readings, upside-down licences stayed so: capitals over small labels read
    upright by their balance upside down too, and OSD said 0 on some (CT-O4221-0086,
    CT-S10063-0047, the passport CT-O4221-0040)."""
    limit = cfg.orientation_flip_text_balance
    if balance <= -limit:
        return True
    read = _reads_turned(gray, cfg, ocr, ocr.card_psm)
    if read is not None:
        return read
    votes = -1 if balance >= limit else 0
    osd = _osd_turn(gray, cfg, ocr)
    votes += 0 if osd is None else (1 if osd == 180 else -1)
    votes += 1 if _strong_face(turned_gray, portrait, cfg) else 0
    return votes >= 1


def _reads_turned(gray: np.ndarray, cfg: GeometryConfig, ocr: OcrConfig, psm: int) -> bool | None:
    """Does Tesseract read clearly more of the page turned over (True) or as it is (False)?
    Confident characters (words of 3 or more at `orientation_read_confidence`): more than
    twice as many and `orientation_read_margin` more; None when neither is, or OCR failed.
    Two OCR readings (page segmentation `psm`) at the text height OSD gets, by the engine
    that reads the page (its spec, timeout included: another timeout would build a second
    engine in each worker)."""
    small = _at_text_height(gray, cfg)
    request = tesseract.OcrRequest(
        language=ocr.language,
        psm=psm,
        timeout=ocr.timeout_seconds,  # the page reading's engine, not a second one
        tessdata=ocr.tessdata,
        engine=ocr.engine,
    )
    try:
        as_is = _confident_chars(tesseract.ocr_words(small, 0, request), cfg)
        turned = _confident_chars(
            tesseract.ocr_words(np.ascontiguousarray(small[::-1, ::-1]), 0, request), cfg
        )
    except (ToolError, ToolMissing):
        return None
    margin = cfg.orientation_read_margin
    if turned > 2 * as_is and turned >= as_is + margin:
        return True
    if as_is > 2 * turned and as_is >= turned + margin:
        return False
    return None


def _confident_chars(text: PageText, cfg: GeometryConfig) -> int:
    return sum(
        len(w.text)
        for w in text.words
        if len(w.text) >= 3 and w.confidence >= cfg.orientation_read_confidence
    )


def text_line_balance(gray: np.ndarray, ruled: bool = False) -> float:
    """Ink above the text lines' x-height band minus ink below it, over both (-1..1).

    Latin print has more ascenders and capitals (ink above the dense band of lower-case
    letters) than descenders (ink below it): upright text is positive, upside-down text
    negative; a page of capitals and digits only is near 0. Lines are the runs of rows
    with ink; within each, the band is the rows at least half as inked as its densest.

    `ruled`: on a page of print, a run of ink across a sixth of the page is a rule or a
    filled band, not letters (`_without_rules`). A statement's dark header band, joined by
    its box's borders to the lines below it, was the densest band of one long "line": the
    lines under it counted as descenders (upright -0.33, MA-S10070-0177; upside-down bills
    and statements +0.31 to +0.43, left upside down). Residency pages whose balance read
    firmly the wrong way: 8 -> 1 of 99 (generate 10070), 12 -> 2 of 153 (outside 4235 and
    generate 10008). Cards are left as they are: their portrait, bands and barcodes are
    long runs too, and their balance read worse without them."""
    ink = ink_mask(gray) > 0
    separators = None
    if ruled:
        ink, separators = _without_rules(ink)
    rows = ink.sum(axis=1, dtype=np.float64)
    on = rows > 0.01 * ink.shape[1]
    if separators is not None:
        on &= ~separators
    above = below = 0.0
    y, h = 0, len(rows)
    while y < h:
        if not on[y]:
            y += 1
            continue
        start = y
        while y < h and on[y]:
            y += 1
        band = rows[start:y]
        if len(band) < 6:
            continue
        dense = np.nonzero(band >= 0.5 * band.max())[0]
        above += float(band[: dense[0]].sum())
        below += float(band[dense[-1] + 1 :].sum())
    total = above + below
    return (above - below) / total if total > 0 else 0.0


RULE_SHARE = 6
"""A run of ink across this fraction (1 / RULE_SHARE) of a page is a rule or a band."""


def _without_rules(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ink less its long straight runs (rules, filled bands, box borders), and the rows
    holding a run across the page, which separate text lines."""
    h, w = ink.shape
    u8 = ink.astype(np.uint8) * 255
    across = cv.open_(u8, (max(15, w // RULE_SHARE), 1)) > 0
    down = cv.open_(u8, (1, max(15, h // RULE_SHARE))) > 0
    return ink & ~across & ~down, across.any(axis=1)


def _at_text_height(gray: np.ndarray, cfg: GeometryConfig) -> np.ndarray:
    """The page scaled so its text is `orientation_text_px` high (at most doubled), its
    long side at most `orientation_side`: what OSD and the two-way reading are given."""
    text_px = tesseract.text_height(gray)
    factor = min(2.0, cfg.orientation_text_px / text_px) if text_px else 1.0
    return cv.scale(gray, min(factor, cfg.orientation_side / max(gray.shape[:2])))


def _osd(gray: np.ndarray, cfg: GeometryConfig, ocr: OcrConfig) -> tesseract.Orientation | None:
    """Tesseract OSD on the image scaled to a good text height; None when it failed or
    is not confident."""
    try:
        found = tesseract.detect_orientation(
            _at_text_height(gray, cfg), ocr.tessdata, min(20.0, ocr.timeout_seconds)
        )
    except (ToolError, ToolMissing):
        return None
    if found is None or found.confidence < cfg.orientation_min_confidence:
        return None
    return found


def _osd_turn(gray: np.ndarray, cfg: GeometryConfig, ocr: OcrConfig) -> int | None:
    """Tesseract OSD's 0 or 180 when confident, None when unsure, absent or sideways."""
    found = _osd(gray, cfg, ocr)
    return found.rotate if found is not None and found.rotate in (0, 180) else None


def _strong_face(gray: np.ndarray, portrait: FaceConfig, cfg: GeometryConfig) -> bool:
    """The first cascade finds a face with `orientation_flip_neighbors` overlapping hits."""
    factor = min(1.0, portrait.work_side / max(gray.shape[:2]))
    small = cv.to_gray(cv.scale(gray, factor))
    min_size = max(portrait.min_face_px, int(portrait.min_face_fraction * min(small.shape[:2])))
    return bool(
        cv.detect_objects(
            small,
            portrait.cascades[0],
            portrait.scale_factor,
            cfg.orientation_flip_neighbors,
            min_size,
        )
    )


def _osd_rotation(
    gray: np.ndarray, horizontal: bool | None, cfg: GeometryConfig, ocr: OcrConfig
) -> int:
    """Tesseract OSD's turn, when confident and not contradicted by the line direction."""
    found = _osd(gray, cfg, ocr)
    if found is None or found.rotate == 0:
        return 0
    if found.rotate in (90, 270) and horizontal is True:
        return 0  # OSD claims a quarter turn but the lines already run across
    if found.rotate == 180 and horizontal is False:
        return 0
    return found.rotate
