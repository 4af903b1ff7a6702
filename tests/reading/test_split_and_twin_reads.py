"""Fresh seeds 10016 / 10017 / outside 4127: a space OCR put inside a date or a ZIP, an
addressee read over the bill's remittance stub when the letter's block was misread, a "#"
kept for a unit, and a sure word whose box spans two lines giving way to the lines' words."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from models.internal import PageText, Word
from pipeline.reading import dates, extract, ocr
from pipeline.reading.layout import segments
from tests.reading.synth import line_words

REF = dt.date(2026, 9, 4)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Billing Date 08/3 1/2026", dt.date(2026, 8, 31)),  # MA-S10017-0107
        ("Date 12.0 3.2026", dt.date(2026, 3, 12)),
        ("Page 1 1/15/2026", dt.date(2026, 1, 15)),  # a digit before a date is not its month
        ("07/28/2026 - 08/27/2026", dt.date(2026, 7, 28)),
    ],
)
def test_a_space_inside_a_dates_second_number_is_closed(text: str, want: dt.date) -> None:
    hits = dates.find_in_text(text, REF)
    assert hits and hits[0].date == want
    # every character keeps its place: the hit still points at the words it was read from
    assert text[hits[0].start : hits[0].end].replace(" ", "") in text.replace(" ", "")


def test_the_split_date_keeps_both_words_as_evidence() -> None:
    words = line_words("Billing Date 08/3 1/2026", 100, 400)
    found = dates.find_in_words(words, REF)
    assert [f.date for f in found] == [dt.date(2026, 8, 31)]
    assert [w.text for w in found[0].words] == ["08/3", "1/2026"]


def _page(*lines: tuple[str, int, int]) -> PageText:
    words = tuple(
        replace(w, line=i) for i, (text, x, y) in enumerate(lines) for w in line_words(text, x, y)
    )
    return PageText(0, words, "ocr", 1400, 1800)


def test_a_zip_split_by_a_space_is_one_zip() -> None:
    """MA-S10016-0057: "Framingham, MA 0 1701": no address, so no addressee, so another
    person's statement passed."""
    page = _page(
        ("JENNIFER THOMPSON", 150, 350),
        ("140 Washington Boulevard", 150, 380),
        ("Framingham, MA 0 1701", 150, 410),
    )
    fields = extract.extract_residency(segments(page), REF)
    assert fields["address"].value.zip == "01701"
    assert fields["address"].value.city == "FRAMINGHAM"
    assert fields["last_name"].value == "THOMPSON"


def _bill(addressee: str) -> dict:
    page = _page(
        ("Regional Water Authority", 100, 100),
        (addressee, 150, 370),
        ("804 PARK STREET", 150, 400),
        ("LYNN, MA 01902", 150, 430),
        ("Please detach and return this portion with your payment.", 100, 1380),
        ("Rebecca Smith", 100, 1490),
        ("804 PARK STREET", 100, 1513),
        ("LYNN, MA 01902", 100, 1536),
    )
    return extract.extract_residency(segments(page), REF)


def test_the_addressee_is_read_over_the_stubs_twin_block() -> None:
    """MA-S10017-0107: the letter's name line split into "Reb smith" / "ebecca Snuth"
    fragments; the stub prints the same block, its name read whole."""
    fields = _bill("4 5 6")
    assert (fields["first_name"].value, fields["last_name"].value) == ("Rebecca", "Smith")


def test_the_letters_own_addressee_comes_first() -> None:
    fields = _bill("LUCIA FITZGERALD")
    assert (fields["first_name"].value, fields["last_name"].value) == ("LUCIA", "FITZGERALD")


def test_a_unit_hash_survives_cleaning() -> None:
    """MA-O4127-0021: "located at 3166 FRAN # 22, Framingham": without the "#" the unit
    joined the street ("FRAN 22")."""
    page = _page(
        ("1. PREMISES. Landlord hereby leases the dwelling located at 3166 FRAN", 148, 320),
        ("# 22, Framingham, Massachusetts 01701-5278 (the Premises), together with", 148, 352),
    )
    value = extract.extract_residency(segments(page), REF)["address"].value
    assert (value.line1, value.line2) == ("3166 FRAN", "# 22")


def _w(text: str, box: tuple[int, int, int, int], conf: float, line: int) -> Word:
    return Word(text, conf, box, 0, line)


def _reading(*words: Word) -> PageText:
    return PageText(0, words, "ocr", 1350, 1800)


def test_a_sure_word_spanning_two_lines_gives_way_to_their_words() -> None:
    """CT-S10016-0129: automatic layout merged "TONY E. BROWN" over "23 FRANKLIN TERRACE"
    into "3S FRANKLIN TERRACE", each box spanning both lines, "TERRACE" sure (0.89); sparse
    text read both lines right."""
    first = _reading(
        _w("3S", (157, 380, 181, 444), 0.15, 5),
        _w("FRANKLIN", (196, 380, 301, 444), 0.29, 5),
        _w("TERRACE", (313, 380, 412, 444), 0.89, 5),
        _w("NORWALK,", (157, 450, 260, 470), 0.97, 6),
    )
    second = _reading(
        _w("TONY", (157, 387, 227, 406), 0.93, 0),
        _w("E.", (235, 387, 255, 406), 0.91, 0),
        _w("BROWN", (268, 383, 361, 403), 0.96, 0),
        _w("23", (159, 418, 185, 437), 0.97, 1),
        _w("FRANKLIN", (195, 415, 301, 436), 0.96, 1),
        _w("TERRACE", (309, 412, 412, 433), 0.96, 1),
    )
    merged = ocr.merge_readings(first, second, 0.6)
    lines: dict[int, list[str]] = {}
    for word in sorted(merged.words, key=lambda w: w.box[0]):
        lines.setdefault(word.line, []).append(word.text)
    assert sorted(lines.values()) == [
        ["23", "FRANKLIN", "TERRACE"],
        ["NORWALK,"],
        ["TONY", "E.", "BROWN"],
    ]


def test_a_sure_word_on_one_line_stays() -> None:
    """A sure word whose box holds one line only is not a merged line: it stays as read."""
    first = _reading(_w("TERRACE", (313, 410, 412, 435), 0.89, 5))
    second = _reading(
        _w("BROWN", (268, 383, 361, 403), 0.96, 0), _w("TERRACE", (309, 412, 412, 433), 0.96, 1)
    )
    merged = ocr.merge_readings(first, second, 0.6)
    assert [(w.text, w.line) for w in merged.words if w.text == "TERRACE"] == [("TERRACE", 5)]


def test_a_po_box_letterhead_is_not_the_address_when_the_street_was_lost() -> None:
    """CT-S10018-0150: "18 OAK BOULEVARD" read "18" + "d"; the sender's "PO Box 1306 /
    Boston, MA 02205" tied with the addressee's city line and, first on the page, won
    (ADDRESS_MISMATCH and ADDRESS_OUT_OF_STATE on a clean application)."""
    page = _page(
        ("Connecticut Light", 160, 200),  # "& Power" far right: the "&" was dropped
        ("PO Box 1306", 160, 246),
        ("Boston, MA 02205", 160, 276),
        ("WEI NGUYEN", 208, 484),
        ("18", 210, 521),
        ("Waterbury, CT 06708-7833", 208, 559),
    )
    value = extract.extract_residency(segments(page), REF)["address"].value
    assert (value.city, value.state, value.zip) == ("WATERBURY", "CT", "06708")


def test_a_lease_premises_cut_at_the_margin_still_gives_its_state() -> None:
    """MA-O4133-0028: the scan cut "4312 FRANKLIN LN," at the margin; "located at 4312
    FRANK Jersey City, New Jersey 07302" has no comma to part street and city, but the
    state and ZIP say the premises are out of state."""
    page = _page(
        ("1. PREMISES. Landlord leases to Tenant the dwelling located at 4312 FRANK", 148, 320),
        ('Jersey City, New Jersey 07302 (the "Premises"), together with the fixtures', 148, 352),
    )
    value = extract.extract_residency(segments(page), REF)["address"].value
    assert (value.line1, value.city, value.state, value.zip) == (None, None, "NJ", "07302")


def test_a_whole_validity_after_an_issue_date_is_a_sure_expiry() -> None:
    """Labels missed, dates by their order: the latest is the expiry, unsurely (0.6),
    unless it lies a whole validity after another date on the card (to the day, or the
    day before), which makes the pair issue and expiry."""
    ref = dt.date(2026, 11, 3)

    def expiry(*lines: str) -> float:
        segs = segments(_page(*((text, 40, 100 + 40 * i) for i, text in enumerate(lines))))
        return extract.identity_dates(segs, ref)["expiry_date"].confidence

    paired = expiry("11 OCT 1969", "15 FEB 2016", "15 FEB 2026")
    day_before = expiry("11 OCT 1969", "15 FEB 2016", "14 FEB 2026")
    unpaired = expiry("11 OCT 1969", "03 MAR 2017", "15 FEB 2026")
    assert paired > 0.8 and day_before > 0.8 and unpaired < 0.6
    # CT-O4133-0032: the issue date's day lost by OCR, its month and year still printed
    assert expiry("11 OCT 1969", "Sig FEB 2016", "15 FEB 2026") > 0.8
    assert expiry("11 OCT 1969", "Sig MAR 2016", "15 FEB 2026") < 0.6


def test_a_speck_off_the_edge_does_not_cut_the_tenants_name() -> None:
    """CT-S10023-0096: "... and Siobha" + a speck read "en," at the cut margin, then
    "Jean O'Brien ("Tenant")": the tenant was "Jean O'Brien", a NAME_MISMATCH."""
    words = [
        *line_words('made between Riverside LLC ("Landlord") and Siobhan', 100, 200),
        Word("en,", 0.0, (1352, 200, 1374, 220), 0, 0),
        *line_words('Jean O\'Brien ("Tenant").', 100, 240),
    ]
    words = [replace(w, line=0 if w.box[1] < 230 else 1) for w in words]
    page = PageText(0, tuple(words), "ocr", 1400, 1800)
    names = extract.role_name(segments(page))
    assert (names["first_name"].value, names["last_name"].value) == ("Siobhan", "O'Brien")


def test_an_irish_particle_read_as_a_digit_keeps_the_tenants_name_whole() -> None:
    """CT-O4143-0029: 'ANTHONY J 6 SUILLEABHAIN ("Tenant")': the 6 (for Ó) stopped the
    name at one word, no name was read, another person's lease passed."""
    words = line_words(
        'between J. R. Kowalski ("Landlord") and ANTHONY J 6 SUILLEABHAIN ("Tenant").', 100, 200
    )
    page = PageText(0, tuple(words), "ocr", 1400, 1800)
    names = extract.role_name(segments(page))
    assert (names["first_name"].value, names["last_name"].value) == ("ANTHONY", "O SUILLEABHAIN")


def test_a_two_digit_year_among_four_digit_ones_is_a_year_cut_short() -> None:
    """MA-O4167-0033 as read: the expiry '06-19-2033' read '06-19-20' and a mark: not 2020."""

    def dates(expiry: str, dob: str = "12-04-1992", issued: str = "05-16-2025") -> dict:
        words = (
            Word(dob, 0.97, (31, 341, 208, 383), 0, 0),
            Word("ISSUE", 0.97, (28, 402, 68, 414), 0, 1),
            Word("DATE", 0.95, (80, 403, 114, 414), 0, 1),
            Word("EXPIRATION", 0.96, (347, 403, 438, 415), 0, 1),
            Word("DATE", 0.97, (447, 404, 480, 415), 0, 1),
            Word(issued, 0.96, (27, 423, 183, 444), 0, 2),
            Word(expiry, 0.96, (346, 424, 469, 445), 0, 2),
        )
        segs = segments(PageText(0, words, "ocr", 1100, 694))
        return {k: v.value for k, v in extract.identity_dates(segs, dt.date(2026, 11, 3)).items()}

    cut = dates("06-19-20")
    assert "expiry_date" not in cut and cut["issue_date"] == dt.date(2025, 5, 16)
    assert dates("06-19-2033")["expiry_date"] == dt.date(2033, 6, 19)
    short = dates("06-19-33", "12-04-92", "05-16-25")  # a card printing two-digit years
    assert short["expiry_date"] == dt.date(2033, 6, 19)


def test_a_named_month_with_a_two_digit_year_is_a_year_cut_short() -> None:
    """CT-O4167-0017: a lease scan cut its right margin: "the 28th day of September, 20"
    read as 2020 made a clean lease too old. A bill's numeric "10/11/26" stays a date."""
    ref = dt.date(2026, 11, 10)

    def doc_date(*lines: str) -> dt.date | None:
        segs = segments(_page(*((text, 40, 100 + 40 * i) for i, text in enumerate(lines))))
        found = extract.document_date(segs, ref)
        return found.value if found else None  # type: ignore[return-value]

    lease = doc_date(
        "This Lease Agreement is made on the 28th day of September, 20",
        "The term shall commence on October 28, 2026 and end on October 27, 20",
        "Date 09/30/2026",
    )
    assert lease is not None and lease.year == 2026
    bill = doc_date("Statement Date 10/11/26", "Payment received November 2, 2026")
    assert bill == dt.date(2026, 10, 11)


def test_an_unsure_family_name_before_a_comma_stays_in_the_tenants_name() -> None:
    """MA-S10045-0145: "... and Peiia," (Peña, read at 0.20) / "Aisha Louise ("Tenant")":
    the family name was skipped as a mark, and "Aisha Louise" was another person."""
    words = [
        *line_words('made between Elm City Realty ("Landlord") and', 100, 200),
        Word("Peiia,", 0.2, (1300, 200, 1360, 220), 0, 0),
        *line_words('Aisha Louise ("Tenant").', 100, 240),
    ]
    words = [replace(w, line=0 if w.box[1] < 230 else 1) for w in words]
    page = PageText(0, tuple(words), "ocr", 1400, 1800)
    names = extract.role_name(segments(page))
    got = (names["first_name"].value, names["middle_name"].value, names["last_name"].value)
    assert got == ("Aisha", "Louise", "Peña")


def _tenant(before_role: Word) -> tuple[str | None, ...]:
    words = [
        *line_words('made between Elm City Realty ("Landlord") and Theresa Grace', 100, 200),
        before_role,
        *line_words("(‘Tenant’). 1. PREMISES.", 200, 240),
    ]
    words = [replace(w, line=0 if w.box[1] < 230 else 1) for w in words]
    names = extract.role_name(segments(PageText(0, tuple(words), "ocr", 1400, 1800)))
    return tuple(
        names[k].value if k in names else None for k in ("first_name", "middle_name", "last_name")
    )


def test_an_unread_surname_before_the_role_is_kept_not_skipped() -> None:
    """MA-S10056-0196: "... and Theresa Grace" / "(bafiez (‘Tenant’)" (Ibáñez at 0.00): the
    surname was skipped as a mark, and Grace taken for it: another person (NAME_MISMATCH on
    a clean lease). A real speck before the role is still skipped."""
    garbled = Word("(bafiez", 0.0, (100, 240, 180, 262), 0, 1)
    assert _tenant(garbled) == ("Theresa", "Grace", "Bañez")
    speck = Word("en,", 0.3, (100, 240, 130, 262), 0, 1)
    assert _tenant(speck) == ("Theresa", None, "Grace")


@pytest.mark.parametrize(("width", "want"), [(15, "5 PARK STREET"), (30, "5S PARK STREET")])
def test_a_digit_read_twice_as_itself_and_its_letter_is_one_digit(width: int, want: str) -> None:
    """MA-S10046-0032: "5 PARK STREET" read "5S" (box 15 px wide, 22 high) on a clean bill:
    ADDRESS_MISMATCH on house number '5S'. A box two glyphs wide keeps both."""
    words = [
        Word("SAM", 0.96, (220, 520, 280, 542), 0, 0),
        Word("LEFEBVRE", 0.96, (300, 520, 450, 542), 0, 0),
        Word("5S", 0.59, (220, 557, 220 + width, 579), 0, 1),
        *line_words("PARK STREET APT 1B", 250, 557),
        *line_words("BOSTON, MA 02127-4117", 220, 594),
    ]
    words = [replace(w, line=0 if w.box[1] < 550 else 1 if w.box[1] < 590 else 2) for w in words]
    fields = extract.extract_residency(segments(PageText(0, tuple(words), "ocr", 1738, 2229)), REF)
    assert fields["address"].value.line1 == want
