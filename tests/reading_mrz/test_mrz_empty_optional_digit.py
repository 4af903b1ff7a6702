"""An empty optional-data field whose check digit '0' OCR read as '9': the composite covers
that digit, so both fail; read as the '0' ICAO 9303 allows there, the composite agrees and
the zone is sound (MA-O4205-0049, a clean passport flagged MRZ_INVALID). An altered composite
still fails with the '0'."""

from __future__ import annotations

from models.internal import DocumentState, MrzRecord
from pipeline.reading.mrz import check_mrz
from pipeline.reading.mrz_repair import check_digit, failed_hashes
from tests.reading_mrz.conftest import make_context

LINE1 = "P<USAROSSI<<LINH<EDWARD".ljust(44, "<")


def _line2(optional_digit: str, composite_shift: int = 0) -> str:
    body = "B695110564USA4209029F3004168" + "<" * 14 + "0"
    composite = int(check_digit(body[0:10] + body[13:20] + body[21:43]))
    return body[:42] + optional_digit + str((composite + composite_shift) % 10)


def _check(line2: str):
    failed = failed_hashes((LINE1, line2), "TD3")
    assert failed is not None
    record = MrzRecord("TD3", (LINE1, line2), not failed, True, failed, {})
    return failed, check_mrz(
        DocumentState("d1", "identity", "front", b"", mrz=record), make_context()
    )


def test_an_empty_fields_zero_misread_nine_is_not_flagged() -> None:
    failed, result = _check(_line2("9"))
    assert failed == ("optional data", "composite")
    assert result is not None and result.flag is None and result.status == "warn"


def test_an_altered_composite_beside_it_is_still_flagged() -> None:
    for shift in range(1, 9):  # 9: the composite agrees with the '9' as read
        _, result = _check(_line2("9", shift))
        assert result is not None
        assert result.flag is not None, shift


def test_the_sound_zone_passes() -> None:
    failed, result = _check(_line2("0"))
    assert failed == () and result is not None and result.status == "pass"
