"""The decision (quyết định khen thưởng) with its annexed list, as a registered document kind."""

from thidua.core.text import fold
from thidua.decisions.access import get_decision_for
from thidua.documents.context import counts, dated, grounds, heading, money, nfc
from thidua.documents.kinds import DocumentKind, register


def decision_context(decision) -> dict:
    awards = list(decision.awards.all())
    head = heading(decision.issuer, decision.issued_on)
    return {
        **head,
        **dated(decision.place, decision.issued_on),
        "authority_upper": f"CHỦ TỊCH {head['issuer_upper']}",
        "number_label": decision.number_label,
        "award_form": nfc(decision.award_form.name),
        "grounds": grounds(decision.legal_grounds),
        "counts": counts(a.kind for a in awards),
        "movement": nfc(decision.movement.title),
        "total_cash": money(sum(a.cash for a in awards)),
        "capacity": decision.signer_capacity,
        "signer_title": decision.signer_title,
        "signer_name": nfc(str(decision.signer)),
        "awards": [{
            "order": a.order, "name": nfc(a.name),
            "where": nfc(" – ".join(p for p in [a.position, a.unit_name] if p)),
            "cash": money(a.cash), "citation": nfc(a.citation),
        } for a in awards],
    }


def _may_upload_signed(user, decision) -> bool:
    """The secretariat files the signed, stamped original once the chairman has issued it."""
    return decision.state == decision.State.ISSUED and user.has_perm("decisions.draft",
                                                                     decision.movement)


DECISION = register(DocumentKind(
    key="decision", title="Quyết định khen thưởng",
    required_fields=frozenset({"number_label", "award_form", "awards", "signer_name"}),
    context=decision_context, fetch=get_decision_for,
    organisation=lambda decision: decision.issuer,
    file_name=lambda d: fold(f"quyet-dinh-{d.number}-{d.year}"),
    may_upload_signed=_may_upload_signed,
))
