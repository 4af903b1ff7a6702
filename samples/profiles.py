"""Synthetic people and addresses: the applicant profiles behind generated samples.

`make_person(rng, state)` draws a varied person (accents, apostrophes, hyphenated and
two-word surnames, suffixes, middle names) living at a real-looking address of `state`.
The formatting helpers render names, addresses and dates the many ways documents print
them; each returns the variation tags it applied so the truth can record them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("Robert", "M"),
    ("Elizabeth", "F"),
    ("William", "M"),
    ("Margaret", "F"),
    ("María", "F"),
    ("José", "M"),
    ("James", "M"),
    ("Patricia", "F"),
    ("Michael", "M"),
    ("Jennifer", "F"),
    ("Richard", "M"),
    ("Katherine", "F"),
    ("Thomas", "M"),
    ("Linh", "F"),
    ("Aisha", "F"),
    ("Kwame", "M"),
    ("Siobhan", "F"),
    ("Andrés", "M"),
    ("Chloé", "F"),
    ("Daniel", "M"),
    ("Rebecca", "F"),
    ("Anthony", "M"),
    ("Joseph", "M"),
    ("Susan", "F"),
    ("Christopher", "M"),
    ("Deborah", "F"),
    ("Wei", "M"),
    ("Priya", "F"),
    ("Edward", "M"),
    ("Theresa", "F"),
    ("Nicholas", "M"),
    ("Samantha", "F"),
    ("Dmitri", "M"),
    ("Renée", "F"),
    ("Francisco", "M"),
    ("Lucía", "F"),
)
NICKNAMES: dict[str, str] = {
    "Robert": "Bob",
    "Elizabeth": "Liz",
    "William": "Bill",
    "Margaret": "Peggy",
    "James": "Jim",
    "Patricia": "Pat",
    "Michael": "Mike",
    "Jennifer": "Jen",
    "Richard": "Dick",
    "Katherine": "Kate",
    "Thomas": "Tom",
    "Daniel": "Dan",
    "Rebecca": "Becky",
    "Anthony": "Tony",
    "Joseph": "Joe",
    "Susan": "Sue",
    "Christopher": "Chris",
    "Deborah": "Debbie",
    "Edward": "Ed",
    "Theresa": "Terry",
    "Nicholas": "Nick",
    "Samantha": "Sam",
    "Francisco": "Paco",
    "José": "Pepe",
}
MIDDLE_NAMES: tuple[str, ...] = (
    "Louise",
    "Anne",
    "James",
    "Lee",
    "Marie",
    "Joseph",
    "Alan",
    "Rose",
    "Edward",
    "Lynn",
    "Paul",
    "Grace",
    "Carlos",
    "Jean",
    "Ray",
    "Elena",
    "Kofi",
    "Mae",
)
LAST_NAMES: tuple[str, ...] = (
    "Smith",
    "Gonzalez-Rivera",
    "O'Brien",
    "Muñoz",
    "De La Cruz",
    "Nguyen",
    "Johnson",
    "Kowalski",
    "MacDonald",
    "Van Buren",
    "Okafor",
    "Rossi",
    "Patel",
    "Sullivan",
    "Smith-Jones",
    "D'Angelo",
    "Peña",
    "Lefebvre",
    "St. Pierre",
    "Chen",
    "Washington",
    "Fitzgerald",
    "Ibáñez",
    "Murphy",
    "Brown",
    "Del Rio",
    "Kim",
    "Ó Súilleabháin",
    "Martin",
    "Castillo",
    "Haddad",
    "Thompson",
    "Baptiste",
    "Nowak",
    "Costa",
)
SUFFIXES: tuple[str, ...] = ("JR", "SR", "II", "III", "IV")

# (city, zips) per state; real city names and ZIP codes.
CITIES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "CT": (
        ("Hartford", ("06105", "06106", "06114")),
        ("New Haven", ("06511", "06513")),
        ("Bridgeport", ("06604", "06606")),
        ("Stamford", ("06902", "06905")),
        ("Waterbury", ("06708", "06710")),
        ("Norwalk", ("06851",)),
        ("Danbury", ("06810",)),
        ("New Britain", ("06051", "06053")),
        ("West Hartford", ("06107", "06117")),
        ("Middletown", ("06457",)),
        ("Meriden", ("06450",)),
        ("Bristol", ("06010",)),
        ("Manchester", ("06040",)),
        ("Milford", ("06460",)),
        ("Enfield", ("06082",)),
        ("Torrington", ("06790",)),
        ("Norwich", ("06360",)),
        ("Wethersfield", ("06109",)),
    ),
    "MA": (
        ("Boston", ("02108", "02116", "02118", "02127")),
        ("Worcester", ("01602", "01604")),
        ("Springfield", ("01103", "01108", "01109")),
        ("Cambridge", ("02138", "02139")),
        ("Lowell", ("01850", "01852", "01854")),
        ("Brockton", ("02301",)),
        ("Quincy", ("02169",)),
        ("Lynn", ("01902",)),
        ("New Bedford", ("02740",)),
        ("Fall River", ("02720",)),
        ("Newton", ("02458",)),
        ("Somerville", ("02143", "02144")),
        ("Framingham", ("01701",)),
        ("Pittsfield", ("01201",)),
        ("Salem", ("01970",)),
        ("Northampton", ("01060",)),
        ("Amherst", ("01002",)),
        ("Chicopee", ("01013",)),
    ),
    "NY": (("Albany", ("12203",)), ("Brooklyn", ("11215", "11201")), ("Yonkers", ("10701",))),
    "RI": (("Providence", ("02906", "02908")), ("Warwick", ("02886",))),
    "NJ": (("Newark", ("07102",)), ("Jersey City", ("07302",))),
    "NH": (("Nashua", ("03060",)), ("Manchester", ("03101",))),
    "VT": (("Burlington", ("05401",)),),
}
STATE_NAMES: dict[str, str] = {
    "CT": "Connecticut",
    "MA": "Massachusetts",
    "NY": "New York",
    "RI": "Rhode Island",
    "NJ": "New Jersey",
    "NH": "New Hampshire",
    "VT": "Vermont",
}
OUT_OF_STATE: tuple[str, ...] = ("NY", "RI", "NJ", "NH", "VT")
STREETS: tuple[str, ...] = (
    "Elm",
    "Maple",
    "Oak",
    "Main",
    "Washington",
    "Park",
    "Prospect",
    "Franklin",
    "Chestnut",
    "Highland",
    "Summer",
    "Pleasant",
    "Church",
    "Farmington",
    "Whitney",
    "Asylum",
    "Commonwealth",
    "Beacon",
    "Broadway",
    "Garden",
    "Lafayette",
    "Wethersfield",
    "Cedar",
    "Walnut",
    "Spring",
    "Union",
    "Lincoln",
    "Madison",
    "Hillside",
    "Orchard",
    "Mill",
)
STREET_TYPES: dict[str, str] = {
    "Street": "St",
    "Avenue": "Ave",
    "Road": "Rd",
    "Drive": "Dr",
    "Lane": "Ln",
    "Court": "Ct",
    "Place": "Pl",
    "Boulevard": "Blvd",
    "Terrace": "Ter",
}
UNIT_WORDS: tuple[str, ...] = ("Apt", "Apartment", "#", "Unit")
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@dataclass(frozen=True)
class Address:
    """A US street address split the way the contract splits it."""

    number: str
    street: str
    street_type: str
    unit: str | None
    city: str
    state: str
    zip: str
    zip4: str

    def line1(self, abbreviate: bool = True) -> str:
        """`12 Elm St` (or `12 Elm Street`)."""
        kind = STREET_TYPES[self.street_type] if abbreviate else self.street_type
        return f"{self.number} {self.street} {kind}"

    def line2(self, word: str = "Apt") -> str | None:
        """`Apt 3`, `Apartment 3`, `# 3`, `Unit 3` or None."""
        if self.unit is None:
            return None
        return f"# {self.unit}" if word == "#" else f"{word} {self.unit}"

    def as_dict(self, abbreviate: bool = True, unit_word: str = "Apt", zip4: bool = False) -> dict:
        """The contract's address object as printed."""
        return {
            "line1": self.line1(abbreviate),
            "line2": self.line2(unit_word),
            "city": self.city,
            "state": self.state,
            "zip": f"{self.zip}-{self.zip4}" if zip4 else self.zip,
        }


@dataclass(frozen=True)
class Person:
    """An applicant as a certifying provider would enter them (and as documents print them)."""

    first: str
    middle: str | None
    last: str
    suffix: str | None
    sex: str
    dob: dt.date
    address: Address
    height_in: int
    eyes: str
    hair: str


def make_address(rng: random.Random, state: str) -> Address:
    """A random address in `state` (real city and ZIP, plausible street)."""
    city, zips = rng.choice(CITIES[state])
    unit = None
    if rng.random() < 0.4:
        unit = rng.choice([str(rng.randint(1, 24)), f"{rng.randint(1, 5)}{rng.choice('ABCD')}"])
    return Address(
        number=str(
            rng.choice([rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 4999)])
        ),
        street=rng.choice(STREETS),
        street_type=rng.choice(list(STREET_TYPES)),
        unit=unit,
        city=city,
        state=state,
        zip=rng.choice(zips),
        zip4=f"{rng.randint(1000, 9999)}",
    )


def make_person(rng: random.Random, state: str) -> Person:
    """A random adult living in `state`."""
    first, sex = rng.choice(FIRST_NAMES)
    roll = rng.random()
    middle = rng.choice(MIDDLE_NAMES) if roll < 0.75 else None
    suffix = rng.choice(SUFFIXES) if sex == "M" and rng.random() < 0.15 else None
    dob = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 64))
    return Person(
        first=first,
        middle=middle,
        last=rng.choice(LAST_NAMES),
        suffix=suffix,
        sex=sex,
        dob=dob,
        address=make_address(rng, state),
        height_in=rng.randint(58, 76),
        eyes=rng.choice(["BRO", "BLU", "GRN", "HAZ", "GRY"]),
        hair=rng.choice(["BRO", "BLK", "BLN", "RED", "GRY"]),
    )


def other_person(rng: random.Random, person: Person) -> Person:
    """Somebody else (different first and last name and DOB) at the same address."""
    while True:
        candidate = make_person(rng, person.address.state)
        if candidate.first != person.first and candidate.last != person.last:
            return replace(candidate, address=person.address)


def household_member(rng: random.Random, person: Person) -> Person:
    """Another person of the same household: same surname and address, other first name and DOB."""
    while True:
        candidate = make_person(rng, person.address.state)
        if candidate.first != person.first and candidate.first not in NICKNAMES.get(
            person.first, ""
        ):
            return replace(candidate, last=person.last, address=person.address, suffix=None)


def profile_json(person: Person, rng: random.Random) -> tuple[dict, list[str]]:
    """The `profile` object of application.json, with how the provider typed it."""
    tags: list[str] = []
    middle = person.middle
    if middle and rng.random() < 0.35:
        middle = middle[0]
        tags.append("profile_middle_initial")
    abbreviate = rng.random() < 0.6
    address = person.address.as_dict(abbreviate=abbreviate, unit_word=rng.choice(["Apt", "Unit"]))
    return (
        {
            "first_name": person.first,
            "middle_name": middle,
            "last_name": person.last,
            "suffix": person.suffix,
            "date_of_birth": person.dob.isoformat(),
            "address": address,
        },
        tags,
    )


def format_date(d: dt.date, style: str) -> str:
    """A date printed in one of the styles seen on documents."""
    match style:
        case "us":
            return d.strftime("%m/%d/%Y")
        case "iso":
            return d.isoformat()
        case "dmy_mon":
            return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"
        case "long":
            return f"{d.strftime('%B')} {d.day}, {d.year}"
        case "short_mon":
            return f"{d.strftime('%b')} {d.day} {d.year}"
        case "us_dash":
            return d.strftime("%m-%d-%Y")
    raise ValueError(style)


DATE_STYLES: tuple[str, ...] = ("us", "iso", "dmy_mon", "long", "short_mon", "us_dash")


def bill_name(
    person: Person, rng: random.Random, allow_nickname: bool = True
) -> tuple[dict, str, list[str]]:
    """How a residency document prints the addressee: (printed fields, display line, tags)."""
    tags: list[str] = []
    first = person.first
    if allow_nickname and first in NICKNAMES and rng.random() < 0.3:
        first = NICKNAMES[first]
        tags.append("nickname")
    middle = person.middle
    style = rng.random()
    if middle and style < 0.35:
        middle = middle[0]
        tags.append("middle_initial")
    elif middle and style < 0.6:
        middle = None
        tags.append("no_middle")
    parts = [
        first,
        *([f"{middle}." if len(middle) == 1 else middle] if middle else []),
        person.last,
    ]
    if person.suffix:
        parts.append(person.suffix)
        tags.append("suffix")
    line = " ".join(parts)
    if rng.random() < 0.2:
        rest = " ".join([first, *([middle] if middle else [])])
        line = f"{person.last}, {rest}" + (f" {person.suffix}" if person.suffix else "")
        tags.append("last_first_order")
    if rng.random() < 0.5:
        line = line.upper()
        tags.append("upper_case")
    if "-" in person.last or " " in person.last:
        tags.append("compound_surname")
    fields = {
        "first_name": first,
        "middle_name": middle,
        "last_name": person.last,
        "suffix": person.suffix,
    }
    return fields, line, tags


def bill_address(address: Address, rng: random.Random) -> tuple[dict, list[str], list[str]]:
    """How a residency document prints the address: (printed fields, lines, tags)."""
    tags: list[str] = []
    abbreviate = rng.random() < 0.55
    tags.append("street_abbrev" if abbreviate else "street_full")
    word = rng.choice(UNIT_WORDS)
    zip4 = rng.random() < 0.4
    if zip4:
        tags.append("zip4")
    if address.unit:
        tags.append(f"unit_{'hash' if word == '#' else word.lower()}")
    printed = address.as_dict(abbreviate=abbreviate, unit_word=word, zip4=zip4)
    one_line = rng.random() < 0.4 and printed["line2"]
    street = f"{printed['line1']} {printed['line2']}" if one_line else printed["line1"]
    lines = [street]
    if printed["line2"] and not one_line:
        lines.append(printed["line2"])
    lines.append(f"{printed['city']}, {printed['state']} {printed['zip']}")
    if rng.random() < 0.5:
        lines = [line.upper() for line in lines]
        tags.append("address_upper")
    return printed, lines, tags
