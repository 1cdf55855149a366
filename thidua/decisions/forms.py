from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.core.text import nfc, nfc_lines
from thidua.decisions import limits
from thidua.decisions.models import Decision, awarded
from thidua.movements.models import ReportPeriod
from thidua.orgs.models import Role, User
from thidua.reviews.forms import NomineeChoiceField
from thidua.rulesets.models import Authority, AwardForm

# A People's Committee signs "TM." (the chairman) or "KT." (a vice-chairman); the bare head and
# "KT. THỦ TRƯỞNG" are for agencies' own decisions.
COMMITTEE_CAPACITIES = [(c.value, c.label) for c in (Decision.Capacity.ON_BEHALF,
                                                      Decision.Capacity.DEPUTY)]
# Document numbers restart each year; no office reaches a million (and the column is 32-bit).
MAX_NUMBER = 999_999
LOCAL_AUTHORITIES = [Authority.DISTRICT_CHAIRMAN, Authority.COMMUNE_CHAIRMAN, Authority.AGENCY_HEAD]


def chairmen_of(organisation):
    """Who can sign for the body: its chairman and vice-chairmen today."""
    return User.objects.filter(
        memberships__organisation=organisation, memberships__role=Role.CHAIRMAN,
        memberships__valid_to__isnull=True).distinct()



# A person shown on the page may have been taken into another draft since it opened: the
# choice is then no longer offered, and the page must say why rather than drop it silently.
TAKEN_MEANWHILE = {"invalid_choice": _(
    "Có người, tập thể vừa được đưa vào văn bản khác (hoặc không còn đủ điều kiện) sau khi "
    "trang này mở; hãy xem lại danh sách và chọn lại.")}

class BoundedText(forms.CharField):
    """A free-text field that states its limit under it ("Tối đa 4000 ký tự.") and checks it on
    the text as it will be kept: NFC, spaces collapsed, one character per line break (a browser
    sends "\r\n" where it counted one). The actions check the same limit for every caller."""

    def __init__(self, *, max_length, lines=False, help_text="", **kwargs):
        self.lines = lines
        stated = limits.stated(max_length)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}) if lines else None)
        super().__init__(max_length=max_length,
                         help_text=format_lazy("{} {}", help_text, stated) if help_text else stated,
                         **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return nfc_lines(value) if self.lines else nfc(value)


def grounds_field():
    return BoundedText(label=_("Căn cứ (mỗi căn cứ một dòng)"), max_length=limits.GROUNDS,
                       lines=True, widget=forms.Textarea(attrs={"rows": 5}))


def series_field(initial):
    return BoundedText(label=_("Ký hiệu"), max_length=limits.SERIES, initial=initial)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return str(user)


class DecisionForm(BootstrapFormMixin, forms.Form):
    award_form = forms.ModelChoiceField(queryset=AwardForm.objects.none(),
                                        label=_("Hình thức khen thưởng"), empty_label=None)
    number = forms.IntegerField(label=_("Số quyết định"), min_value=1, max_value=MAX_NUMBER)
    series = series_field("QĐ-UBND")
    issued_on = forms.DateField(label=_("Ngày ký"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    signer = UserChoiceField(queryset=User.objects.none(), label=_("Người ký"), empty_label=None)
    signer_capacity = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=COMMITTEE_CAPACITIES)
    legal_grounds = grounds_field()
    nominees = NomineeChoiceField(queryset=None, error_messages=TAKEN_MEANWHILE,
                                  label=_("Danh sách khen thưởng"),
                                  widget=forms.CheckboxSelectMultiple, required=False)
    review_round = forms.ModelChoiceField(
        queryset=ReportPeriod.objects.none(), required=False,
        label=_("Khen thưởng sau đợt sơ kết, tổng kết"), empty_label=_("— Không gắn với đợt nào —"))

    def __init__(self, *args, movement, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_form"].queryset = AwardForm.objects.filter(
            pk__in=movement.movement_award_forms.values("award_form"),
            authority="district_chairman")
        self.fields["signer"].queryset = chairmen_of(movement.issuer)
        self.fields["nominees"].queryset = candidates
        # Only this movement's review rounds: a round of another movement is not a choice.
        self.fields["review_round"].queryset = movement.report_periods.exclude(
            kind=ReportPeriod.Kind.MONTHLY)


class ProposalForm(BootstrapFormMixin, forms.Form):
    award_form = forms.ModelChoiceField(queryset=AwardForm.objects.none(),
                                        label=_("Hình thức đề nghị"), empty_label=None)
    number = forms.IntegerField(label=_("Số tờ trình"), min_value=1, max_value=MAX_NUMBER)
    series = series_field("TTr-UBND")
    dated_on = forms.DateField(label=_("Ngày ký"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    recipient = BoundedText(label=_("Kính gửi"), max_length=limits.RECIPIENT)
    signer = UserChoiceField(queryset=User.objects.none(), label=_("Người ký"), empty_label=None)
    signer_capacity = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=COMMITTEE_CAPACITIES)
    grounds = grounds_field()
    nominees = NomineeChoiceField(queryset=None, error_messages=TAKEN_MEANWHILE,
                                  label=_("Danh sách đề nghị"),
                                  widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, movement, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_form"].queryset = AwardForm.objects.filter(
            pk__in=movement.movement_award_forms.values("award_form")).exclude(
            authority__in=LOCAL_AUTHORITIES)
        self.fields["signer"].queryset = chairmen_of(movement.issuer)
        self.fields["nominees"].queryset = candidates


class ProposalReturnForm(BootstrapFormMixin, forms.Form):
    reason = BoundedText(label=_("Nội dung cấp trên yêu cầu bổ sung"), max_length=limits.REASON,
                         lines=True, widget=forms.Textarea(attrs={"rows": 3}))


class ProposalResendForm(BootstrapFormMixin, forms.Form):
    note = BoundedText(label=_("Đã bổ sung những gì"), max_length=limits.REASON, required=False,
                       lines=True, widget=forms.Textarea(attrs={"rows": 2}))


class HigherDecisionForm(BootstrapFormMixin, forms.Form):
    number = BoundedText(label=_("Số quyết định"), max_length=limits.HIGHER_NUMBER,
                         help_text=_("Ví dụ: 2345/QĐ-UBND"))
    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    issuer_name = BoundedText(label=_("Người, cơ quan quyết định"), max_length=limits.ISSUER_NAME)
    awarded_form = BoundedText(
        label=_("Hình thức được khen"), max_length=limits.NAME, required=False,
        help_text=_("Để trống nếu đúng hình thức đã đề nghị."))
    awarded = forms.MultipleChoiceField(label=_("Được khen thưởng"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded"].choices = [(str(i.pk), f"{i.order}. {i.name} — {i.unit_name}")
                                          for i in proposal.items.all()]


class SignedByFields(BootstrapFormMixin, forms.Form):
    """Number, date, signer, signing authority, the signer's title and the grounds: what every
    decision a unit or an amendment drafts asks for."""

    number = forms.IntegerField(label=_("Số quyết định"), min_value=1, max_value=MAX_NUMBER)
    issued_on = forms.DateField(label=_("Ngày ký"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    signer = UserChoiceField(queryset=User.objects.none(), label=_("Người ký"), empty_label=None)
    signer_capacity = forms.ChoiceField(label=_("Thẩm quyền ký"), required=False,
                                        choices=Decision.Capacity.choices)
    signer_position = BoundedText(
        label=_("Chức danh người ký"), max_length=limits.SIGNER_POSITION, required=False,
        help_text=_("Chỉ ghi khi không phải Chủ tịch, Phó Chủ tịch UBND, ví dụ: GIÁM ĐỐC."))
    legal_grounds = grounds_field()


class UnitDecisionForm(SignedByFields):
    """A unit's own decision on its own list (quyết định khen thưởng của đơn vị)."""

    series = series_field("QĐ-UBND")
    nominees = NomineeChoiceField(queryset=None, error_messages=TAKEN_MEANWHILE,
                                  label=_("Danh sách khen thưởng"),
                                  widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = User.objects.filter(
            memberships__organisation=dossier.organisation,
            memberships__role__in=[Role.UNIT_HEAD, Role.CHAIRMAN],
            memberships__valid_to__isnull=True).distinct()
        self.fields["nominees"].queryset = dossier.nominees.filter(~awarded()).select_related(
            "dossier__organisation", "dossier__award_form")


class AmendmentForm(SignedByFields):
    """Quyết định sửa đổi: the new decision's particulars and, per line of the original, the
    corrected name, position, unit and citation (prefilled with what was issued)."""

    FIELDS = {"name": (_("Họ và tên / tên tập thể"), limits.NAME),
              "position": (_("Chức vụ"), limits.NAME),
              "unit_name": (_("Đơn vị"), limits.NAME),
              "citation": (_("Trích lời khen"), limits.CITATION)}

    def __init__(self, *args, decision, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.awards = awards
        signers = [Role.CHAIRMAN] if not decision.by_unit else [Role.UNIT_HEAD, Role.CHAIRMAN]
        if not decision.by_unit:
            self.fields["signer_capacity"].choices = COMMITTEE_CAPACITIES
            self.fields["signer_capacity"].required = True
        self.fields["signer"].queryset = User.objects.filter(
            memberships__organisation=decision.issuer,
            memberships__role__in=signers,
            memberships__valid_to__isnull=True).distinct()
        for award in awards:
            for field, (label, length) in self.FIELDS.items():
                self.fields[f"{field}-{award.pk}"] = BoundedText(
                    label=label, max_length=length, required=field in {"name", "citation"},
                    initial=getattr(award, field),
                    widget=forms.Textarea(attrs={"rows": 2}) if field == "citation" else None)

    def rows(self):
        """Per original line: the award and its bound fields, for the template."""
        return [(a, [self[f"{field}-{a.pk}"] for field in self.FIELDS]) for a in self.awards]

    def corrections(self) -> dict:
        return {a: {field: self.cleaned_data[f"{field}-{a.pk}"] for field in self.FIELDS}
                for a in self.awards}
