"""Ground truth of a generated sample (`truth.json` beside its `application.json`).

Written by the samples generator, read by `docverify evaluate` and the golden tests.
Field values are what is *printed* on the document, in the contract's field names;
dates are ISO. `legible` is False where a defect makes the fields unreadable by design.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from models.flags import Decision, DocumentType


class DocumentTruth(BaseModel):
    """What one generated document is and says."""

    model_config = ConfigDict(extra="forbid")

    document_id: str
    document_type: DocumentType
    legible: bool = True
    fields: dict[str, object] = Field(default_factory=dict)
    """first_name, middle_name, last_name, suffix, date_of_birth, expiry_date, issue_date,
    document_date, document_number, address {line1, line2, city, state, zip}."""
    flags: list[str] = Field(default_factory=list)
    """Flag codes this document must raise."""
    defects: list[str] = Field(default_factory=list)
    """What was done to it, e.g. "blur:gaussian:7", "rotate:12", "glare", "truncated"."""
    variations: list[str] = Field(default_factory=list)
    """Clean-but-tricky variations, e.g. "nickname", "zip4", "street_abbrev"."""
    layout: str | None = None
    """Template or layout name (for per-layout accuracy)."""


class Truth(BaseModel):
    """What a generated application must get."""

    model_config = ConfigDict(extra="forbid")

    application_id: str
    scenario: str
    """"clean", or the defect under test (e.g. "IMAGE_BLURRY", "NAME_MISMATCH")."""
    decision: Decision
    flags: list[str]
    """Every flag code the verdict must carry (application and documents together)."""
    documents: list[DocumentTruth]
    seed: int | None = None
    generator_version: str = "1"
