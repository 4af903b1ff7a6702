"""Evaluation metrics: labelled applications (truth + what the pipeline said) in, numbers out.

Pure functions over `AppRecord`s, no I/O. `summarise(records)` returns the whole report
as a JSON-ready dict: decision accuracy and confusion matrix, per-flag precision/recall
(application level: set of predicted codes against `Truth.flags`), the false-positive
rate on clean applications, per-field extraction accuracy on legible documents
(normalised values, a missing prediction counts as wrong), document-type accuracy,
per-quality-check calibration, seconds per application and per stage, pipeline
crashes, worst cases.
A ratio whose denominator is zero is None, never a made-up 0 or 1.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from models.truth import DocumentTruth, Truth

DECISIONS: tuple[str, ...] = ("pass", "review", "resubmit")
ERROR = "error"
"""The 'decision' of an application the pipeline could not examine at all."""
DECISION_RANK = {"pass": 0, "review": 1, "resubmit": 2, ERROR: 3}

FIELDS: tuple[str, ...] = (
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "expiry_date",
    "document_date",
    "document_number",
    "address.line1",
    "address.city",
    "address.state",
    "address.zip",
)
QUALITY_PREFIX = "image_quality."
QUALITY_CODES: tuple[str, ...] = (
    "IMAGE_BLURRY",
    "IMAGE_LOW_RESOLUTION",
    "IMAGE_TOO_DARK",
    "IMAGE_GLARE",
)
_QUALITY_NAME_HINTS: tuple[tuple[str, str], ...] = (
    ("sharp", "IMAGE_BLURRY"),
    ("blur", "IMAGE_BLURRY"),
    ("resolution", "IMAGE_LOW_RESOLUTION"),
    ("dark", "IMAGE_TOO_DARK"),
    ("exposure", "IMAGE_TOO_DARK"),
    ("bright", "IMAGE_TOO_DARK"),
    ("glare", "IMAGE_GLARE"),
)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class CheckRecord:
    """One check the pipeline ran on a document."""

    name: str
    status: str
    score: float | None = None
    flag: str | None = None
    detail: str | None = None
    """Kept for `stage.*` results only (internal errors), never for value-bearing checks."""


@dataclass(frozen=True)
class DocRecord:
    """What the pipeline said about one document."""

    document_id: str
    document_type: str | None = None
    fields: Mapping[str, object] = field(default_factory=dict)
    """Contract field values (dates ISO strings, `address` a dict)."""
    checks: tuple[CheckRecord, ...] = ()
    flags: tuple[str, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class AppRecord:
    """One labelled application and the pipeline's answer (decision None: not examined)."""

    truth: Truth
    decision: str | None
    flags: tuple[str, ...] = ()
    """Every code of the verdict (application and documents)."""
    documents: tuple[DocRecord, ...] = ()
    seconds: float = 0.0
    error: str | None = None

    @property
    def application_id(self) -> str:
        return self.truth.application_id

    @property
    def got(self) -> str:
        """The decision, or "error" when the application could not be examined."""
        return self.decision or ERROR

    @property
    def correct(self) -> bool:
        return self.decision == self.truth.decision.value


# --------------------------------------------------------------------------- helpers


def ratio(num: int | float, den: int | float) -> float | None:
    """num/den rounded, None when den is 0."""
    return round(num / den, 4) if den else None


def stats(values: Sequence[float]) -> dict[str, float | int | None]:
    """n, mean, min, p10, p50, p90, p95, max of some values (None when empty)."""
    if not values:
        keys = ("mean", "min", "p10", "p50", "p90", "p95", "max")
        return {"n": 0, **dict.fromkeys(keys)}
    arr = np.asarray(values, dtype=float)
    out: dict[str, float | int | None] = {"n": len(values), "mean": round(float(arr.mean()), 4)}
    out["min"] = round(float(arr.min()), 4)
    for p in (10, 50, 90, 95):
        out[f"p{p}"] = round(float(np.percentile(arr, p)), 4)
    out["max"] = round(float(arr.max()), 4)
    return out


# --------------------------------------------------------------------------- normalising

USPS: dict[str, str] = {
    # street suffixes (USPS Publication 28, Appendix C1: the common ones)
    "STREET": "ST", "STR": "ST", "AVENUE": "AVE", "AV": "AVE", "AVEN": "AVE", "ROAD": "RD",
    "DRIVE": "DR", "DRV": "DR", "LANE": "LN", "BOULEVARD": "BLVD", "BOUL": "BLVD",
    "COURT": "CT", "PLACE": "PL", "TERRACE": "TER", "TERR": "TER", "CIRCLE": "CIR",
    "PARKWAY": "PKWY", "PKY": "PKWY", "HIGHWAY": "HWY", "SQUARE": "SQ", "TRAIL": "TRL",
    "EXPRESSWAY": "EXPY", "TURNPIKE": "TPKE", "ALLEY": "ALY", "HEIGHTS": "HTS",
    "POINT": "PT", "CROSSING": "XING", "EXTENSION": "EXT", "RIDGE": "RDG", "HILL": "HL",
    "ROUTE": "RTE", "CENTER": "CTR", "PLAZA": "PLZ", "COVE": "CV", "GROVE": "GRV",
    "MEADOWS": "MDWS", "ESTATES": "EST", "LANDING": "LNDG", "VIEW": "VW", "PATH": "PATH",
    # directionals (C2)
    "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W", "NORTHEAST": "NE",
    "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
    # secondary unit designators (C2)
    "APARTMENT": "APT", "SUITE": "STE", "FLOOR": "FL", "BUILDING": "BLDG", "ROOM": "RM",
    "DEPARTMENT": "DEPT", "UNIT": "UNIT", "NUMBER": "#", "NO": "#",
}  # fmt: skip
"""Spelled-out words and their USPS standard abbreviations."""

_TOKEN = re.compile(r"[A-Z0-9]+|#")


def norm_text(value: object) -> str:
    """Upper case, accents stripped (É -> E), every space and punctuation mark removed."""
    plain = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^0-9A-Z]", "", plain.upper())


def norm_line1(value: object) -> str:
    """An address line in USPS abbreviations, compared without spaces or punctuation."""
    tokens = [USPS.get(t, t) for t in _TOKEN.findall(str(value).upper())]
    return "".join(t for t in tokens if t != "#")


def norm_zip(value: object) -> str:
    """The five-digit ZIP (a ZIP+4 compares on its first five digits)."""
    return re.sub(r"\D", "", str(value))[:5]


def norm_date(value: object) -> str:
    """An ISO date string (first 10 characters), else the normalised text."""
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", text):
        return text[:10]
    return norm_text(text)


def _field_value(fields: Mapping[str, object], name: str) -> object:
    if name.startswith("address."):
        address = fields.get("address")
        return address.get(name.split(".", 1)[1]) if isinstance(address, Mapping) else None
    return fields.get(name)


def _present(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def field_matches(name: str, truth_fields: Mapping[str, object], predicted: object) -> bool:
    """Whether a predicted value equals the printed one, after normalising for the field."""
    expected = _field_value(truth_fields, name)
    if not _present(predicted):
        return False
    if name == "address.line1":
        got = norm_line1(predicted)
        line2 = _field_value(truth_fields, "address.line2")
        accepted = {norm_line1(expected)}
        if _present(line2):  # "12 ELM ST APT 3" in one line is the same address
            accepted.add(norm_line1(f"{expected} {line2}"))
        return got in accepted
    if name == "address.zip":
        return norm_zip(predicted) == norm_zip(expected)
    if name.endswith("_date") or name == "date_of_birth":
        return norm_date(predicted) == norm_date(expected)
    return norm_text(predicted) == norm_text(expected)


# --------------------------------------------------------------------------- metrics


def decision_confusion(records: Sequence[AppRecord]) -> dict[str, object]:
    """Decision accuracy and the confusion matrix (truth rows x predicted columns)."""
    columns = list(DECISIONS) + ([ERROR] if any(r.decision is None for r in records) else [])
    matrix = {t: dict.fromkeys(columns, 0) for t in DECISIONS}
    for r in records:
        matrix[r.truth.decision.value][r.got] += 1
    correct = sum(r.correct for r in records)
    return {
        "n": len(records),
        "correct": correct,
        "accuracy": ratio(correct, len(records)),
        "rows": list(DECISIONS),
        "columns": columns,
        "matrix": [[matrix[t][c] for c in columns] for t in DECISIONS],
    }


def scenario_accuracy(records: Sequence[AppRecord]) -> dict[str, dict[str, object]]:
    """Decision accuracy per scenario."""
    groups: dict[str, list[AppRecord]] = defaultdict(list)
    for r in records:
        groups[r.truth.scenario].append(r)
    out = {}
    for scenario in sorted(groups):
        rs = groups[scenario]
        correct = sum(r.correct for r in rs)
        out[scenario] = {"n": len(rs), "correct": correct, "accuracy": ratio(correct, len(rs))}
    return out


def flag_metrics(records: Sequence[AppRecord]) -> dict[str, dict[str, object]]:
    """Per flag code: tp, fp, fn, precision, recall, support (application level)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        if r.decision is None:
            continue  # not examined: counted in the decision metrics, not here
        expected, got = set(r.truth.flags), set(r.flags)
        for code in expected | got:
            c = counts[code]
            c["tp"] += code in expected and code in got
            c["fp"] += code in got and code not in expected
            c["fn"] += code in expected and code not in got
    out = {}
    for code in sorted(counts):
        c = counts[code]
        out[code] = {
            "tp": c["tp"],
            "fp": c["fp"],
            "fn": c["fn"],
            "support": c["tp"] + c["fn"],
            "precision": ratio(c["tp"], c["tp"] + c["fp"]),
            "recall": ratio(c["tp"], c["tp"] + c["fn"]),
        }
    return out


def clean_false_positives(records: Sequence[AppRecord]) -> dict[str, object]:
    """Share of clean applications with any flag, and which codes fire on them."""
    clean = [r for r in records if r.truth.scenario == "clean" and r.decision is not None]
    flagged = [r for r in clean if r.flags]
    codes = Counter(code for r in clean for code in set(r.flags))
    return {
        "n": len(clean),
        "flagged": len(flagged),
        "rate": ratio(len(flagged), len(clean)),
        "not_pass": sum(r.decision != "pass" for r in clean),
        "codes": dict(codes.most_common()),
    }


def _pairs(records: Sequence[AppRecord]) -> Iterable[tuple[DocumentTruth, DocRecord | None]]:
    """Each truth document with the pipeline's record of it (None when absent)."""
    for r in records:
        if r.decision is None:
            continue
        got = {d.document_id: d for d in r.documents}
        for doc in r.truth.documents:
            yield doc, got.get(doc.document_id)


def field_accuracy(records: Sequence[AppRecord]) -> dict[str, dict[str, object]]:
    """Per field, on legible documents where the truth has a value: n, correct, missing."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FIELDS}
    for truth, got in _pairs(records):
        if not truth.legible:
            continue
        for name in FIELDS:
            if not _present(_field_value(truth.fields, name)):
                continue
            predicted = _field_value(got.fields, name) if got else None
            c = counts[name]
            c["n"] += 1
            c["missing"] += not _present(predicted)
            c["correct"] += field_matches(name, truth.fields, predicted)
    return {
        name: {
            "n": c["n"],
            "correct": c["correct"],
            "missing": c["missing"],
            "accuracy": ratio(c["correct"], c["n"]),
        }
        for name, c in counts.items()
    }


def field_misses(records: Sequence[AppRecord], limit: int = 300) -> list[dict[str, object]]:
    """The wrong or missing fields of legible documents, one row each (application,
    document, true type, field, expected, got), for diagnosis; the first `limit`."""
    rows: list[dict[str, object]] = []
    for r in records:
        if r.decision is None:
            continue
        got = {d.document_id: d for d in r.documents}
        for truth in r.truth.documents:
            if not truth.legible:
                continue
            doc = got.get(truth.document_id)
            for name in FIELDS:
                expected = _field_value(truth.fields, name)
                if not _present(expected):
                    continue
                predicted = _field_value(doc.fields, name) if doc else None
                if field_matches(name, truth.fields, predicted):
                    continue
                rows.append(
                    {
                        "application_id": r.truth.application_id,
                        "document_id": truth.document_id,
                        "document_type": truth.document_type.value,
                        "field": name,
                        "expected": expected,
                        "got": predicted,
                    }
                )
    return rows[:limit]


def doctype_accuracy(records: Sequence[AppRecord], top: int = 10) -> dict[str, object]:
    """Document-type accuracy over every document (and over legible ones only: a truncated
    file or a page blurred past reading has no type to find), and the most common mistakes."""
    n = correct = legible_n = legible_correct = 0
    mistakes: Counter[tuple[str, str]] = Counter()
    for truth, got in _pairs(records):
        expected = truth.document_type.value
        predicted = (got.document_type if got else None) or "none"
        n += 1
        legible_n += truth.legible
        if predicted == expected:
            correct += 1
            legible_correct += truth.legible
        else:
            mistakes[(expected, predicted)] += 1
    return {
        "n": n,
        "correct": correct,
        "accuracy": ratio(correct, n),
        "legible_n": legible_n,
        "legible_accuracy": ratio(legible_correct, legible_n),
        "mistakes": [
            {"expected": e, "got": g, "count": k} for (e, g), k in mistakes.most_common(top)
        ],
    }


def quality_code(name: str, seen_flags: Iterable[str]) -> str | None:
    """The flag a quality check raises: as seen in the results, else guessed from its name."""
    seen = Counter(f for f in seen_flags if f)
    if seen:
        return seen.most_common(1)[0][0]
    lowered = name.lower()
    return next((code for hint, code in _QUALITY_NAME_HINTS if hint in lowered), None)


def best_threshold(good: Sequence[float], bad: Sequence[float]) -> dict[str, float] | None:
    """The score cut (flag when score < cut) with the best F1 for catching defective ones."""
    if not good or not bad:
        return None
    values = sorted(set(good) | set(bad))
    cuts = [values[0]] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
    cuts.append(values[-1] + 1e-9)
    best: dict[str, float] | None = None
    for cut in cuts:
        tp = sum(s < cut for s in bad)
        fp = sum(s < cut for s in good)
        f1 = 2 * tp / (2 * tp + fp + (len(bad) - tp)) if tp else 0.0
        if best is None or f1 > best["f1"]:
            best = {"threshold": round(cut, 4), "f1": round(f1, 4)}
    return best


def quality_calibration(records: Sequence[AppRecord]) -> dict[str, dict[str, object]]:
    """Per `image_quality.*` check: precision/recall of its flag and score distributions.

    A document is "defective" for a check when its truth flags hold the check's flag
    code (any image-quality code for a check whose code is unknown); the check "fires"
    when its status is fail or it raised a flag. Scores are split good vs defective.
    """
    results: dict[str, list[tuple[CheckRecord, DocumentTruth]]] = defaultdict(list)
    for truth, got in _pairs(records):
        for check in got.checks if got else ():
            if check.name.startswith(QUALITY_PREFIX):
                results[check.name].append((check, truth))
    out: dict[str, dict[str, object]] = {}
    for name in sorted(results):
        pairs = results[name]
        code = quality_code(name, (c.flag for c, _ in pairs if c.flag))
        counts: Counter[str] = Counter()
        good: list[float] = []
        bad: list[float] = []
        for check, truth in pairs:
            defective = code in truth.flags if code else bool(set(QUALITY_CODES) & set(truth.flags))
            fired = check.status == "fail" or check.flag is not None
            counts[("t" if fired == defective else "f") + ("p" if fired else "n")] += 1
            if check.score is not None:
                (bad if defective else good).append(float(check.score))
        out[name] = {
            "flag": code,
            "n": len(pairs),
            **{k: counts[k] for k in ("tp", "fp", "fn", "tn")},
            "precision": ratio(counts["tp"], counts["tp"] + counts["fp"]),
            "recall": ratio(counts["tp"], counts["tp"] + counts["fn"]),
            "good": stats(good),
            "defective": stats(bad),
            "suggested_threshold": best_threshold(good, bad),
            "good_scores": [round(s, 4) for s in good],
            "defective_scores": [round(s, 4) for s in bad],
        }
    return out


def timing(records: Sequence[AppRecord]) -> dict[str, object]:
    """Seconds per application and per stage (per document that ran it, and share of all)."""
    examined = [r for r in records if r.decision is not None]
    per_stage: dict[str, list[float]] = defaultdict(list)
    for r in examined:
        for doc in r.documents:
            for stage, seconds in doc.timings.items():
                per_stage[stage].append(float(seconds))
    total = sum(sum(v) for v in per_stage.values())
    stages = {}
    for stage, values in per_stage.items():
        s = stats(values)
        stages[stage] = {
            "total": round(sum(values), 4),
            "share": ratio(sum(values), total),
            **{k: s[k] for k in ("n", "mean", "p50", "p95", "max")},
        }
    return {
        "application": stats([r.seconds for r in examined]),
        "stages": stages,
        "stage_total": round(total, 4),
    }


def processing_errors(records: Sequence[AppRecord]) -> dict[str, object]:
    """Documents stopped by a pipeline crash (`stage.*` checks), by stage and error."""
    crashes: Counter[str] = Counter()
    for r in records:
        for doc in r.documents:
            for check in doc.checks:
                if check.name.startswith("stage.") and check.status == "fail":
                    crashes[f"{check.name}: {check.detail or '?'}"] += 1
    errors = Counter(r.error.split(":", 1)[0] for r in records if r.error)
    return {"documents": dict(crashes.most_common()), "applications": dict(errors.most_common())}


def worst_cases(records: Sequence[AppRecord], n: int = 10) -> list[dict[str, object]]:
    """Up to n applications with a wrong decision, the most wrong (rank distance) first."""
    wrong = [r for r in records if not r.correct]

    def distance(r: AppRecord) -> int:
        return abs(DECISION_RANK[r.got] - DECISION_RANK[r.truth.decision.value])

    wrong.sort(key=lambda r: (-distance(r), r.application_id))
    return [application_row(r) for r in wrong[:n]]


def application_row(r: AppRecord) -> dict[str, object]:
    """One application's expected vs got, for the JSON report and the worst-cases list."""
    expected, got = set(r.truth.flags), set(r.flags)
    return {
        "application_id": r.application_id,
        "scenario": r.truth.scenario,
        "expected_decision": r.truth.decision.value,
        "got_decision": r.got,
        "correct": r.correct,
        "expected_flags": sorted(expected),
        "got_flags": sorted(got),
        "missing_flags": sorted(expected - got),
        "extra_flags": sorted(got - expected),
        "seconds": round(r.seconds, 4),
        "error": r.error,
    }


def summarise(records: Sequence[AppRecord]) -> dict[str, object]:
    """The whole evaluation report as a JSON-ready dict."""
    return {
        "applications": len(records),
        "errors": sum(r.decision is None for r in records),
        "decision": decision_confusion(records),
        "scenarios": scenario_accuracy(records),
        "flags": flag_metrics(records),
        "clean": clean_false_positives(records),
        "fields": field_accuracy(records),
        "field_misses": field_misses(records),
        "document_types": doctype_accuracy(records),
        "quality": quality_calibration(records),
        "timing": timing(records),
        "processing_errors": processing_errors(records),
        "worst_cases": worst_cases(records),
        "rows": [application_row(r) for r in records],
    }
