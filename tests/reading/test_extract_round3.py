"""Round-three extraction fixes (issue #4): a middle-name label beside the first-name one,
a tenant named in a contract's prose, residency reference numbers, a card number whose
label OCR garbled, bilingual label tails, skewed label/value lines, a date split over two
phrases, and a bill sent as the identity document read as the bill it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from models.flags import DocumentType
from models.internal import Classification, PageText, Word
from pipeline.matching.names import tokens
from pipeline.reading import extract
from pipeline.reading.layout import segments
from tests.reading.synth import context, text_doc

REF = dt.date(2026, 11, 20)


def _w(text: str, box: tuple[int, int, int, int]) -> Word:
    return Word(text, 0.95, box, 0, 0)


def _line(text: str, x: int, y: int, h: int = 20, step: int = 14) -> list[Word]:
    """Words of `text` laid out from (x, y), each `step` px per character plus a space."""
    out = []
    for tok in text.split():
        width = step * len(tok)
        out.append(_w(tok, (x, y, x + width, y + h)))
        x += width + step
    return out


def _page(*lines: list[Word], source: str = "ocr") -> PageText:
    return PageText(0, tuple(w for line in lines for w in line), source, 1700, 2200)  # type: ignore[arg-type]


def _segs(*lines: list[Word]) -> list:
    return segments(_page(*lines))


def test_middle_name_label_beside_first_name_label() -> None:
    segs = _segs(
        _line("Last Name", 356, 209, 13, 9),
        _line("CHEN", 356, 235),
        _line("First Name", 356, 268, 13, 9),
        _line("Middle Name", 656, 268, 13, 9),
        _line("NICHOLAS", 356, 292),
        _line("LYNN", 657, 292),
    )
    names = extract.identity_name(segs)
    assert names["last_name"].value == "CHEN"
    assert names["first_name"].value == "NICHOLAS"
    assert names["middle_name"].value == "LYNN"


def test_given_names_together_are_not_doubled_by_a_middle_label() -> None:
    segs = _segs(
        _line("Last Name", 40, 100, 13, 9),
        _line("SMITH", 40, 125),
        _line("First Name", 40, 160, 13, 9),
        _line("JOHN PAUL", 40, 185),
    )
    names = extract.identity_name(segs)
    assert (names["first_name"].value, names["middle_name"].value) == ("JOHN", "PAUL")


def test_tenant_named_in_the_lease_prose_across_a_line_break() -> None:
    segs = _segs(
        _line('Lease made on 2026-06-30 between Riverside LLC ("Landlord") and Van', 120, 218),
        _line('Buren, Kwame IV ("Tenant").', 120, 248),
        _line("1. PREMISES. Landlord leases to Tenant the dwelling located at:", 120, 291),
    )
    names = extract.role_name(segs)
    assert names["last_name"].value == "Van Buren"
    assert names["first_name"].value == "Kwame"


def test_a_tenant_name_whose_last_letter_was_read_as_a_mark() -> None:
    """CT-S10038-0129: 'REBECC# L. MACDONALD ("Tenant")': the first name was dropped, and
    'L. MACDONALD' was another person."""
    segs = _segs(
        _line(
            'This Lease is made on 05-07-2026 between Riverside LLC ("Landlord") and REBECC#',
            120,
            218,
        ),
        _line('L. MACDONALD ("Tenant").', 120, 248),
    )
    names = extract.role_name(segs)
    assert (names["first_name"].value, names["last_name"].value) == ("REBECC", "MACDONALD")


def test_a_speck_between_a_tenants_names_is_passed_over() -> None:
    """MA-S10040-0040: an "i" 2 px high at the line's end, read at 0.93, cut "ANDRE" off
    "ANNE PENA": the tenant was Anne Pena, another person."""
    from models.internal import PageText, Word
    from pipeline.reading.layout import segments

    words = (
        Word("between", 0.96, (900, 174, 990, 195), 0, 0),
        Word("and", 0.96, (1000, 174, 1040, 195), 0, 0),
        Word("ANDRE", 0.96, (1083, 174, 1151, 195), 0, 0),
        Word("i", 0.93, (1167, 206, 1169, 208), 0, 1),
        Word("ANNE", 0.97, (103, 226, 158, 242), 0, 2),
        Word("PENA", 0.97, (165, 222, 215, 241), 0, 2),
        Word('("Tenant").', 0.37, (222, 222, 325, 244), 0, 2),
    )
    names = extract.role_name(segments(PageText(0, words, "ocr", 1200, 1600)))
    assert (names["first_name"].value, names["last_name"].value) == ("ANDRE", "PENA")


def test_tenant_in_prose_needs_the_role_in_parentheses() -> None:
    segs = _segs(_line("Landlord leases to Tenant John Smith the dwelling", 120, 218))
    assert extract.role_name(segs) == {}


def test_residency_reference_number_right_of_its_label() -> None:
    segs = _segs(
        _line("Customer Service 1-800-662-4302", 816, 209),
        _line("Account Number", 616, 376),
        _line("9349 749 3146", 933, 376),
    )
    number = extract.reference_number(segs)
    assert number is not None and number.value == "93497493146"


def test_masked_account_number_a_few_pixels_off_its_label_line() -> None:
    segs = _segs(
        _line("Fitzgerald, Margaret", 148, 335),
        _line("XXXXXX6220", 935, 334),
        _line("Account", 623, 340),
        _line("797 FARMINGTON PL", 149, 360),
    )
    number = extract.reference_number(segs)
    assert number is not None and number.value == "XXXXXX6220"


def test_no_reference_number_without_a_label() -> None:
    segs = _segs(_line("Account Summary", 616, 340), _line("Meter 39346047", 616, 380))
    assert extract.reference_number(segs) is None


def test_card_number_behind_a_garbled_label() -> None:
    segs = _segs(_line("pt 056151091", 350, 153), _line("EXP 11-20-2028", 349, 201))
    number = extract._unlabelled_number(segs)
    assert number is not None and number.value == "056151091"
    house = _segs(_line("12345678 MAIN ST", 350, 153))
    assert extract._unlabelled_number(house) is None


def test_bilingual_label_tail_is_never_the_surname() -> None:
    segs = _segs(
        _line("Surname Nom Apellidos", 381, 164, 12, 8),  # its value line was not read
        _line("Given Names Prénoms Nombres", 381, 233, 12, 8),
        _line("RENEE JOSEPH", 382, 257),
    )
    names = extract.identity_name(segs)
    assert "last_name" not in names
    assert names["first_name"].value == "RENEE"


def test_statement_date_on_a_skewed_line_finds_its_label() -> None:
    segs = _segs(
        _line("797 FARMINGTON PL", 149, 360, 14),
        _line("Nov 6 2026", 965, 365, 13),
        _line("Statement Date", 624, 371, 13),
        _line("Please Pay By", 624, 420, 13),
        _line("Dec 1 2026", 965, 420, 13),
    )
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 11, 6)


def test_date_split_over_two_phrases_of_one_row() -> None:
    segs = _segs(
        _line("YOUR WATER BILL", 187, 420),
        _line("Date Issued: January 18,", 549, 420),
        _line("2026", 1000, 420),
        _line("Payment Due 2026-02-10", 900, 600),
    )
    found = extract.document_date(segs, REF)
    assert found is not None and found.value == dt.date(2026, 1, 18)


def test_bill_sent_as_identity_is_read_as_a_bill() -> None:
    page = _page(
        _line("Nutmeg Electric Company", 700, 130),
        _line("Statement Date 2026-10-02", 900, 200),
        _line("Account Number 5297 342 8621", 900, 240),
        _line("KATHERINE SMITH", 200, 473),
        _line("554 WASHINGTON ST", 200, 510),
        _line("BRISTOL, CT 06010", 200, 548),
    )
    doc = text_doc((page,), role="identity")
    kind = Classification(DocumentType.UTILITY_BILL, 0.9, ())
    out = extract.extract_fields(replace(doc, classification=kind), context())
    assert out.fields["document_date"].value == dt.date(2026, 10, 2)
    assert out.fields["last_name"].value == "SMITH"
    assert out.fields["document_number"].value == "52973428621"


def test_suffix_two_read_as_il_is_no_middle_name() -> None:
    segs = _segs(_line("LN OKAFOR", 40, 100), _line("FN JAMES Li Il", 40, 140))
    names = extract.identity_name(segs)
    assert names["first_name"].value == "JAMES"
    assert names["middle_name"].value == "Li"  # a name, not a misread numeral
    assert names["suffix"].value == "II"


def test_document_discriminator_is_not_the_card_number() -> None:
    segs = _segs(_line("DD 12345678901234", 350, 100), _line("x0 S21024331", 350, 153))
    number = extract._unlabelled_number(segs)
    assert number is not None and number.value == "S21024331"


def test_a_given_name_with_a_stray_period_is_no_title() -> None:
    segs = _segs(
        _line('made between Riverside LLC ("Landlord") and AISH.', 120, 218),
        _line('J. SULLIVAN ("Tenant").', 120, 248),
    )
    names = extract.role_name(segs)
    assert (names["first_name"].value, names["last_name"].value) == ("AISH", "SULLIVAN")
    dr = extract._split_name(_line("Dr. Jane Smith", 0, 0), "ocr")
    assert dr["first_name"].value == "Jane"


def test_suffix_run_into_the_family_name_is_split_off() -> None:
    # "1 PENA III" read "PENAIII" (MA-S10010-0015): a clean card flagged BARCODE_MISMATCH
    segs = _segs(_line("1 PENAIII", 40, 100), _line("2 DMITRI", 40, 140))
    names = extract.identity_name(segs)
    assert (names["last_name"].value, names["suffix"].value) == ("PENA", "III")


def test_family_names_ending_like_a_suffix_are_kept() -> None:
    for name in ("PETRIV", "KALII", "XIIII"):  # II and IV end real names; where would XIIII end?
        segs = _segs(_line(f"1 {name}", 40, 100), _line("2 ANNA", 40, 140))
        names = extract.identity_name(segs)
        assert names["last_name"].value == name and "suffix" not in names


def test_an_apostrophe_read_as_an_opening_quote_is_still_a_name() -> None:
    # "1 D'ANGELO" read "D‘ANGELO" (CT-S10019-0149): no family name, so another person's
    # licence (the profile's relative) raised no NAME_MISMATCH
    for mark in "‘`´ʼ":
        segs = _segs(_line(f"1 D{mark}ANGELO", 40, 100), _line("2 RICHARD", 40, 140))
        names = extract.identity_name(segs)
        assert names["last_name"].value == f"D{mark}ANGELO"
        assert tokens(str(names["last_name"].value)) == ["DANGELO"]


def test_a_date_too_recent_for_a_birth_date_under_its_label_is_not_the_dob() -> None:
    # MA-O4131-0004: the red DOB line lost by OCR, the issue date 01/27/2022 under it was
    # taken for the DOB (a false DOB_MISMATCH); a real DOB under the label still counts
    ref = dt.date(2026, 11, 3)
    for value, want in (("01/27/2022", None), ("10/27/1960", dt.date(1960, 10, 27))):
        segs = _segs(_line("DATE OF BIRTH", 40, 100), _line(value, 40, 130))
        fields = extract.identity_dates(segs, ref)
        got = fields.get("date_of_birth")
        assert (got.value if got else None) == want
