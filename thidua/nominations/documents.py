"""The unit's Tờ trình with its list (danh sách đề nghị khen thưởng) and the receiving office's
notice returning a dossier for supplement, as registered document kinds.

The heading, signer and place helpers here are shared with the meetings' documents
(``reviews/documents.py``): every document of the procedure is written by a People's Committee,
one of its offices, or a body it set up, and they all print the same way (Decree 30/2020).
"""

from django.utils import timezone

from thidua.core.text import fold
from thidua.documents.context import counts, dated, heading, nfc
from thidua.documents.kinds import DocumentKind, register
from thidua.documents.models import DocumentTemplate
from thidua.nominations.access import get_dossier_for, get_returned_dossier_for
from thidua.orgs.models import Kind, Membership, Role

# Left for the body to fill by hand or in Word: the number is given by its clerical office
# (văn thư) when the paper is signed, and a draft is dated the day it is signed, not printed.
BLANK = "……"
BLANK_DATE = "ngày …… tháng …… năm ……"
PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
PC_PREFIX = "ủy ban nhân dân "
COMMUNE_WORDS = ("phường ", "xã ", "thị trấn ")

# The usual title of a body's head, by the first words of its name [I]: a default for the draft,
# which the signer's office corrects in Word when it differs.
HEAD_TITLES = [("văn phòng", "CHÁNH VĂN PHÒNG"), ("phòng", "TRƯỞNG PHÒNG"),
               ("trung tâm", "GIÁM ĐỐC"), ("sở", "GIÁM ĐỐC"), ("trường", "HIỆU TRƯỞNG")]


def short_parent(line: str) -> str:
    """"ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC KẠN" → "UBND THÀNH PHỐ BẮC KẠN": the governing body's line
    of a two-line heading may be abbreviated (Decree 30/2020, Annex I), and the long form wraps."""
    if line.startswith(PEOPLES_COMMITTEE + " "):
        return "UBND " + line[len(PEOPLES_COMMITTEE) + 1:]
    return line


def body_heading(organisation, day) -> dict:
    head = heading(organisation, day)
    if head["issuer_upper_2"]:
        head["issuer_upper_1"] = short_parent(head["issuer_upper_1"])
    return head


def under(parent, body_upper: str, day) -> dict:
    """The heading of a body set up by ``parent`` that is not an organisation of its own (the
    Steering Committee, the Emulation-Commendation Council)."""
    line1 = short_parent(nfc(parent.name_on(day)).upper())
    return {"issuer_upper_1": line1, "issuer_upper_2": body_upper,
            "issuer_upper": f"{body_upper} {line1}"}


def is_peoples_committee(organisation) -> bool:
    return organisation.kind == Kind.PEOPLES_COMMITTEE


def locality(organisation, day) -> str:
    """"Ủy ban nhân dân thành phố Bắc Kạn" → "thành phố Bắc Kạn"; other bodies keep their name."""
    name = nfc(organisation.name_on(day))
    if name.casefold().startswith(PC_PREFIX):
        return name[len(PC_PREFIX):]
    return name


def place_of(organisation, movement, day) -> str:
    """The place name a body dates its documents with: a commune or ward writes its own name
    ("Sông Cầu, ngày …"); city-level bodies write the city's, as the movement does."""
    if is_peoples_committee(organisation):
        area = locality(organisation, day)
        for word in COMMUNE_WORDS:
            if area.casefold().startswith(word):
                return area[len(word):]
    return nfc(movement.place) or locality(movement.issuer, day)


# Words that start where a body's own name ends and its place begins ("… thành phố Bắc Kạn").
PLACE_WORDS = {"thành", "tỉnh", "huyện", "quận", "thị", "phường", "xã"}
# The usual abbreviations of bodies' first words (Decree 30/2020, Annex I: "VP", "SNV", "TTYT").
ABBREVIATED = [("văn phòng", "VP")]


def abbreviation(organisation, day=None) -> str:
    """The body's abbreviation in a document's symbol: "UBND" for a People's Committee, "VP" for
    an office (Văn phòng …), else the initials of its name before the place ("Phòng Nội vụ thành
    phố" → "PNV", "Trung tâm Y tế thành phố Bắc Kạn" → "TTYT"); acronyms in the name are kept
    whole. A default for the draft, which the clerical office corrects when its own differs."""
    if is_peoples_committee(organisation):
        return "UBND"
    name = nfc(organisation.name_on(day) if day else organisation.name)
    folded = name.casefold()
    for start, short in ABBREVIATED:
        if folded.startswith(start):
            return short
    letters = []
    for word in name.replace(",", " ").replace("-", " ").split():
        if word.casefold() in PLACE_WORDS and letters:
            break
        if word.casefold() in {"và", "của"}:
            continue
        letters.append(word if word.isupper() and len(word) > 1 else word[:1].upper())
    return "".join(letters) or BLANK


def number_label(series: str, organisation, day=None) -> str:
    """"……/TTr-UBND", "……/TB-VP": the series and the body's abbreviation are known; the number
    is written in by its clerical office when the paper is signed."""
    return f"{BLANK}/{series}-{abbreviation(organisation, day)}"


def chairman_of(organisation, day) -> str:
    """"Chủ tịch Ủy ban nhân dân thành phố Bắc Kạn" — whom a proposal to that body is addressed."""
    name = nfc(organisation.name_on(day))
    return f"Chủ tịch {name}" if is_peoples_committee(organisation) else name


def head_signer(organisation, day) -> dict:
    """Who signs for the body: its one unit head if the product knows exactly one, otherwise a
    signature block with the name line left empty for whoever signs."""
    heads = list(Membership.objects.active_on(day).filter(organisation=organisation,
                                                          role=Role.UNIT_HEAD)
                 .select_related("user"))
    head = heads[0] if len(heads) == 1 else None
    name = nfc(str(head.user)) if head else ""
    title = nfc(head.title) if head else ""
    if is_peoples_committee(organisation):
        if fold(title).startswith("pho"):
            return {"capacity": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH", "signer_name": name}
        return {"capacity": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH", "signer_name": name}
    if title:
        return {"capacity": "", "signer_title": title.upper(), "signer_name": name}
    folded = fold(organisation.name_on(day))
    default = next((t for start, t in HEAD_TITLES if folded.startswith(fold(start) + " ")),
                   "THỦ TRƯỞNG ĐƠN VỊ")
    return {"capacity": "", "signer_title": default, "signer_name": name}


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def movement_ground(movement) -> str:
    """"Căn cứ Kế hoạch số 23/KH-UBND ngày 26/10/2021 của Ủy ban nhân dân thành phố Bắc Kạn
    phát động phong trào thi đua …": the plan every document of the movement answers to."""
    issuer = nfc(movement.issuer.name_on(movement.issued_on))
    return (f"Căn cứ {nfc(movement.document_kind)} số {nfc(movement.number)} ngày "
            f"{movement.issued_on:%d/%m/%Y} của {issuer} phát động "
            f"{lower_first(nfc(movement.title))};")


def where(nominee) -> str:
    return nfc(" – ".join(p for p in [nominee.position, nominee.unit_name] if p and p.strip()))


def text_lines(text: str) -> list[str]:
    """Multi-line text as NFC lines (``nfc`` alone would join the lines)."""
    return [nfc(line) for line in (text or "").splitlines() if line.strip()]


# --- the unit's Tờ trình ----------------------------------------------------------------------

def unit_proposal_context(dossier) -> dict:
    movement = dossier.movement
    unit = dossier.organisation
    nominees = list(dossier.nominees.all())
    # While the unit can still change it, the Tờ trình is a draft that is dated when signed;
    # once sent, it is the paper of that submission.
    sent_on = (timezone.localdate(dossier.submitted_at)
               if dossier.submitted_at and not dossier.is_editable else None)
    day = sent_on or timezone.localdate()
    place = place_of(unit, movement, day)
    when = dated(place, sent_on) if sent_on else {"place": place, "date_words": BLANK_DATE,
                                                  "date_short": BLANK}
    unit_name = nfc(unit.name_on(day))
    grounds = [movement_ground(movement)]
    if dossier.unit_meeting_date:
        grounds.append(f"Căn cứ kết quả họp xét khen thưởng ngày "
                       f"{dossier.unit_meeting_date:%d/%m/%Y} của {unit_name}"
                       + (f": {nfc(dossier.unit_meeting_result).rstrip('.')}."
                          if nfc(dossier.unit_meeting_result) else "."))
    kinds = [n.kind for n in nominees]
    return {
        **body_heading(unit, day),
        **when,
        **head_signer(unit, day),
        "number_label": number_label("TTr", unit),
        "unit_name": unit_name,
        "recipient": chairman_of(movement.issuer, day),
        "receiving_office": nfc(movement.receiving_office.name_on(day)),
        "award_form": nfc(dossier.award_form.name),
        "movement": nfc(movement.title),
        "movement_lower": lower_first(nfc(movement.title)),
        "grounds": grounds,
        "counts": counts(kinds) or "0 cá nhân",
        "collectives": sum(1 for k in kinds if k == "collective"),
        "individuals": sum(1 for k in kinds if k != "collective"),
        "nominees": [{
            "order": i, "name": nfc(n.full_name), "where": where(n),
            "birth_year": n.birth_year or "",
            "achievements": nfc(n.achievement_summary) or nfc(n.citation),
            "citation": nfc(n.citation),
        } for i, n in enumerate(nominees, start=1)],
    }


def _may_upload_unit_proposal(user, dossier) -> bool:
    """Never here. The signed Tờ trình is the dossier's "Tờ trình của đơn vị" attachment: that is
    what the rule set's checklist requires for submission, what the receiving office ticks, what
    is versioned per round, compared between rounds and packed for the province. Filing it a
    second time as a signed copy would give one paper two records that can disagree."""
    return False


UNIT_PROPOSAL = register(DocumentKind(
    key="unit_proposal", title=DocumentTemplate.Kind.UNIT_PROPOSAL.label,
    required_fields=frozenset({"unit_name", "recipient", "award_form", "counts", "nominees",
                               "signer_name"}),
    context=unit_proposal_context, fetch=get_dossier_for,
    organisation=lambda dossier: dossier.organisation,
    file_name=lambda dossier: f"to-trinh-ho-so-{dossier.pk}",
    may_upload_signed=_may_upload_unit_proposal,
    # A list of thousands of names is rendered by the worker (documents.rendering).
    size=lambda dossier: dossier.nominees.count(),
))


# --- the notice returning a dossier ---------------------------------------------------------

def return_notice_context(dossier) -> dict:
    """The latest return: its round, its itemised deficiencies, from the receiving office."""
    movement = dossier.movement
    office = movement.receiving_office
    unit = dossier.organisation
    deficiencies = list(dossier.deficiencies.all())
    returned_round = max(d.round for d in deficiencies)
    items = [d for d in deficiencies if d.round == returned_round]
    returned_on = timezone.localdate(min(d.created_at for d in items))
    snapshot = dossier.snapshots.filter(round=returned_round).first()
    # The list as it was sent in that round (the snapshot), not as the unit has edited it since.
    sent = snapshot.data.get("nominees", {}).values() if snapshot else None
    sent_counts = counts(row.get("kind") for row in sent) if sent is not None else counts(
        n.kind for n in dossier.nominees.all())
    return {
        **body_heading(office, returned_on),
        **dated(place_of(office, movement, returned_on), returned_on),
        **head_signer(office, returned_on),
        "number_label": number_label("TB", office, returned_on),
        "office_name": nfc(office.name_on(returned_on)),
        "unit_name": nfc(unit.name_on(returned_on)),
        "award_form": nfc(dossier.award_form.name),
        "movement": nfc(movement.title),
        "movement_lower": lower_first(nfc(movement.title)),
        "dossier_number": dossier.pk,
        "round": returned_round,
        "submitted_on": f"{timezone.localdate(snapshot.created_at):%d/%m/%Y}" if snapshot else "",
        "counts": sent_counts or "0 cá nhân",
        "deficiencies": [{"order": i, "item": nfc(d.item_label),
                          "message": " ".join(text_lines(d.message))}
                         for i, d in enumerate(items, start=1)],
    }


def _may_upload_return_notice(user, dossier) -> bool:
    """The receiving office files the signed notice while the dossier is back with the unit."""
    return (dossier.state == dossier.State.RETURNED
            and user.has_perm("nominations.review_dossier", dossier))


RETURN_NOTICE = register(DocumentKind(
    key="return_notice", title=DocumentTemplate.Kind.RETURN_NOTICE.label,
    required_fields=frozenset({"unit_name", "award_form", "round", "deficiencies"}),
    context=return_notice_context, fetch=get_returned_dossier_for,
    organisation=lambda dossier: dossier.movement.receiving_office,
    file_name=lambda dossier: f"thong-bao-tra-ho-so-{dossier.pk}",
    may_upload_signed=_may_upload_return_notice,
))
