"""Altered check digit or OCR misread: a letter read for a check digit is guessed as its
look-alike, and only a second read giving the same digit makes the failure conclusive."""

from __future__ import annotations

from dataclasses import replace

from models.internal import MrzRecord
from pipeline.reading.mrz import _agreed
from pipeline.reading.mrz_repair import fit_width, repair

from .conftest import td3_lines

LOOK_ALIKE = {"0": "Q", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "8": "B"}


def put(line: str, pos: int, text: str) -> str:
    return line[:pos] + text + line[pos + len(text) :]


def altered_composite() -> tuple[str, str, str]:
    """A TD3 zone whose composite digit was changed to one with a letter look-alike, and
    that letter."""
    l1, l2 = td3_lines()
    digit = next(d for d in "0258" if d != l2[43])
    return l1, put(l2, 43, digit), LOOK_ALIKE[digit]


def record(lines: tuple[str, ...], confident: bool = False) -> MrzRecord:
    result = repair(lines, "TD3")
    failed = result.failed_checks
    return MrzRecord("TD3", result.lines, False, confident, failed, {}, sound=result.structure_ok)


def test_altered_composite_read_as_letter_is_guessed_not_confirmed() -> None:
    l1, l2, letter = altered_composite()
    result = repair((l1, put(l2, 43, letter)), "TD3")
    assert result.structure_ok and result.guessed == 1
    assert result.lines == (l1, l2) and result.failed_checks == ("composite",)


def test_genuine_composite_read_as_letter_is_confirmed_not_guessed() -> None:
    l1, l2 = td3_lines()
    assert l2[43] in LOOK_ALIKE
    result = repair((l1, put(l2, 43, LOOK_ALIKE[l2[43]])), "TD3")
    assert result.lines == (l1, l2) and not result.failed_checks and result.guessed == 0


def test_a_guessed_digit_with_a_second_read_agreeing_is_conclusive() -> None:
    l1, l2, letter = altered_composite()
    guessed = record((l1, put(l2, 43, letter)))
    # the other read merged two characters of the filler run and was padded back
    run = l2.index("<<")
    short = l2[:run] + l2[run + 1 :]
    padded = replace(record((l1, fit_width(short, 44))), sound=False)  # a length fix
    agreed = _agreed([guessed, padded])
    assert [r.lines for r in agreed] == [(l1, l2)] and agreed[0].confident


def test_a_guessed_digit_alone_or_contradicted_is_not_conclusive() -> None:
    l1, l2, letter = altered_composite()
    guessed = record((l1, put(l2, 43, letter)))
    assert _agreed([guessed]) == []
    other = str((int(l2[43]) + 1) % 10)
    contradicting = record((l1, put(l2, 43, other)))
    assert contradicting.failed_checks == ("composite",)
    assert _agreed([guessed, contradicting]) == []


def test_a_failing_check_over_an_empty_optional_field_is_not_conclusive(ctx) -> None:
    """'00' read as '99' at the end of a zone with no optional data: the composite agrees
    (the optional check digit has weight 1 in it), only the empty field's check fails."""
    from models.internal import DocumentState
    from pipeline.reading.mrz import check_mrz

    l1, l2 = td3_lines()
    empty = l2[:28] + "<" * 14 + "0" + l2[43]
    fixed = repair((l1, empty), "TD3")
    if fixed.failed_checks:  # make the composite agree with the emptied field
        from pipeline.reading.mrz_repair import check_digit

        empty = empty[:43] + check_digit(empty[0:10] + empty[13:20] + empty[21:43])
    misread = empty[:42] + "9" + str((int(empty[43]) + 9) % 10)
    result = repair((l1, misread), "TD3")
    assert result.failed_checks == ("optional data",)
    rec = MrzRecord("TD3", result.lines, False, True, result.failed_checks, {})
    doc = DocumentState("d1", "identity", "front", b"", mrz=rec)
    verdict = check_mrz(doc, ctx)
    assert verdict is not None and verdict.status == "warn" and verdict.flag is None
    # a failing composite is still conclusive, unless the empty field's check digit read as
    # the '0' it must be makes it agree (then only that digit was misread: see
    # test_mrz_empty_optional_digit.py); here it fails with either
    altered = misread[:43] + str((int(misread[43]) + 2) % 10)
    failed = repair((l1, altered), "TD3").failed_checks
    rec = MrzRecord("TD3", (l1, altered), False, True, failed, {})
    verdict = check_mrz(DocumentState("d1", "identity", "front", b"", mrz=rec), ctx)
    assert verdict is not None and verdict.flag is not None


def emptied_zone() -> tuple[str, str]:
    """A TD3 zone with no optional data (its check digit '0') and its own composite."""
    from pipeline.reading.mrz_repair import check_digit

    l1, l2 = td3_lines()
    empty = l2[:28] + "<" * 14 + "0"
    return l1, empty + check_digit(empty[0:10] + empty[13:20] + empty[21:43])


def test_a_guess_read_alike_beside_a_confirmed_twin_is_conclusive() -> None:
    """'QQ' ending a zone: the empty field's '0' is confirmed by its check, so the altered
    composite read as the very same letter is that digit too (MA-O4249-0089)."""
    l1, l2 = emptied_zone()
    assert l2[42:] == "04"
    altered = l2[:43] + "0"
    result = repair((l1, altered[:42] + "QQ"), "TD3")
    assert result.lines == (l1, altered) and result.failed_checks == ("composite",)
    assert result.guessed == 0


def test_a_guess_beside_a_twin_read_as_another_letter_stays_a_guess() -> None:
    l1, l2 = emptied_zone()
    altered = l2[:43] + "0"
    result = repair((l1, altered[:42] + "OQ"), "TD3")  # two glyphs read apart
    assert result.failed_checks == ("composite",) and result.guessed == 1
