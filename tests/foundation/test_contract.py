"""The contract in code matches the shared JSON Schemas, and verdicts validate against them."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from models.contract import Application, Verdict
from models.flags import DEFAULT_DECISION, Decision, FlagCode
from models.schemas import schema
from tests.conftest import SHARED_CONTRACT
from tests.foundation.helpers import manifest

CONTRACT_CODES = {
    "MISSING_DOCUMENT": "resubmit",
    "FILE_UNREADABLE": "resubmit",
    "IMAGE_BLURRY": "resubmit",
    "IMAGE_LOW_RESOLUTION": "resubmit",
    "IMAGE_TOO_DARK": "resubmit",
    "IMAGE_GLARE": "resubmit",
    "TEXT_UNREADABLE": "resubmit",
    "WRONG_DOCUMENT_TYPE": "resubmit",
    "DOCUMENT_EXPIRED": "resubmit",
    "DOCUMENT_TOO_OLD": "resubmit",
    "NO_FACE_DETECTED": "resubmit",
    "NAME_MISMATCH": "review",
    "DOB_MISMATCH": "review",
    "ADDRESS_MISMATCH": "review",
    "ADDRESS_OUT_OF_STATE": "review",
    "MRZ_INVALID": "review",
    "BARCODE_MISMATCH": "review",
    "DUPLICATE_DOCUMENT": "review",
}


@pytest.mark.skipif(not SHARED_CONTRACT.is_dir(), reason="shared/contract is not beside the repo")
@pytest.mark.parametrize("name", ["application", "verdict"])
def test_shipped_schemas_are_the_shared_ones(name):
    shared = json.loads((SHARED_CONTRACT / f"{name}.schema.json").read_text())
    assert schema(name) == shared


def test_every_contract_flag_code_exists_with_its_default_decision():
    for code, decision in CONTRACT_CODES.items():
        assert FlagCode(code).default_decision == Decision(decision)
    assert set(DEFAULT_DECISION) == set(FlagCode)


def test_manifest_example_validates_in_both():
    data = manifest(
        [
            {
                "document_id": "d1",
                "role": "identity",
                "file": "a.jpg",
                "declared_type": "passport",
                "declared_expiry_date": "2030-01-01",
            }
        ]
    )
    jsonschema.validate(data, schema("application"))
    app = Application.model_validate(data)
    assert app.documents[0].declared_type == "passport"
    assert app.documents[0].side == "front"


@pytest.mark.parametrize(
    "change",
    [
        {"program": "NY"},
        {"kind": "transfer"},
        {"submitted_on": "20-11-2026"},
        {"application_id": ""},
        {"documents": [{"document_id": "d1", "role": "selfie", "file": "a.jpg"}]},
        {
            "documents": [
                {"document_id": "d1", "role": "identity", "file": "a.jpg"},
                {"document_id": "d1", "role": "photo", "file": "b.jpg"},
            ]
        },
    ],
)
def test_invalid_manifests_are_refused(change):
    with pytest.raises(ValidationError):
        data = manifest([{"document_id": "d0", "role": "identity", "file": "a.jpg"}])
        data.update(change)
        Application.model_validate(data)


def test_verdict_model_output_validates_against_schema():
    verdict = Verdict.model_validate(
        {
            "application_id": "A",
            "decision": "review",
            "score": 0.5,
            "pipeline_version": "0.1.0",
            "flags": [{"code": "NAME_MISMATCH", "document_id": "d", "message": "m"}],
            "documents": [
                {
                    "document_id": "d",
                    "role": "residency",
                    "document_type": "utility_bill",
                    "decision": "review",
                    "score": 0.5,
                    "fields": {
                        "first_name": "A",
                        "document_date": "2026-01-02",
                        "address": {"line1": "1 A ST", "zip": "06106"},
                    },
                    "evidence": {
                        "first_name": {
                            "source": "ocr",
                            "confidence": 0.9,
                            "page": 0,
                            "box": [1, 2, 3, 4],
                        }
                    },
                    "checks": [{"name": "x", "status": "pass", "score": None, "detail": None}],
                    "flags": [{"code": "NAME_MISMATCH", "document_id": "d", "message": "m"}],
                }
            ],
        }
    )
    jsonschema.validate(json.loads(verdict.to_json()), schema("verdict"))
