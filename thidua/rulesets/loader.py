"""Load rule sets from YAML. Idempotent: a second load of the same file changes no row."""

from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from thidua.core import activity
from thidua.core.loading import sync_row
from thidua.rulesets.models import AwardForm, BaseSalary, DocumentRequirement, RuleSet

DEFAULT_PATH = Path(__file__).parent / "fixtures" / "rulesets.yaml"


def _decimal(value):
    return None if value is None else Decimal(str(value))


def _award_form_fields(data: dict, order: int) -> dict:
    vote = data.get("vote") or {}
    cash = data.get("cash") or {}
    return {
        "name": data["name"],
        "short_name": data.get("short_name", ""),
        "category": data["category"],
        "authority": data["authority"],
        "authority_level": data["authority_level"],
        "proposer_levels": list(data.get("proposer_levels", [])),
        "for_individuals": data.get("for_individuals", True),
        "for_collectives": data.get("for_collectives", True),
        "vote_threshold_percent": vote.get("threshold"),
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
    }


@transaction.atomic
def load_rule_sets(path: Path = DEFAULT_PATH) -> dict[str, int]:
    """Create or update every rule set in ``path``; returns how many rows were written."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    written = {"base_salaries": 0, "rule_sets": 0, "award_forms": 0, "requirements": 0}
    for row in data.get("base_salaries", []):
        _, changed = sync_row(BaseSalary, {"valid_from": row["valid_from"]}, {
            "amount": row["amount"], "legal_reference": row["legal_reference"],
            "unverified_fields": list(row.get("unverified", [])),
        })
        written["base_salaries"] += changed
    for row in data["rule_sets"]:
        rule_set, changed = sync_row(RuleSet, {"code": str(row["code"])}, {
            "name": row["name"],
            "legal_basis": " ".join(row["legal_basis"].split()),
            "valid_from": row["valid_from"],
            "valid_to": row.get("valid_to"),
            "quorum_percent": row["quorum_percent"],
            "recusals_leave_base": row.get("recusals_leave_base", True),
            "written_votes_count": row.get("written_votes_count", True),
            "note": " ".join((row.get("note") or "").split()),
            "unverified_fields": list(row.get("unverified", [])),
        })
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
            _, changed = sync_row(DocumentRequirement, lookup, {
                "original": req.get("original", True),
                "count": req.get("count", 1),
                "per_nominee": req.get("per_nominee", False),
                "order": req.get("order", order),
                "note": req.get("note", ""),
                "unverified_fields": list(req.get("unverified", [])),
            })
            written["requirements"] += changed
    if any(written.values()):
        activity.record("rulesets.loaded", after={"path": str(path), **written})
    return written
