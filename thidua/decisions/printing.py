"""The words printed on each Giấy khen of a decision, for the page download and the task worker.

Nothing here needs a request: the worker builds the same texts long after the request that asked
for them, from the address it was made to (``base_url``).
"""

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from thidua.core.text import nfc
from thidua.decisions import verification
from thidua.documents import certificates


def site_base_url(request) -> str:
    """The scheme, host and script prefix the site is reached at, e.g. ``https://tdkt.gov.vn/``."""
    return request.build_absolute_uri(get_script_prefix())


def absolute_url(base_url: str, path: str) -> str:
    """``path`` from reverse() on ``base_url``; the prefix is dropped first so a site served
    under a sub-path (which base_url already carries) does not get it twice."""
    prefix = get_script_prefix()
    if path.startswith(prefix):
        path = path[len(prefix):]
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def verify_url(base_url: str, award) -> str:
    """The QR code's link: the public verification page of the serial, with the award's code
    (``?ma=``) that lets the page show who was awarded."""
    url = absolute_url(base_url, reverse("verify", args=[award.serial or "-"]))
    return f"{url}?ma={award.verify_code}" if award.verify_code else url


def certificate_signer(decision) -> str:
    """The signature block of a Giấy khen: the chairman's (or the head's) own award, so signed
    in their own name — "CHỦ TỊCH", not "TM. ỦY BAN NHÂN DÂN" as the decision is. A deputy
    signs for them: "KT. CHỦ TỊCH" above "PHÓ CHỦ TỊCH"."""
    capacity = decision.signer_capacity
    if capacity.startswith("TM."):
        capacity = ""
    return "\n".join(p for p in [capacity, decision.signer_title] if p)


def certificate_texts(decision, awards, *, base_url: str) -> list[certificates.CertificateText]:
    """One text per award, in the order given. Serials and codes are read, never made: they
    were given when the decision was issued, so every reprint carries the same ones."""
    d = decision.issued_on
    issuer = nfc(decision.issuer.name_on(d)).upper()
    decision_line = _("Quyết định số %(n)s ngày %(d)s") % {"n": decision.number_label,
                                                           "d": d.strftime("%d/%m/%Y")}
    if decision.amends_id:
        # A reissued certificate names the award's own decision and the one that corrected it.
        first = decision.amends
        while first.amends_id:  # an amendment of an amendment: the award's own decision
            first = first.amends
        decision_line = _("Quyết định số %(n)s ngày %(d)s, sửa đổi theo Quyết định số %(m)s "
                          "ngày %(e)s") % {"n": first.number_label,
                                           "d": first.issued_on.strftime("%d/%m/%Y"),
                                           "m": decision.number_label, "e": d.strftime("%d/%m/%Y")}
    place_date = f"{decision.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
    signer_title = certificate_signer(decision)
    return [certificates.CertificateText(
        issuer_title=f"{decision.authority_title} {issuer}",
        name=a.name, unit=" – ".join(p for p in [a.position, a.unit_name] if p),
        citation=a.citation,
        decision=decision_line,
        serial=_("Số vào sổ: %(s)s") % {"s": a.serial or "—"},
        place_date=place_date,
        signer_title=signer_title,
        signer_name=str(decision.signer),
        verify_url=verify_url(base_url, a),
        verify_code=(_("Mã xác minh: %(code)s") % {"code": verification.shown(a.verify_code)}
                     if a.verify_code else ""),
    ) for a in awards]
