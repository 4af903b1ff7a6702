"""Program rule packs: TOML files, one per state, parsed and validated into `RulePack`.

The packs shipped with docverify live in `pipeline/rules/packs/`; a deployment may point
at another folder (setting `DOCVERIFY_RULES_DIR`), read at the edge and passed in as text.
`load_pack(text)` validates strictly: an unknown section or key, an unknown document
type, a type accepted for the wrong role, a residency type without a recency window, a
negative or empty window, a rule without a source, or a malformed ZIP range raises
`RulePackError` with a sentence naming the problem.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Any

from models.flags import IDENTITY_TYPES, RESIDENCY_TYPES, DocumentType
from models.rules import RecencyRule, Rule, RulePack
from pipeline.errors import DocverifyError


class RulePackError(DocverifyError):
    """A rule pack file is malformed."""

    exit_code = 2


_SECTIONS = {"pack", "identity", "residency", "photo", "recency"}
_RULE_KEYS = {"source", "certain", "note"}
_SECTION_KEYS = {
    "pack": {"program", "state", "version"},
    "identity": {"accepted"} | _RULE_KEYS,
    "residency": {"accepted", "zip_prefixes"} | _RULE_KEYS,
    "photo": {"required_for"} | _RULE_KEYS,
}
_RECENCY_KEYS = {"max_age_days", "current_year"} | _RULE_KEYS
_KINDS = {"new", "renewal"}
_ZIP_RANGE = re.compile(r"^(\d{3})(?:-(\d{3}))?$")


def builtin_pack_text(program: str) -> str:
    """The TOML text of a shipped pack."""
    return resources.files("pipeline.rules").joinpath("packs", f"{program}.toml").read_text("utf-8")


def load_pack(text: str) -> RulePack:
    """Parse and validate a rule pack's TOML text; `RulePackError` naming the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"rule pack is not valid TOML: {exc}") from None
    return _pack(data)


def builtin_pack(program: str) -> RulePack:
    """The shipped pack for CT or MA."""
    return load_pack(builtin_pack_text(program))


def _fail(message: str) -> RulePackError:
    return RulePackError(f"rule pack is invalid: {message}")


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    if not isinstance(value, dict):
        raise _fail(f"section [{name}] is missing")
    return value


def _keys(section: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(section) - allowed)
    if unknown:
        raise _fail(f"unknown key(s) {', '.join(unknown)} in [{where}]")


def _rule(entry: dict[str, Any], where: str) -> Rule:
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _fail(f"[{where}] has no 'source' saying where the rule comes from")
    certain = entry.get("certain", True)
    note = entry.get("note")
    if not isinstance(certain, bool):
        raise _fail(f"'certain' in [{where}] must be true or false")
    if note is not None and not isinstance(note, str):
        raise _fail(f"'note' in [{where}] must be text")
    return Rule(source=source.strip(), certain=certain, note=note)


def _types(section: dict[str, Any], where: str, allowed: frozenset[DocumentType]) -> frozenset:
    accepted = section.get("accepted")
    if not isinstance(accepted, list) or not accepted:
        raise _fail(f"[{where}] accepted must be a non-empty list of document types")
    out = set()
    for name in accepted:
        doc_type = _doc_type(name, f"[{where}] accepted")
        if doc_type not in allowed:
            raise _fail(f"'{name}' in [{where}] accepted is not a {where}-role document type")
        out.add(doc_type)
    return frozenset(out)


def _doc_type(name: object, where: str) -> DocumentType:
    try:
        return DocumentType(str(name))
    except ValueError:
        known = ", ".join(t.value for t in DocumentType)
        raise _fail(f"unknown document type '{name}' in {where} (known: {known})") from None


def _recency(name: str, entry: object) -> RecencyRule:
    where = f"recency.{name}"
    doc_type = _doc_type(name, f"[{where}]")
    if not isinstance(entry, dict):
        raise _fail(f"[{where}] must be a table")
    _keys(entry, _RECENCY_KEYS, where)
    days = entry.get("max_age_days")
    current_year = entry.get("current_year", False)
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        raise _fail(f"max_age_days in [{where}] must be a whole number of days >= 0, not {days!r}")
    if not isinstance(current_year, bool):
        raise _fail(f"current_year in [{where}] must be true or false")
    if days is None and not current_year:
        raise _fail(f"[{where}] sets no window: give max_age_days or current_year = true")
    return RecencyRule(doc_type, days, current_year, _rule(entry, where))


def _zip_prefixes(section: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    ranges = []
    for item in section.get("zip_prefixes", []):
        m = _ZIP_RANGE.match(str(item))
        if not m or (m.group(2) and m.group(2) < m.group(1)):
            raise _fail(f"zip_prefixes entry '{item}' must look like '060' or '060-069'")
        ranges.append((m.group(1), m.group(2) or m.group(1)))
    return tuple(ranges)


def _pack(data: dict[str, Any]) -> RulePack:
    unknown = sorted(set(data) - _SECTIONS)
    if unknown:
        raise _fail(f"unknown section(s) {', '.join(unknown)}")
    for name, allowed in _SECTION_KEYS.items():
        if name in data:
            _keys(_table(data, name), allowed, name)
    meta = _table(data, "pack")
    for key in ("program", "state", "version"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise _fail(f"[pack] {key} must be given as text")
    if not re.fullmatch(r"[A-Z]{2}", meta["state"]):
        raise _fail(f"[pack] state must be a two-letter code, not '{meta['state']}'")
    identity, residency = _table(data, "identity"), _table(data, "residency")
    residency_types = _types(residency, "residency", RESIDENCY_TYPES)
    recency = {
        r.document_type: r
        for r in (_recency(name, entry) for name, entry in _table_or_empty(data, "recency").items())
    }
    missing = sorted(t.value for t in residency_types - set(recency))
    if missing:
        raise _fail(f"accepted residency type(s) {', '.join(missing)} have no [recency.*] window")
    stray = sorted(t.value for t in set(recency) - residency_types)
    if stray:
        raise _fail(f"[recency.*] given for type(s) not accepted as residency: {', '.join(stray)}")
    photo = data.get("photo", {})
    kinds = photo.get("required_for", ["new"])
    if not isinstance(kinds, list) or not set(kinds) <= _KINDS:
        raise _fail(f"[photo] required_for must list application kinds among {sorted(_KINDS)}")
    return RulePack(
        program=meta["program"].strip(),
        version=meta["version"].strip(),
        state=meta["state"],
        identity_types=_types(identity, "identity", IDENTITY_TYPES),
        residency_types=residency_types,
        recency=recency,
        photo_required_for=frozenset(kinds),
        rules={k: _rule(data[k], k) for k in ("identity", "residency", "photo") if k in data},
        zip_prefixes=_zip_prefixes(residency),
    )


def _table_or_empty(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise _fail(f"[{name}] must be a table")
    return value
