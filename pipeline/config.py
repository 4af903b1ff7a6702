"""Pipeline configuration: thresholds and limits, passed in (never read from the environment).

`workers.settings` builds a `PipelineConfig` from pydantic-settings at the edge; tests and
the command line use the defaults. Every threshold a check uses lives here, not in the
check's body. Sections are grouped by stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Limits:
    """The contract's input limits."""

    manifest_bytes: int = 1_000_000
    documents_per_application: int = 20
    zip_unpacked_bytes: int = 100_000_000
    zip_entries: int = 100
    file_bytes: int = 30_000_000
    image_megapixels: float = 150.0
    pdf_pages: int = 200
    pdf_pages_read: int = 10
    decode_megapixels: float = 40.0
    """Images (and PDF renders) larger than this, within `image_megapixels`, are reduced by
    an integer factor while decoding: bounded memory, and no stage needs more pixels."""
    decode_bytes: int = 400_000_000
    """Memory a frame may take fully decoded (Pillow holds RGB as 4 bytes a pixel); JPEGs
    are measured after their reduced decode, so only huge PNG/TIFF/WebP/HEIC hit it."""
    pdf_page_chars: int = 30_000
    """A PDF page whose text layer holds more characters than this is refused (text bomb)."""
    pdf_content_bytes: int = 64_000_000
    """Decoded content streams of the pages read, in total, above which a PDF is refused."""


@dataclass(frozen=True)
class OcrConfig:
    """Tesseract settings."""

    language: str = "eng"
    tessdata: str | None = None
    """Folder holding `eng.traineddata`; None finds Debian's or tesserocr's default."""
    timeout_seconds: float = 60.0
    target_text_height: int = 32
    """Scale page images so that body text is about this many pixels high."""
    max_side: int = 2400
    """Downscale page images whose long side exceeds this before OCR."""
    pdf_dpi: int = 200
    """Resolution at which PDF pages without a text layer are rendered."""
    engine: Literal["tesserocr", "pytesseract"] = "tesserocr"
    """tesserocr: in-process, reused (about half the time per image here); pytesseract: a
    process per call that `timeout_seconds` can kill."""
    card_psm: int = 6
    """Page segmentation for card-like identity images. Measured on synthetic licences: 6
    (one block) kept small labels ("LN", "FN") that 11 (sparse text) dropped."""
    page_psm: int = 3
    """Page segmentation for full pages (automatic layout)."""
    card_second_psm: int | None = 3
    """A second reading of card-like images, merged in (None: off). Automatic layout sets a
    portrait apart from the text beside it, where one block (6) lost whole name lines."""
    page_second_psm: int | None = 11
    """A second reading of full pages, merged in (None: off). Sparse text (11) finds lines
    that automatic layout dropped (a bold addressee line under an inverted banner)."""
    card_third_psm: int | None = 6
    """A third reading of a card-like identity image whose two readings still lack a name
    or date of `card_third_needs`, binarised locally, merged in (None: off). Read grey, a
    card's light small labels and the name line between them ("Surname" over "SMITH" on
    a clean passport card) can be lost to Tesseract's global threshold in one block (6)
    and automatic layout (3) alike; binarised, every segmentation read them."""
    card_third_needs: tuple[str, ...] = ("last_name", "first_name", "date_of_birth", "expiry_date")
    """Fields whose absence after the second reading calls for the third (`card_third_psm`)."""
    second_pass_min_confidence: float = 0.6
    """A word of the second reading is added only at or above this confidence."""
    second_pass: Literal["always", "when_needed", "never"] = "when_needed"
    """When the second reading runs. `when_needed`: only on a document whose first reading
    left a field its kind needs missing (`identity_needs`, `residency_needs`), read any
    field from unsure words (`second_pass_field_confidence`), or could not be classified;
    the document is then re-classified and re-extracted (stage `reread_incomplete`).
    Measured on two generated sets of 100 (seeds 3601, 3602): field, type and decision
    accuracy as with `always`, OCR CPU per document about 0.155 s instead of 0.235 s
    (most documents are complete after one reading)."""
    identity_needs: tuple[str, ...] = (
        "last_name",
        "first_name",
        "date_of_birth",
        "expiry_date",
        "document_number",
    )
    """Fields an identity document's reading must give, else it is read a second time."""
    residency_needs: tuple[str, ...] = ("last_name", "address", "document_date")
    """Fields a proof of residency's reading must give, else it is read a second time."""
    second_pass_field_confidence: float = 0.5
    """A needed field read below this confidence counts as missing (the second reading
    replaces first-reading words below `ocr.UNSURE`, the same 0.5)."""
    binarize_pages: bool = True
    """Adaptive (local) binarisation of full pages before OCR: survives uneven lighting."""
    scale_min: float = 0.4
    scale_max: float = 3.0
    """Bounds of the factor applied to reach `target_text_height`."""
    max_pages: int = 10
    """OCR at most this many pages of a document."""
    portrait_blank: bool = True
    """Paint a card's portrait (the largest face rectify found) over before reading it."""
    portrait_min_width: float = 0.08
    """... when the face is at least this share of the card's width (a portrait's face is
    10-20 %; smaller: a ghost image or a false face in the print, left alone)."""
    portrait_margin: tuple[float, float, float, float] = (0.35, 0.5, 0.35, 1.0)
    """Left, top, right, bottom growth of the face box, in face widths/heights, painted
    over: hair, ears and shoulders, staying inside the photo (a portrait is about twice
    a face's width, and text starts beyond it)."""
    crop_reread: bool = True
    """Read again, alone from its crop, a date-shaped token whose date is impossible
    ("66/86/2626": bold monospace digits misread on the binarised page, 0 as 6;
    `ocr.reread_implausible_dates`), a date field read unsurely (`ocr.reread_doubted_date`)
    and the unsure words of a name, address or number (`ocr.reread_unsure_words`); the new
    reading is kept only when it is read surely. The `crop_reread_*` settings below serve
    all three."""
    date_reread_years_ahead: int = 20
    """A date more than this many years after `submitted_on` is implausible."""
    crop_reread_psm: int = 7
    """Page segmentation of the crop: one text line."""
    crop_reread_text_height: int = 32
    """The crop is scaled so that the token's box is about this many pixels high."""
    crop_reread_margin: float = 0.5
    """Margin around the token's box, as a share of its height."""
    crop_reread_min_confidence: float = 0.7
    """Every word of a re-read token must be read at or above this confidence."""
    crop_reread_max_per_page: int = 8
    """Re-read at most this many tokens of a page (bounds the cost on a page of noise)."""
    number_reread_below: float = 0.97
    """A house number read unlike the profile's is read again alone below this confidence
    (the address would be flagged on it alone; `ocr._doubted_house_number`)."""
    word_reread_below: float = 0.9
    """A word of a read address, name or document number below this confidence is read
    again alone, as a date is ('3544' at 0.77 for 3514 on a photographed statement: an
    address mismatch hangs on one digit; `ocr.reread_unsure_words`), and so is a date
    token of an unsure date field with a word below it. The new reading of a word is kept
    when it is a word of the same kind and length, read surely."""


@dataclass(frozen=True)
class GeometryConfig:
    """Stage `rectify`: finding, flattening and straightening the document."""

    outline_side: int = 640
    """Long side of the downscaled copy on which the outline is searched."""
    outline_min_area: float = 0.12
    """Smallest document outline, as a fraction of the frame."""
    outline_max_area: float = 0.96
    """Larger outlines mean the document fills the frame: no warp."""
    outline_min_fill: float = 0.88
    """The region must fill its fitted quadrilateral at least this much."""
    outline_min_support: float = 0.6
    """Share of the outline's perimeter that must lie on image edges."""
    outline_nested_min_growth: float = 0.05
    """A candidate (itself plausible and supported) enclosing the best-scored one replaces it
    when at least this much larger (relative area): the best one was a band or box printed
    on the document. A few pixels' difference is the same outline fitted twice."""
    outline_nested_tolerance: float = 0.02
    """... and no corner of the enclosed one lies further outside it than this share of the
    enclosing outline's size (two fits of the same edge differ by a pixel or two)."""
    outline_chroma_edge: float = 10.0
    """Low Canny threshold (high: 3x) on the opponent-colour channels, in 8-bit units of
    half the channel difference: a printed band of another hue than the table gives a
    gradient well above it, the sensor noise left after the blur well below it."""
    outline_blown_level: int = 250
    """A pixel with every channel at or above this is blown out (glare)."""
    outline_glare_reach: float = 0.04
    """A region's boundary this close to a blown-out pixel (share of the downscaled copy's
    long side) may be the glare's soft halo, not the document's edge: synthetic glare fades
    over about 0.025 of it beyond its saturated core."""
    outline_clean_fill: float = 0.97
    """A region filling its hull's quadrilateral this much is a clean quadrilateral, taken
    as it is; below it, where the region meets glare, a fit to its straight sides away from
    the glare is tried too (glare spilling over an edge left 0.88-0.93 on synthetic cards;
    a card or page alone fills 0.99-1.0)."""
    spill_margin_px: int = 4
    """A reflection spills past the document where its blown-out blob reaches beyond this
    margin (px of the downscaled copy) outside the outline, and well inside it: a fit a pixel
    or two off the paper's edge is no spill."""
    spill_min_part: float = 0.002
    """... by at least this share of the copy, on either side of the outline (outside, with
    its halo) ..."""
    spill_min_core: float = 0.0005
    """... its blown-out core itself beyond the margin over at least this share of the copy:
    a speck past the margin is white paper an outline fitted short of its side left out (5 px
    of a lease whose outline ran 11 px inside its left edge: the page, white to 250, read as
    a reflection covering 80.7 % of it, MA-S10085-0160), not a reflection on the table
    (495 to 14,092 px, 0.2-5.5 % of the copy, on the 26 spilling reflections of eight
    fresh sets)."""
    spill_halo_share: float = 0.5
    """... and fades out on the table: right around its part outside the outline the
    minimum channel (median) is at least this share of the way from the table's level (the
    frame border's) to white: a reflection's halo. White paper outlined short ends at the
    table's own colour."""
    spill_max_growth: float = 0.5
    """An outline enclosing another past which a reflection spills, and past which none
    does, is the other and the reflection's bulge when it adds less than this share of it
    (bulges of synthetic reflections: 7-40 %); more, and it is a document around a white
    box or blank half printed on it, whose paper the blown-out blank spills onto (a barcode
    box, 160 %; the blank lower half of a tax bill, 89 %)."""
    outline_min_side_piece: float = 0.03
    """Around glare, a document side is fitted to a straight run of the boundary at least
    this long (share of the copy's long side); shorter runs are corners and halo arcs."""
    outline_line_tolerance_px: float = 2.0
    """Largest distance (px of the downscaled copy) of a boundary point from the straight
    run it belongs to: a mask's edge along a straight side wanders a pixel either way."""
    card_aspect: float = 85.6 / 54.0
    card_aspect_tolerance: float = 0.08
    """Relative deviation from the ID-1 aspect under which an outline is taken as a card."""
    card_width_px: int = 1100
    """Long side of a rectified ID-1 card."""
    warp_cubic: bool = False
    """Flatten with bicubic instead of bilinear interpolation. Bilinear is 3-4 times cheaper
    (about 20 ms per photographed card) and changed no image flag on 290 sample applications,
    90 of them glare or blur cases (edge spread +0.03 px on average, the blur limit is 1.6 px)."""
    max_skew_deg: float = 20.0
    min_skew_deg: float = 0.4
    """Skews smaller than this are left alone."""
    orientation: bool = True
    """Turn pages upright (see `orientation_osd_when_horizontal`)."""
    orientation_probe_side: int = 800
    """Long side of the grey copy on which the text-line direction is judged."""
    orientation_osd_when_horizontal: bool = False
    """Ask Tesseract's orientation detection (0.1-0.5 s a page) for every page whose text
    lines already run across. Off: an identity front is told upside down by its portrait,
    and a page without one by its lines' ink balance, OSD being asked only when that balance
    does not read upright (on bills and statements OSD was right both ways whenever
    confident; on cards of large capitals it turned upright ones over)."""
    orientation_side: int = 2000
    """Longest side of the copy given to orientation detection."""
    orientation_text_px: int = 32
    """That copy is scaled so text is about this high: OSD guessed a wrong 180-degree turn
    on half the synthetic passports and licences when their text was 13-16 px high."""
    orientation_pages: int = 3
    """Orientation is asked for the first pages only (about 0.8 s each)."""
    orientation_min_confidence: float = 1.2
    orientation_flip_min_confidence: float = 4.0
    """OSD's confidence for turning a page without a portrait over on its word alone (its
    text lines' ink balance unsure); below it, the page must also read clearly better
    turned over. Upside-down statements of outside seed 4221 with an unsure balance: 1.7 to
    18.6; a dark, barely legible upright statement: 180 at 2.1 (CT-S10063-0133)."""
    orientation_flip_text_balance: float = 0.3
    """A card whose portrait is found only upside down is turned over only with more
    evidence: the text lines' ink balance (above minus below their x-height band, -1..1)
    at or below minus this, or OSD saying 180 when the balance is within +-this."""
    orientation_flip_neighbors: int = 10
    """... or, when neither text measure says anything, the first face cascade finding the
    turned portrait with this many overlapping detections (twice what a face needs)."""
    orientation_read_confidence: float = 0.6
    orientation_read_margin: int = 12
    """A card whose portrait is found only turned over is read both ways: the reading with more
    than twice the other's characters in words of 3 or more read at
    `orientation_read_confidence`, and this many more, says which way is up. Upright and
    upside-down licences and passports of two seeds: 79-494 such characters the right way
    up, 10-57 the wrong way."""
    frame_margin: float = 0.012
    """A corner closer than this (fraction of the frame) to the frame edge is cut off."""


@dataclass(frozen=True)
class QualityConfig:
    """Image-quality thresholds (calibrated on synthetic sets: tests/imaging/calibrate.py)."""

    max_pages: int = 3
    """Pages measured per document (the worst one counts)."""
    card_reference_px: int = 1000
    """Cards are measured at this long side, so blur is judged relative to the document."""
    page_reference_px: int = 1700
    """Pages are measured at this short side (a letter page at 200 DPI)."""
    blur_max_px: float = 1.6
    """Edge spread (Gaussian sigma, px at the reference size) above which IMAGE_BLURRY."""
    min_edge_pixels: int = 300
    """Fewer edge pixels than this: sharpness cannot be judged (check passes as unknown)."""
    sharpness_direction_min_edges: int = 50
    """Edge pixels a gradient direction (of four) needs for its spread to count; the worst
    such direction is the sharpness. An absolute count, not a share: motion blur wipes out
    most edges across its direction (a passport shaken with a 47 px streak kept 5% of its
    edges there and passed at 1.45 px when a twelfth was required; 3.78 px with this). On
    1126 generated pages (seeds 6101, 6102, 8801, 9191) no clean page changed by more than
    0.1 px."""
    min_document_width_px: int = 600
    """Pixels across an ID card (long side, as captured) below which it is low resolution."""
    min_page_dpi: float = 100.0
    """Effective DPI of a page (pixels across / 8.5 in) below which it is low resolution."""
    brightness_min: float = 0.42
    """Paper-white level (90th percentile of luminance, 0-1) below which IMAGE_TOO_DARK."""
    glare_saturation: int = 245
    """A smoothed pixel at or above this grey level is blown out."""
    glare_min_blob: float = 0.004
    """Smallest glare blob, as a fraction of the document area."""
    glare_fraction_max: float = 0.08
    """Share of the document covered by glare blobs above which IMAGE_GLARE."""
    glare_max_blob: float = 0.85
    """Largest glare blob, as a fraction of the document area."""
    glare_min_solidity: float = 0.65
    """A glare blob's area over its convex hull's at least this (a blown-out reflection is a
    filled blob; blank paper framing print is not)."""
    glare_panel_max_fill: float = 0.95
    """A blown-out blob filling its (axis-aligned, on the flattened page) bounding box more
    than this is a blank printed panel, not a reflection: reflections are round or
    irregular (0.56-0.84 of their box on fresh seeds; an ellipse fills 0.79), while the
    near-white panel beside a vertical licence's portrait, between two bands and the card's
    edge, filled 0.99 (CT-O4247-0032, MA-O4145-0097)."""
    glare_work_px: int = 800
    """Glare is measured on a copy this long (px)."""
    glare_texture_window: float = 0.02
    """Window of the local grey range, as a fraction of the long side (about 1 mm on a card,
    wider than the gap between text lines on a page at the work size)."""
    glare_texture_max: int = 12
    """A saturated pixel whose local grey range is at most this is textureless (a glare
    erases print; bright paper keeps its print, guilloche and noise)."""
    glare_min_excess: float = 0.0
    """The lighting around a blob, extrapolated into it, must stay this far below saturation
    (grey levels): otherwise the blob is lit paper, e.g. the bright side of a gradient."""
    glare_halo_fraction: float = 0.04
    """Around a glare found, this share of the long side (its soft fade) is left out of
    the sharpness measure: the fade is the reflection's, not the optics' blur."""
    glare_unclipped_max: float = 0.15
    """A blob larger than this share of the document is glare only when clipped (its core
    at the sensor's top, `_clipped`): so large a reflection blows the sensor out, while the
    lit half of a shadowed page stays below it (a blank tax bill's lower half, 29 %, not
    clipped, MA-S10020-0172). Measured on fresh seeds: every true glare blob, 13 % to 52 %,
    clipped; one clean page's lit half not."""
    glare_lit_margin: float = 10.0
    """The paper around a blob (75th percentile) this far below saturation is lit paper: the
    blob must stand out of it with a soft edge. Closer to saturation, the paper is blown out
    too and only washed-out ink around the blob shows a glare. A smaller margin finds more
    glare on near-white cards but lets more lighting gradients through (see the report of
    issue #3: margin 3 caught 10/40 instead of 1/40 synthetic highlights, with 4/40 instead of
    1/40 gradient false alarms)."""
    glare_paper_span: float = 70.0
    """Surround pixels whose paper level is within this of saturation are lit paper; darker
    ones (print, card design, background) do not enter the lighting fit."""
    glare_soft_ratio: float = 0.6
    """A blob's edge is soft when the brightness drop just outside it is below this share
    of the drop further out (a printed white area drops at once)."""
    glare_paper_gap: float = 12.0
    """On near-white paper the saturation level is raised to this above the paper's median
    level (never above 254), so the paper around a reflection is not blown out too."""
    glare_falloff_reach: float = 1.0
    """Around a blob whose surround is nearly blown out too, the paper level is followed out
    to this many times the blob's equivalent radius (a soft highlight fades over a long
    way)."""
    glare_falloff_min: float = 3.0
    """... and must fall by at least this (grey levels) between the near and the far half of
    that surround, in most of the directions there is room for."""
    glare_falloff_sectors: int = 5
    """... of the 8 directions around the blob, at least this many with room: a blob pressed
    against the document's edge (the blown-out side of a lighting gradient) is not glare."""
    glare_falloff_share: float = 0.75
    """... and in at least this share of those directions the level must fall (a printed
    white box or the blank card around a barcode may touch a reflection on one side)."""
    glare_soft_highlight: bool = False
    """Also count a blob that neither stands out of its lighting nor washes ink out, on its
    radial fade alone. Off: on a fresh 200-application set it called the blank lower half
    of 2 clean letters, shaded from one corner, glare (IMAGE_GLARE precision 0.70); it
    finds soft highlights on near-white cards that the other tests miss."""
    glare_washout_ratio: float = 0.6
    """Ink right around a blob fainter than this share of the ink a little further out is
    washed out (a glare on white paper)."""
    glare_washout_min_falling: int = 1
    """A washed-out blob not enclosed by the document (`glare_falloff_sectors`) must fade into
    lit paper in at least this many directions: blown-out blank paper running into the edges
    (a letter or licence back lit from one side) fades nowhere. Issue #3, on 7 generated
    false alarms and 4 glares found this way: 0 and 1 directions, 0 false alarms left, 3 of
    the 4 glares kept (one covering half a card, running into its edges, is lost)."""
    glare_washout_far_drop: float = 3.0
    """A washed-out blob must also be brighter than the paper far around it: the paper level
    (median over the directions around it, far half of `_radial_profile`) at least this far
    below the saturation level. Blown-out blank paper where the light blows the whole card
    out (a white licence back, its blank band along an edge next to faint print) has the
    paper far around it blown out too (254-255): MA-S6101-0033 and MA-S9191-0004 doc-2 were
    called glare by washed-out ink and room in 4-5 directions. On 657 cached pages (seeds
    6101, 6102, 9191) and 70 generated glare applications (seeds 6501, 6502) no glare was
    found this way that is not found without it. Judged below the configured saturation,
    not the level raised on near-white paper (`_saturation`): the blank lower part of a
    near-white letter and of a tax bill, the paper far around at 250-251, passed 254 - 3
    and was called glare (CT-S9595-0075 doc-2, CT-S9821-0094 doc-3); on the survey of
    `glare_clip_share` no glare found is lost by it."""
    glare_print_inside_max: float = 0.04
    """A reflection hides the print under it; blank paper between print does not. A blob
    whose area (its enclosed holes included) holds more than this share of crisp dark print
    (ink at least `glare_print_ink` below the paper) is a white printed band, not glare:
    the white machine-readable strip of a passport page, lettered in black, stood out of
    the tinted page and was called glare (MA-S8801-0042, MA-S8803-0035)."""
    glare_print_ink: float = 90.0
    glare_survivor_ink: float = 20.0
    """Ink (grey levels below the paper) from which a pixel counts as print when judging
    whether print survives inside a glare blob (`quality._print_survives`)."""
    glare_survivor_reach: float = 3.0
    """Print within this many pixels (of the work copy) of a blob's clipped paper is amid
    it: strokes and their antialiased edges."""
    glare_survivor_bay: int = 9
    """Bays of a blob narrower than this (px of the work copy, about a line of body text)
    count as amid it: the print at its edge (`quality._print_survives`)."""
    glare_survivor_min_px: int = 300
    """Inked pixels of the work copy a blob must hold for its print to be judged: a few
    words (fewer is a blank blob, judged by the other tests)."""
    glare_survivor_body_min_px: int = 50
    """Inked pixels by a blob's blank body (away from print) from which their ink is judged
    too: a printed band's print amid the blob does not vouch for the body's
    (`quality._print_survives`)."""
    glare_survivor_ratio: float = 0.8
    """Print inside a blob whose 90th-percentile ink reaches this share of the print's
    elsewhere was not hidden by it: the blob is lit paper, not glare."""
    glare_clip_level: int = 254
    """A pixel of a blob's core at or above this (minimum channel) is clipped: the sensor's
    top, where a reflection blows it out."""
    glare_clip_share: float = 0.5
    """A blob whose core is clipped over at least this share is a reflection's: the paper
    around it is lit when it is so in most directions (`_lit_surround`), not only on the
    pooled ring, and a printed band it ran into is cut off it (`_unprinted`). A white
    printed band beside a reflection (a passport's machine-readable strip) made the ring
    look blown out (CT-S9393-0097, 38 % glare, missed); merged with it, it made the blob
    hold print. Survey: generate seeds 9393, 9595, 9821, 9822 (1400 documents, 24 with
    glare) and 240 identity fronts generated with glare on the same seeds; the cores of the 396
    glare blobs found are clipped over 0.71-1.0, those of the 4 blank-paper blobs that
    stand out softly (a blurred licence's blank field at 245-250) and of a licence back's
    blank band under its barcode over 0.0. Glare recall 93.2 -> 96.6 %, false glare
    documents 2 -> 0."""
    photo_blur_max_px: float = 3.0
    """Edge spread limit for the applicant photo (measured at `photo_reference_px`)."""
    photo_reference_px: int = 600
    photo_min_side_px: int = 300
    """Short side in pixels below which the applicant photo is low resolution."""
    photo_brightness_min: float = 0.25
    text_confidence_min: float = 0.45
    min_words: int = 5
    word_min_chars: int = 4
    word_share_min: float = 0.2
    """Share of the tokens read that must be words of `word_min_chars` letters or digits:
    OCR of a faded page or a picture yields 1-3 character fragments (a faded statement:
    1 in 32), a legible document real words (cards 0.4, pages more)."""
    sure_word_confidence: float = 0.8
    sure_words_min: int = 3
    sure_word_share_min: float = 0.1
    """Of those words, at least `sure_words_min`, and this share of the tokens, read at
    `sure_word_confidence` or above: a faded bill read as 88 tokens, a third of them long
    guesses, had 8 sure (MA-S10021-0002; 1 of 20, MA-S10024-0020); legible documents
    measured on fresh seeds at least 0.115 (a state ID under glare), cards 0.3 and more."""


@dataclass(frozen=True)
class ContentConfig:
    """Is a picture a document at all (`pipeline.imaging.content`)? Calibrated on real
    non-document photos and real and synthetic (faded) documents:
    tests/imaging/calibrate_content.py."""

    work_side: int = 800
    """Long side of the grey copy measured."""
    background_sigma: float = 8.0
    """Local background (Gaussian sigma, px) the ink is measured against."""
    ink_noise_factor: float = 3.0
    ink_min_contrast: float = 3.0
    """Ink is darker than its background by this many noise deviations (and grey levels)."""
    char_min_px: int = 4
    char_max_px: int = 40
    """Height range of a character-sized mark (px at `work_side`)."""
    char_max_aspect: float = 4.0
    char_min_fill: float = 0.12
    row_max_gap: float = 1.2
    """Largest gap to the next mark of a row, in mark heights."""
    row_baseline_tolerance: float = 0.25
    row_height_ratio: float = 0.7
    row_min_chain: int = 4
    """Marks in a run for it to count as a text line."""
    block_px: int = 16
    flat_std: float = 10.0
    paper_saturation_max: float = 0.25
    paper_relative_level: float = 0.75
    paper_min_level: float = 140.0
    """Paper blocks are at least this bright (grey level, after the exposure gain)."""
    paper_exposed_level: float = 230.0
    """A dim picture is brightened (never darkened) until its 90th-percentile grey level
    reaches this before paper is looked for: a letter photographed in dim light is paper
    all the same, while the grain of a dim natural scene, brightened alike, is not flat."""
    min_judged_level: float = 40.0
    """Below this 90th-percentile grey level the picture is black: no "not a document"
    verdict (the exposure check speaks)."""
    min_text_row_marks: int = 20
    """At or above this many marks in text rows, the picture shows print."""
    min_paper_share: float = 0.35
    """At or above this share of flat bright unsaturated blocks, it shows paper."""
    max_blur_px: float = 2.5
    """A picture whose edges spread wider than this (`quality.sharpness`) is not judged:
    text blurred into smudges makes no text rows, which is no sign of no document. Pictures
    of other things measured 1.1-1.65 px (a cat photographed at 640 px: 1.60 and 1.65,
    MA-S10065-0070, MA-S10068-0111, over the 1.6 px limit of IMAGE_BLURRY), blurred
    documents 3.3-4.7 px (a passport at 4.85, CT-S10040-0081, was once called a picture of
    something else)."""
    enabled: bool = True


@dataclass(frozen=True)
class FaceConfig:
    """Stage `detect_faces`: Haar cascades on a downscaled grey copy."""

    work_side: int = 512
    """Long side of the copy the cascades run on."""
    scale_factor: float = 1.2
    """Step between the detection scales (1.1 found the same faces on 154 sample fronts and
    photos, at 1.7 times the cost)."""
    min_neighbors: int = 5
    """Overlapping detections a face needs from the first cascade."""
    fallback_min_neighbors: int = 7
    """... and from the later ones, which run only when the first found nothing: alt2 fires
    on print more easily (measured on 187 licence/passport fronts with the portrait blanked:
    4 false faces at 5, 1 at 7; every real portrait still found)."""
    min_face_fraction: float = 0.1
    """Smallest face, as a fraction of the image's short side."""
    min_face_px: int = 20
    """... and in pixels of the work copy (the cascades' own window is 20-24 px)."""
    cascades: tuple[str, ...] = (
        "haarcascade_frontalface_default.xml",
        "haarcascade_frontalface_alt2.xml",
    )
    """Frontal cascades, tried in order until one fires (a portrait or ID photo is frontal;
    the profile cascade found no face the frontal ones missed and doubled the cost)."""
    equalized_fallback: bool = False
    """Search a histogram-equalised copy too when the plain one shows no face. Off: the
    cascades normalise each window's contrast themselves, and a global equalisation, ruled
    by a document's bright paper, crushed the portrait's mid-tones (18 of 18 portraits missed
    on clean fronts were found without it) and made faces out of print and paper texture
    (7 of 20 synthetic faceless cards)."""
    turned_search: bool = True
    """When no face shows the right way up on an image the stage searches itself (the
    applicant photo, never turned upright; an identity front `rectify` did not orient),
    search it turned a quarter either way and over (only then: a faceless image pays about
    0.2 s of CPU more; measured on 300 sample applications, 3.6 ms per application)."""
    turned_min_neighbors: int = 10
    """Overlapping detections of the first cascade a face on a turned image needs (twice a
    face's: no text confirms the turn, and print, coins and texture make weak faces)."""
    unframed_min_face_fraction: float = 0.05
    """Smallest face on an identity front whose outline was not found (the card may be a
    small part of the frame: a licence photographed from afar on a pale table, its portrait's
    face 6 % of the frame's short side, MA-O4213-0032), searched only when none showed at
    `min_face_fraction`, on a copy `unframed_work_side` long, and counted only when the
    first cascade finds it with `turned_min_neighbors` overlapping detections."""
    unframed_work_side: int = 1024
    """Long side of the copy searched for such a small face (at 512 px its 130 px face was
    39 px, too few for a strict detection; at 800 px and more it was found)."""


@dataclass(frozen=True)
class MatchConfig:
    """Matching thresholds (names, dates and addresses against the profile; duplicates)."""

    name_pass: float = 0.85
    """Name similarity at or above which a name matches."""
    name_review: float = 0.70
    """Below name_pass but at or above this, a low-confidence OCR read only warns."""
    ocr_low_confidence: float = 0.75
    """OCR field confidence below which a near miss (name, date) is a warning, not a flag."""
    name_unsure_min: float = 0.5
    """An unsure OCR first name less similar than this to every given name of the profile
    (and no nickname or piece of one) is another name, not a misread ('WEI' for 'JENNIFER',
    0.36; misreads such as 'IENNIFEB' score 0.75, a cut 'JENN' 0.67)."""
    ocr_no_read_confidence: float = 0.25
    """OCR field confidence below which the value is no reading at all (Tesseract's 0 for a
    word it could not resolve: '=§6°.1/08/1945' parsed as 1945-01-08, MA-O4099-0058): its
    disagreement with the profile or the barcode is a warning for the reviewer, never a
    flag (true date-of-birth mismatches on two fresh sample sets were read at 0.64-0.97)."""
    address_street_min: float = 0.80
    street_slip_max_edits: int = 2
    """An unsure OCR read (below `ocr_low_confidence`) whose only difference from the profile
    is a street name this many edits away ('WHIMEY' for 'WHITNEY': two letters merged into
    one), house number, unit, city and ZIP agreeing, is a misread (warned), not a move ..."""
    street_slip_min_length: int = 6
    """... when both names have at least this many letters (short names such as 'HIGH' and
    'HILL' are other streets two edits apart)."""
    city_min: float = 0.80
    city_min_same_zip: float = 0.60
    """City similarity enough in an OCR-read address whose ZIP code agrees with the profile's
    (the ZIP names the city: a city read 'WAMICK' for 'WARWICK', 0.77, is a misread, not
    another town). Chosen so that a city keeps at least the letters of a 2-letter slip in
    a 5- to 7-letter name; a wholly other name ('BRISTOL' for 'WARWICK', 0.29) still differs."""
    identity_min_validity_days: int = 365
    """An expiry read by OCR less than this many days after the issue date read is not
    conclusive: no identity document is issued for weeks, so one of the two is misread
    (expiry 2030-05-14 read '2020' beside an issue date of 2020-04-23, CT-O4239-0029)."""
    future_date_grace_days: int = 0
    """A residency document dated more than this many days after submission is suspicious."""
    barcode_name_min: float = 0.80
    """Printed-front name vs barcode name similarity below which they disagree."""
    barcode_name_min_letters: int = 3
    """Letters a printed name needs to be compared with the barcode's: one or two letters
    are a stray mark, an initial or a fragment of a label, not another name."""
    phash_max_distance: int = 6
    """Perceptual hashes this close (of 64 bits) may be the same image..."""
    phash_content_max_distance: int = 16
    """...and this far apart when both the document number and the number-bearing words
    agree: the same licence photographed again is flattened to another crop (12 bits
    between two photos of one card, CT-S10019-0049), while two documents never share
    their number and their dates."""
    phash_alone_max_distance: int = 2
    """...but alone (no number, text or fine hash to corroborate) only this close."""
    fine_hash_max_distance: int = 12
    """When neither number nor text is known on both sides, fine (256-bit) hashes must be
    this close too (with pHash within phash_alone_max_distance): different pages of one
    template come within 10-25 bits, re-encodes of one image within 2-18."""
    image_min_contrast: float = 3.0
    """Grey-level spread (standard deviation, 0-255) of the 32x32 thumbnail below which a
    page is near-blank (faded, washed out): it gets no image hashes, which would match any
    other near-blank page."""
    text_overlap_min: float = 0.75
    """Share of number-bearing words in common above which two documents have the same text."""
    text_min_shared: int = 4
    """...and number-bearing words in common that the text needs to confirm a match: a
    signature shrunk by glare or blur to three words shares two or three template
    constants (a form number, the company's phone, the billing date) with another
    person's document. Fewer shared words only refute (low overlap) or say nothing."""
    holder_same_min: float = 0.80
    """Holder names at least this similar are the same person (for same-number checks)."""


@dataclass(frozen=True)
class BarcodeConfig:
    """Stage `read_barcode`: PDF417 on identity documents (zxing-cpp)."""

    max_pages: int = 2
    """Pages of an identity document searched for a barcode."""
    max_tries: int = 10
    """zxing reads per page at most (as is, deskewed, turned, upscaled, binarised)."""
    sweep_degrees: tuple[float, ...] = (-6.0, 6.0, -12.0, 12.0, -18.0, 18.0)
    """Rotations tried when the skew estimate did not help (zxing reads about 3 degrees)."""
    min_long_side_px: int = 1400
    """Images (or barcode crops) smaller than this are upscaled before a retry."""
    max_long_side_px: int = 2600
    """Larger images are downscaled before reading."""


@dataclass(frozen=True)
class MrzConfig:
    """Stage `read_mrz` and check `check_mrz`."""

    max_pages: int = 2
    max_bands: int = 2
    """Candidate MRZ bands OCRed per document at most."""
    line_height_px: int = 40
    """Crops are scaled so that an MRZ line is about this many pixels high."""
    line_pitch: float = 2.0
    """A band where the page's text showed one zone line only (the other read as noise) is
    widened by this many line heights above and below, where its other line stands: ICAO
    9303 sets lines 4.23 mm apart for characters about 2.5 mm tall (1.7 heights), plus room
    for the text's own height estimate (MA-S9832-0066: an altered zone went unread)."""
    min_line_chars: int = 20
    """A text line shorter than this (spaces removed) is not an MRZ line."""
    confident_ocr: float = 0.70
    """Mean OCR confidence of the zone above which a check-digit failure is meaningful."""
    confident_max_length_fix: int = 0
    """Characters padded or trimmed (unconfirmed by check digits) above which the read is not
    confident: a shifted line makes every later check digit fail."""
    max_repair_positions: int = 8
    """Ambiguous characters per checked field explored by the repair search."""
    retry_scales: tuple[float, ...] = (1.0, 0.75, 1.3, 0.9)
    """Line-height factors tried in turn on a band until its check digits agree (or two
    sound reads fail the same checks on the same characters: then it stops too). Tesseract
    drops a digit before a filler run at some scales: a fourth gives a failing zone a
    second witness."""


@dataclass(frozen=True)
class PipelineConfig:
    """All pipeline settings."""

    limits: Limits = field(default_factory=Limits)
    ocr: OcrConfig = field(default_factory=OcrConfig)
    quality: QualityConfig = field(default_factory=QualityConfig)
    geometry: GeometryConfig = field(default_factory=GeometryConfig)
    face: FaceConfig = field(default_factory=FaceConfig)
    content: ContentConfig = field(default_factory=ContentConfig)
    match: MatchConfig = field(default_factory=MatchConfig)
    barcode: BarcodeConfig = field(default_factory=BarcodeConfig)
    mrz: MrzConfig = field(default_factory=MrzConfig)
