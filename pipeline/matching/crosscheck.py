"""Which side looks wrong: the profile, or the document?

The CT profile is typed by the certifying provider, so a mismatch may be the profile's
typo. `explain_profile_side(documents, ctx)` looks at each NAME_MISMATCH, DOB_MISMATCH
and ADDRESS_MISMATCH and at the other documents of the application: when another
document agrees with the flagged one (but not with the profile) the profile is the likely
error; when another document agrees with the profile, the flagged document is the odd one
out. Only documents of the other role count (a licence's back does not corroborate its
front). The flag's message gains that sentence and its evidence a `likely_wrong` entry.
An odd one out whose address differs only by a street name a slip away from the profile's
(`doubts.street_slip`) is taken for a misread: a warning.
"""

from __future__ import annotations

from dataclasses import replace

from models.flags import FlagCode
from models.internal import CheckResult, DocumentState, FieldValue, ReadAddress
from pipeline.context import Context
from pipeline.matching.addresses import compare_addresses, parse_address
from pipeline.matching.doubts import street_slip
from pipeline.matching.names import compare_names, person_name
from pipeline.matching.reconcile import demote

_FIELD_OF = {
    FlagCode.NAME_MISMATCH: "name",
    FlagCode.DOB_MISMATCH: "date of birth",
    FlagCode.ADDRESS_MISMATCH: "address",
}


def _name(doc: DocumentState) -> tuple[str | None, ...] | None:
    values = tuple(
        str(doc.fields[k].value) if k in doc.fields else None
        for k in ("first_name", "middle_name", "last_name", "suffix")
    )
    return values if values[0] or values[2] else None


def _address(fv: FieldValue | None) -> ReadAddress | None:
    return fv.value if fv is not None and isinstance(fv.value, ReadAddress) else None


def _agree(kind: str, a: DocumentState, b: DocumentState, ctx: Context) -> bool | None:
    """Whether two documents show the same value (None: the other shows none)."""
    cfg = ctx.config.match
    if kind == "name":
        na, nb = _name(a), _name(b)
        if na is None or nb is None:
            return None
        match = compare_names(person_name(*na), person_name(*nb), tolerant=True)
        return match.similarity >= cfg.name_pass
    if kind == "date of birth":
        da, db = a.fields.get("date_of_birth"), b.fields.get("date_of_birth")
        return None if da is None or db is None else da.value == db.value
    ra, rb = _address(a.fields.get("address")), _address(b.fields.get("address"))
    if ra is None or rb is None:
        return None
    pa = parse_address(ra.line1, ra.line2, ra.city, ra.state, ra.zip)
    pb = parse_address(rb.line1, rb.line2, rb.city, rb.state, rb.zip)
    match = compare_addresses(pa, pb, street_min=cfg.address_street_min, city_min=cfg.city_min)
    return bool(match.components) and not match.differing


def _passed(doc: DocumentState, flag: FlagCode) -> bool:
    name = {
        FlagCode.NAME_MISMATCH: "match.name",
        FlagCode.DOB_MISMATCH: "match.date_of_birth",
        FlagCode.ADDRESS_MISMATCH: "match.address",
    }[flag]
    return any(r.name == name and r.status == "pass" for r in doc.checks)


def _explain(
    result: CheckResult, doc: DocumentState, others: list[DocumentState], ctx: Context
) -> CheckResult:
    flag = FlagCode(result.flag) if result.flag else None
    if flag not in _FIELD_OF:
        return result
    kind = _FIELD_OF[flag]
    for other in others:
        agree = _agree(kind, doc, other, ctx)
        if agree and not _passed(other, flag):
            sentence = (
                f" Document {other.document_id} ({other.role}) shows the same {kind}, so the "
                "profile entered by the provider is the likely error (correctable through the "
                "provider's office)."
            )
            return _with(result, sentence, "profile", other.document_id)
        if agree is False and _passed(other, flag):
            if _street_slip_only(result, ctx):
                return demote(
                    result,
                    f"document {other.document_id} ({other.role}) shows the profile's street; "
                    "this one's is a slip of a few letters away from it: a misread",
                )
            sentence = (
                f" Document {other.document_id} ({other.role}) agrees with the profile, so this "
                "document is the odd one out."
            )
            return _with(result, sentence, "document", other.document_id)
    return result


def _street_slip_only(result: CheckResult, ctx: Context) -> bool:
    """An ADDRESS_MISMATCH whose only difference is a street name a slip away from the
    profile's ('WHIMEY' read at 0.90 for 'WHITNEY' on a letter, CT-O4105-0040)."""
    evidence = result.evidence or {}
    if result.flag != FlagCode.ADDRESS_MISMATCH or evidence.get("differing") != ["street"]:
        return False
    street = evidence.get("components", {}).get("street", {})  # type: ignore[union-attr]
    return street_slip(street.get("read"), street.get("profile"), ctx.config.match)


def _with(result: CheckResult, sentence: str, side: str, other_id: str) -> CheckResult:
    evidence = {**(result.evidence or {}), "likely_wrong": side, "compared_with": other_id}
    return replace(result, message=(result.message or "") + sentence, evidence=evidence)


def explain_profile_side(
    documents: tuple[DocumentState, ...], ctx: Context
) -> tuple[DocumentState, ...]:
    """The documents with their mismatch flags' messages saying which side looks wrong."""
    out = []
    for doc in documents:
        others = [
            d for d in documents if d.role != doc.role and d.role in {"identity", "residency"}
        ]
        checks = tuple(_explain(r, doc, others, ctx) if r.flag else r for r in doc.checks)
        out.append(replace(doc, checks=checks))
    return tuple(out)
