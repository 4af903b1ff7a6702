"""One generated application: profile, documents (files as bytes), manifest and ground truth.

`build(spec)` is a pure function of its `Spec` (seed, index, program, scenario, variant):
the same spec always gives byte-identical files. A scenario is "clean" or one flag code
of the contract; the truth lists the flags and decision the verdict must carry, the
defects done on purpose, and the clean-but-tricky variations that must not be flagged.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field, replace

from PIL import Image

from models.flags import DEFAULT_DECISION, Decision, FlagCode
from models.truth import DocumentTruth, Truth
from samples import degrade
from samples.aamva import IINS, VERSIONS, CardData, ascii_upper, encode
from samples.cards import (
    FRONT_LAYOUTS,
    PassportData,
    corrupt_check_digit,
    licence_back,
    licence_front,
    mrz_lines,
    passport_page,
)
from samples.profiles import (
    OUT_OF_STATE,
    STATE_NAMES,
    Person,
    household_member,
    make_address,
    make_person,
    other_person,
    profile_json,
)
from samples.render import id_photo, non_face_photo
from samples.residency import BUILDERS, ResidencyDoc, render_image, render_pdf

GENERATOR_VERSION = "1"
DEFECTS: tuple[str, ...] = tuple(c.value for c in FlagCode if c is not FlagCode.PROCESSING_ERROR)
VARIANTS: dict[str, tuple[str, ...]] = {
    "MISSING_DOCUMENT": ("no_residency", "no_photo", "no_identity"),
    "FILE_UNREADABLE": ("truncated_jpeg", "zero_bytes", "random_bytes", "encrypted_pdf"),
    "IMAGE_BLURRY": ("gaussian", "motion"),
    "WRONG_DOCUMENT_TYPE": ("bill_as_identity", "licence_as_residency", "photo_as_residency"),
    "ADDRESS_MISMATCH": ("house_number", "street", "zip"),
    "BARCODE_MISMATCH": ("document_number", "expiry_date"),
    "TEXT_UNREADABLE": ("faded",),
}
RESIDENCY_WEIGHTS: dict[str, float] = {
    "utility_bill": 0.4,
    "bank_statement": 0.15,
    "insurance_statement": 0.1,
    "government_letter": 0.12,
    "tax_bill": 0.1,
    "lease": 0.13,
}


@dataclass(frozen=True)
class Spec:
    """What to generate for one application."""

    seed: int
    index: int
    program: str
    scenario: str = "clean"
    variant: str | None = None
    identity: str | None = None
    """Force an identity type (drivers_license, state_id, passport)."""
    residency: str | None = None
    kind: str | None = None
    source: Spec | None = None
    """For DUPLICATE_DOCUMENT: the application whose licence image is reused."""
    compact: bool = False
    """Smaller files (JPEG quality at most 72), for the committed set."""

    @property
    def application_id(self) -> str:
        return f"{self.program}-S{self.seed}-{self.index + 1:04d}"


@dataclass
class Doc:
    """A document being assembled: manifest entry, file bytes and truth."""

    role: str
    filename: str
    data: bytes
    truth: DocumentTruth
    side: str | None = None
    declared_type: str | None = None
    declared_expiry: str | None = None


@dataclass
class Built:
    """A finished application."""

    application_id: str
    manifest: dict
    files: dict[str, bytes]
    truth: Truth
    docs: list[Doc] = field(default_factory=list)
    person: Person | None = None


# ---------------------------------------------------------------- identity documents


def _licence_number(state: str, rng: random.Random) -> str:
    digits = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    return {
        "MA": "S" + digits(8),
        "NJ": rng.choice("ABCDKMS") + digits(14),
        "RI": digits(7),
        "NH": digits(2) + "ABCDEFGH"[rng.randint(0, 7)] + "ABC"[rng.randint(0, 2)] + digits(5),
        "VT": digits(8),
    }.get(state, digits(9))


def _card_data(
    person: Person, subfile: str, issue: dt.date, expiry: dt.date, rng: random.Random
) -> CardData:
    a = person.address
    return CardData(
        subfile=subfile,
        last=ascii_upper(person.last),
        first=ascii_upper(person.first),
        middle=ascii_upper(person.middle) if person.middle else None,
        suffix=person.suffix,
        dob=person.dob,
        issue=issue,
        expiry=expiry,
        number=_licence_number(a.state, rng),
        sex=person.sex,
        street=ascii_upper(a.line1(abbreviate=True)),
        street2=ascii_upper(a.line2("Apt")) if a.unit else None,
        city=ascii_upper(a.city),
        state=a.state,
        zip5=a.zip,
        zip4=a.zip4 if rng.random() < 0.5 else None,
        height_in=person.height_in,
        eyes=person.eyes,
        hair=person.hair,
        discriminator="".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(12)),
    )


def card_fields(card: CardData) -> dict:
    """The truth fields of a card (shared by both generators)."""
    return {
        "first_name": card.first,
        "middle_name": card.middle,
        "last_name": card.last,
        "suffix": card.suffix,
        "date_of_birth": card.dob.isoformat(),
        "expiry_date": card.expiry.isoformat(),
        "issue_date": card.issue.isoformat(),
        "document_number": card.number,
        "address": {
            "line1": card.street,
            "line2": card.street2,
            "city": card.city,
            "state": card.state,
            "zip": card.zip5 + (f"-{card.zip4}" if card.zip4 else ""),
        },
    }


def _validity(
    submitted: dt.date, rng: random.Random, expired: bool, years: int
) -> tuple[dt.date, dt.date]:
    if expired:
        expiry = submitted - dt.timedelta(days=rng.randint(15, 700))
        return expiry - dt.timedelta(days=365 * years), expiry
    issue = submitted - dt.timedelta(days=rng.randint(120, 365 * years - 200))
    expiry = issue + dt.timedelta(days=365 * years - rng.randint(0, 30))
    return issue, expiry


def _capture_card(
    img: Image.Image, rng: random.Random, max_angle: float = 15.0
) -> tuple[Image.Image, list[str]]:
    """A clean capture: a flat scan, or a phone photo on a table (rotation, perspective)."""
    if rng.random() < 0.35:
        return img, ["flat_scan"]  # lossless encodings are allowed for these
    return degrade.photograph(img, rng, max_angle=max_angle, fill=rng.uniform(0.65, 0.85))


def _encode_image(
    img: Image.Image, rng: random.Random, stem: str, lossless_ok: bool = False
) -> tuple[str, bytes, list[str]]:
    roll = rng.random() if lossless_ok else 0.0
    if roll < 0.7:
        q = rng.randint(68, 85)
        return f"{stem}.jpg", degrade.jpeg_bytes(img, q), [f"jpeg:{q}"]
    if roll < 0.92:
        return f"{stem}.png", degrade.png_bytes(img), ["png"]
    return f"{stem}.tif", degrade.tiff_bytes(img), ["tiff"]


def _upload_stem(rng: random.Random) -> str:
    return rng.choice(
        [
            f"IMG_{rng.randint(1000, 9999)}",
            f"scan{rng.randint(1, 999):04d}",
            f"photo_{rng.randint(100, 999)}",
            f"document{rng.randint(1, 9)}",
            f"PXL_2026{rng.randint(1000, 9999)}",
        ]
    )


@dataclass
class IdentityResult:
    docs: list[Doc]
    front_image: Image.Image
    card: CardData | None = None


def _identity(
    spec: Spec, person: Person, submitted: dt.date, rng: random.Random, kind: str
) -> IdentityResult:
    """The identity document(s): licence/state ID front (+ back) or passport data page."""
    scenario, _variant = spec.scenario, spec.variant
    expired = scenario == "DOCUMENT_EXPIRED"
    if kind == "passport":
        return _passport(spec, person, submitted, rng, expired)
    subfile = "DL" if kind == "drivers_license" else "ID"
    issue, expiry = _validity(submitted, rng, expired, 8 if subfile == "DL" else 6)
    card = _card_data(person, subfile, issue, expiry, rng)
    layout = rng.choice(sorted(FRONT_LAYOUTS))
    front = licence_front(card, layout, rng)
    fields = card_fields(card)
    variations = [f"layout:{layout}"]
    img, capture = _capture_card(front, rng)
    truth = DocumentTruth(
        document_id="",
        document_type=kind,
        fields=fields,
        layout=layout,
        variations=variations + capture,
    )
    stem = _upload_stem(rng)
    name, data, enc = _encode_image(img, rng, stem, lossless_ok="flat_scan" in capture)
    truth.variations.extend(enc)
    docs = [Doc("identity", name, data, truth, declared_type=kind)]
    include_back = scenario == "BARCODE_MISMATCH" or rng.random() < 0.75
    if include_back:
        docs.append(_back(card, spec, rng, kind))
    return IdentityResult(docs, img, card)


def _back(card: CardData, spec: Spec, rng: random.Random, kind: str) -> Doc:
    version = rng.choice(VERSIONS)
    encoded = card
    defects: list[str] = []
    if spec.scenario == "BARCODE_MISMATCH":
        if spec.variant == "expiry_date":
            encoded = replace(card, expiry=card.expiry + dt.timedelta(days=365 * rng.randint(2, 4)))
        else:
            encoded = replace(card, number=_licence_number(card.state, rng))
        defects.append(f"barcode_mismatch:{spec.variant}")
    payload = encode(encoded, version, IINS[card.state])
    back = licence_back(card, payload, rng)
    capture = ["flat_scan"]
    if rng.random() < 0.5:
        back, capture = degrade.photograph(back, rng, max_angle=1.0, fill=0.85, skew=0.004)
    fields = card_fields(encoded)
    truth = DocumentTruth(
        document_id="",
        document_type=kind,
        fields=fields,
        layout=f"aamva_v{version:02d}",
        defects=defects,
        variations=[f"aamva_version:{version}", f"iin:{IINS[card.state]}", *capture],
    )
    stem = _upload_stem(rng)
    q = rng.randint(80, 90)
    return Doc(
        "identity",
        f"{stem}.jpg",
        degrade.jpeg_bytes(back, q),
        truth,
        side="back",
        declared_type=kind,
    )


def _passport(
    spec: Spec, person: Person, submitted: dt.date, rng: random.Random, expired: bool
) -> IdentityResult:
    issue, expiry = _validity(submitted, rng, expired, 10)
    given = " ".join(ascii_upper(p) for p in (person.first, person.middle) if p)
    number = rng.choice(["A", "B", "C", ""]) + "".join(str(rng.randint(0, 9)) for _ in range(9))
    data = PassportData(
        ascii_upper(person.last),
        given,
        number[:9],
        person.sex,
        person.dob,
        issue,
        expiry,
        f"{STATE_NAMES.get(rng.choice(['CT', 'MA', 'NY', 'NJ']), 'NEW YORK').upper()}, U.S.A.",
    )
    line1, line2 = mrz_lines(data)
    defects: list[str] = []
    if spec.scenario == "MRZ_INVALID":
        line2, which = corrupt_check_digit(line2, rng)
        defects.append(f"mrz_check_digit:{which}")
    page = passport_page(data, (line1, line2), rng)
    img, capture = _capture_card(page, rng, max_angle=10.0)
    fields = {
        "first_name": ascii_upper(person.first),
        "middle_name": ascii_upper(person.middle) if person.middle else None,
        "last_name": data.last,
        "suffix": None,
        "date_of_birth": person.dob.isoformat(),
        "expiry_date": expiry.isoformat(),
        "issue_date": issue.isoformat(),
        "document_number": data.number,
        "mrz": [line1, line2],
    }
    name, payload, enc = _encode_image(
        img, rng, _upload_stem(rng), lossless_ok="flat_scan" in capture
    )
    truth = DocumentTruth(
        document_id="",
        document_type="passport",
        fields=fields,
        layout="us_passport_td3",
        defects=defects,
        variations=capture + enc,
    )
    return IdentityResult([Doc("identity", name, payload, truth, declared_type="passport")], img)


# ---------------------------------------------------------------- residency documents


def _residency_age(
    doc_type: str, program: str, submitted: dt.date, rng: random.Random, too_old: bool
) -> tuple[dt.date, list[str]]:
    """A document date inside (or, when too_old, well outside) the program's window."""
    if doc_type == "tax_bill":
        if too_old:
            return dt.date(submitted.year - 2, rng.randint(1, 12), rng.randint(1, 28)), [
                "tax_bill_two_years_old"
            ]
        start = dt.date(submitted.year, 1, 2)
        span = max(0, (submitted - start).days - 3)
        return start + dt.timedelta(days=rng.randint(0, span)), []
    if doc_type == "lease":
        window = 183 if program == "MA" else 365
        days = rng.randint(window + 40, window + 250) if too_old else rng.randint(20, 150)
        return submitted - dt.timedelta(days=days), []
    window = 60 if program == "MA" else 90
    if too_old:
        return submitted - dt.timedelta(days=rng.randint(window + 20, window + 240)), []
    if program == "CT" and rng.random() < 0.15:
        return submitted - dt.timedelta(days=rng.randint(62, 80)), [
            "older_than_60_days_within_ct_90"
        ]
    return submitted - dt.timedelta(days=rng.randint(3, 45)), []


def _residency_type(spec: Spec, rng: random.Random) -> str:
    if spec.residency:
        return spec.residency
    if spec.scenario == "DOCUMENT_TOO_OLD":
        return rng.choice(["utility_bill", "utility_bill", "bank_statement", "lease", "tax_bill"])
    types = list(RESIDENCY_WEIGHTS)
    return rng.choices(types, weights=[RESIDENCY_WEIGHTS[t] for t in types])[0]


def _capture_residency(
    doc: ResidencyDoc, rng: random.Random, force_image: bool = False
) -> tuple[str, bytes, list[str], Image.Image | None]:
    """Text PDF, scanned PDF, phone photo or scanned image of the first page."""
    roll = 1.0 if force_image else rng.random()
    stem = _upload_stem(rng)
    if roll < 0.5:
        return f"{stem}.pdf", render_pdf(doc.pages), ["text_pdf"], None
    page = render_image(doc.pages[0], rng.choice([140, 150, 160]))
    if roll < 0.62:
        img, tags = degrade.scan(page, rng, grey=rng.random() < 0.5)
        return f"{stem}.pdf", _image_pdf(img), ["scanned_pdf", *tags], img
    if roll < 0.85:
        img, tags = degrade.photograph(page, rng, max_angle=8.0, fill=rng.uniform(0.8, 0.9))
        name, data, enc = _encode_image(img, rng, stem)
        return name, data, ["phone_photo", *tags, *enc], img
    img, tags = degrade.scan(page, rng, grey=rng.random() < 0.5)
    name, data, enc = _encode_image(img, rng, stem)
    return name, data, ["scanned_image", *tags, *enc], img


def _image_pdf(img: Image.Image) -> bytes:
    """A scanned PDF: the page image, no text layer (reportlab, invariant)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    jpeg = io.BytesIO(degrade.jpeg_bytes(img, 80))
    c.drawImage(ImageReader(jpeg), 0, 0, width=letter[0], height=letter[1])
    c.showPage()
    c.save()
    return buf.getvalue()


def _encrypt(pdf: bytes, rng: random.Random) -> bytes:
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        password = f"{rng.randint(10**5, 10**6)}"
        doc.save(
            out,
            encryption=pikepdf.Encryption(
                user=password, owner=password + "x", R=4, aes=False, metadata=False
            ),
            static_id=True,
        )
    return out.getvalue()


# ---------------------------------------------------------------- assembling an application


def _profile_and_person(spec: Spec, rng: random.Random) -> tuple[Person, Person, list[str]]:
    """(the person the documents show, the person the profile describes, variations)."""
    state = spec.program
    if spec.scenario == "ADDRESS_OUT_OF_STATE":
        state = rng.choice(OUT_OF_STATE)
    person = make_person(rng, state)
    profile_person = person
    if spec.scenario == "DOB_MISMATCH":
        profile_person = replace(person, dob=_dob_typo(person.dob, rng))
    return person, profile_person, []


def _dob_typo(dob: dt.date, rng: random.Random) -> dt.date:
    if dob.day <= 12 and dob.day != dob.month and rng.random() < 0.5:
        return dt.date(dob.year, dob.day, dob.month)
    if rng.random() < 0.5:
        return dob.replace(
            year=dob.year + rng.choice([-10, -2, -1, 1, 2, 10]), day=min(dob.day, 28)
        )
    return dob + dt.timedelta(days=rng.choice([-40, -9, 3, 11, 31]))


def _identity_kind(spec: Spec, rng: random.Random) -> str:
    if spec.identity:
        return spec.identity
    if spec.scenario == "MRZ_INVALID":
        return "passport"
    if spec.scenario in ("BARCODE_MISMATCH", "DUPLICATE_DOCUMENT"):
        return "drivers_license"
    if spec.scenario == "ADDRESS_OUT_OF_STATE" and spec.program == "MA":
        return "passport"
    return rng.choices(["drivers_license", "state_id", "passport"], weights=[0.6, 0.15, 0.25])[0]


def build(spec: Spec) -> Built:
    """Generate one application (pure function of `spec`)."""
    rng = random.Random(f"docverify-samples:{spec.seed}:{spec.index}:{spec.program}")
    degrade.QUALITY_CAP["jpeg"] = 72 if spec.compact else 100
    scenario, variant = spec.scenario, spec.variant
    submitted = dt.date(2026, 2, 1) + dt.timedelta(days=rng.randint(0, 300))
    kind = spec.kind or (
        "new"
        if scenario in ("NO_FACE_DETECTED",)
        or (scenario == "MISSING_DOCUMENT" and variant == "no_photo")
        or rng.random() < 0.6
        else "renewal"
    )
    person, profile_person, _ = _profile_and_person(spec, rng)
    docs: list[Doc] = []
    identity_kind = _identity_kind(spec, rng)

    if scenario == "DUPLICATE_DOCUMENT" and spec.source is not None:
        source = build(spec.source)
        degrade.QUALITY_CAP["jpeg"] = 72 if spec.compact else 100
        assert source.person is not None
        docs.extend(_duplicated_identity(source, rng))
        src_submitted = dt.date.fromisoformat(source.manifest["submitted_on"])
        submitted = min(
            dt.date(2026, 12, 20), src_submitted + dt.timedelta(days=rng.randint(5, 40))
        )
        person = household_member(rng, source.person)
        profile_person = person
    elif not (scenario == "MISSING_DOCUMENT" and variant == "no_identity"):
        if scenario == "WRONG_DOCUMENT_TYPE" and variant == "bill_as_identity":
            docs.append(_wrong_bill_as_identity(spec, person, submitted, rng))
        else:
            if scenario == "WRONG_DOCUMENT_TYPE" and variant == "licence_as_residency":
                identity_kind = "passport"
            ident = _identity(spec, person, submitted, rng, identity_kind)
            docs.extend(ident.docs)
            _apply_identity_defect(spec, docs, ident, rng)

    if not (scenario == "MISSING_DOCUMENT" and variant == "no_residency"):
        docs.append(_residency(spec, person, submitted, rng))

    if kind == "new" and not (scenario == "MISSING_DOCUMENT" and variant == "no_photo"):
        docs.append(_photo(spec, rng))

    profile, profile_tags = profile_json(profile_person, rng)
    if docs and profile_tags:
        docs[0].truth.variations.extend(profile_tags)
    built = _assemble(spec, submitted, kind, profile, docs)
    built.person = person
    return built


def _duplicated_identity(source: Built, rng: random.Random) -> list[Doc]:
    """The source application's licence front (and back), re-encoded."""
    out: list[Doc] = []
    for doc in source.docs:
        if doc.role != "identity":
            continue
        img = Image.open(io.BytesIO(doc.data)).convert("RGB")
        if doc.side != "back":
            scale = rng.uniform(0.9, 0.97)
            img = img.resize(
                (int(img.size[0] * scale), int(img.size[1] * scale)), Image.Resampling.LANCZOS
            )
        q = rng.randint(68, 85)
        truth = doc.truth.model_copy(deep=True)
        truth.defects = [
            *truth.defects,
            f"reused_from:{source.application_id}",
            f"reencoded:jpeg:{q}",
        ]
        truth.flags = ["DUPLICATE_DOCUMENT"]
        if doc.side != "back":
            truth.flags += ["NAME_MISMATCH", "DOB_MISMATCH"]
        out.append(
            Doc(
                "identity",
                f"{_upload_stem(rng)}.jpg",
                degrade.jpeg_bytes(img, q),
                truth,
                side=doc.side,
                declared_type=doc.declared_type,
            )
        )
    return out


def _apply_identity_defect(
    spec: Spec, docs: list[Doc], ident: IdentityResult, rng: random.Random
) -> None:
    front = docs[0]
    scenario, variant = spec.scenario, spec.variant
    img = ident.front_image
    new_img: Image.Image | None = None
    if scenario == "IMAGE_BLURRY":
        if variant == "motion":
            length = rng.randint(35, 55)
            new_img = degrade.motion_blur(img, length, rng.uniform(0, 180))
            front.truth.defects.append(f"blur:motion:{length}")
        else:
            sigma = rng.uniform(5.0, 8.0)
            new_img = degrade.gaussian_blur(img, sigma)
            front.truth.defects.append(f"blur:gaussian:{sigma:.1f}")
    elif scenario == "IMAGE_LOW_RESOLUTION":
        width = rng.randint(260, 380)
        new_img = degrade.low_resolution(img, width)
        front.truth.defects.append(f"low_resolution:{width}px")
    elif scenario == "IMAGE_TOO_DARK":
        new_img = degrade.darken(img, rng)
        front.truth.defects.append("dark")
    elif scenario == "IMAGE_GLARE":
        new_img, fraction = degrade.glare(img, rng)
        front.truth.defects.append(f"glare:{fraction:.2f}")
    elif scenario == "FILE_UNREADABLE" and variant in (
        "truncated_jpeg",
        "zero_bytes",
        "random_bytes",
    ):
        stem = front.filename.rsplit(".", 1)[0]
        front.filename = f"{stem}.jpg"
        if variant == "truncated_jpeg":
            front.data = degrade.truncated(degrade.jpeg_bytes(img, 88), rng)
        elif variant == "zero_bytes":
            front.data = b""
        else:
            front.data = degrade.random_bytes(rng, rng.randint(20_000, 90_000))
        front.truth.defects.append(variant)
        _unreadable(front, "FILE_UNREADABLE")
        return
    elif scenario == "DOCUMENT_EXPIRED":
        front.truth.flags.append("DOCUMENT_EXPIRED")
        front.truth.defects.append("expired")
    elif scenario in ("MRZ_INVALID", "DOB_MISMATCH"):
        front.truth.flags.append(scenario)
    elif scenario == "BARCODE_MISMATCH":
        docs[1].truth.flags.append("BARCODE_MISMATCH")
    if new_img is not None:
        stem = front.filename.rsplit(".", 1)[0]
        front.filename = f"{stem}.jpg"
        front.data = degrade.jpeg_bytes(new_img, 88)
        _unreadable(front, scenario, legible=scenario == "IMAGE_GLARE")


def _unreadable(doc: Doc, flag: str, legible: bool = False) -> None:
    doc.truth.flags.append(flag)
    doc.truth.legible = legible


def _wrong_bill_as_identity(
    spec: Spec, person: Person, submitted: dt.date, rng: random.Random
) -> Doc:
    rdoc = BUILDERS["utility_bill"](person, person.address, submitted - dt.timedelta(days=20), rng)
    name, data, tags, _ = _capture_residency(rdoc, rng)
    truth = DocumentTruth(
        document_id="",
        document_type="utility_bill",
        fields=rdoc.fields,
        layout=rdoc.layout,
        flags=["WRONG_DOCUMENT_TYPE"],
        defects=["bill_as_identity"],
        variations=tags,
    )
    return Doc("identity", name, data, truth, declared_type="drivers_license")


def _residency(spec: Spec, person: Person, submitted: dt.date, rng: random.Random) -> Doc:
    scenario, variant = spec.scenario, spec.variant
    if scenario == "WRONG_DOCUMENT_TYPE" and variant in (
        "licence_as_residency",
        "photo_as_residency",
    ):
        return _wrong_residency(spec, person, submitted, rng)
    doc_type = _residency_type(spec, rng)
    date, date_tags = _residency_age(
        doc_type, spec.program, submitted, rng, scenario == "DOCUMENT_TOO_OLD"
    )
    addressee, address = person, person.address
    defects: list[str] = []
    if scenario == "NAME_MISMATCH":
        addressee = other_person(rng, person)
        defects.append("addressee_is_another_person")
    elif scenario == "ADDRESS_MISMATCH":
        address, what = _other_address(person, variant or "house_number", rng)
        defects.append(f"address_changed:{what}")
    rdoc = BUILDERS[doc_type](addressee, address, date, rng)
    force_image = scenario in ("TEXT_UNREADABLE",)
    name, data, tags, _img = _capture_residency(rdoc, rng, force_image=force_image)
    truth = DocumentTruth(
        document_id="",
        document_type=doc_type,
        fields=rdoc.fields,
        layout=rdoc.layout,
        defects=defects,
        variations=rdoc.tags + date_tags + tags,
    )
    doc = Doc("residency", name, data, truth, declared_type=doc_type)
    if scenario in (
        "DOCUMENT_TOO_OLD",
        "NAME_MISMATCH",
        "ADDRESS_MISMATCH",
        "ADDRESS_OUT_OF_STATE",
    ):
        truth.flags.append(scenario)
        if scenario == "DOCUMENT_TOO_OLD":
            truth.defects.append(f"dated:{(submitted - date).days}_days_before")
    elif scenario == "TEXT_UNREADABLE":
        page = render_image(rdoc.pages[0], 170)
        doc.filename = f"{_upload_stem(rng)}.jpg"
        doc.data = degrade.jpeg_bytes(degrade.faded_text(page, rng), 80)
        truth.defects.append("faded_text")
        _unreadable(doc, "TEXT_UNREADABLE")
    elif scenario == "FILE_UNREADABLE" and variant == "encrypted_pdf":
        doc.filename = f"{_upload_stem(rng)}.pdf"
        doc.data = _encrypt(render_pdf(rdoc.pages), rng)
        truth.defects.append("encrypted_pdf")
        _unreadable(doc, "FILE_UNREADABLE")
    return doc


def _other_address(person: Person, what: str, rng: random.Random) -> tuple[object, str]:
    a = person.address
    if what == "street":
        other = make_address(rng, a.state)
        return replace(a, street=other.street if other.street != a.street else "Sycamore"), "street"
    if what == "zip":
        from samples.profiles import CITIES

        zips = [z for _, zs in CITIES[a.state] for z in zs if z != a.zip]
        new_zip = rng.choice(zips)
        city = next(c for c, zs in CITIES[a.state] if new_zip in zs)
        return replace(a, zip=new_zip, city=city), "zip_and_city"
    number = int(a.number)
    return replace(a, number=str(number + rng.choice([1, 2, 10, 100, 212]))), "house_number"


def _wrong_residency(spec: Spec, person: Person, submitted: dt.date, rng: random.Random) -> Doc:
    if spec.variant == "photo_as_residency":
        img, what = non_face_photo(rng)
        truth = DocumentTruth(
            document_id="",
            document_type="other",
            legible=False,
            flags=["WRONG_DOCUMENT_TYPE"],
            defects=[f"photo_as_residency:{what}"],
        )
        return Doc(
            "residency",
            f"{_upload_stem(rng)}.jpg",
            degrade.jpeg_bytes(img, 85),
            truth,
            declared_type="utility_bill",
        )
    issue, expiry = _validity(submitted, rng, False, 8)
    card = _card_data(person, "DL", issue, expiry, rng)
    layout = rng.choice(sorted(FRONT_LAYOUTS))
    img, capture = _capture_card(licence_front(card, layout, rng), rng)
    truth = DocumentTruth(
        document_id="",
        document_type="drivers_license",
        fields=card_fields(card),
        layout=layout,
        flags=["WRONG_DOCUMENT_TYPE"],
        defects=["licence_as_residency"],
        variations=capture,
    )
    return Doc(
        "residency",
        f"{_upload_stem(rng)}.jpg",
        degrade.jpeg_bytes(img, 88),
        truth,
        declared_type="utility_bill",
    )


def _photo(spec: Spec, rng: random.Random) -> Doc:
    if spec.scenario == "NO_FACE_DETECTED":
        img, what = non_face_photo(rng)
        truth = DocumentTruth(
            document_id="",
            document_type="photo",
            flags=["NO_FACE_DETECTED"],
            defects=[f"no_face:{what}"],
        )
    else:
        img = id_photo(rng)
        truth = DocumentTruth(
            document_id="", document_type="photo", variations=["astronaut_portrait"]
        )
    q = rng.randint(82, 94)
    return Doc("photo", f"{_upload_stem(rng)}.jpg", degrade.jpeg_bytes(img, q), truth)


def _assemble(spec: Spec, submitted: dt.date, kind: str, profile: dict, docs: list[Doc]) -> Built:
    app_id = spec.application_id
    files: dict[str, bytes] = {}
    entries: list[dict] = []
    truths: list[DocumentTruth] = []
    for i, doc in enumerate(docs, start=1):
        doc_id = f"doc-{i}"
        filename = doc.filename
        while filename in files:
            filename = f"{i}_{filename}"
        files[filename] = doc.data
        entry: dict = {"document_id": doc_id, "role": doc.role, "file": filename}
        if doc.side:
            entry["side"] = doc.side
        if spec.program == "CT" and doc.declared_type and doc.role != "photo":
            entry["declared_type"] = doc.declared_type
        expiry = doc.truth.fields.get("expiry_date")
        if (
            spec.program == "MA"
            and doc.role == "identity"
            and doc.side is None
            and expiry
            and doc.truth.fields.get("address", {}).get("state") != "MA"
        ):
            entry["declared_expiry_date"] = expiry
        entries.append(entry)
        doc.truth.document_id = doc_id
        truths.append(doc.truth)
    flags = sorted({f for t in truths for f in t.flags})
    if spec.scenario == "MISSING_DOCUMENT":
        flags = ["MISSING_DOCUMENT", *flags]
    decision = Decision.worst([DEFAULT_DECISION[FlagCode(f)] for f in flags])
    manifest = {
        "application_id": app_id,
        "program": spec.program,
        "kind": kind,
        "submitted_on": submitted.isoformat(),
        "profile": profile,
        "documents": entries,
    }
    truth = Truth(
        application_id=app_id,
        scenario=spec.scenario,
        decision=decision,
        flags=flags,
        documents=truths,
        seed=spec.seed,
        generator_version=GENERATOR_VERSION,
    )
    return Built(app_id, manifest, files, truth, docs)
