"""An MRZ given-names field whose filler "<" was read as a letter ("STOBHANKELENA") gives
way to the printed given names it spells; any other MRZ name stands."""

from __future__ import annotations

from models.internal import FieldValue
from pipeline.reading import extract


def _fv(value: str, source: str = "ocr") -> FieldValue:
    return FieldValue(value, source, 0.95 if source == "mrz" else 0.9, 0, (0, 0, 10, 10))  # type: ignore[arg-type]


PRINTED = {"first_name": _fv("SIOBHAN"), "middle_name": _fv("ELENA")}


def test_a_filler_read_as_a_letter_gives_way_to_the_printed_names() -> None:
    for read in ("SIOBHANKELENA", "STOBHANKELENA", "SIOBHANCELENA"):
        out = extract._filler_misread(_fv(read, "mrz"), PRINTED)
        assert out == PRINTED, read


def test_another_mrz_name_stands() -> None:
    assert extract._filler_misread(_fv("STOBHANKELENX", "mrz"), PRINTED) == {}  # T and X: two more
    assert extract._filler_misread(_fv("MARGARETELENA", "mrz"), PRINTED) == {}
    assert extract._filler_misread(_fv("SIOBHAN", "mrz"), PRINTED) == {}  # already right
    assert extract._filler_misread(_fv("SIOBHANKELENA", "ocr"), PRINTED) == {}  # not MRZ
    assert (
        extract._filler_misread(_fv("SIOBHANKELENA", "mrz"), {"first_name": _fv("SIOBHAN")}) == {}
    )


def test_an_mrz_expiry_the_applicant_declared_too_outweighs_one_ocr_read() -> None:
    import datetime as dt

    from models.internal import DocumentState, MrzRecord

    mrz_expiry = FieldValue(dt.date(2035, 8, 29), "mrz", 0.0, 0, (0, 0, 10, 10))
    mrz = MrzRecord("TD3", ("P<", "X"), False, False, ("expiry_date",), {"expiry_date": mrz_expiry})
    printed = FieldValue(dt.date(2025, 8, 29), "ocr", 0.97, 0, (5, 5, 9, 9))

    def agreed(declared: dt.date | None) -> dict:
        doc = DocumentState("d1", "identity", "front", b"", mrz=mrz, declared_expiry_date=declared)
        return extract._expiry_agreed(doc, printed)

    out = agreed(dt.date(2035, 8, 29))["expiry_date"]
    assert out.value == dt.date(2035, 8, 29) and out.source == "mrz" and out.confidence > 0.5
    assert agreed(dt.date(2030, 1, 1)) == {}  # the declaration agrees with neither
    assert agreed(None) == {}


def _zone(names: str, raw_names: str) -> object:
    from models.internal import MrzRecord

    return MrzRecord("TD3", (names, "X" * 44), True, True, (), {}, raw=(raw_names, "X" * 44))


def test_a_filler_read_after_a_name_gives_way_to_the_printed_name() -> None:
    """ "SUSANK<LEE" (MA-O4161-0070, the line one too long) and "FRANCISCOK<<<" beside a
    surely printed "FRANCISCO" (MA-O4161-0184): the zone's K is its filler."""
    line = "P<USAOBRIEN<<SUSANK<LEE".ljust(44, "<")
    zone = _zone(line, line + "<")
    merged = {"first_name": _fv("SUSANK", "mrz"), "middle_name": _fv("LEE", "mrz")}
    unsure = {"first_name": FieldValue("SUSAN", "ocr", 0.6, 0, (0, 0, 1, 1))}
    assert extract._filler_appended(zone, merged, unsure) == unsure  # the line says so
    fitted = _zone(line, line)
    assert extract._filler_appended(fitted, merged, unsure) == {}  # neither says so
    sure = {"first_name": _fv("SUSAN")}
    assert extract._filler_appended(fitted, merged, sure) == sure


def test_a_name_ending_in_a_filler_lookalike_stands() -> None:
    line = "P<USASMITH<<MARK".ljust(44, "<")
    zone = _zone(line, line + "<")
    merged = {"first_name": _fv("MARK", "mrz")}
    assert extract._filler_appended(zone, merged, {"first_name": _fv("MARK")}) == {}
    assert extract._filler_appended(zone, merged, {"first_name": _fv("MARY")}) == {}
