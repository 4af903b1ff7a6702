"""Pydantic types of the boundary contract: the application manifest in, the verdict out.

They match `shared/contract/application.schema.json` and `verdict.schema.json`; a test
checks every verdict against the JSON Schema. Unknown manifest keys are kept
(`extra="allow"`), so the contract can grow without breaking older readers.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from models.flags import Decision, Role

NonEmpty = Annotated[str, StringConstraints(min_length=1)]
DateStr = dt.date


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class Address(_Model):
    """A postal address as the physician entered it."""

    line1: str
    line2: str | None = None
    city: str
    state: Annotated[str, StringConstraints(min_length=2, max_length=2)]
    zip: str


class Profile(_Model):
    """The patient profile entered by the certifying physician or APRN."""

    first_name: NonEmpty
    middle_name: str | None = None
    last_name: NonEmpty
    suffix: str | None = None
    date_of_birth: dt.date
    address: Address


class DocumentRef(_Model):
    """One uploaded file of an application, as named in the manifest."""

    document_id: NonEmpty
    role: Role
    side: Literal["front", "back"] = "front"
    file: NonEmpty
    declared_type: str | None = None
    declared_expiry_date: dt.date | None = None


class Application(_Model):
    """`application.json`: who applies, for what program, with which files."""

    application_id: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    program: Literal["CT", "MA"]
    kind: Literal["new", "renewal"]
    submitted_on: dt.date
    profile: Profile
    documents: list[DocumentRef]

    @field_validator("documents")
    @classmethod
    def _unique_ids(cls, docs: list[DocumentRef]) -> list[DocumentRef]:
        ids = [d.document_id for d in docs]
        if len(ids) != len(set(ids)):
            raise ValueError("document_id values must be unique")
        return docs


# --------------------------------------------------------------------------- verdict


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Flag(_Out):
    """A reason code with a sentence a reviewer understands."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z_]*$")]
    document_id: str | None = None
    message: str
    # Project additions (allowed by the contract): applicant-facing wording kept apart
    # from the internal message, and the machine-readable evidence behind the flag.
    applicant_message: str | None = None
    evidence: dict[str, object] | None = None


class Check(_Out):
    """One measured check on a document."""

    name: str
    status: Literal["pass", "warn", "fail", "skipped"]
    score: float | None = None
    detail: str | None = None


class Evidence(_Out):
    """Where and how surely a field value was read."""

    source: Literal["ocr", "pdf_text", "barcode", "mrz", "declared"]
    confidence: Annotated[float, Field(ge=0, le=1)] | None = None
    page: Annotated[int, Field(ge=0)] | None = None
    box: Annotated[list[float], Field(min_length=4, max_length=4)] | None = None


class FieldAddress(_Out):
    """An address as read from a document (any part may be unreadable)."""

    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None


class Fields(_Out):
    """Values read from a document; unreadable ones are absent or null, never invented."""

    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    suffix: str | None = None
    date_of_birth: dt.date | None = None
    expiry_date: dt.date | None = None
    issue_date: dt.date | None = None
    document_date: dt.date | None = None
    document_number: str | None = None
    address: FieldAddress | None = None


class DocumentVerdict(_Out):
    """The pipeline's finding on one document."""

    document_id: str
    role: Role
    document_type: str
    decision: Decision
    score: Annotated[float, Field(ge=0, le=1)]
    fields: Fields
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    checks: list[Check]
    flags: list[Flag]


class Verdict(_Out):
    """The scored verdict attached to an application."""

    application_id: str
    decision: Decision
    score: Annotated[float, Field(ge=0, le=1)]
    flags: list[Flag]
    documents: list[DocumentVerdict]
    pipeline_version: str
    # Project addition: which program rule pack judged the application.
    rule_pack: str | None = None

    def to_json(self) -> str:
        """The verdict as contract JSON (nulls dropped from `fields`, dates ISO)."""
        return self.model_dump_json(exclude_none=True)
