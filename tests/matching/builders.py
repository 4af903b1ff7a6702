"""Builders for matching tests: Contexts and DocumentStates constructed directly (no OCR)."""

from __future__ import annotations

import datetime as dt

from models.contract import Application
from models.flags import DocumentType
from models.internal import Classification, DocumentState, FieldValue, PageText, ReadAddress, Word
from pipeline.context import Context
from pipeline.rules import builtin_pack

SUBMITTED = dt.date(2026, 11, 20)


def application(program: str = "CT", **profile: object) -> Application:
    """An application whose profile can be overridden field by field."""
    base: dict[str, object] = {
        "first_name": "Maria",
        "middle_name": "Louise",
        "last_name": "Gonzalez-Rivera",
        "suffix": None,
        "date_of_birth": "1981-03-14",
        "address": {
            "line1": "12 Elm Street",
            "line2": "Apt 3",
            "city": "Hartford",
            "state": "CT",
            "zip": "06106",
        },
    }
    base.update(profile)
    return Application.model_validate(
        {
            "application_id": "APP-1",
            "program": program,
            "kind": "new",
            "submitted_on": SUBMITTED.isoformat(),
            "profile": base,
            "documents": [],
        }
    )


def context(program: str = "CT", **profile: object) -> Context:
    return Context(application=application(program, **profile), rules=builtin_pack(program))


def fv(value: object, source: str = "pdf_text", confidence: float = 1.0) -> FieldValue:
    return FieldValue(value, source, confidence, page=0, box=(10, 20, 110, 40))  # type: ignore[arg-type]


def doc(
    role: str = "residency",
    doc_type: DocumentType = DocumentType.UTILITY_BILL,
    source: str = "pdf_text",
    confidence: float = 1.0,
    document_id: str = "doc-1",
    **fields: object,
) -> DocumentState:
    """A document with the given field values, all read from `source`."""
    return DocumentState(
        document_id=document_id,
        role=role,
        side="front",
        data=b"",
        classification=Classification(doc_type, 0.9),
        fields={k: fv(v, source, confidence) for k, v in fields.items()},
    )


def address(
    line1: str,
    line2: str | None = None,
    city: str = "Hartford",
    state: str = "CT",
    zip_code: str = "06106",
) -> ReadAddress:
    return ReadAddress(line1=line1, line2=line2, city=city, state=state, zip=zip_code)


def text_page(
    lines: list[str],
    confidence: float = 0.95,
    source: str = "ocr",
    width: int = 1000,
    height: int = 1400,
) -> PageText:
    """A page of OCR words, one line of `lines` every 40 px, 12 px per character."""
    words = []
    for i, line in enumerate(lines):
        x = 50
        for text in line.split():
            words.append(Word(text, confidence, (x, 40 * i, x + 12 * len(text), 40 * i + 20), 0, i))
            x += 12 * len(text) + 10
    return PageText(0, tuple(words), source, width, height)  # type: ignore[arg-type]
