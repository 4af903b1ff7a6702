"""Golden tests: every committed sample, verified in-process, gets the decision and flag
codes its `truth.json` (beside it) expects, and a verdict that validates against the contract.

Samples are verified in sorted order through one prior-document index, so that the
duplicate scenario sees the application it duplicates.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache

import jsonschema
import pytest

from models.schemas import schema
from models.truth import Truth
from pipeline.bundle import load_bundle
from pipeline.fingerprint import MemoryPriorIndex
from pipeline.verify import examine_application
from tests.conftest import COMMITTED_SAMPLES
from workers.runtime import Runtime

BUNDLES = sorted(p.parent for p in COMMITTED_SAMPLES.glob("*/truth.json"))


def test_the_committed_set_exists():
    assert len(BUNDLES) >= 10


@cache
def _verdicts() -> dict[str, dict]:
    runtime = Runtime.from_environment()
    index = MemoryPriorIndex()
    out = {}
    for path in BUNDLES:
        bundle = load_bundle(path)
        ctx = replace(runtime.context(bundle), prior=index)
        result = examine_application(bundle, ctx)
        index.record(bundle.application.application_id, result.documents)
        out[path.name] = json.loads(result.verdict.to_json())
    return out


@pytest.mark.parametrize("path", BUNDLES, ids=[p.name for p in BUNDLES])
def test_committed_sample_matches_its_truth(path):
    truth = Truth.model_validate_json((path / "truth.json").read_text())
    verdict = _verdicts()[path.name]
    jsonschema.validate(verdict, schema("verdict"))
    got = sorted({f["code"] for f in verdict["flags"]})
    assert (verdict["decision"], got) == (truth.decision.value, sorted(set(truth.flags))), (
        f"{truth.scenario}: {[f['message'] for f in verdict['flags']]}"
    )
