"""One upload of an outside-generator application, rebuilt from its plan and loaded."""

from __future__ import annotations

from models.contract import Application
from models.internal import DocumentState
from pipeline.config import PipelineConfig
from pipeline.context import Context
from pipeline.load import load_file
from pipeline.rules import builtin_pack
from samples import outside


def outside_upload(
    seed: int,
    number: int,
    role: str,
    side: str | None = None,
    cfg: PipelineConfig | None = None,
) -> tuple[DocumentState, Context]:
    """The first `role` upload (of `side`, when given) of application `number` (from 1) of
    `docverify samples outside --n 100 --seed <seed>`, loaded, and its context."""
    built = outside.build(outside.plan(100, seed)[number - 1])
    app = Application.model_validate(built.manifest)
    assert app.application_id.endswith(f"-O{seed}-{number:04d}")
    ctx = Context(app, builtin_pack(app.program), cfg or PipelineConfig())
    ref = next(
        r for r in app.documents if r.role.value == role and (side is None or r.side == side)
    )
    doc = DocumentState(ref.document_id, ref.role.value, ref.side, built.files[ref.file])
    return load_file(doc, ctx), ctx
