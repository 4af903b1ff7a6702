"""Round-two regressions on generated samples: garbled AAMVA field numbers, bilingual
passport labels behind portrait noise, accented names, partly checked MRZ fields and
label geometry that must not cross pages."""

from __future__ import annotations

import datetime as dt

from models.internal import FieldValue, MrzRecord, PageText, Word
from pipeline.reading import extract
from pipeline.reading.layout import above, segments


def _w(text: str, box: tuple[int, int, int, int], page: int = 0) -> Word:
    return Word(text, 0.95, box, page, 0)


def _segs(*words: Word) -> list:
    return segments(PageText(0, tuple(words), "ocr", 1100, 700))


def test_family_name_over_given_names_survives_a_lost_field_number() -> None:
    segs = _segs(
        _w("GONZALEZ-RIVERA", (54, 198, 333, 224)),  # its "1" was read as ":" and dropped
        _w("2", (34, 243, 42, 257)),
        _w("CHRISTOPHER", (54, 240, 241, 263)),
        _w("KOFI", (250, 240, 309, 263)),
        _w("8", (34, 283, 41, 297)),
        _w("615", (53, 280, 90, 300)),
        _w("MADISON", (98, 280, 203, 300)),
    )
    names = extract.identity_name(segs)
    assert names["last_name"].value == "GONZALEZ-RIVERA"
    assert names["first_name"].value == "CHRISTOPHER"


def test_bilingual_passport_label_with_portrait_noise_reads_the_line_below() -> None:
    segs = _segs(
        _w("ee", (300, 270, 330, 290)),
        _w("Sumame", (402, 272, 470, 288)),  # OCR's "Surname"
        _w("/", (474, 272, 480, 288)),
        _w("Nom/Apellidos", (486, 272, 570, 288)),
        _w("Ee", (310, 296, 340, 322)),  # the portrait's edge, left of the label
        _w("COSTA", (404, 296, 500, 322)),
        _w("Given", (402, 330, 450, 346)),
        _w("Names", (455, 330, 505, 346)),
        _w("/", (509, 330, 515, 346)),
        _w("Prénoms", (519, 330, 580, 346)),
        _w("FRANCISCO", (404, 352, 560, 378)),
    )
    names = extract.identity_name(segs)
    assert names["last_name"].value == "COSTA"
    assert names["first_name"].value == "FRANCISCO"


def test_accented_names_are_name_words() -> None:
    words = extract._name_words([_w("José", (0, 0, 40, 20)), _w("Muñoz", (45, 0, 95, 20))])
    assert [w.text for w in words] == ["José", "Muñoz"]
    assert extract._is_comma_name(_segs(_w("HARTFORD,", (0, 0, 90, 20)),
                                        _w("U.S.A.", (95, 0, 150, 20)))[0]) is False  # fmt: skip


def _mrz(failed: tuple[str, ...]) -> MrzRecord:
    def fv(value: object) -> FieldValue:
        return FieldValue(value, "mrz", 0.4, 0, None)

    fields = {
        "last_name": fv("COSTA"),
        "first_name": fv("FRANCISCO"),
        "document_number": fv("760858276"),
        "date_of_birth": fv(dt.date(1949, 4, 9)),
        "expiry_date": fv(dt.date(2031, 7, 16)),
    }
    return MrzRecord("TD3", ("", ""), False, False, failed, fields)


def test_mrz_fields_are_kept_when_their_own_check_digit_agrees() -> None:
    only_composite = extract._checked_mrz_fields(_mrz(("optional data", "composite")))
    assert set(only_composite) == {
        "last_name", "first_name", "document_number", "date_of_birth", "expiry_date",
    }  # fmt: skip
    bad_dob = extract._checked_mrz_fields(_mrz(("date of birth", "composite")))
    assert set(bad_dob) == {"document_number", "expiry_date"}


def test_a_poor_zone_failing_most_field_checks_gives_no_fields() -> None:
    """A licence's print read as a TD1 zone: the one field check that agrees is chance."""
    junk = extract._checked_mrz_fields(_mrz(("document number", "expiry date", "composite")))
    assert junk == {}


def test_the_line_above_is_never_taken_from_another_page() -> None:
    words = (
        _w("Tenant:", (150, 300, 260, 330), page=1),
        _w("4231", (250, 431, 320, 461)),
        _w("MADISON", (330, 431, 480, 461)),
        _w("HARTFORD,", (250, 470, 400, 499)),
    )
    segs = [
        *segments(PageText(0, words[1:], "ocr", 1400, 1800)),
        *segments(PageText(1, words[:1], "ocr", 1400, 1800)),
    ]
    city = next(s for s in segs if s.text.startswith("HARTFORD"))
    assert [s.text for s in above(city, segs, 2)] == ["4231 MADISON"]


def test_text_rows_merely_shaped_like_an_mrz_do_not_make_a_passport() -> None:
    from models.flags import DocumentType
    from pipeline.reading import classify

    failed = ("document number", "date of birth", "expiry date", "composite")
    junk = MrzRecord("TD2", ("", ""), False, False, failed, {})
    assert classify._mrz_trust(junk) == 0.0
    assert classify._mrz_trust(_mrz(("optional data", "composite"))) == 0.6
    scores, _ = classify.keyword_scores("4d DLN 123 16 HGT 5-04 18 EYES BRO")
    assert max(scores, key=scores.__getitem__) is DocumentType.DRIVERS_LICENSE


def test_a_field_number_glued_to_the_family_name_is_split_off() -> None:
    segs = _segs(
        _w("1+OKAFOR", (45, 198, 190, 223)),
        _w("JR", (198, 198, 235, 223)),
        _w("2", (45, 243, 53, 257)),
        _w("THOMAS", (63, 240, 175, 263)),
    )
    names = extract.identity_name(segs)
    assert names["last_name"].value == "OKAFOR"
    assert names["suffix"].value == "JR"
    assert names["first_name"].value == "THOMAS"


def test_given_names_under_a_family_name_whose_label_was_garbled() -> None:
    segs = _segs(
        _w("LN", (353, 236, 380, 260)),
        _w("NGUYEN", (390, 236, 542, 260)),
        _w("rN", (353, 281, 376, 302)),  # "FN" as OCR read it
        _w("FRANCISCO", (389, 281, 574, 302)),
    )
    names = extract.identity_name(segs)
    assert (names["last_name"].value, names["first_name"].value) == ("NGUYEN", "FRANCISCO")


def test_a_garbled_label_close_to_its_value_is_not_the_first_name() -> None:
    """Small labels set tight against their values: the value, not the label's remains,
    is the word aligned with the family name above."""
    segs = _segs(
        _w("LN", (353, 236, 372, 252)),
        _w("THOMPSON", (378, 232, 540, 260)),
        _w("rN", (353, 281, 372, 297)),
        _w("ANTHONY", (379, 277, 520, 305)),
        _w("JEAN", (530, 277, 600, 305)),
    )
    names = extract.identity_name(segs)
    assert (names["last_name"].value, names["first_name"].value) == ("THOMPSON", "ANTHONY")
    assert names["middle_name"].value == "JEAN"


def test_a_stray_digit_left_of_the_fields_is_no_name_label() -> None:
    segs = _segs(
        _w("2", (225, 208, 243, 231)),  # portrait noise read as the field number 2
        _w("LN", (354, 239, 380, 263)),
        _w("BROWN", (391, 239, 527, 263)),
        _w("t", (213, 283, 223, 311)),
    )
    assert "first_name" not in extract.identity_name(segs)


def test_a_card_shaped_residency_upload_is_read_as_a_card() -> None:
    import numpy as np

    from models.internal import Page
    from pipeline.reading import ocr

    card = Page(0, np.zeros((694, 1100, 3), np.uint8))
    letter = Page(0, np.zeros((1100, 850, 3), np.uint8))
    landscape_letter = Page(0, np.zeros((850, 1100, 3), np.uint8))
    assert ocr.is_card(card, "residency")
    assert not ocr.is_card(letter, "residency")
    assert not ocr.is_card(landscape_letter, "residency")
    assert ocr.is_card(landscape_letter, "identity")


def test_a_street_type_misread_by_one_character_is_repaired() -> None:
    assert extract._split_street("98 Spring BIVD") == ("98 SPRING BLVD", None)
    assert extract._split_street("12 ELM ST APT 3") == ("12 ELM ST", "APT 3")
    assert extract._split_street("7 OAK DRIVE") == ("7 OAK DRIVE", None)


def test_a_name_particle_read_as_zero_is_a_letter() -> None:
    words = [_w("0", (60, 0, 72, 20)), _w("SUILLEABHAIN", (80, 0, 260, 20))]
    assert [w.text for w in extract._name_words(words)] == ["O", "SUILLEABHAIN"]
    assert extract._name_words([_w("0", (60, 0, 72, 20))]) == ()


ADDRESS_BLOCK = (
    _w("77", (90, 330, 115, 350)),
    _w("UNION", (122, 330, 200, 350)),
    _w("PLACE", (207, 330, 285, 350)),
    _w("AMHERST,", (90, 360, 205, 380)),
    _w("MA", (212, 360, 245, 380)),
    _w("01002", (252, 360, 330, 380)),
)
"""A street line and a city line under the name line of a bill's address block."""


def test_an_addressee_called_bill_is_a_person_not_a_bill() -> None:
    """A nickname that is also a word of a bill's heading still names the addressee."""
    segs = _segs(
        _w("BILL", (90, 300, 140, 320)),
        _w("E.", (148, 300, 170, 320)),
        _w("FITZGERALD", (178, 300, 330, 320)),
        *ADDRESS_BLOCK,
    )
    fields = extract.extract_residency(segs, dt.date(2026, 3, 1))
    assert (fields["first_name"].value, fields["last_name"].value) == ("BILL", "FITZGERALD")
    assert fields["address"].value.line1 == "77 UNION PLACE"


def test_a_billing_heading_is_still_no_addressee() -> None:
    segs = _segs(
        _w("BILL", (90, 300, 140, 320)),
        _w("PAYMENT", (148, 300, 260, 320)),
        _w("CENTER", (268, 300, 360, 320)),
        *ADDRESS_BLOCK,
    )
    assert "first_name" not in extract.extract_residency(segs, dt.date(2026, 3, 1))


def test_given_names_lost_their_label_under_a_passport_cards_surname() -> None:
    """CT-O4159-0048 as read: "Given Names" merged into the name's box; over the surname
    is the nationality."""
    segs = _segs(
        _w("Nationality", (344, 113, 412, 127)),
        _w("USA", (344, 138, 394, 160)),
        _w("Surname", (343, 179, 402, 192)),
        _w("O", (342, 179, 355, 226)),
        _w("SUILLEABHAIN", (368, 204, 551, 226)),
        _w("WILLIAM", (341, 245, 445, 291)),
        _w("JOSEPH", (454, 268, 551, 290)),
        _w("Sex", (341, 314, 363, 322)),
        _w("M", (341, 333, 359, 355)),
    )
    names = extract.identity_name(segs)
    assert names["last_name"].value == "O SUILLEABHAIN"
    assert names["first_name"].value == "WILLIAM"
    assert names["middle_name"].value == "JOSEPH"


def test_a_nationality_alone_is_never_a_stacked_name() -> None:
    segs = _segs(
        _w("USA", (54, 198, 120, 224)),  # no family name over the given names: none read
        _w("2", (34, 243, 42, 257)),
        _w("WILLIAM", (54, 240, 241, 263)),
    )
    names = extract.identity_name(segs)
    assert names["first_name"].value == "WILLIAM"
    assert "last_name" not in names


def test_spanish_issue_and_expiry_captions_of_a_passport() -> None:
    """MA-O4161-0137: "Fecha de expedicion" (issue) over the issue date made it the expiry."""
    assert extract._date_kind("", "Date de délivrance / Fecha de expedicion") == "issue_date"
    assert extract._date_kind("", "Date d'expiration / Fecha de caducidad") == "expiry_date"
    assert extract._date_kind("", "EXP") == "expiry_date"
