"""Flag codes, decisions and document types: the fixed vocabulary of the contract.

The contract (`shared/contract/README.md`) fixes the flag codes and their default
decisions; a project may add codes, never rename or drop them.
"""

from __future__ import annotations

from enum import StrEnum


class Decision(StrEnum):
    """A verdict's decision, ordered from best to worst."""

    PASS = "pass"
    REVIEW = "review"
    RESUBMIT = "resubmit"

    @property
    def rank(self) -> int:
        """0 for pass, 1 for review, 2 for resubmit."""
        return _DECISION_RANK[self]

    @staticmethod
    def worst(decisions: list[Decision] | tuple[Decision, ...]) -> Decision:
        """The worst of some decisions (pass when there are none)."""
        return max(decisions, key=lambda d: d.rank, default=Decision.PASS)


_DECISION_RANK = {Decision.PASS: 0, Decision.REVIEW: 1, Decision.RESUBMIT: 2}


class FlagCode(StrEnum):
    """The contract's flag codes (plus any this project adds below them)."""

    MISSING_DOCUMENT = "MISSING_DOCUMENT"
    FILE_UNREADABLE = "FILE_UNREADABLE"
    IMAGE_BLURRY = "IMAGE_BLURRY"
    IMAGE_LOW_RESOLUTION = "IMAGE_LOW_RESOLUTION"
    IMAGE_TOO_DARK = "IMAGE_TOO_DARK"
    IMAGE_GLARE = "IMAGE_GLARE"
    TEXT_UNREADABLE = "TEXT_UNREADABLE"
    WRONG_DOCUMENT_TYPE = "WRONG_DOCUMENT_TYPE"
    DOCUMENT_EXPIRED = "DOCUMENT_EXPIRED"
    DOCUMENT_TOO_OLD = "DOCUMENT_TOO_OLD"
    NO_FACE_DETECTED = "NO_FACE_DETECTED"
    NAME_MISMATCH = "NAME_MISMATCH"
    DOB_MISMATCH = "DOB_MISMATCH"
    ADDRESS_MISMATCH = "ADDRESS_MISMATCH"
    ADDRESS_OUT_OF_STATE = "ADDRESS_OUT_OF_STATE"
    MRZ_INVALID = "MRZ_INVALID"
    BARCODE_MISMATCH = "BARCODE_MISMATCH"
    DUPLICATE_DOCUMENT = "DUPLICATE_DOCUMENT"
    # Project additions (the contract allows new codes, never renamed or dropped ones).
    PROCESSING_ERROR = "PROCESSING_ERROR"
    """The pipeline itself failed on a document: a reviewer must look."""

    @property
    def default_decision(self) -> Decision:
        """The decision this flag leads to by default (the contract's table)."""
        return DEFAULT_DECISION[self]


_REVIEW_CODES = {
    FlagCode.NAME_MISMATCH,
    FlagCode.DOB_MISMATCH,
    FlagCode.ADDRESS_MISMATCH,
    FlagCode.ADDRESS_OUT_OF_STATE,
    FlagCode.MRZ_INVALID,
    FlagCode.BARCODE_MISMATCH,
    FlagCode.DUPLICATE_DOCUMENT,
    FlagCode.PROCESSING_ERROR,
}

DEFAULT_DECISION: dict[FlagCode, Decision] = {
    code: (Decision.REVIEW if code in _REVIEW_CODES else Decision.RESUBMIT) for code in FlagCode
}


class Role(StrEnum):
    """What a document is uploaded as."""

    IDENTITY = "identity"
    RESIDENCY = "residency"
    PHOTO = "photo"


class DocumentType(StrEnum):
    """The contract's document-type vocabulary."""

    DRIVERS_LICENSE = "drivers_license"
    STATE_ID = "state_id"
    PASSPORT = "passport"
    PASSPORT_CARD = "passport_card"
    MILITARY_ID = "military_id"
    UTILITY_BILL = "utility_bill"
    BANK_STATEMENT = "bank_statement"
    LEASE = "lease"
    MORTGAGE_STATEMENT = "mortgage_statement"
    INSURANCE_STATEMENT = "insurance_statement"
    GOVERNMENT_LETTER = "government_letter"
    TAX_BILL = "tax_bill"
    PAY_STUB = "pay_stub"
    PHOTO = "photo"
    OTHER = "other"


IDENTITY_TYPES = frozenset(
    {
        DocumentType.DRIVERS_LICENSE,
        DocumentType.STATE_ID,
        DocumentType.PASSPORT,
        DocumentType.PASSPORT_CARD,
        DocumentType.MILITARY_ID,
    }
)
RESIDENCY_TYPES = frozenset(
    {
        DocumentType.UTILITY_BILL,
        DocumentType.BANK_STATEMENT,
        DocumentType.LEASE,
        DocumentType.MORTGAGE_STATEMENT,
        DocumentType.INSURANCE_STATEMENT,
        DocumentType.GOVERNMENT_LETTER,
        DocumentType.TAX_BILL,
        DocumentType.PAY_STUB,
    }
)
