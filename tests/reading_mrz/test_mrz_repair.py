"""MRZ text logic without OCR: check digits, line fitting, confusions repaired only if confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from mrz.generator.td2 import TD2CodeGenerator
from mrz.generator.td3 import TD3CodeGenerator

from pipeline.reading.mrz_repair import (
    check_digit,
    choose_kind,
    failed_hashes,
    fit_width,
    normalise_lines,
    parse_fields,
    read_zone,
    repair,
    split_names,
)

from .conftest import td1_lines, td3_lines


def put(line: str, pos: int, text: str) -> str:
    return line[:pos] + text + line[pos + len(text) :]


def test_icao_check_digits() -> None:
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"
    assert check_digit("<<<<<<") == "0"


def test_generated_zones_are_valid_unchanged() -> None:
    for lines, kind in ((td3_lines(), "TD3"), (td1_lines(), "TD1")):
        result = repair(tuple(lines), kind)
        assert result.lines == tuple(lines)
        assert result.changes == 0 and result.failed_checks == () and result.structure_ok
        assert failed_hashes(result.lines, kind) == ()


def test_letter_in_date_repaired_when_check_digit_confirms() -> None:
    l1, l2 = td3_lines()
    read = (l1, put(l2, 13, "74O8I2"))  # O for 0, I for 1 in the date of birth
    result = repair(read, "TD3")
    assert result.lines == (l1, l2)
    assert result.failed_checks == ()


def test_letter_in_date_kept_when_check_digit_disagrees() -> None:
    l1, l2 = td3_lines()
    wrong_digit = str((int(l2[19]) + 1) % 10)
    read = (l1, put(put(l2, 13, "74O812"), 19, wrong_digit))
    result = repair(read, "TD3")
    assert result.lines[1][13:19] == "74O812"  # not "repaired" without confirmation
    assert "date of birth" in result.failed_checks
    assert not result.structure_ok


@pytest.mark.parametrize(
    "number", ["X12345674", "C03005988", "L898902C3", "123456789", "AB1234567"]
)
def test_corrupted_document_number_check_digit_is_not_hidden(number: str) -> None:
    l1, l2 = td3_lines(number=number)
    for delta in range(1, 10):
        bad = put(l2, 9, str((int(l2[9]) + delta) % 10))
        result = repair((l1, bad), "TD3")
        assert "document number" in result.failed_checks, (number, delta, result.lines)


def test_document_number_confusion_repaired_towards_its_majority_class() -> None:
    l1, l2 = td3_lines(number="123456789")
    read = (l1, put(l2, 4, "S"))  # 5 read as S among digits
    assert repair(read, "TD3").lines == (l1, l2)


def test_composite_digit_read_as_letter() -> None:
    l1, l2 = td3_lines()
    if l2[43] != "0":
        l1, l2 = td3_lines(number="X12345682")
    read = (l1, put(l2, 43, {"0": "O", "1": "I", "5": "S", "8": "B"}.get(l2[43], "O")))
    result = repair(read, "TD3")
    assert result.lines[1][43] == l2[43] or "composite" in result.failed_checks


def test_name_fillers_and_digits_in_letter_fields() -> None:
    l1, l2 = td3_lines()
    read = (put(put(l1, 2, "UT0"), 30, "KKC<K"), l2)
    result = repair(read, "TD3")
    assert result.lines[0] == l1


def test_name_ending_in_k_is_kept() -> None:
    line = fit_width("P<UTOSMITH<<ERIK", 44)
    result = repair((line, td3_lines()[1]), "TD3")
    assert split_names(result.lines[0][5:]) == ("SMITH", "ERIK", None)


def test_fit_width_uses_longest_filler_run() -> None:
    assert fit_width("AB<<<<CD", 6) == "AB<<CD"
    assert fit_width("AB<CD<<<", 10) == "AB<CD<<<<<"
    assert fit_width("ABCDEFG", 5) == "ABCDE"


def test_choose_kind() -> None:
    assert choose_kind(td3_lines())[0] == "TD3"
    assert choose_kind(["NOISE LINE", *td1_lines()])[0] == "TD1"
    td2 = str(
        TD2CodeGenerator("I", "UTO", "ERIKSSON", "ANNA MARIA", "D23145890", "UTO", "740812",
                         "F", "310415")
    ).split("\n")  # fmt: skip
    assert choose_kind(td2)[0] == "TD2"
    assert repair(tuple(td2), "TD2").failed_checks == ()
    assert choose_kind(["SHORT", "LINES"]) is None


def test_normalise_counts_fixes_and_read_zone_drops_confirmed_extra_char() -> None:
    l1, l2 = td3_lines()
    kind, lines, fixed = normalise_lines([l1 + "<", l2])
    assert (kind, lines, fixed) == ("TD3", (l1, l2), 1)
    zone = read_zone([l1, l2[:5] + "O" + l2[5:]])  # an extra character inside the number
    assert zone is not None
    assert zone.repaired.lines == (l1, l2)
    assert zone.unconfirmed_length_fix == 0


def test_fields_and_centuries() -> None:
    got = parse_fields(tuple(td3_lines()), "TD3", dt.date(2026, 11, 20))
    assert (got.last_name, got.first_name, got.middle_name) == ("ERIKSSON", "ANNA", "MARIA")
    assert got.date_of_birth == dt.date(1974, 8, 12)
    assert got.expiry_date == dt.date(2031, 4, 15)
    assert got.document_number == "X12345674"
    td1 = parse_fields(tuple(td1_lines()), "TD1", dt.date(2026, 11, 20))
    assert (td1.last_name, td1.first_name, td1.document_number) == (
        "TRAVELER", "HAPPY", "C03005988",
    )  # fmt: skip
    assert split_names("GONZALEZ<RIVERA<<MARIA<L<<<") == ("GONZALEZ RIVERA", "MARIA", "L")


def test_choose_kind_trusts_the_longer_line_when_fillers_were_lost() -> None:
    name, numbers = td3_lines()
    short_name = name[:36]  # fillers dropped by OCR: the length of a TD2 line
    chosen = choose_kind([short_name, numbers.replace("<", "", 1)])
    assert chosen is not None and chosen[0] == "TD3"


def test_letter_read_for_an_empty_optional_data_check_is_repaired() -> None:
    name = "P<USACOSTA<<FRANCISCO" + "<" * 23
    numbers = "7608582767USA4904092M3107162" + "<" * 14 + "Q2"  # '0' read as 'Q'
    zone = read_zone([name, numbers])
    assert zone is not None and zone.repaired.failed_checks == ()
    assert zone.repaired.lines[1].endswith("02")


def test_doubled_character_merged_by_ocr_is_restored_when_every_check_confirms() -> None:
    l1, l2 = td3_lines()
    assert l2[18:20] == "22"  # the date of birth ends in 2, and so does its check digit
    zone = read_zone([l1, l2[:19] + l2[20:]])  # '22' read as '2': the line is one short
    assert zone is not None
    assert zone.repaired.lines == (l1, l2) and zone.repaired.failed_checks == ()
    assert zone.unconfirmed_length_fix == 0


def test_a_lost_character_is_not_guessed_back_without_full_confirmation() -> None:
    l1, l2 = td3_lines()
    wrong = put(l2, 43, str((int(l2[43]) + 5) % 10))  # composite check digit altered
    zone = read_zone([l1, wrong[:14] + wrong[15:]])  # and a '4' of the birth date lost
    assert zone is not None
    assert zone.unconfirmed_length_fix == 1  # padded, unconfirmed: not a confident read
    assert zone.repaired.failed_checks


def test_a_filler_lost_before_an_altered_composite_leaves_the_read_sure() -> None:
    """CT-S10055-0047: a passport's composite altered ('8' printed '4'), its line read one
    filler short. Every field's check agrees, and wherever the lost character stood (a
    filler, the empty field's check digit, the composite itself) the zone fails: the
    padding hides no valid zone, so the read stays sure."""
    name = "P<USAPENA<<ANTHONY<LEE" + "<" * 22
    printed = "C810750692USA5606119M2901215" + "<" * 14 + "04"
    zone = read_zone([name, printed[:30] + printed[31:]])  # a filler of the run lost
    assert zone is not None and zone.repaired.failed_checks == ("composite",)
    assert zone.unconfirmed_length_fix == 0
    # the sound zone ends "<08": with the '0' lost, the read could be it, so stays unsure
    sound = "C810750692USA5606119M2901215" + "<" * 14 + "08"
    zone = read_zone([name, sound[:42] + sound[43:]])
    assert zone is not None and not zone.repaired.failed_checks
    # its composite '8' lost instead, the line reads "<<<0": the '0' padded into the
    # composite's place fails it, but the '8' lost after it explains that: unsure
    zone = read_zone([name, sound[:43]])
    assert zone is not None and zone.repaired.failed_checks == ("composite",)
    assert zone.unconfirmed_length_fix == 1
    # CT-O4211-0095: eight fillers lost ("<<<<<<05") and the expiry check digit read 'J';
    # the two characters after the run stand on the two check digits: nothing else was lost
    altered = "7111987750USA5909027M3011191" + "<" * 14 + "05"
    read = altered[:27] + "J" + "<" * 6 + "05"
    zone = read_zone(["P<USASMITH<<RICHARD<ROSE" + "<" * 20, read])
    assert zone is not None and zone.repaired.lines[1] == altered
    assert zone.repaired.failed_checks == ("composite",) and zone.unconfirmed_length_fix == 0
    # many fillers lost with the composite too ("<<<<0" for "<...<08"): unsure
    zone = read_zone([name, sound[:36] + "0"])
    assert zone is not None and zone.unconfirmed_length_fix == 7


def test_name_line_fillers_miscounted_do_not_make_the_read_unsure() -> None:
    """The name line has no check digit: a filler run read short changes no check."""
    l1, l2 = td3_lines()
    bad = put(l2, 27, str((int(l2[27]) + 4) % 10))  # expiry check digit altered
    zone = read_zone([l1[:-4], bad])
    assert zone is not None
    assert zone.repaired.lines == (l1, bad)
    assert zone.unconfirmed_length_fix == 0
    assert "expiry date" in zone.repaired.failed_checks


def test_reads_agree_on_a_failure_when_the_failing_checks_see_the_same_values() -> None:
    from models.internal import MrzRecord
    from pipeline.reading.mrz import _same_failure

    l1, l2 = td3_lines()
    bad = put(l2, 43, str((int(l2[43]) + 5) % 10))

    def record(line2: str) -> MrzRecord:
        failed = repair((l1, line2), "TD3").failed_checks
        return MrzRecord("TD3", (l1, line2), False, False, failed, {})

    a = record(bad)
    padded = record(put(bad, 40, "0"))  # '0' where the other read a filler: the same value
    other_digit = record(put(bad, 43, str((int(bad[43]) + 1) % 10)))
    assert a.failed_checks == ("composite",) and bad[40] == "<"
    assert padded.failed_checks == ("composite",)
    assert _same_failure(a, padded)
    assert not _same_failure(a, other_digit)  # OCR noise does not repeat itself


def test_composite_read_as_letter_is_kept_when_one_wrong_check_digit_explains_the_zone() -> None:
    """One field's check digit altered and the composite digit read as a letter: the
    composite agrees once that check digit is recomputed, which confirms the letter is
    the digit it resembles; the altered digit still fails."""
    look_alike = {"0": "Q", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "8": "B"}
    l1, l2 = td3_lines()
    assert l2[43] in look_alike
    letter = look_alike[l2[43]]
    altered = put(l2, 27, str((int(l2[27]) + 3) % 10))  # expiry check digit
    result = repair((l1, put(altered, 43, letter)), "TD3")
    assert result.structure_ok and result.lines[1] == altered
    assert result.failed_checks == ("expiry date", "composite")
    # two altered digits explain nothing: the letter is only guessed as its look-alike,
    # and a guess alone never makes the read conclusive (a second read must agree)
    worse = put(altered, 19, str((int(altered[19]) + 3) % 10))
    result = repair((l1, put(worse, 43, letter)), "TD3")
    assert result.guessed == 1 and result.lines[1][43] == l2[43]


def test_a_name_line_that_lost_most_of_its_fillers_still_gives_the_kind() -> None:
    l1, l2 = td3_lines()
    chosen = choose_kind([l1.rstrip("<") + "<<<", l2])
    assert chosen is not None and chosen[0] == "TD3"
    assert choose_kind(["P<UTO", l2]) is None  # too short to be the name line
    assert choose_kind([l1 + "<" * 12, l2]) is None  # longer than any name line


def test_an_altered_final_digit_is_not_dropped_for_the_noise_beside_it() -> None:
    """CT-O4129-0021: the composite digit altered (0 printed 8), read "<<0Q8": dropping
    the 8 and taking the Q for a 0 made a sound zone of an altered one. The Q is the
    extra character; the composite then fails, as printed."""
    l1, l2 = str(
        TD3CodeGenerator("P", "USA", "MARTIN", "FRANCISCO JEAN", "B75902762", "USA", "790508",
                         "M", "341115", "")
    ).split("\n")  # fmt: skip
    assert l2.endswith("<<00")
    altered = l2[:-1] + "8"
    zone = read_zone([l1, altered[:-1] + "Q" + altered[-1]])
    assert zone is not None
    assert zone.repaired.lines[1].endswith("8")  # the printed digit kept
    assert zone.repaired.failed_checks == ("composite",)
    # the same noise beside a sound final digit leaves a sound zone
    sound = read_zone([l1, l2[:-1] + "Q" + l2[-1]])
    assert sound is not None and not sound.repaired.failed_checks


def test_a_drop_that_shifts_the_nationality_off_the_code_list_is_no_reading() -> None:
    """CT-O4131-0079: "G" read into "USA6508..." of an altered zone; dropping the first
    character instead shifted every field ("O755882290SAG65...") and the checks agreed by
    chance. Nationality "SAG" is no country: that reading is refused, the altered
    composite fails as printed."""
    line1 = "P<USAOBRIEN<<PATRICIA<<<<<<<<<<<<<<<<<<<<<<<"
    zone = read_zone([line1, "AO75588229USAG6508173F2710224<<<<<<<<<<<<<<04"])
    assert zone is not None and zone.repaired.failed_checks
    assert not zone.repaired.lines[1].startswith("O755")


def test_a_drop_another_read_witnessed_wins_over_checks_that_agree_by_chance() -> None:
    """CT-S10027-0191: a passport whose number check digit was altered, read once with an
    extra 'Q' ("AQ083474366"): dropping the 3 made "AQ08474366" and two checks agreed by
    chance. An earlier read of the band gave "A083474366": dropping the Q is the reading,
    and its altered check digit fails, as printed."""
    line1 = "P<USAMUNOZ<<FRANCISCO<MARIE<<<<<<<<<<<<<<<<<"
    printed = "A083474366USA4208284M2907011<<<<<<<<<<<<<<Q2"
    extra = "AQ083474366USA4208284M2907011<<<<<<<<<<<<<<Q2"
    alone = read_zone([line1, extra])
    assert alone is not None and not alone.repaired.failed_checks  # the chance agreement
    zone = read_zone([line1, extra], witnesses=((line1, printed),))
    assert zone is not None
    assert zone.repaired.lines[1].startswith("A083474366")
    assert "document number" in zone.repaired.failed_checks


def test_a_drop_that_leaves_an_impossible_date_is_no_repair() -> None:
    """MA-O4161-0137: the check digit '7' after the expiry read '7/', one character too
    many. Dropping the '0' instead of the '/' made both checks agree by chance (expiry
    '276257', month 62): an altered check digit passed. Dropping the noise is the reading,
    and its checks fail as printed."""
    name = "P<USAOKAFOR<<PRIYA<<<<<<<<<<<<<<<<<<<<<<<<<<"
    numbers = "B697658781USA4404248F2706257/<<<<<<<<<<<<<<04"
    zone = read_zone([name, numbers])
    assert zone is not None
    assert zone.repaired.lines[1][21:27] == "270625"
    assert "expiry date" in zone.repaired.failed_checks


def test_a_letter_for_the_composite_digit_still_confirms_a_number_repair() -> None:
    """CT-O4187-0053: a passport card's "CO7288109" (O for 0) beside a composite read 'Q':
    the composite, taken as its look-alike 0, confirms the number's repair; alone neither
    was repaired and the zone was called altered (MRZ_INVALID)."""
    raw = [
        "C<USACO72881093<<<<<<<<<<<<<<<",
        "9505173F3309210USA<<<<<<<<<<<Q",
        "KIM<<REBECCA<MAE<<<<<<<<<<<<<<",
    ]
    zone = read_zone(raw, 8, ())
    assert zone is not None and zone.repaired.failed_checks == ()
    assert zone.repaired.lines[0].startswith("C<USAC07288109")
    assert zone.repaired.guessed == 0


def test_a_mark_at_the_zones_left_edge_is_no_seven() -> None:
    """CT-O4239-0097: a '/' read before both lines of a passport's zone. Taken for a 7, it
    made the numbers line 45 long, and dropping the number's last digit instead made the
    altered check digit (8, where 807625014 has 3) agree by chance with "780762501"."""
    name = "P<USABROWN<<SIOBHAN" + "<" * 25
    printed = "8076250148USA4402277F3509021" + "<" * 14 + "02"
    zone = read_zone(["/P<USABROWN<<SIOBHAN<<<<<<<<<", "/" + printed[:42] + "Q2"])
    assert zone is not None
    assert zone.repaired.lines == (name, printed)
    assert zone.repaired.failed_checks == ("document number", "composite")


def test_a_slash_where_a_seven_fits_is_still_a_seven() -> None:
    """A '/' before a numbers line of the right length is its first digit, a 7."""
    name, numbers = td3_lines()
    seven = "7" + numbers[1:9]
    numbers = seven + check_digit(seven) + numbers[10:]
    zone = read_zone([name, "/" + numbers[1:]])
    assert zone is not None and zone.repaired.lines[1][:10] == numbers[:10]


def _no_optional_data(number: str = "X12345674") -> tuple[str, str]:
    """A TD3 zone with an empty optional-data field (its check digit '0')."""
    code = TD3CodeGenerator("P", "UTO", "ERIKSSON", "ANNA", number, "UTO", "740812", "F", "310415")
    l1, l2 = str(code).split("\n")
    assert l2[28:43] == "<" * 14 + "0"
    return l1, l2


def test_a_character_too_many_after_the_filler_run_is_noise_there() -> None:
    """'<<<<090' ending a zone whose document-number check digit was altered (CT-O4249-0041):
    the stray '9' stands after the run, where only check digits stand; the zone is judged
    with the run whole, and it fails the check that was altered, whichever tail character
    was the noise. Trimming the run instead made the empty field's check fail too, which no
    printed value covers. The drop stays unconfirmed: the line may hold another misread
    (CT-S10075-0177), and two reads alike must not make it sure."""
    l1, l2 = _no_optional_data()
    altered = l2[:9] + str((int(l2[9]) + 1) % 10) + l2[10:]
    zone = read_zone([l1, altered[:43] + "9" + altered[43:]])
    assert zone is not None and zone.unconfirmed_length_fix == 1
    assert zone.repaired.lines[1][:43] == altered[:43]
    assert "document number" in zone.repaired.failed_checks
    assert "optional data" not in zone.repaired.failed_checks


def test_a_sound_zone_with_a_character_too_many_after_its_run_reads_valid() -> None:
    l1, l2 = _no_optional_data()
    zone = read_zone([l1, l2[:43] + "9" + l2[43:]])
    assert zone is not None and zone.repaired.lines == (l1, l2)
    assert not zone.repaired.failed_checks and zone.unconfirmed_length_fix == 0


def test_a_line_too_long_before_its_run_is_not_fixed_after_it() -> None:
    """A digit doubled inside the document number: the tail after the run is no longer
    than its check digits, so nothing after the run is taken for noise."""
    from pipeline.reading.mrz_repair import _noise_after_run

    l1, l2 = _no_optional_data()
    assert _noise_after_run([l1, l2[:3] + l2[3] + l2[3:]], "TD3", 8) is None
    altered = l2[:9] + str((int(l2[9]) + 1) % 10) + l2[10:]
    assert _noise_after_run([l1, altered[:43] + "9" + altered[43:]], "TD3", 8) is not None


def test_the_zone_with_its_run_whole_is_judged_on_the_printed_number(ctx) -> None:
    """Read unsure, the zone's failure is still conclusive when the number printed on the
    page is the zone's own: the altered check digit is flagged (CT-O4249-0041)."""
    from models.flags import FlagCode
    from models.internal import DocumentState, FieldValue, MrzRecord
    from pipeline.reading.mrz import check_mrz

    l1, l2 = _no_optional_data()
    altered = l2[:9] + str((int(l2[9]) + 1) % 10) + l2[10:]
    zone = read_zone([l1, altered[:43] + "9" + altered[43:]])
    assert zone is not None
    failed = zone.repaired.failed_checks
    record = MrzRecord("TD3", zone.repaired.lines, False, False, failed, {}, sound=False)
    printed = {"document_number": FieldValue("X12345674", "ocr", 0.93, 0)}
    doc = DocumentState("d1", "identity", "front", b"", mrz=record, fields=printed)
    result = check_mrz(doc, ctx)
    assert result is not None and result.flag == FlagCode.MRZ_INVALID
