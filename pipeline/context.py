"""What `verify` needs besides the bundle: configuration, rule pack, OCR engine, prior index.

Everything here is passed in by the caller (the command line or a worker), so the
pipeline never reads the environment, the clock, a database or the network itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from models.contract import Application
from models.internal import Fingerprint, PriorMatch
from models.rules import RulePack
from pipeline.config import PipelineConfig


class PriorIndex(Protocol):
    """Fingerprints of documents already submitted in other applications."""

    def matches(self, fingerprint: Fingerprint, application_id: str) -> list[PriorMatch]:
        """Documents of *other* applications that look like this one."""
        ...


class NoPriorIndex:
    """An index that has seen nothing (a first run, or tests)."""

    def matches(self, fingerprint: Fingerprint, application_id: str) -> list[PriorMatch]:
        return []


@dataclass(frozen=True)
class Context:
    """Per-application inputs of every stage and check."""

    application: Application
    rules: RulePack
    config: PipelineConfig = field(default_factory=PipelineConfig)
    prior: PriorIndex = field(default_factory=NoPriorIndex)
