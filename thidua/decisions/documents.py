"""The decision (quyết định khen thưởng) with its annexed list, as a registered document kind."""

from django.http import Http404

from thidua.core.text import fold
from thidua.decisions.access import get_decision_for, get_proposal_for
from thidua.documents.context import counts, dated, grounds, heading, money, nfc
from thidua.documents.kinds import DocumentKind, register


def plan_grounds(movement, last: str, law: str = "Căn cứ Luật Tổ chức chính quyền địa phương "
                 "ngày 19/6/2015;") -> str:
    """The usual grounds (căn cứ), one per line: the law, the rule set's legal basis, the
    movement's plan, and ``last`` (whose proposal it follows)."""
    return "\n".join([
        law,
        f"Căn cứ {movement.rule_set.legal_basis.rstrip('.')};",
        f"Căn cứ {movement.document_kind} số {movement.number} ngày "
        f"{movement.issued_on:%d/%m/%Y} của {movement.issuer.name};",
        last,
    ])


def _where(award) -> str:
    return nfc(" – ".join(p for p in [award.position, award.unit_name] if p))


def _decision_head(decision, awards) -> dict:
    """What every decision says around its list: heading, date, authority, grounds, signer."""
    head = heading(decision.issuer, decision.issued_on)
    return {
        **head,
        **dated(decision.place, decision.issued_on),
        "authority_upper": f"{decision.authority_title} {head['issuer_upper']}",
        "number_label": decision.number_label,
        "award_form": nfc(decision.award_form.name),
        "grounds": grounds(decision.legal_grounds),
        "counts": counts(a.kind for a in awards),
        "capacity": decision.signer_capacity,
        "signer_title": decision.signer_title,
        "signer_name": nfc(str(decision.signer)),
    }


def decision_context(decision) -> dict:
    awards = list(decision.awards.all())
    return {
        **_decision_head(decision, awards),
        "movement": nfc(decision.movement.title),
        "total_cash": money(sum(a.cash for a in awards)),
        "awards": [{"order": a.order, "name": nfc(a.name), "where": _where(a),
                    "cash": money(a.cash), "citation": nfc(a.citation)} for a in awards],
    }


def amendment_context(decision) -> dict:
    """Quyết định sửa đổi: which decision it corrects, and each line as it was and as it is now."""
    awards = list(decision.awards.select_related("replaces"))
    original = decision.amends
    return {
        **_decision_head(decision, awards),
        "original_number": original.number_label,
        "original_date": original.issued_on.strftime("%d/%m/%Y"),
        "original_issuer": nfc(original.issuer.name_on(original.issued_on)),
        "lines": [{
            "order": a.order,
            "was": nfc(a.replaces.name), "was_where": _where(a.replaces),
            "name": nfc(a.name), "where": _where(a),
            "citation_changed": a.citation != a.replaces.citation, "citation": nfc(a.citation),
            "was_text": " – ".join(p for p in [nfc(a.replaces.name), _where(a.replaces)] if p),
            "now_text": " – ".join(p for p in [nfc(a.name), _where(a)] if p)
            + (f". Lời khen: {nfc(a.citation)}" if a.citation != a.replaces.citation else ""),
        } for a in awards],
    }


def _fetcher(kind: str):
    """The decision, as that kind of document only: an amending decision is not read as an
    award decision, nor the reverse."""
    def fetch(user, pk):
        decision = get_decision_for(user, pk)
        if decision.document_kind != kind:
            raise Http404
        return decision
    return fetch


def _may_upload_signed(user, decision) -> bool:
    """Whoever prepared it files the signed, stamped original once it is issued."""
    return decision.state == decision.State.ISSUED and user.has_perm("decisions.manage", decision)


DECISION = register(DocumentKind(
    key="decision", title="Quyết định khen thưởng",
    required_fields=frozenset({"number_label", "award_form", "awards", "signer_name"}),
    context=decision_context, fetch=_fetcher("decision"),
    organisation=lambda decision: decision.issuer,
    file_name=lambda d: fold(f"quyet-dinh-{d.number}-{d.year}"),
    may_upload_signed=_may_upload_signed,
    # About 11 ms a line as PDF: from 50 lines (half a second) it is rendered by the worker.
    size=lambda d: d.awards.count(),
))


def proposal_context(proposal) -> dict:
    items = list(proposal.items.all())
    head = heading(proposal.proposer, proposal.dated_on)
    return {
        **head,
        **dated(proposal.place, proposal.dated_on),
        "issuer_name": nfc(proposal.proposer.name_on(proposal.dated_on)),
        "number_label": proposal.number_label,
        "recipient": nfc(proposal.recipient),
        "award_form": nfc(proposal.award_form.name),
        "grounds": grounds(proposal.grounds),
        "counts": counts(i.kind for i in items),
        "movement": nfc(proposal.movement.title),
        "capacity": proposal.signer_capacity,
        "signer_title": proposal.signer_title,
        "signer_name": nfc(str(proposal.signer)),
        "items": [{
            "order": i.order, "name": nfc(i.name),
            "where": nfc(" – ".join(p for p in [i.position, i.unit_name] if p)),
            "achievements": nfc(i.achievements),
        } for i in items],
    }


def _may_upload_signed_proposal(user, proposal) -> bool:
    """The secretariat files the chairman's signed proposal (before or after sending it)."""
    return proposal.state != proposal.State.DECIDED and user.has_perm("decisions.draft",
                                                                       proposal.movement)


UPWARD_PROPOSAL = register(DocumentKind(
    key="upward_proposal", title="Tờ trình đề nghị cấp trên khen thưởng",
    required_fields=frozenset({"number_label", "recipient", "award_form", "items", "signer_name"}),
    context=proposal_context, fetch=get_proposal_for,
    organisation=lambda proposal: proposal.proposer,
    file_name=lambda p: f"to-trinh-{p.number}-{p.year}",
    may_upload_signed=_may_upload_signed_proposal,
    size=lambda p: p.items.count(),
))


AMENDMENT = register(DocumentKind(
    key="amendment", title="Quyết định sửa đổi",
    required_fields=frozenset({"number_label", "original_number", "lines", "signer_name"}),
    context=amendment_context, fetch=_fetcher("amendment"),
    organisation=lambda decision: decision.issuer,
    file_name=lambda d: f"quyet-dinh-sua-doi-{d.number}-{d.year}",
    may_upload_signed=_may_upload_signed,
    size=lambda d: d.awards.count(),
))
