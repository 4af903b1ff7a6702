"""Program rule packs as data: accepted document types and recency windows, each rule sourced.

The packs themselves are TOML files in `pipeline/rules/packs/` (one per state, versioned);
`pipeline.rules.load_pack` parses them into these types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from models.flags import DocumentType


@dataclass(frozen=True)
class Rule:
    """Why a rule exists: where it comes from, and whether that source is certain."""

    source: str
    certain: bool = True
    note: str | None = None


@dataclass(frozen=True)
class RecencyRule:
    """How recent a residency document of one type must be."""

    document_type: DocumentType
    max_age_days: int | None = None
    """Dated at most this many days before `submitted_on` (None: no day window)."""
    current_year: bool = False
    """Dated in the calendar year of `submitted_on` (tax bills)."""
    rule: Rule = field(default_factory=lambda: Rule(source="unspecified"))


@dataclass(frozen=True)
class RulePack:
    """One state program's rules, at one version."""

    program: str
    version: str
    state: str
    identity_types: frozenset[DocumentType]
    residency_types: frozenset[DocumentType]
    recency: Mapping[DocumentType, RecencyRule]
    photo_required_for: frozenset[str] = frozenset({"new"})
    rules: Mapping[str, Rule] = field(default_factory=dict)
    """Sources of the other rules, by rule name (identity_types, residency_types...)."""
    zip_prefixes: tuple[tuple[str, str], ...] = ()
    """Inclusive ranges of 3-digit ZIP prefixes of the program's state, e.g. (("060", "069"),)."""

    def zip_in_state(self, zip5: str | None) -> bool | None:
        """Whether a ZIP lies in the program's state (None: unknown ZIP or no ranges)."""
        if not zip5 or len(zip5) < 3 or not zip5[:3].isdigit() or not self.zip_prefixes:
            return None
        return any(low <= zip5[:3] <= high for low, high in self.zip_prefixes)

    @property
    def pack_id(self) -> str:
        """`CT@2026.1`: the program and the version, as recorded beside each verdict."""
        return f"{self.program}@{self.version}"
