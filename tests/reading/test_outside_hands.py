"""Reading residency proofs and cards made by other hands (issue #5): OCR slips that left a
holder's name, a document's date or a house number wrong or unread on the outside
generator's documents (fresh seeds 3999, 4201, 4203)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.flags import DocumentType
from models.internal import PageText, Word
from pipeline.reading import dates, extract, layout
from pipeline.reading.layout import segments
from tests.reading.synth import line_segments, line_words

REF = dt.date(2026, 10, 1)


def _w(text: str, box: tuple[int, int, int, int], line: int = 0, conf: float = 0.95) -> Word:
    return Word(text, conf, box, 0, line)


# ------------------------------------------------------------ a name word holding a '!'


def _statement_names(name: str) -> dict[str, object]:
    segs = line_segments(
        line_words("Bay Colony Savings Bank", 88, 70),
        line_words("Statement Date: 07/25/2026", 840, 75),
        line_words(name, 128, 270),
        line_words("279 CHESTNUT DRIVE", 128, 300),
        line_words("HARTFORD CT 06105-2802", 128, 330),
    )
    fields = extract.extract_residency(segs, REF, DocumentType.BANK_STATEMENT)
    return {k: v.value for k, v in fields.items() if k.endswith("name") or k == "suffix"}


def test_an_i_read_as_an_exclamation_mark_leaves_the_name_readable() -> None:
    """CT-O3999-0045: "WE! DEL RIO III" left the holder unread (NAME_MISMATCH missed)."""
    names = _statement_names("WE! DEL RIO III")
    assert names == {"first_name": "WEI", "last_name": "DEL RIO", "suffix": "III"}


def test_a_suffix_read_with_an_exclamation_mark_leaves_the_name_readable() -> None:
    """CT-O4201-0090: "José Carlos Thompson I!I"."""
    names = _statement_names("José Carlos Thompson I!I")
    assert names["first_name"] == "José" and names["last_name"] == "Thompson"
    assert names["suffix"] == "III"


def test_a_lower_case_l_read_as_an_exclamation_mark() -> None:
    assert _statement_names("Maria Wi!son")["last_name"] == "Wilson"


def test_a_speck_read_as_an_opening_quote_leaves_the_name_readable() -> None:
    """MA-S10006-0142: "‘WEI BAPTISTE" left the holder unread (NAME_MISMATCH missed)."""
    assert _statement_names("‘WEI BAPTISTE") == {"first_name": "WEI", "last_name": "BAPTISTE"}
    assert extract._mended_name_words([_w("'", (0, 0, 5, 20))])[0].text == "'"
    assert extract._mended_name_words([_w("O'NEIL", (0, 0, 5, 20))])[0].text == "O'NEIL"


def test_an_exclamation_mark_alone_is_no_name_word() -> None:
    assert extract._mended_name_words([_w("!", (0, 0, 5, 20))])[0].text == "!"
    assert extract._mended_name_words([_w("WE", (0, 0, 5, 20))])[0].text == "WE"


# ------------------------------------------------------------ a statement period's "through"


@pytest.mark.parametrize("through", ["throug h", "throug: h", "thro ugh"])
def test_a_period_end_after_a_through_cut_in_two_dates_the_statement(through: str) -> None:
    """MA-O3999-0097: "Statement Period 10/23/25 throug h 11/21/25" left a statement 314
    days old undated (DOCUMENT_TOO_OLD missed)."""
    segs = line_segments(
        line_words(f"Statement Period 10/23/25 {through} 11/21/25", 978, 75),
        line_words("Bay Colony Savings Bank", 235, 92),
        line_words("EDWARD DE LA CRUZ", 166, 353),
        line_words("4308 WALNUT ROAD STE 15", 166, 387),
        line_words("PITTSFIELD MA 01201-1918", 166, 423),
    )
    found = extract.document_date(segs, REF, period_end=True)
    assert found is not None and found.value == dt.date(2025, 11, 21)


def test_two_words_before_a_date_are_no_period_end() -> None:
    segs = line_segments(line_words("Statement Period 10/23/25 fee s 11/21/25", 978, 75))
    assert extract.document_date(segs, REF, period_end=True) is None


# ------------------------------------------------------------ "Date Malled"


def test_a_date_label_with_its_participle_misread_dates_the_bill() -> None:
    """CT-O3999-0013: "Date Malled" for "Date Mailed", the date right of it a few pixels
    lower (another row)."""
    segs = line_segments(
        line_words("Harborline Natural Gas", 84, 89),
        line_words("Account Number 434759-20703", 767, 87),
        [*line_words("Date Malled", 768, 130, h=14), *line_words("February 11, 2026", 1052, 133)],
        line_words("Payment Due March 11, 2026", 767, 216),
        line_words("REBECCA WASHINGTON", 150, 311),
        line_words("1236 COMMONWEALTH CT STE 2A", 149, 338),
        line_words("TORRINGTON CT 06790-9857", 148, 364),
    )
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 2, 11)


def test_a_word_two_letters_off_a_participle_is_no_label() -> None:
    assert extract._heal_date_label("Date Malted") == "Date Malted"
    assert extract._heal_date_label("Date Bolted") == "Date Bolted"
    assert extract._heal_date_label("Date Malled") == "Date MAILED"


# ------------------------------------------------------------ a 0 read as 6 in a date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("69.11.2626", dt.date(2026, 11, 9)),  # dotted: day first
        ("61-OCT-2626", dt.date(2026, 10, 1)),
        ("26-OCT-2626", dt.date(2026, 10, 26)),
        ("Jul 19, 2626", dt.date(2026, 7, 19)),
        ("Sept. 3rd, 2826", dt.date(2026, 9, 3)),
        ("09/11/2926", dt.date(2026, 9, 11)),
        ("Jul 19, 20626.", dt.date(2026, 7, 19)),  # the 0 read as "06"
        ("11/06/20626", dt.date(2026, 11, 6)),
        ("20 -MAR-2626", dt.date(2026, 3, 20)),  # a space beside a hyphen (MA-O4239-0086)
        ("20- MAR-2626", dt.date(2026, 3, 20)),
        ("20 -MAR- 2626", dt.date(2026, 3, 20)),
    ],
)
def test_a_zero_read_as_six_in_a_year_or_a_day_is_repaired(text: str, expected: dt.date) -> None:
    assert not dates.find_in_text(text, REF)  # as read, no date (left to the crop re-read)
    hits = dates.find_in_text(text, REF, zero_slips=True)
    assert [h.date for h in hits] == [expected]


@pytest.mark.parametrize("text", ["2626 MAIN ST", "$2,626.00", "12/2626", "Invoice 2626"])
def test_numbers_outside_a_date_are_not_repaired(text: str) -> None:
    assert dates.repair_zero_slips(text) == text


def test_a_bill_dated_with_a_zero_read_as_six_is_dated() -> None:
    """CT-O3999-0023 ("Billing Date 69.11.2626"), MA-O4201-0031 ("Bill Date 61-OCT-2626")."""
    segs = line_segments(
        line_words("Atlantic Fiber Communications", 159, 67),
        line_words("Billing Date", 743, 116),
        line_words("69.11.2626", 1033, 118),
        line_words("Payment Due", 743, 207),
        line_words("09.29.2026", 1033, 209),
        line_words("Deborah Lefebvre", 137, 299),
        line_words("342 Union Road", 137, 328),
        line_words("Hartford, CT 06114-2839", 137, 356),
    )
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 9, 11)


# ------------------------------------------------------------ a box stretched over its line


def test_a_word_boxed_over_its_neighbour_stays_on_its_row() -> None:
    """CT-O4203-0014: OCR boxed "EDWARD" over the "J" beside it; the row split in two and
    the name was read "O'BRIEN"."""
    words = (
        _w("EDWARD", (215, 432, 367, 460), 4),
        _w("J", (350, 428, 367, 466), 4),
        _w("O'BRIEN", (378, 433, 505, 454), 4),
        _w("80", (215, 469, 248, 490), 5),
        _w("BROADWAY", (260, 469, 431, 490), 5),
        _w("DR", (441, 469, 484, 490), 5),
        _w("MERIDEN,", (213, 540, 350, 562), 6),
        _w("CT", (360, 540, 395, 562), 6),
        _w("06450", (405, 540, 500, 562), 6),
    )
    texts, names = _addressee(words, DocumentType.UTILITY_BILL)
    assert "EDWARD J O'BRIEN" in texts
    assert names == ["EDWARD", "J", "O'BRIEN"]


def test_a_word_boxed_over_most_of_an_initial_keeps_it_on_its_row() -> None:
    """CT-S10088-0180: "MARIA" boxed over three quarters of the "A." beside it (the initial
    sticking out on its right): the initial made a row of its own between the name and the
    street, so no addressee was read and another person's policy passed."""
    words = (
        _w("Named", (117, 426, 172, 441), 6),
        _w("Insured", (178, 427, 234, 441), 6),
        _w("MARIA", (117, 454, 222, 475), 7),
        _w("A.", (203, 451, 229, 485), 7),
        _w("MURPHY", (229, 458, 333, 475), 7),
        _w("60", (117, 489, 140, 506), 8),
        _w("GARDEN", (146, 489, 241, 506), 8),
        _w("LN", (247, 489, 277, 506), 8),
        _w("NEW", (117, 520, 160, 537), 9),
        _w("HAVEN,", (166, 520, 240, 537), 9),
        _w("CT", (246, 520, 270, 537), 9),
        _w("06513", (276, 520, 340, 537), 9),
    )
    texts, names = _addressee(words, DocumentType.INSURANCE_STATEMENT)
    assert "MARIA A. MURPHY" in texts
    assert names == ["MARIA", "A", "MURPHY"]


def _addressee(words: tuple[Word, ...], kind: DocumentType) -> tuple[list[str], list[object]]:
    """The texts of the page's segments, and the first, middle and last names read."""
    segs = segments(PageText(0, words, "ocr", 1700, 2200))
    fields = extract.extract_residency(segs, REF, kind)
    return [s.text for s in segs], [
        fields[k].value for k in ("first_name", "middle_name", "last_name")
    ]


def test_a_label_boxed_over_its_date_keeps_the_statement_period_whole() -> None:
    """CT-O4201-0024: "Statement" boxed over "period: Jun 19 - Jul 19,"."""
    words = (
        _w("Statement", (776, 94, 1159, 114)),
        _w("period:", (889, 91, 972, 117)),
        _w("Jun", (982, 91, 1018, 117)),
        _w("19", (1027, 91, 1050, 117)),
        _w("-", (1062, 91, 1074, 117)),
        _w("Jul", (1084, 91, 1119, 117)),
        _w("19,", (1129, 91, 1165, 117)),
        _w("2026", (1175, 95, 1219, 111)),
    )
    segs = segments(PageText(0, words, "ocr", 1318, 1683))
    assert [s.text for s in segs] == ["Statement period: Jun 19 Jul 19, 2026"]  # "-": a mark


def test_a_word_read_twice_keeps_its_box() -> None:
    twice = [_w("ELM", (100, 10, 160, 30)), _w("ELM", (103, 10, 158, 30))]
    assert [w.box for w in layout.trim_spanning_boxes(twice)] == [w.box for w in twice]


# ------------------------------------------------------------ AAMVA field 8 and the house number


def _card_street(
    house: str, house_x: int, city_x: int = 384, width: int | None = None
) -> str | None:
    """A numbered card: "1 KIM", "2 MARIA" (field numbers at x=354, values at 374), the
    address line starting at `house_x`, the city line at `city_x`."""
    words = (
        _w("1", (354, 244, 362, 259), 3),
        _w("KIM", (374, 231, 441, 260), 3),
        _w("2", (355, 287, 362, 302), 4),
        _w("MARIA", (374, 276, 482, 303), 4),
        _w(house, (house_x, 326, house_x + (width or 17 * len(house)), 349), 5),
        _w("SUMMER", (house_x + (width or 17 * len(house)) + 13, 324, 551, 349), 5),
        _w("BLVD", (563, 323, 636, 346), 5),
        _w("SPRINGFIELD,", (city_x, 364, 589, 390), 6),
        _w("MA", (604, 363, 649, 386), 6),
        _w("01109", (652, 360, 737, 385), 6),  # a digit 17 px wide
    )
    found = extract.find_address(segments(PageText(0, words, "ocr", 1100, 694)), identity=True)
    return found[0].value.line1 if found else None  # type: ignore[union-attr]


def test_field_eight_read_as_another_digit_is_cut_from_the_house_number() -> None:
    """MA-O4201-0062 ("299 SUMMER BLVD" for 99), CT-O3999-0053 ("259" for 59): the number
    starts in the field-number column, its second digit in the value column."""
    assert _card_street("299", 356) == "99 SUMMER BLVD"
    assert _card_street("91873", 356) == "1873 SUMMER BLVD"


def test_a_house_number_in_the_value_column_is_whole() -> None:
    """ "85 MAIN TER" read "5 MAIN TER": the city line a little further right (a slight
    tilt) made the 8 look like a glued field number."""
    assert _card_street("85", 374, city_x=392) == "85 SUMMER BLVD"
    assert _card_street("299", 374) == "299 SUMMER BLVD"


# ------------------------------------------------------------ a lease's premises, ZIP misread


def test_a_premises_zip_with_a_letter_for_a_digit_is_read() -> None:
    """MA-O4203-0053: "... located at 1181 OAK / BOULEVARD, Amherst, Massachusetts ©1002"."""
    segs = line_segments(
        line_words(
            "1. PREMISES. Landlord hereby leases to Tenant the dwelling located at 1181 OAK",
            155,
            362,
        ),
        line_words(
            'BOULEVARD, Amherst, Massachusetts ©1002 (the "Premises"), together with', 155, 400
        ),
    )
    found = extract.prose_address(segs)
    assert found is not None
    value = found.value
    assert (value.line1, value.city, value.state, value.zip) == (  # type: ignore[union-attr]
        "1181 OAK BOULEVARD",
        "AMHERST",
        "MA",
        "01002",
    )
    segs = line_segments(
        line_words(
            "the dwelling located at 1181 OAK BOULEVARD, Amherst, Massachusetts ©lOO2", 155, 362
        )
    )
    assert extract.prose_address(segs) is None  # two real digits only: no ZIP


def test_a_box_stretched_over_an_unread_field_number_keeps_the_house_number() -> None:
    """CT-O3999-0053 on a later reading: "59" boxed from the 8's left edge (the 8 itself
    unread), its one digit right of the value column twice a digit's width."""
    assert _card_street("59", 356, width=51) == "59 SUMMER BLVD"
    # CT-O4201-0068: "1973" boxed from the unread 8 on: four digits right of the column
    assert _card_street("1973", 356, width=85) == "1973 SUMMER BLVD"
    assert _card_street("91873", 356, width=85) == "1873 SUMMER BLVD"


def test_a_premises_unit_whose_sign_was_lost_is_read() -> None:
    """MA-O4201-0003: "located at 8 Pleasant Dr, / 4A, Northampton, Massachusetts" ("# 4A"
    with its "#" lost) left the lease without an address."""
    segs = line_segments(
        line_words(
            "Landlord hereby leases to Tenant the dwelling located at 8 Pleasant Dr,", 184, 386
        ),
        line_words(
            '4A, Northampton, Massachusetts 01060-7288 (the "Premises"), together', 184, 425
        ),
    )
    found = extract.prose_address(segs)
    assert found is not None
    value = found.value
    assert (value.line1, value.line2, value.city, value.zip) == (  # type: ignore[union-attr]
        "8 PLEASANT DR",
        "4A",
        "NORTHAMPTON",
        "01060",
    )


# ------------------------------------------------------------ a tall mark's row


def test_a_line_swallowed_by_a_tall_marks_row_still_has_its_street_above() -> None:
    """MA-O3999-0060: a confident "j" read on the card's edge, as tall as two lines, made a
    row that took the city line in before the street's row: no street was found over it."""
    words = (
        _w("1", (341, 230, 349, 254), 3),
        _w("SMITH", (361, 227, 464, 254), 3),
        _w("2", (341, 270, 349, 291), 4),
        _w("MICHAEL", (361, 268, 491, 291), 4),
        _w("j", (64, 312, 76, 362), 5, conf=0.89),
        _w("4330", (355, 313, 420, 334), 6),
        _w("UNION", (432, 313, 520, 334), 6),
        _w("PL", (530, 313, 562, 334), 6),
        _w("BOSTON,", (365, 349, 480, 373), 7),
        _w("MA", (492, 349, 540, 373), 7),
        _w("02108-6379", (552, 349, 707, 373), 7),
    )
    found = extract.find_address(segments(PageText(0, words, "ocr", 1030, 668)), identity=True)
    assert found is not None
    assert found[0].value.line1 == "4330 UNION PL"  # type: ignore[union-attr]
