"""Stage `classify` (document type with confidence and cues); checks on the type found.

Weighted scoring, never first-match: every cue adds weight to the types it suggests.
Cues: an AAMVA barcode (DL vs ID subfile), an MRZ (TD3 passport, TD1 passport card),
a face on a text-less image (photo), keywords in the text, and the layout (card-shaped
image vs page). The best type wins; its confidence grows with its score and its margin
over the runner-up. No cue at all gives `other`.

`check_document_type` raises WRONG_DOCUMENT_TYPE when the type is not accepted for the
role by the rule pack, but not when the document is simply unreadable (that is
TEXT_UNREADABLE's job). `check_declared_type` compares with what the applicant declared.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from models.flags import DocumentType, FlagCode
from models.internal import BarcodeRecord, CheckResult, Classification, DocumentState, MrzRecord
from pipeline.context import Context
from pipeline.imaging.content import ContentEvidence, measure_content
from pipeline.imaging.rectify import captured_part

T = DocumentType

UNDER_21 = r"UNDER\s*2[1l]|\bU21\b|\b(?:AGE\s*)?21\s*ON\b"
"""A minor's licence or ID card ("UNDER 21 UNTIL ..."): either kind, never a page."""

_RAW_CUES: dict[DocumentType, tuple[tuple[str, float], ...]] = {
    T.DRIVERS_LICENSE: (
        (r"DRIVER'?S?\s*LICEN[CS]E", 4.0),
        (r"\bDLN?\b", 1.0),
        (r"\bCLASS\b(?!\s*:?\s*(?:NONE|N/?A)\b)", 0.7),  # "CLASS NONE": an ID card
        # endorsements / restrictions licence something; "END NONE" licenses nothing
        (r"(?:\bENDORSE\w*|\bRESTR\w*|\bREST|\bEND)\b(?!\s*:?\s*(?:NONE|N/?A)\b)", 1.0),
        (r"\bOPERATOR", 1.0),
        (r"\b(?:HGT|HEIGHT|EYES)\b", 1.5),  # AAMVA card fields: a licence or an ID
        (UNDER_21, 1.0),
    ),
    T.STATE_ID: (
        (r"IDENTIFICATION\s*CARD", 4.0),
        (r"\bID\s*CARD\b", 2.5),
        (r"NON[- ]?DRIVER|NOT\s*(?:VALID\s*)?FOR\s*DRIVING|IDENTIFICATION\s*ONLY", 3.0),
        (r"\bIDENTIFICATION\b(?!\s*CARD)", 1.5),  # the header's word, "CARD" misread
        (r"\bIDN\b|\bID\s*(?:NO\b|NUM|#)", 1.5),  # the card's number labelled as an ID's
        (r"\b(?:HGT|HEIGHT|EYES)\b", 1.0),  # same fields, the licence stays the likelier
        (UNDER_21, 1.0),
    ),
    T.PASSPORT: (
        (r"PASSPORT(?!\s*CARD)", 3.0),  # a passport card names itself: not the book
        (r"NATIONALITY", 1.0),
        (r"PLACE\s*OF\s*BIRTH", 1.0),
        (r"\bP<[A-Z<]{3}", 2.0),
    ),
    T.PASSPORT_CARD: ((r"PASSPORT\s*CARD", 4.5),),
    T.MILITARY_ID: (
        (r"UNIFORMED\s*SERVICES", 4.0),
        (r"MILITARY", 2.0),
        (r"DEPARTMENT\s*OF\s*DEFENSE|\bDOD\b", 2.0),
        (r"ARMED\s*FORCES", 2.0),
        (r"VETERAN", 2.0),
        (r"GENEVA\s*CONVENTION", 2.0),
    ),
    T.UTILITY_BILL: (
        (r"UTILIT(?:Y|IES)", 2.0),
        (r"ELECTRIC", 1.5),
        (r"\bGAS\b", 1.0),
        (r"\bWATER\b|\bSEWER\b", 1.0),
        (r"\bKWH\b|\bTHERMS?\b|\bCCF\b", 2.5),
        (r"USAGE", 1.5),
        (r"\bMETER\b", 1.5),
        (r"SERVICE\s*(?:ADDRESS|PERIOD|FROM)", 1.0),
        (r"INTERNET|\bCABLE\b|BROADBAND", 1.0),
    ),
    T.BANK_STATEMENT: (
        (r"\bBALANCE\b", 1.0),
        (r"DEPOSITS?\b", 1.5),
        (r"CHECKING|SAVINGS", 2.0),
        (r"WITHDRAWALS?", 1.5),
        (r"\bBANK\b|CREDIT\s*UNION|\bFDIC\b", 1.5),
        (r"(?:BEGINNING|ENDING|OPENING|CLOSING)\s*BALANCE", 1.5),
        (r"\bSTATEMENT\b", 0.5),
    ),
    T.LEASE: (
        (r"\bLEASE\b|RENTAL\s*AGREEMENT", 3.0),
        (r"LANDLORD|LESSOR", 2.0),
        (r"TENANT|LESSEE", 2.0),
        (r"\bRENT\b", 1.0),
        (r"PREMISES", 1.5),
        (r"SECURITY\s*DEPOSIT", 1.0),
    ),
    T.MORTGAGE_STATEMENT: (
        (r"MORTGAGE", 3.0),
        (r"ESCROW", 2.0),
        (r"PRINCIPAL", 1.0),
        (r"\bLOAN\b", 1.0),
    ),
    T.INSURANCE_STATEMENT: (
        (r"INSURANCE", 2.0),
        (r"\bPOLICY\b", 2.0),
        (r"PREMIUM", 2.0),
        (r"COVERAGE", 1.5),
        (r"DEDUCTIBLE", 1.5),
        (r"\bINSURED\b", 1.5),
        (r"DECLARATIONS?\s*PAGE", 1.0),
    ),
    T.GOVERNMENT_LETTER: (
        (r"DEPARTMENT\s*OF", 1.5),
        (r"COMMONWEALTH\s*OF", 1.5),
        (r"STATE\s*OF\b", 1.0),
        (r"\bNOTICE\b", 1.0),
        (r"SOCIAL\s*SECURITY\s*ADMIN|INTERNAL\s*REVENUE|\bIRS\b", 2.0),
        (r"DIVISION\s*OF|OFFICE\s*OF|AGENCY|BUREAU", 1.0),
        (r"\bDEAR\b", 0.5),
    ),
    T.TAX_BILL: (
        (r"TAX\s*BILL", 3.0),
        (r"PROPERTY\s*TAX|REAL\s*ESTATE\s*TAX|EXCISE", 3.0),
        (r"ASSESS(?:ED|MENT|OR)", 2.0),
        (r"PARCEL", 2.0),
        (r"MILL\s*RATE|TAX\s*RATE", 2.0),
        (r"TAX\s*COLLECTOR", 2.0),
        (r"\bTAX\b", 1.0),
        (r"FISCAL\s*YEAR", 1.0),
    ),
    T.PAY_STUB: (
        (r"PAY\s*STUB|PAYSTUB|EARNINGS\s*STATEMENT|PAY\s*STATEMENT", 3.0),
        (r"NET\s*PAY", 3.0),
        (r"GROSS\s*PAY", 2.0),
        (r"EARNINGS", 1.5),
        (r"\bYTD\b|YEAR\s*TO\s*DATE", 1.5),
        (r"DEDUCTIONS", 1.0),
        (r"\bFICA\b|MEDICARE|FEDERAL\s*(?:INCOME\s*)?TAX", 1.5),
        (r"PAY\s*(?:PERIOD|DATE)", 2.0),
        (r"EMPLOYER|EMPLOYEE", 1.0),
    ),
}
CUES: dict[DocumentType, tuple[tuple[re.Pattern[str], float], ...]] = {
    kind: tuple((re.compile(p), w) for p, w in cues) for kind, cues in _RAW_CUES.items()
}
IDENTITY = frozenset({T.DRIVERS_LICENSE, T.STATE_ID, T.PASSPORT, T.PASSPORT_CARD, T.MILITARY_ID})
CARD_RATIO = (1.35, 2.1)
"""Width / height of a card-shaped image (ID-1 cards are 1.586; passport pages 1.42); wide
above, as a card photographed at a slant can come out of rectification (see `ocr.CARD_RATIO`)."""
PORTRAIT_RATIO = (1.3, 2.1)
"""Long side / short side of an identity card or passport data page photographed or
rectified a little off or cropped (ID-1 1.586, ID-3 1.42), in either orientation: many
states issue under-21 cards in portrait orientation."""
ID3_MAX_RATIO = 1.5
"""Below this, a landscape portrait page is shaped like a passport data page (ID-3), at or
above it like a card (ID-1): a passport book's page vs a passport card."""
PORTRAIT_WEIGHT = 2.0
"""A portrait beside unreadable printed text on a card-shaped image: an ID card."""
NAMED_WEIGHT = 1.5
"""Keyword weight by which an identity document is named without its portrait's help;
a stray "DL" or "CLASS" read among garbled labels is not enough."""
LAYOUT_BONUS = 1.5
ROLE_PRIOR = 0.3
MACHINE_WEIGHT = 6.0
FEW_WORDS = 6


NO_VEHICLE_CLASS = frozenset({"NONE", "N/A", "NA"})
"""AAMVA DCA (jurisdiction vehicle class) of an identification card: it licenses nothing."""


def _barcode_type(barcode: BarcodeRecord) -> DocumentType | None:
    """DL or ID from the subfile type when the reader recorded it, else from the vehicle class."""
    if barcode.document_type in (T.DRIVERS_LICENSE, T.STATE_ID):
        return barcode.document_type
    elements = barcode.elements
    subfile = (elements.get("subfile") or elements.get("subfile_type") or "").upper()
    if subfile in ("DL", "ID"):
        return T.DRIVERS_LICENSE if subfile == "DL" else T.STATE_ID
    vehicle_class = (elements.get("DCA") or "").strip().upper()
    if vehicle_class in NO_VEHICLE_CLASS:
        return T.STATE_ID  # no class to drive: an identification card
    if vehicle_class:
        return T.DRIVERS_LICENSE
    return None


MRZ_CHECKS = {"TD1": 4, "TD2": 4, "TD3": 5}


def _mrz_trust(mrz: MrzRecord) -> float:
    """1 for a valid zone, else the share of its check digits that agree: text lines
    merely shaped like an MRZ (a licence's field rows) agree on none of them."""
    if mrz.valid:
        return 1.0
    total = MRZ_CHECKS[mrz.kind]
    return max(0, total - len(mrz.failed_checks)) / total


def _mrz_type(mrz: MrzRecord) -> DocumentType:
    return T.PASSPORT_CARD if mrz.kind == "TD1" else T.PASSPORT


def _aspect(doc: DocumentState) -> float | None:
    """Width / height of the first page (None when unknown)."""
    if doc.pages:
        height, width = doc.pages[0].image.shape[:2]
    elif doc.text:
        width, height = doc.text[0].width, doc.text[0].height
    else:
        return None
    return width / max(height, 1)


def _shape(doc: DocumentState) -> tuple[float, bool] | None:
    """(long side / short side, upright?) of the first page; None when unknown."""
    ratio = _aspect(doc)
    if ratio is None:
        return None
    return (ratio, False) if ratio >= 1 else (1 / max(ratio, 1e-6), True)


def _is_card(doc: DocumentState) -> bool | None:
    """True for a card-shaped first page, False for a page, None when unknown. An upright
    card (an under-21 design) is told from an upright A4 page (1.41) by its portrait."""
    if doc.text and doc.text[0].source == "pdf_text":
        return False
    shape = _shape(doc)
    if shape is None:
        return None
    ratio, upright = shape
    return CARD_RATIO[0] <= ratio <= CARD_RATIO[1] and (not upright or bool(doc.faces))


def _trusted_mrz(doc: DocumentState) -> bool:
    """An MRZ whose check digits agree: a licence's field rows read as one do not."""
    return doc.mrz is not None and doc.mrz.valid


def _portrait_card(doc: DocumentState, page_cues: bool) -> DocumentType | None:
    """The identity document a printed image with a portrait is by its proportions, when
    nothing else names it: a passport data page (landscape ID-3), else a licence / ID card
    (ID-1, landscape or upright; upright only without any page-type cue, since an upright
    A4 sheet has a card's proportions too). None when not shaped like one."""
    shape = _shape(doc)
    if shape is None or not PORTRAIT_RATIO[0] <= shape[0] <= PORTRAIT_RATIO[1]:
        return None
    ratio, upright = shape
    if upright and page_cues:
        return None
    return T.PASSPORT if not upright and ratio < ID3_MAX_RATIO else _declared_card(doc)


NEGATED_LICENCE = re.compile(
    r"\bNOT\s*(?:AN?\s*)?(?:VALID\s*)?(?:AS\s*)?(?:AN?\s*)?(?:FOR\s*)?"
    r"(?:DRIVER'?S?\s*LICEN[CS]E|OPERATOR'?S?\s*(?:LICEN[CS]E|PERMIT))"
)
"""An identity card stating what it is not ("NOT A DRIVER LICENSE"): a non-driver ID."""


def keyword_scores(text: str) -> tuple[dict[DocumentType, float], list[str]]:
    """Each type's keyword weight in `text` (uppercased), with the cues that matched.
    A negated licence phrase counts as "non-driver", never as the licence it denies."""
    upper = NEGATED_LICENCE.sub(" NON-DRIVER ", text.upper())
    scores: dict[DocumentType, float] = {}
    cues: list[str] = []
    for kind, patterns in CUES.items():
        for pattern, weight in patterns:
            match = pattern.search(upper)
            if match:
                scores[kind] = scores.get(kind, 0.0) + weight
                cues.append(f"{kind.value}:{match.group(0).strip()}")
    return scores, cues


def score_document(doc: DocumentState) -> tuple[dict[DocumentType, float], list[str]]:
    """All cue weights of a document by type."""
    words = sum(len(p.words) for p in doc.text)
    scores, cues = keyword_scores(doc.full_text)
    named = any(k in IDENTITY and v >= NAMED_WEIGHT for k, v in scores.items())
    add = _adder(scores, cues)
    if doc.barcode is not None:
        kind = _barcode_type(doc.barcode)
        for k in (kind,) if kind else (T.DRIVERS_LICENSE, T.STATE_ID):
            add(k, MACHINE_WEIGHT if kind else MACHINE_WEIGHT / 2, "barcode")
    if doc.mrz is not None:
        add(_mrz_type(doc.mrz), MACHINE_WEIGHT * _mrz_trust(doc.mrz), f"mrz:{doc.mrz.kind}")
    if doc.faces and words < FEW_WORDS and doc.barcode is None and doc.mrz is None:
        add(T.PHOTO, MACHINE_WEIGHT, "face without text")
    if (
        doc.faces
        and words >= FEW_WORDS
        and doc.barcode is None
        and not _trusted_mrz(doc)
        and not named
    ):
        # labels too small or blurred to read, but a portrait on a printed image shaped
        # like an identity document: a passport page or a card by its proportions
        kind = _portrait_card(doc, any(k not in IDENTITY for k in scores))
        if kind is not None:
            add(kind, PORTRAIT_WEIGHT, "portrait on a card")
    _declared_sibling(doc, scores, cues, add)
    _layout(doc, scores, add)
    return scores, cues


def _layout(doc: DocumentState, scores: dict[DocumentType, float], add) -> None:  # noqa: ANN001
    """The layout bonus: identity types on a card-shaped image, others on a page. Between
    a passport book and a passport card the size tells: a landscape ID-3 data page (1.42)
    vs an ID-1 card (1.586)."""
    card = _is_card(doc)
    if card is None:
        return
    shape = _shape(doc)
    id3 = shape is not None and not shape[1] and shape[0] < ID3_MAX_RATIO
    for kind in list(scores):
        if kind is T.PHOTO or (kind in IDENTITY) != card:
            continue
        if card and {T.PASSPORT: not id3, T.PASSPORT_CARD: id3}.get(kind, False):
            continue  # the other size of passport
        add(kind, LAYOUT_BONUS, "layout:card" if card else "layout:page")


AAMVA_CARDS = frozenset({T.DRIVERS_LICENSE, T.STATE_ID})
"""A licence and an identification card share their design and fields (AAMVA): only a
header, a vehicle class or the barcode's subfile tells them apart."""
AAMVA_VALUES = frozenset(k.value for k in AAMVA_CARDS)
SHARED = re.compile(r":\s*(?:HGT|HEIGHT|EYES|UNDER\s*2[1l]|U21|(?:AGE\s*)?21\s*ON)$")
"""Keyword cues both a licence and an ID card carry (card fields, a minor's age band): they
tell nothing apart."""
DECLARED_PRIOR = 0.6
"""Weight of the declared type between a licence and an ID card whose distinguishing cues
were not read: more than the shared fields' lean to the licence (HGT/EYES 1.5 vs 1.0),
less than any distinguishing cue (a header, a class, "DLN", the barcode)."""


def _declared_kind(doc: DocumentState) -> DocumentType | None:
    try:
        return DocumentType(doc.declared_type) if doc.declared_type else None
    except ValueError:
        return None


ID1_CARDS = frozenset({T.DRIVERS_LICENSE, T.STATE_ID, T.PASSPORT_CARD, T.MILITARY_ID})
"""Identity documents of the ID-1 card size (a passport book's data page is ID-3)."""


def _declared_card(doc: DocumentState) -> DocumentType:
    """The declared card type (licence, ID card, passport card, military ID), else the
    licence (the commonest card)."""
    declared = _declared_kind(doc)
    return declared if declared in ID1_CARDS else T.DRIVERS_LICENSE


def _declared_sibling(
    doc: DocumentState,
    scores: dict[DocumentType, float],
    cues: list[str],
    add,  # noqa: ANN001
) -> None:
    """Between a licence and an ID card with nothing read to tell them apart, the one
    the applicant declared; never against a barcode or MRZ, never for another type."""
    declared = _declared_kind(doc)
    if declared not in AAMVA_CARDS or doc.barcode is not None or doc.mrz is not None:
        return
    if not scores or max(scores, key=lambda k: scores[k]) not in AAMVA_CARDS:
        return
    telling = [c for c in cues if c.split(":")[0] in AAMVA_VALUES and not SHARED.search(c)]
    if declared in scores and not telling:
        add(declared, DECLARED_PRIOR, f"declared:{declared.value}")


def _adder(scores: dict[DocumentType, float], cues: list[str]):  # noqa: ANN202
    def add(kind: DocumentType, weight: float, cue: str) -> None:
        scores[kind] = scores.get(kind, 0.0) + weight
        cues.append(cue)

    return add


def decide(scores: dict[DocumentType, float], role: str) -> tuple[DocumentType, float]:
    """The best type and a confidence from its score and its margin over the runner-up."""
    if not scores:
        return T.OTHER, 0.3
    prior = {k: v + (ROLE_PRIOR if _fits_role(k, role) else 0.0) for k, v in scores.items()}
    ranked = sorted(prior.items(), key=lambda kv: kv[1], reverse=True)
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < 1.5:
        return T.OTHER, 0.3
    confidence = min(1.0, top / 6.0) * (0.5 + 0.5 * (top - second) / top)
    return best, round(max(0.05, confidence), 3)


def _fits_role(kind: DocumentType, role: str) -> bool:
    if role == "photo":
        return kind is T.PHOTO
    return (kind in IDENTITY) == (role == "identity")


NOT_A_DOCUMENT = "not a document"
"""The cue of a picture that shows no document at all (a cup, a cat, a landscape)."""


def judge_content(doc: DocumentState, ctx: Context) -> ContentEvidence | None:
    """Image evidence of whether the upload is a document at all, measured only where
    nothing else says so: no legible text, no barcode or MRZ, no portrait on an identity
    document, not the applicant photo. None when not judged."""
    cfg = ctx.config.content
    if not cfg.enabled or doc.role == "photo" or not doc.pages:
        return None
    if doc.barcode is not None or doc.mrz is not None or _readable(doc, ctx):
        return None
    if doc.role == "identity" and (doc.faces or doc.side == "back"):
        return None  # a portrait: a card too degraded to read; a back: maybe barcode alone
    if _glared(doc, ctx) or _blurred(doc, ctx):
        return None  # the text hidden by a reflection or blurred away: the quality check
    return measure_content(_as_captured(doc), cfg)  # says so, not "no document"


def _as_captured(doc: DocumentState) -> np.ndarray:
    """The first page without the corners its deskewing filled: flat and grey, they read
    as paper (grass deskewed by 19.6 degrees by the lines of its blades showed 35 % paper,
    all of it fill, and was judged a document too faded to read, MA-S10073-0140)."""
    image = doc.pages[0].image
    skew = doc.measurement("geometry.skew_deg")
    if skew is None or not skew.value:
        return image
    x0, y0, x1, y1 = captured_part(image.shape, skew.value)
    return image[y0:y1, x0:x1]


def _glared(doc: DocumentState, ctx: Context) -> bool:
    """Glare over more of the picture than `quality.glare_fraction_max`: text hidden
    under a reflection is no sign that the picture shows no document."""
    glare = doc.measurement("quality.glare")
    return glare is not None and glare.value > ctx.config.quality.glare_fraction_max


def _blurred(doc: DocumentState, ctx: Context) -> bool:
    """An edge spread beyond `content.max_blur_px`: text blurred into smudges makes no text
    rows, which is no sign that the picture shows no document."""
    sharpness = doc.measurement("quality.sharpness")
    return sharpness is not None and sharpness.value > ctx.config.content.max_blur_px


def not_a_document(doc: DocumentState) -> bool:
    """The classification found the upload to be a picture of something not a document."""
    c = doc.classification
    return (
        c is not None
        and c.document_type is T.OTHER
        and any(cue.startswith(NOT_A_DOCUMENT) for cue in c.cues)
    )


def classify(doc: DocumentState, ctx: Context) -> DocumentState:
    """Stage: decide the document type."""
    scores, cues = score_document(doc)
    kind, confidence = decide(scores, doc.role)
    if kind is T.OTHER or not _readable(doc, ctx):  # cues read off noise prove nothing
        evidence = judge_content(doc, ctx)
        if evidence is not None and not evidence.document:
            cue = f"{NOT_A_DOCUMENT}: {evidence.detail}"
            return replace(doc, classification=Classification(T.OTHER, 0.8, (cue, *cues)))
    if kind is T.OTHER and doc.role == "photo" and not doc.text:
        kind, confidence = (
            T.PHOTO,
            0.5,
        )  # a text-less picture: whether it shows a face is face's check
    # a portrait and no legible text on an identity upload: a card too dark or blurred to read
    degraded = kind is T.PHOTO and doc.role == "identity"
    if (kind is T.OTHER or degraded) and not _readable(doc, ctx):
        declared = as_declared(doc)
        if declared is not None:
            return replace(doc, classification=declared)
    return replace(doc, classification=Classification(kind, confidence, tuple(cues)))


AS_DECLARED = "as declared"
"""The cue of a type taken from the applicant's declaration, the content not telling."""
DECLARED_CONFIDENCE = 0.1


def as_declared(doc: DocumentState) -> Classification | None:
    """The declared type, for a document whose content cannot tell its type (a file that
    cannot be opened, a page faded or blurred past reading, without barcode, MRZ or any
    cue): what a reviewer notes as "a licence, by the applicant's word". Not when the
    picture's proportions contradict it (a card declared as a bill, a page as a licence).
    Confidence `DECLARED_CONFIDENCE`; the type checks skip such a document."""
    declared = _declared_kind(doc)
    if declared is None or declared is T.OTHER or not _shape_allows(doc, declared):
        return None
    return Classification(declared, DECLARED_CONFIDENCE, (f"{AS_DECLARED}:{declared.value}",))


def _shape_allows(doc: DocumentState, kind: DocumentType) -> bool:
    """The first page's proportions do not rule `kind` out: an identity document is a
    card or passport page in either orientation, a residency proof is not a landscape card."""
    shape = _shape(doc)
    if shape is None or kind is T.PHOTO:
        return True
    ratio, upright = shape
    if kind in IDENTITY:
        return PORTRAIT_RATIO[0] <= ratio <= PORTRAIT_RATIO[1]
    return upright or not CARD_RATIO[0] <= ratio <= CARD_RATIO[1]


def taken_as_declared(doc: DocumentState) -> bool:
    """The type is the applicant's declaration, not something the pipeline found."""
    c = doc.classification
    return c is not None and any(cue.startswith(AS_DECLARED) for cue in c.cues)


def accepted_types(role: str, ctx: Context) -> frozenset[DocumentType]:
    """What the program accepts for a role."""
    if role == "identity":
        return ctx.rules.identity_types
    if role == "residency":
        return ctx.rules.residency_types
    return frozenset({T.PHOTO})


_NAMES = {
    "identity": "an identity document (driver's licence, state ID, passport, military ID)",
    "residency": "a proof of residency (utility bill, bank statement, lease, government letter...)",
    "photo": "a photo of the applicant",
}


def text_legibility(doc: DocumentState, ctx: Context) -> tuple[bool, int, float]:
    """(legible?, tokens, mean OCR confidence) of the text read: `quality.min_words` tokens
    longer than one character at a mean confidence of `quality.text_confidence_min`, of
    which a share `quality.word_share_min` are words of `quality.word_min_chars` letters or
    digits, and `quality.sure_words_min` (at least a share `quality.sure_word_share_min`)
    such words read surely. Fragments read off a faded page or a picture ("PR", "oy",
    "VAL") are no text, nor are long words OCR guessed at ("Servis", "yines")."""
    q = ctx.config.quality
    tokens = [w for p in doc.text for w in p.words if len(w.text) > 1]
    if not tokens:
        return False, 0, 0.0
    long = [w for w in tokens if len(_ALNUM.sub("", w.text)) >= q.word_min_chars]
    sure = sum(1 for w in long if w.confidence >= q.sure_word_confidence)
    conf = sum(w.confidence for w in tokens) / len(tokens)
    legible = (
        len(tokens) >= q.min_words
        and conf >= q.text_confidence_min
        and len(long) >= q.word_share_min * len(tokens)
        and sure >= max(q.sure_words_min, q.sure_word_share_min * len(tokens))
    )
    return legible, len(tokens), conf


_ALNUM = re.compile(r"[^0-9A-Za-z]")


def _readable(doc: DocumentState, ctx: Context) -> bool:
    """Text enough to judge the type by: machine-readable data or legible text
    (`text_legibility`, what the readability check asks)."""
    if doc.barcode is not None or doc.mrz is not None:
        return True
    return text_legibility(doc, ctx)[0]


def check_document_type(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """WRONG_DOCUMENT_TYPE: the type found is not accepted for the document's role."""
    if doc.classification is None:
        return None
    found, conf = doc.classification.document_type, doc.classification.confidence
    if taken_as_declared(doc):
        detail = f"{found.value} as declared: the content is too degraded to tell the type"
        return CheckResult("document.type", "skipped", conf, detail)
    accepted = accepted_types(doc.role, ctx)
    cues = ", ".join(doc.classification.cues[:6]) or "none"
    detail = f"found {found.value} (confidence {conf:.2f}); cues: {cues}"
    if found in accepted:
        return CheckResult("document.type", "pass", conf, detail)
    if doc.role == "photo" and found is T.OTHER:
        return CheckResult("document.type", "skipped", conf, detail + "; left to the face check")
    picture = not_a_document(doc)
    if not picture and not _readable(doc, ctx):
        return CheckResult("document.type", "skipped", conf, detail + "; too little text to judge")
    need = _NAMES.get(doc.role, doc.role)
    what = (
        "a picture of something that is not a document"
        if picture
        else "a document of no recognised kind"
        if found is T.OTHER
        else f"a {found.value.replace('_', ' ')}"
    )
    evidence: dict[str, object] = {
        "found": found.value,
        "accepted": sorted(t.value for t in accepted),
    }
    if picture:
        evidence["not_a_document"] = True
    return CheckResult(
        "document.type",
        "fail",
        conf,
        detail,
        flag=FlagCode.WRONG_DOCUMENT_TYPE,
        message=f"The {doc.role} document looks like {what}; "
        f"the {ctx.rules.program} program needs {need}.",
        applicant_message=f"This file does not look like {need}. "
        "Please upload an accepted document.",
        evidence=evidence,
    )


def check_declared_type(doc: DocumentState, ctx: Context) -> CheckResult | None:
    """Warn when the declared type differs from the type found (no flag)."""
    if not doc.declared_type or doc.classification is None or taken_as_declared(doc):
        return None
    found = doc.classification.document_type
    if doc.declared_type == found.value:
        return CheckResult(
            "document.declared_type", "pass", 1.0, f"declared and found: {found.value}"
        )
    return CheckResult(
        "document.declared_type",
        "warn",
        0.0,
        f"declared {doc.declared_type}, found {found.value}",
        message=f"The applicant declared a {doc.declared_type.replace('_', ' ')}; "
        f"the pipeline found {found.value.replace('_', ' ')}.",
    )


SIDE_WEIGHT = 3.0
"""Weight the back's barcode (licence or ID card) lends the front of the same card: more
than the fields both share and the weak labels (DLN, CLASS, HGT), less than the front's own
header, so a front that names itself keeps its name (a mismatch is the barcode check's)."""


def _front_undecided(front: DocumentState, back_kind: DocumentType) -> bool:
    """The front was read as a licence / ID card, or as nothing but a portrait (too
    degraded to read), or as nothing at all while declared as the back's kind; it has no
    machine-readable data of its own and was not found to be a picture of no document."""
    c = front.classification
    if c is None or front.stopped is not None or front.barcode is not None or front.mrz:
        return False
    if taken_as_declared(front):  # nothing read: as for a front found to be nothing
        return bool(front.faces) or _declared_kind(front) is back_kind
    if c.document_type in AAMVA_CARDS:
        return True
    if not_a_document(front) or c.document_type not in (T.OTHER, T.PHOTO):
        return False
    return bool(front.faces) or _declared_kind(front) is back_kind


def card_sides(docs: tuple[DocumentState, ...]) -> tuple[DocumentState, DocumentState] | None:
    """(front, back) when the application holds exactly one identity front and one
    identity back: the two sides of one card; else None."""
    identity = [d for d in docs if d.role == "identity"]
    backs = [d for d in identity if d.side == "back"]
    fronts = [d for d in identity if d.side != "back"]
    return (fronts[0], backs[0]) if len(backs) == 1 and len(fronts) == 1 else None


def reconcile_sides(docs: tuple[DocumentState, ...]) -> tuple[DocumentState, ...]:
    """The front and back of one identity card are one card: a reviewer turns it over.
    When the application holds one identity front and one back whose barcode says licence
    or ID card, that subfile joins the front's cues (`SIDE_WEIGHT`) and its type is decided
    again. Nothing changes for any other document."""
    sides = card_sides(docs)
    if sides is None or sides[1].barcode is None:
        return docs
    front, back = sides
    kind = _barcode_type(back.barcode)
    if kind is None or not _front_undecided(front, kind):
        return docs
    scores, cues = score_document(front)
    scores.pop(T.PHOTO, None)  # a portrait without legible text: this card's front, blurred
    _adder(scores, cues)(kind, SIDE_WEIGHT, f"back barcode:{kind.value}")
    found, confidence = decide(scores, front.role)
    if found not in AAMVA_CARDS:
        return docs
    new = replace(front, classification=Classification(found, confidence, tuple(cues)))
    return tuple(new if d is front else d for d in docs)
