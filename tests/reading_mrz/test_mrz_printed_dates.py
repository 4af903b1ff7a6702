"""A zone whose date digits OCR misread is told from an altered one by the dates printed
on the page: written into the zone, they satisfy every check digit only in the first case."""

from __future__ import annotations

import datetime as dt

from models.internal import FieldValue, MrzRecord
from pipeline.reading.mrz import printed_fields_agree
from pipeline.reading.mrz_repair import check_digit


def _td3(expiry: str, expiry_digit: str | None = None) -> tuple[str, str]:
    number, dob = "A43973642", "930626"
    line1 = "P<USADANGELO<<CHRISTOPHER<LYNN".ljust(44, "<")
    optional = "<" * 14
    digit = expiry_digit if expiry_digit is not None else check_digit(expiry)
    body = f"{number}{check_digit(number)}USA{dob}{check_digit(dob)}M{expiry}{digit}{optional}<"
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    return line1, body + composite


def _record(lines: tuple[str, str]) -> MrzRecord:
    return MrzRecord("TD3", lines, False, True, ("expiry date", "composite"), {})


PRINTED = {"expiry_date": FieldValue(dt.date(2033, 6, 27), "ocr", 0.96, 0, None)}


def test_a_misread_expiry_digit_is_repaired_by_the_printed_date():
    good = _td3("330627")
    misread = (good[0], good[1][:26] + "1" + good[1][27:])  # 330627 read as 330621
    assert printed_fields_agree(_record(misread), PRINTED)


def test_an_altered_check_digit_stays_invalid():
    right = _td3("330627")[1][27]
    altered = _td3("330627", expiry_digit=str((int(right) + 1) % 10))
    assert not printed_fields_agree(_record(altered), PRINTED)


def test_no_printed_date_or_one_from_the_zone_proves_nothing():
    good = _td3("330627")
    misread = (good[0], good[1][:26] + "1" + good[1][27:])
    assert not printed_fields_agree(_record(misread), {})
    from_zone = {"expiry_date": FieldValue(dt.date(2033, 6, 27), "mrz", 0.95, 0, None)}
    assert not printed_fields_agree(_record(misread), from_zone)
