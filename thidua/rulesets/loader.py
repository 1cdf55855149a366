"""Load rule sets from YAML. Idempotent: a second load of the same file changes no row.

Ratios are written as the law words them — ``quorum: "2/3"``, ``threshold: "90%"`` — and read
as exact fractions; a bare number or a decimal is refused, like a text longer than its field, with
a message naming the row and the field, and nothing is written.
"""

from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import activity
from thidua.core.loading import sync_row
from thidua.rulesets.models import AwardForm, BaseSalary, DocumentRequirement, RuleSet
from thidua.rulesets.ratios import RatioError, parse_ratio

DEFAULT_PATH = Path(__file__).parent / "fixtures" / "rulesets.yaml"


def _decimal(value):
    return None if value is None else Decimal(str(value))


def _where(model, row: dict) -> str:
    named = row.get("code") or row.get("name") or row.get("note") or row.get("valid_from") or "?"
    return f"{str(model._meta.verbose_name).capitalize()} “{named}”"


def _ratio(value, model, row, name, *, required=False):
    """``value`` ("2/3", "90%") as an exact fraction; None when absent and not required."""
    if value is None and not required:
        return None
    try:
        return parse_ratio(value if isinstance(value, str) else str(value))
    except RatioError as error:
        label = model._meta.get_field(name).verbose_name
        raise ValidationError(_("%(where)s, trường “%(field)s”: %(error)s")
                              % {"where": _where(model, row), "field": label,
                                 "error": error}) from None


def _checked(model, row: dict, fields: dict) -> dict:
    """``fields`` when every text fits its column; else a ValidationError naming the row, the
    field, its length and the limit."""
    for name, value in fields.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            raise ValidationError(
                _("%(where)s, trường “%(field)s”: dài %(length)s ký tự, tối đa %(limit)s ký tự.")
                % {"where": _where(model, row), "field": model._meta.get_field(name).verbose_name,
                   "length": len(value), "limit": limit})
    return fields


def _award_form_fields(data: dict, order: int) -> dict:
    vote = data.get("vote") or {}
    cash = data.get("cash") or {}
    return _checked(AwardForm, data, {
        "name": data["name"],
        "short_name": data.get("short_name", ""),
        "category": data["category"],
        "authority": data["authority"],
        "authority_level": data["authority_level"],
        "proposer_levels": list(data.get("proposer_levels", [])),
        "for_individuals": data.get("for_individuals", True),
        "for_collectives": data.get("for_collectives", True),
        "vote_threshold": _ratio(vote.get("threshold"), AwardForm, data, "vote_threshold"),
        "vote_comparison": vote.get("comparison", "at_least"),
        "vote_base": vote.get("base", "present"),
        "secret_ballot": vote.get("secret", True),
        "disclosure_working_days": data.get("disclosure_working_days"),
        "processing_working_days": data.get("processing_working_days"),
        "cash_multiplier_individual": _decimal(cash.get("individual")),
        "cash_multiplier_collective": _decimal(cash.get("collective")),
        "retention_years": data.get("retention_years"),
        "order": order,
        "note": (data.get("note") or "").strip(),
        "unverified_fields": list(data.get("unverified", [])),
    })


@transaction.atomic
def load_rule_sets(path: Path = DEFAULT_PATH) -> dict[str, int]:
    """Create or update every rule set in ``path``; returns how many rows were written."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    written = {"base_salaries": 0, "rule_sets": 0, "award_forms": 0, "requirements": 0}
    for row in data.get("base_salaries", []):
        _, changed = sync_row(BaseSalary, {"valid_from": row["valid_from"]}, _checked(
            BaseSalary, row, {
                "amount": row["amount"], "legal_reference": row["legal_reference"],
                "unverified_fields": list(row.get("unverified", [])),
            }))
        written["base_salaries"] += changed
    for row in data["rule_sets"]:
        rule_set, changed = sync_row(RuleSet, {"code": str(row["code"])}, _checked(RuleSet, row, {
            "name": row["name"],
            "legal_basis": " ".join(row["legal_basis"].split()),
            "valid_from": row["valid_from"],
            "valid_to": row.get("valid_to"),
            "quorum": _ratio(row.get("quorum"), RuleSet, row, "quorum", required=True),
            "recusals_leave_base": row.get("recusals_leave_base", False),
            "written_votes_count": row.get("written_votes_count", True),
            "note": " ".join((row.get("note") or "").split()),
            "unverified_fields": list(row.get("unverified", [])),
        }))
        written["rule_sets"] += changed
        excluded = set(row.get("exclude_forms", []))
        overrides = row.get("override_forms", {})
        forms = {}
        for order, form in enumerate(row["award_forms"], start=1):
            if form["code"] in excluded:
                continue
            form = {**form, **overrides.get(form["code"], {})}
            forms[form["code"]], changed = sync_row(
                AwardForm, {"rule_set": rule_set, "code": form["code"]},
                _award_form_fields(form, order),
            )
            written["award_forms"] += changed
        for order, req in enumerate(row.get("document_requirements", []), start=1):
            lookup = {
                "rule_set": rule_set,
                "award_form": forms.get(req["award_form"]) if req.get("award_form") else None,
                "nominee_kind": req.get("nominee_kind", "any"),
                "procedure": req.get("procedure", "any"),
                "document_type": req["document_type"],
                "provided_by": req.get("provided_by", "unit"),
            }
            _, changed = sync_row(DocumentRequirement, lookup, _checked(DocumentRequirement, req, {
                "original": req.get("original", True),
                "count": req.get("count", 1),
                "per_nominee": req.get("per_nominee", False),
                "order": req.get("order", order),
                "note": req.get("note", ""),
                "unverified_fields": list(req.get("unverified", [])),
            }))
            written["requirements"] += changed
    if any(written.values()):
        activity.record("rulesets.loaded", after={"path": str(path), **written})
    return written
