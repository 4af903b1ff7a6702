"""Property tests of the text parsers: AAMVA, MRZ repair, dates, names, addresses.

Whatever text OCR or a barcode hands over, each parser returns a well-formed result or
raises its own documented error, and a few invariants hold (a check digit is one digit,
dates stay in range, a name or an address matches itself).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.matching.addresses import compare_addresses, parse_address
from pipeline.matching.names import compare_names, person_name
from pipeline.reading import dates, mrz_repair
from pipeline.reading.aamva import AamvaError, parse_aamva
from samples.aamva import CardData, encode

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
REF = dt.date(2026, 11, 20)
MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
OCR_NOISE = MRZ_CHARS + " «K|lI1oO.,-'"

field_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
ascii_word = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=30)
dates_1900 = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))


# --------------------------------------------------------------------------- AAMVA


@st.composite
def cards(draw: st.DrawFn) -> CardData:
    return CardData(
        subfile=draw(st.sampled_from(["DL", "ID"])),
        last=draw(ascii_word),
        first=draw(ascii_word),
        middle=draw(st.none() | ascii_word),
        suffix=draw(st.none() | st.sampled_from(["JR", "SR", "III"])),
        dob=draw(dates_1900),
        issue=draw(dates_1900),
        expiry=draw(dates_1900),
        number=draw(ascii_word),
        sex=draw(st.sampled_from(["M", "F"])),
        street=draw(ascii_word),
        street2=draw(st.none() | ascii_word),
        city=draw(ascii_word),
        state=draw(st.sampled_from(["CT", "MA", "NY", "CA"])),
        zip5=draw(st.text("0123456789", min_size=5, max_size=5)),
        zip4=draw(st.none() | st.text("0123456789", min_size=4, max_size=4)),
        height_in=draw(st.integers(0, 120)),
        eyes="BRO",
        hair="BLK",
        discriminator=draw(ascii_word),
    )


@FAST
@given(cards(), st.integers(1, 10), st.sampled_from(["636000", "636006", "604428"]))
def test_aamva_with_arbitrary_field_values(card: CardData, version: int, iin: str):
    try:
        result = parse_aamva(encode(card, version, iin))
    except AamvaError:
        return
    for field in result.fields.values():
        if isinstance(field.value, dt.date):
            assert 1800 <= field.value.year <= 2200


# --------------------------------------------------------------------------- MRZ


@FAST
@given(st.lists(st.text(OCR_NOISE, max_size=50), max_size=4))
def test_mrz_read_zone_on_noise(lines: list[str]):
    zone = mrz_repair.read_zone(lines, max_positions=4)
    if zone is None:
        return
    width = mrz_repair.WIDTH[zone.kind]
    assert all(len(line) == width for line in zone.repaired.lines)


@FAST
@given(st.sampled_from(["TD1", "TD2", "TD3"]), st.data())
def test_mrz_repair_and_fields_on_lines_of_the_right_width(kind: str, data: st.DataObject):
    width = mrz_repair.WIDTH[kind]
    count = 3 if kind == "TD1" else 2
    lines = tuple(
        data.draw(st.text(MRZ_CHARS, min_size=width, max_size=width)) for _ in range(count)
    )
    repaired = mrz_repair.repair(lines, kind, max_positions=4)
    assert [len(line) for line in repaired.lines] == [width] * count
    fields = mrz_repair.parse_fields(repaired.lines, kind, REF)
    for value in (fields.date_of_birth, fields.expiry_date):
        assert value is None or isinstance(value, dt.date)


@FAST
@given(st.text(MRZ_CHARS, max_size=60))
def test_check_digit_is_one_digit(text: str):
    digit = mrz_repair.check_digit(text)
    assert len(digit) == 1 and digit.isdigit()


# --------------------------------------------------------------------------- dates


@FAST
@given(st.text(max_size=120), st.sampled_from(["any", "past", "future"]))
def test_dates_in_arbitrary_text(text: str, when: str):
    for hit in dates.find_in_text(text, REF, when):  # type: ignore[arg-type]
        assert 1900 <= hit.date.year <= 2100
        assert 0 <= hit.start < hit.end <= len(dates.repair_noise(text))


@FAST
@given(dates_1900, st.text(st.characters(codec="ascii", categories=["L"]), max_size=8))
def test_dates_round_trip_iso_and_us(value: dt.date, prefix: str):
    assume(value.year >= 1900)
    assert dates.parse_date(f"{prefix} {value.isoformat()}", REF) == value
    assert dates.parse_date(f"{prefix} {value:%m/%d/%Y}", REF) == value


# --------------------------------------------------------------------------- names


@FAST
@given(
    field_text,
    st.none() | field_text,
    field_text,
    st.none() | field_text,
    field_text,
    field_text,
    st.booleans(),
)
def test_name_comparison_is_bounded(first, middle, last, suffix, other_first, other_last, tolerant):
    a = person_name(first, middle, last, suffix)
    b = person_name(other_first, None, other_last)
    match = compare_names(a, b, tolerant=tolerant)
    assert 0.0 <= match.similarity <= 1.0
    assert isinstance(match.reason, str)


@FAST
@given(
    st.text(st.characters(codec="ascii", categories=["Lu", "Ll"]), min_size=2, max_size=15),
    st.text(st.characters(codec="ascii", categories=["Lu", "Ll"]), min_size=2, max_size=15),
)
def test_a_name_matches_itself(first: str, last: str):
    name = person_name(first, None, last)
    assert compare_names(name, name, tolerant=False).similarity == 1.0


# --------------------------------------------------------------------------- addresses


@FAST
@given(
    field_text,
    st.none() | field_text,
    st.none() | field_text,
    st.none() | field_text,
    st.none() | field_text,
)
def test_address_parsing_never_raises(line1, line2, city, state, zip_code):
    parsed = parse_address(line1, line2, city, state, zip_code)
    assert parsed.zip5 is None or (len(parsed.zip5) == 5 and parsed.zip5.isdigit())
    match = compare_addresses(parsed, parsed, street_min=0.8, city_min=0.8)
    assert not match.differing


@FAST
@given(
    st.integers(1, 99999),
    st.sampled_from(["Elm St", "North Main Street", "Oak Avenue Apt 3", "PO Box 12"]),
    st.text("0123456789", min_size=5, max_size=5),
)
def test_address_matches_itself(number: int, street: str, zip5: str):
    a = parse_address(f"{number} {street}", None, "Hartford", "CT", zip5)
    match = compare_addresses(a, a, street_min=0.8, city_min=0.8)
    assert not match.differing and match.similarity == 1.0
