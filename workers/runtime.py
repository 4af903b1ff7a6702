"""The runtime of one process: settings, pipeline config, rule packs, database, prior index.

Built once at the edge (`Runtime.from_environment()`), then passed to whatever runs the
pipeline: the `verify` command, an actor, the web app. The database and the storage are
opened lazily, on first use, so a `verify` run that never needs them does not pay for them.
`verify_path` records the fingerprints of each verified application in the database so
that DUPLICATE_DOCUMENT works across runs (in `DOCVERIFY_DATA_DIR` by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from models.contract import Verdict
from models.rules import RulePack
from pipeline import rules
from pipeline.bundle import Bundle, load_bundle
from pipeline.config import PipelineConfig
from pipeline.context import Context
from pipeline.verify import Examination, examine_application
from workers.db import Database
from workers.prior import DbPriorIndex
from workers.settings import Settings
from workers.storage import Storage, open_storage


@dataclass
class Runtime:
    """Everything a process needs to run the pipeline."""

    settings: Settings
    config: PipelineConfig

    @classmethod
    def from_environment(cls) -> Runtime:
        """Read the settings once and derive the rest."""
        settings = Settings()
        return cls(settings=settings, config=settings.pipeline_config())

    @cached_property
    def packs(self) -> dict[str, RulePack]:
        """The rule pack of each program (the rules dir overrides the shipped ones)."""
        out = {}
        for program in ("CT", "MA"):
            out[program] = rules.load_pack(self._pack_text(program))
        return out

    def _pack_text(self, program: str) -> str:
        override = self.settings.rules_dir / f"{program}.toml" if self.settings.rules_dir else None
        if override and override.is_file():
            return override.read_text("utf-8")
        return rules.builtin_pack_text(program)

    @cached_property
    def db(self) -> Database:
        """The database (opened and migrated on first use)."""
        return Database(self.settings.resolved_database_url())

    @cached_property
    def storage(self) -> Storage:
        """Where submitted files are kept."""
        return open_storage(self.settings)

    @cached_property
    def prior(self) -> DbPriorIndex:
        """The index of documents seen in other applications."""
        return DbPriorIndex(self.db)

    def context(self, bundle: Bundle) -> Context:
        """The pipeline context for one application."""
        app = bundle.application
        pack = self.packs[app.program]
        return Context(application=app, rules=pack, config=self.config, prior=self.prior)

    def examine(self, bundle: Bundle) -> Examination:
        """Examine an application; a database fault met on the way is raised, not judged."""
        self.prior.failed = None
        examination = examine_application(bundle, self.context(bundle))
        self.prior.raise_if_failed()
        return examination


def verify_path(path: Path, runtime: Runtime) -> Verdict:
    """Load a bundle from disk, verify it in-process, and remember its fingerprints."""
    bundle = load_bundle(path, runtime.config.limits)
    examination = runtime.examine(bundle)
    runtime.prior.record(bundle.application.application_id, examination.documents)
    return examination.verdict
