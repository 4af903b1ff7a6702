"""The verification pipeline: pure, deterministic logic. `verify(bundle, ctx) -> Verdict`."""

from pipeline.version import PIPELINE_VERSION

__all__ = ["PIPELINE_VERSION"]
