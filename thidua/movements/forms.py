"""The forms of the movement pages: they check shape at the boundary; the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.movements import limits
from thidua.movements.models import ContentArea, Movement, ParticipantKind, ReportPeriod
from thidua.orgs.models import Kind, Level, Organisation, Role, User
from thidua.rulesets.models import RuleSet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _orgs():
    return Organisation.objects.active_on().order_by("path")


class OwnIds:
    """The setup page shows several forms at once; each names its fields' ids after itself
    so that a label points at its own form's field."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class MovementForm(forms.ModelForm):
    class Meta:
        model = Movement
        fields = ["title", "short_title", "number", "document_kind", "issuer", "issued_on",
                  "launched_on", "ends_on", "place", "signer_name", "signer_title",
                  "signer_capacity", "scope", "stream", "rule_set", "receiving_office",
                  "council_secretariat", "communications_editors", "registration_deadline",
                  "plan_deadline", "dossier_deadline", "criteria_intro", "budget"]
        widgets = dict.fromkeys(["issued_on", "launched_on", "ends_on", "registration_deadline",
                                 "plan_deadline", "dossier_deadline"], DATE)
        error_messages = {"budget": {
            "min_value": _("Dự toán kinh phí khen thưởng không được là số âm."),
            "invalid": _("Hãy nhập số tiền bằng chữ số, tính bằng đồng (ví dụ 50000000)."),
        }}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("issuer", "receiving_office", "council_secretariat",
                     "communications_editors"):
            self.fields[name].queryset = _orgs()
        self.fields["rule_set"].queryset = RuleSet.objects.all()
        if user is not None and not user.is_superuser:
            mine = user.organisations_with_role(Role.COUNCIL_SECRETARIAT)
            self.fields["council_secretariat"].queryset = _orgs().filter(
                pk__in=[o.pk for o in mine])
            self.fields["issuer"].queryset = _orgs().filter(
                pk__in=[o.pk for o in mine] + [o.parent_id for o in mine if o.parent_id])
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class UploadForm(OwnIds, forms.Form):
    id_prefix = "van_ban"

    file = forms.FileField(label=_("Tệp (PDF, DOCX)"))


class ParentForm(OwnIds, forms.Form):
    id_prefix = "can_cu"

    parent_movement = forms.ModelChoiceField(
        label=_("Phong trào cấp trên trong hệ thống"), required=False,
        queryset=Movement.objects.exclude(status=Movement.Status.DRAFT))
    number = forms.CharField(label=_("Số hiệu"), max_length=limits.NUMBER, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DATE)
    issuer_name = forms.CharField(label=_("Cơ quan ban hành"), max_length=limits.NAME,
                                  required=False)
    title = forms.CharField(label=_("Trích yếu"), max_length=limits.TITLE, required=False)


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Mục"), max_length=limits.CODE)
    title = forms.CharField(label=_("Tiêu đề"), max_length=limits.NAME)
    text = forms.CharField(label=_("Nội dung"), max_length=limits.TEXT, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class FreshOrganisations:
    """Organisation choices are those active today, read when the form is made (a queryset
    built at import time would keep the day the server started)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is Organisation:
                field.queryset = _orgs()


class ContentAreaForm(OwnIds, FreshOrganisations, ItemForm):
    id_prefix = "noi_dung"

    organisations = forms.ModelMultipleChoiceField(label=_("Đơn vị thực hiện chính"),
                                                   queryset=_orgs(), required=False)


class CriterionForm(OwnIds, ItemForm):
    id_prefix = "tieu_chi"

    participant_kind = forms.ChoiceField(label=_("Đối tượng thi đua"),
                                         choices=ParticipantKind.choices)


def area_edit_form(area, data=None):
    """The content area's own form to correct it in place (its fields' ids name the area)."""
    form = style(ContentAreaForm(data, auto_id=f"sua_noi_dung_{area.pk}_%s", initial={
        "code": area.code, "title": area.title, "text": area.text,
        "organisations": list(area.organisations.all())}))
    form.item_pk = area.pk
    return form


def criterion_edit_form(criterion, data=None):
    form = style(CriterionForm(data, auto_id=f"sua_tieu_chi_{criterion.pk}_%s", initial={
        "code": criterion.code, "title": criterion.title, "text": criterion.text,
        "participant_kind": criterion.participant_kind}))
    form.item_pk = criterion.pk
    return form


class ParticipantsForm(OwnIds, FreshOrganisations, forms.Form):
    id_prefix = "don_vi"

    kinds = forms.MultipleChoiceField(label=_("Loại hình"), choices=Kind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(label=_("Cấp"), choices=Level.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    organisation = forms.ModelChoiceField(label=_("Hoặc chọn từng đơn vị"), queryset=_orgs(),
                                          required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("kinds") or data.get("levels") or data.get("organisation")):
            raise forms.ValidationError(_("Hãy chọn loại hình, cấp hoặc một đơn vị."))
        return data


class PeriodForm(OwnIds, forms.Form):
    id_prefix = "ky_bao_cao"

    kind = forms.ChoiceField(label=_("Loại kỳ báo cáo"), choices=ReportPeriod.Kind.choices)
    title = forms.CharField(label=_("Tên kỳ báo cáo"), max_length=limits.NAME)
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DATE)
    due_on = forms.DateField(label=_("Hạn gửi báo cáo"), widget=DATE)


class SupervisionForm(OwnIds, FreshOrganisations, forms.Form):
    id_prefix = "giam_sat"

    member = forms.ModelChoiceField(label=_("Thành viên Hội đồng"), queryset=User.objects.none())
    content_area = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=ContentArea.objects.none(),
                                          required=False)
    organisation = forms.ModelChoiceField(label=_("Địa bàn, đơn vị"), queryset=_orgs(),
                                          required=False)

    def __init__(self, *args, movement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = User.objects.filter(
            memberships__organisation=movement.issuer, memberships__role=Role.COUNCIL_MEMBER,
            memberships__valid_to__isnull=True).order_by("full_name")
        self.fields["content_area"].queryset = movement.content_areas.all()
        self.fields["organisation"].queryset = _orgs().filter(
            path__startswith=movement.issuer.path)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=limits.REASON,
                             widget=forms.Textarea(attrs={"rows": 2}))


class UnitPlanForm(forms.Form):
    number = forms.CharField(label=_("Số kế hoạch"), max_length=limits.NUMBER, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DATE)
    text = forms.CharField(label=_("Nội dung kế hoạch"), max_length=limits.PLAN_TEXT,
                           required=False, widget=forms.Textarea(attrs={"rows": 16}))
    file = forms.FileField(label=_("Hoặc tải lên văn bản kế hoạch (PDF, DOCX)"), required=False)


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(label=_("Kết luận"), max_length=limits.CONCLUSION,
                                 widget=forms.Textarea(attrs={"rows": 5}))
    concluded_on = forms.DateField(label=_("Ngày kết luận"), required=False, widget=DATE)


def style(form):
    """Bootstrap classes on every widget (the shared field template expects them)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)
    return form
