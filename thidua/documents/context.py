"""Pieces every administrative document shares (Decree 30/2020): the issuing body's two-line
heading, the place and date in words, counts of collectives and individuals, money; pictures
(charts) for a DOCX draft."""

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from thidua.core.templatetags.thidua import money
from thidua.core.text import nfc

PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"


def heading(organisation, day) -> dict:
    """The body's name as it was on ``day``, upper case, split the way a heading prints it:
    "ỦY BAN NHÂN DÂN" above "THÀNH PHỐ BẮC KẠN"; other bodies keep their parent on line 1."""
    name = nfc(organisation.name_on(day)).upper()
    if name.startswith(PEOPLES_COMMITTEE) and name != PEOPLES_COMMITTEE:
        return {"issuer_upper_1": PEOPLES_COMMITTEE,
                "issuer_upper_2": name[len(PEOPLES_COMMITTEE):].strip(), "issuer_upper": name}
    parent = organisation.parent_on(day)
    line1 = nfc(parent.name_on(day)).upper() if parent is not None else ""
    return {"issuer_upper_1": line1 or name, "issuer_upper_2": name if line1 else "",
            "issuer_upper": name}


def dated(place, day) -> dict:
    return {"place": nfc(place), "date_words": f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
            "date_short": day.strftime("%d/%m/%Y")}


def counts(kinds) -> str:
    """"2 tập thể và 5 cá nhân" from the kinds ("collective"/"individual") of a list."""
    kinds = list(kinds)
    collectives = sum(1 for k in kinds if k == "collective")
    individuals = len(kinds) - collectives
    parts = []
    if collectives:
        parts.append(_("%(n)s tập thể") % {"n": collectives})
    if individuals:
        parts.append(_("%(n)s cá nhân") % {"n": individuals})
    return _(" và ").join(parts)


@dataclass(frozen=True)
class Picture:
    """A picture in a DOCX draft (a chart as PNG): a context value that a template prints with
    ``{{ name }}`` in a paragraph of its own, ``width_mm`` wide (docxtpl's InlineImage, made
    when the template is opened: ``render.render_docx``)."""

    data: bytes = field(repr=False)
    width_mm: float

    @property
    def digest(self) -> str:
        """What the content hash sees of it."""
        return f"picture {self.width_mm} mm {hashlib.sha256(self.data).hexdigest()}"


def grounds(text: str) -> list[str]:
    return [nfc(line) for line in text.splitlines() if line.strip()]


__all__ = ["Picture", "counts", "dated", "grounds", "heading", "money", "nfc"]
