"""The AAMVA parser over hand-written payloads of many issuers and versions, and fuzzing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.flags import DocumentType
from pipeline.reading.aamva import AamvaError, parse_aamva, parse_aamva_date


def build(
    iin: str,
    version: int,
    subfiles: list[tuple[str, list[str]]],
    jver: int | None = 0,
    sep: str = "\n",
    term: str = "\r",
    file_type: str = "ANSI ",
) -> str:
    """A payload laid out as the standard says, offsets and lengths computed."""
    bodies = [kind + sep.join(elements) + sep + term for kind, elements in subfiles]
    head = f"@\n\x1e\r{file_type}{iin}{version:02d}"
    if version >= 2 and jver is not None:
        head += f"{jver:02d}"
    head += f"{len(subfiles):02d}"
    offset = len(head) + 10 * len(subfiles)
    directory = ""
    for (kind, _), body in zip(subfiles, bodies, strict=True):
        directory += f"{kind}{offset:04d}{len(body):04d}"
        offset += len(body)
    return head + directory + "".join(bodies)


def fields(payload: str | bytes) -> dict[str, object]:
    return {k: v.value for k, v in parse_aamva(payload).fields.items()}


VA_V10 = build(
    "636000",
    10,
    [
        ("DL", ["DAQT64235789", "DCSSAMPLE", "DDEN", "DACMICHAEL", "DDFN", "DADJOHN", "DDGN",
                "DCUJR", "DCAD", "DBD06062019", "DBB06061986", "DBA12102024", "DBC1",
                "DAG2300 WEST BROAD STREET", "DAIRICHMOND", "DAJVA", "DAK232690000  ",
                "DCF2424244747474786102204", "DCGUSA", "DDAF"]),
        ("ZV", ["ZVA01"]),
    ],
    jver=1,
)  # fmt: skip


def test_virginia_v10_all_contract_fields() -> None:
    result = parse_aamva(VA_V10)
    assert (result.version, result.issuer_id, result.jurisdiction) == (10, "636000", "VA")
    assert result.jurisdiction_version == 1
    assert result.document_type == DocumentType.DRIVERS_LICENSE
    assert result.sex == "M"
    got = {k: v.value for k, v in result.fields.items()}
    assert got["last_name"] == "SAMPLE"
    assert got["first_name"] == "MICHAEL"
    assert got["middle_name"] == "JOHN"
    assert got["suffix"] == "JR"
    assert got["date_of_birth"] == dt.date(1986, 6, 6)
    assert got["expiry_date"] == dt.date(2024, 12, 10)
    assert got["issue_date"] == dt.date(2019, 6, 6)
    assert got["document_number"] == "T64235789"
    address = got["address"]
    assert (address.line1, address.city, address.state, address.zip) == (
        "2300 WEST BROAD STREET", "RICHMOND", "VA", "23269",
    )  # fmt: skip
    assert result.zip_plus4 is None
    assert result.elements["ZVA"] == "01"
    assert all(v.source == "barcode" and v.confidence == 1.0 for v in result.fields.values())


def test_new_york_v8_zip_plus4_and_no_middle_name() -> None:
    payload = build(
        "636001",
        8,
        [("DL", ["DAQ123456789", "DCSO'BRIEN", "DACSEAN", "DADNONE", "DBB07041990",
                 "DBA07042030", "DBD07042022", "DAG12 ELM ST", "DAHAPT 3", "DAIBROOKLYN",
                 "DAJNY", "DAK112011234", "DBC2", "DCGUSA"])],
        jver=3,
    )  # fmt: skip
    result = parse_aamva(payload)
    got = {k: v.value for k, v in result.fields.items()}
    assert result.jurisdiction == "NY"
    assert "middle_name" not in got
    assert got["last_name"] == "O'BRIEN"
    assert got["address"].line2 == "APT 3"
    assert got["address"].zip == "11201"
    assert result.zip_plus4 == "1234"
    assert result.sex == "F"


def test_connecticut_v9_state_id_subfile() -> None:
    payload = build(
        "636006",
        9,
        [("ID", ["DAQ990011223", "DCSGONZALEZ-RIVERA", "DACMARIA", "DADL", "DBB03141981",
                 "DBA03142029", "DBD03142021", "DAG12 ELM ST", "DAIHARTFORD", "DAJCT",
                 "DAK06106    ", "DCGUSA"])],
        jver=1,
    )  # fmt: skip
    result = parse_aamva(payload)
    assert result.document_type == DocumentType.STATE_ID
    assert result.jurisdiction == "CT"
    got = {k: v.value for k, v in result.fields.items()}
    assert got["last_name"] == "GONZALEZ-RIVERA"
    assert got["date_of_birth"] == dt.date(1981, 3, 14)
    assert got["address"].zip == "06106"


def test_massachusetts_v10_crlf_separators() -> None:
    payload = build(
        "636002",
        10,
        [("DL", ["DAQS12345678", "DCSWHITE", "DACJANE", "DADANN", "DBB11301975",
                 "DBA11302027", "DBD11302019", "DAG9 PLEASANT ST", "DAIWORCESTER", "DAJMA",
                 "DAK016090000", "DCGUSA"])],
        sep="\r\n",
        term="\r\n",
    )  # fmt: skip
    got = fields(payload)
    assert got["last_name"] == "WHITE"
    assert got["middle_name"] == "ANN"
    assert got["expiry_date"] == dt.date(2027, 11, 30)
    assert got["address"].city == "WORCESTER"


def test_british_columbia_v9_canadian_dates_and_postal_code() -> None:
    payload = build(
        "636028",
        9,
        [("DL", ["DAQ7654321", "DCSTREMBLAY", "DACLUC", "DADNONE", "DBB19800315",
                 "DBA20280315", "DBD20230315", "DAG1050 W PENDER ST", "DAIVANCOUVER", "DAJBC",
                 "DAKV6E3S7", "DCGCAN"])],
    )  # fmt: skip
    result = parse_aamva(payload)
    assert (result.jurisdiction, result.country) == ("BC", "CAN")
    got = {k: v.value for k, v in result.fields.items()}
    assert got["date_of_birth"] == dt.date(1980, 3, 15)
    assert got["expiry_date"] == dt.date(2028, 3, 15)
    assert got["address"].zip == "V6E 3S7"


def test_ontario_v3_given_names_in_dct() -> None:
    payload = build(
        "636012",
        3,
        [("DL", ["DAQL1234-56789-01234", "DCSMARTIN", "DCTJOHN,PAUL", "DBB19720102",
                 "DBA20260102", "DBD20210102", "DAG1 YONGE ST", "DAITORONTO", "DAJON",
                 "DAKM5E1E5", "DBC1"])],
    )  # fmt: skip
    result = parse_aamva(payload)
    assert result.country == "CAN"  # from the IIN: no DCG element in version 3
    got = {k: v.value for k, v in result.fields.items()}
    assert (got["first_name"], got["middle_name"]) == ("JOHN", "PAUL")
    assert got["date_of_birth"] == dt.date(1972, 1, 2)


def test_texas_v1_full_name_in_daa_and_ccyymmdd_dates() -> None:
    payload = build(
        "636015",
        1,
        [("DL", ["DAQ01234567", "DAADOE,JANE,Q", "DBB19650704", "DBA20300704",
                 "DBD20220704", "DAG100 MAIN ST", "DAIAUSTIN", "DAJTX", "DAK787010000",
                 "DBC2"])],
    )  # fmt: skip
    result = parse_aamva(payload)
    assert result.version == 1
    got = {k: v.value for k, v in result.fields.items()}
    assert (got["last_name"], got["first_name"], got["middle_name"]) == ("DOE", "JANE", "Q")
    assert got["date_of_birth"] == dt.date(1965, 7, 4)
    assert got["address"].zip == "78701"


def test_florida_v1_space_separated_daa_and_mmddccyy() -> None:
    payload = build(
        "636010",
        1,
        [("DL", ["DAQS530123456789", "DAASMITH JOHN ALLEN", "DBB02291984", "DBA02282031",
                 "DAG5 OCEAN DR", "DAIMIAMI", "DAJFL", "DAK33139"])],
    )  # fmt: skip
    got = fields(payload)
    assert (got["last_name"], got["first_name"], got["middle_name"]) == ("SMITH", "JOHN", "ALLEN")
    assert got["date_of_birth"] == dt.date(1984, 2, 29)
    assert got["expiry_date"] == dt.date(2031, 2, 28)


def test_california_v8_junk_prefix_and_lowercase() -> None:
    payload = build(
        "636014",
        8,
        [("DL", ["DAQD1234567", "DCSLEE", "DACKIM", "DADNONE", "DBB12251999", "DBA12252028",
                 "DAG1 MARKET ST", "DAISAN FRANCISCO", "DAJCA", "DAK941050000", "DCGUSA"])],
    )  # fmt: skip
    got = fields(("]L0garbage" + payload).lower())
    assert got["last_name"] == "LEE"
    assert got["date_of_birth"] == dt.date(1999, 12, 25)
    assert got["address"].city == "SAN FRANCISCO"


def test_pennsylvania_v3_wrong_offsets_and_missing_terminator() -> None:
    payload = build(
        "636025",
        3,
        [("DL", ["DAQ12345678", "DCSKOWALSKI", "DCTANNA MARIE", "DBB05051955",
                 "DBA05052027", "DAG1 LIBERTY AVE", "DAIPITTSBURGH", "DAJPA",
                 "DAK152220000"])],
        term="",
    )  # fmt: skip
    broken = payload.replace("DL0", "DL9", 1)  # the offset now points past the end
    result = parse_aamva(broken)
    got = {k: v.value for k, v in result.fields.items()}
    assert result.jurisdiction == "PA"
    assert (got["first_name"], got["middle_name"]) == ("ANNA", "MARIE")
    assert got["address"].zip == "15222"


def test_new_jersey_v9_jurisdiction_subfile_does_not_override_standard_elements() -> None:
    payload = build(
        "636036",
        9,
        [("DL", ["DAQK12345678901234", "DCSPATEL", "DACRAVI", "DADNONE", "DBB09091991",
                 "DBA09092027", "DAG7 BROAD ST", "DAINEWARK", "DAJNJ", "DAK071020000"]),
         ("ZN", ["ZNAX", "ZNBDCSNOTAME"])],
        jver=1,
    )  # fmt: skip
    result = parse_aamva(payload)
    assert result.fields["last_name"].value == "PATEL"
    assert result.elements["ZNA"] == "X"


def test_bytes_payload_and_aamva_file_type_of_old_cards() -> None:
    payload = build(
        "636020",
        2,
        [("DL", ["DAQ991234567", "DCSBROWN", "DCTALEX", "DBB10101970", "DBA10102026",
                 "DAG1 COLFAX AVE", "DAIDENVER", "DAJCO", "DAK80202"])],
        file_type="AAMVA",
    )  # fmt: skip
    result = parse_aamva(payload.encode("latin-1"))
    assert (result.jurisdiction, result.version) == ("CO", 2)
    assert result.fields["first_name"].value == "ALEX"


def test_quebec_iin_is_canadian_even_with_us_looking_dates() -> None:
    payload = build(
        "604428",
        6,
        [("DL", ["DAQT1234-010180-00", "DCSROY", "DACMARC", "DBB01311980", "DBA20290131"])],
    )  # fmt: skip
    got = fields(payload)
    assert got["date_of_birth"] == dt.date(1980, 1, 31)  # MMDDCCYY fallback when CCYY fails
    assert got["expiry_date"] == dt.date(2029, 1, 31)


@pytest.mark.parametrize(
    ("raw", "canadian", "expected"),
    [
        ("03141981", False, dt.date(1981, 3, 14)),
        ("19810314", False, dt.date(1981, 3, 14)),
        ("19810314", True, dt.date(1981, 3, 14)),
        ("03141981", True, dt.date(1981, 3, 14)),
        ("02302000", False, None),
        ("031481", False, None),
        ("", False, None),
    ],
)
def test_dates(raw: str, canadian: bool, expected: dt.date | None) -> None:
    assert parse_aamva_date(raw, canadian) == expected


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "hello world",
        "https://example.com/qr",
        "@\n\x1e\rANSI 6360001002DL00410020",
        b"\xff" * 50,
    ],
)
def test_not_aamva(payload: str | bytes) -> None:
    with pytest.raises(AamvaError):
        parse_aamva(payload)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400)))
def test_random_payloads_only_raise_aamva_error(payload: str | bytes) -> None:
    try:
        result = parse_aamva(payload)
    except AamvaError:
        return
    assert result.elements


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_payloads_only_raise_aamva_error(data: st.DataObject) -> None:
    text = VA_V10
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        char = data.draw(st.characters(max_codepoint=0x7F))
        if action == "insert":
            text = text[:pos] + char + text[pos:]
        elif action == "delete":
            text = text[:pos] + text[pos + 1 :]
        else:
            text = text[:pos] + char + text[pos + 1 :]
    try:
        result = parse_aamva(text)
    except AamvaError:
        return
    assert result.elements
