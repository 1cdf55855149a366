"""Load a movement and its plan structure from YAML. Loading the same file twice changes nothing.

Children (content areas, criteria, plan items, …) are matched by their code, so a corrected
fixture updates rows in place and links from other records (registrations, dossiers) survive.
"""

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.core import activity
from thidua.core.loading import sync_row
from thidua.core.text import nfc
from thidua.movements import actions
from thidua.movements.models import (
    ContentArea,
    Criterion,
    DossierComponent,
    Movement,
    MovementAwardForm,
    ParentDocument,
    PlanItem,
)
from thidua.orgs.models import Organisation
from thidua.rulesets.models import AwardForm, RuleSet

FIXTURES = Path(__file__).parent / "fixtures"
SEED_PLAN = FIXTURES / "ke-hoach-23-KH-UBND-2021.yaml"


def _text(value) -> str:
    # Folded YAML scalars may carry stray spaces; NFC keeps search and PDFs consistent.
    return nfc(value)


def _org(code):
    if code is None:
        return None
    try:
        return Organisation.objects.get(code=code)
    except Organisation.DoesNotExist:
        raise ValidationError(f"Không tìm thấy tổ chức có mã “{code}”.") from None


class _Counter:
    def __init__(self):
        self.written = 0

    def sync(self, model, lookup, fields):
        obj, changed = sync_row(model, lookup, fields)
        self.written += changed
        return obj


def _sync_m2m(counter, manager, wanted):
    current = set(manager.values_list("pk", flat=True))
    target = {o.pk for o in wanted}
    if current != target:
        manager.set(wanted)
        counter.written += 1


def _sync_participants(movement, spec) -> int:
    """Add the participants the fixture names (by kind and level under the issuer, and one by
    one by code) that the movement does not have yet; never removes one."""
    wanted = []
    for group in spec.get("by_kind_and_level", []):
        wanted.extend(actions.organisations_by(movement, kinds=group.get("kinds", ()),
                                               levels=group.get("levels", ())))
    wanted.extend(_org(code) for code in spec.get("organisations", []))
    have = set(movement.participants.values_list("organisation_id", flat=True))
    missing = list({o.pk: o for o in wanted if o.pk not in have}.values())
    if not missing:
        return 0
    return actions.add_participants(movement, by=None, organisations=missing)


@transaction.atomic
def load_movement(path: Path = SEED_PLAN) -> tuple[Movement, int]:
    """Create or update the movement in ``path``; returns it and the number of rows written."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    m = data["movement"]
    counter = _Counter()
    try:
        rule_set = RuleSet.objects.get(code=str(m["rule_set"]))
    except RuleSet.DoesNotExist:
        raise ValidationError(f"Chưa có bộ quy tắc “{m['rule_set']}”: hãy nạp bộ quy tắc trước.") from None
    movement = counter.sync(Movement, {"slug": m["slug"]}, {
        "number": m["number"],
        "document_kind": m.get("document_kind", "Kế hoạch"),
        "title": _text(m["title"]),
        "short_title": _text(m["short_title"]),
        "issuer": _org(m["issuer"]),
        "issued_on": m["issued_on"],
        "launched_on": m["launched_on"],
        "ends_on": m.get("ends_on"),
        "place": _text(m.get("place", "")),
        "signer_name": _text(m["signer"]["name"]),
        "signer_title": _text(m["signer"]["title"]),
        "signer_capacity": _text(m["signer"].get("capacity", "")),
        "scope": m["scope"],
        "stream": m["stream"],
        "rule_set": rule_set,
        "receiving_office": _org(m["receiving_office"]),
        "council_secretariat": _org(m["council_secretariat"]),
        "award_standard": _text(data.get("award_standard", "")),
        "criteria_intro": _text(data.get("criteria_intro", "")),
    })
    _sync_m2m(counter, movement.communications_editors,
              [_org(c) for c in m.get("communications_editors", [])])

    for order, row in enumerate(data.get("parents", []), start=1):
        counter.sync(ParentDocument, {"movement": movement, "number": row["number"]}, {
            "issued_on": row["issued_on"], "issuer_name": _text(row["issuer_name"]),
            "issuer": _org(row.get("issuer")), "title": _text(row["title"]), "order": order,
        })
    for order, row in enumerate(data["content_areas"], start=1):
        counter.sync(ContentArea, {"movement": movement, "code": row["code"]}, {
            "title": _text(row["title"]), "text": _text(row["text"]), "order": order,
        })
    for order, row in enumerate(data["criteria"], start=1):
        counter.sync(Criterion, {"movement": movement, "code": row["code"]}, {
            "participant_kind": row["participant_kind"], "title": _text(row["title"]),
            "text": _text(row["text"]), "order": order,
        })
    sections = {
        "purposes": PlanItem.Section.PURPOSE,
        "solutions": PlanItem.Section.SOLUTION,
        "honouree_groups": PlanItem.Section.HONOUREE_GROUP,
        "procedure": PlanItem.Section.PROCEDURE_STEP,
        "responsibilities": PlanItem.Section.RESPONSIBILITY,
    }
    for key, section in sections.items():
        for order, row in enumerate(data.get(key, []), start=1):
            responsible = row.get("responsible") or row.get("actor") or ""
            # A value outside the choices would be printed raw ("unit") on the movement page.
            if responsible not in PlanItem.Responsible.values:
                raise ValidationError(
                    f"Mục {row['code']}: “{responsible}” không phải là chủ thể thực hiện hợp lệ "
                    f"({', '.join(v for v in PlanItem.Responsible.values if v)}).")
            item = counter.sync(PlanItem, {"movement": movement, "section": section,
                                           "code": row["code"]}, {
                "title": _text(row.get("title", "")),
                "text": _text(row["text"]),
                "responsible": responsible,
                "order": order,
            })
            _sync_m2m(counter, item.organisations,
                      [_org(c) for c in row.get("organisations", [])])
    for order, row in enumerate(data.get("award_forms", []), start=1):
        try:
            form = AwardForm.objects.get(rule_set=rule_set, code=row["award_form"])
        except AwardForm.DoesNotExist:
            raise ValidationError(
                f"Bộ quy tắc “{rule_set.code}” không có hình thức “{row['award_form']}”."
            ) from None
        counter.sync(MovementAwardForm, {"movement": movement, "award_form": form}, {
            "note": _text(row.get("note", "")), "order": order,
        })
    for order, row in enumerate(data.get("dossier_components", []), start=1):
        counter.sync(DossierComponent, {
            "movement": movement, "document_type": row["document_type"],
            "provided_by": row["provided_by"],
        }, {
            "original": row.get("original", True), "count": row.get("count", 1),
            "per_nominee": row.get("per_nominee", False), "text": _text(row["text"]),
            "order": order,
        })
    counter.written += _sync_participants(movement, data.get("participants", {}))
    if m.get("status", Movement.Status.DRAFT) != Movement.Status.DRAFT \
            and movement.status == Movement.Status.DRAFT:
        # Launching goes through the action, as in the product: participants are notified.
        movement = actions.launch_movement(movement, by=None)
        counter.written += 1
    if counter.written:
        activity.record("movement.loaded", target=movement, organisation=movement.issuer,
                        after={"path": Path(path).name, "rows_written": counter.written})
    return movement, counter.written
