"""Forms validate at the boundary; actions do the writing."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.core.text import nfc, nfc_lines
from thidua.core.uploads import check_upload
from thidua.movements.models import ContentArea, ParticipantKind
from thidua.nominations import limits
from thidua.nominations.bulk import NOMINEE_DOCUMENT_TYPES
from thidua.nominations.choices import (
    CollectiveKind,
    Gender,
    IndividualCategory,
    NomineeKind,
    NomineeRow,
    Procedure,
)
from thidua.rulesets.models import AwardForm, DocumentType

UNIT_DOCUMENTS = [DocumentType.UNIT_SUBMISSION, DocumentType.UNIT_MINUTES,
                  DocumentType.ACHIEVEMENT_REPORT, DocumentType.ACHIEVEMENT_SUMMARY,
                  DocumentType.EVIDENCE]
NOMINEE_DOCUMENTS = set(NOMINEE_DOCUMENT_TYPES)


class TextField(forms.CharField):
    """A text typed in a form, normalised as every way in normalises it (core.text.nfc; with
    ``lines``, line by line) before its length is checked, so the limit counts the characters
    that will be stored; the limit is said under the field and enforced by the browser too."""

    def __init__(self, *, max_length: int, lines: bool = False, **kwargs):
        self.lines = lines
        kwargs.setdefault("help_text", limits.at_most(max_length))
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return nfc_lines(value) if self.lines else nfc(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DossierForm(BootstrapFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Đơn vị đề nghị"),
                                          empty_label=None)
    # No silent default: the first form in the plan is the highest (Huân chương Lao động hạng
    # Nhất), rarely what a unit asks for. The form most of the movement's dossiers use is
    # offered instead, or nothing until the officer picks one.
    award_form = forms.ModelChoiceField(queryset=None, label=_("Hình thức đề nghị"),
                                        empty_label=_("— Chọn hình thức khen thưởng —"))
    procedure = forms.ChoiceField(label=_("Thủ tục"), choices=Procedure.choices,
                                  initial=Procedure.NORMAL)
    unit_meeting_date = forms.DateField(
        label=_("Ngày họp xét của đơn vị"), required=False, widget=DateInput(),
        help_text=_("Bắt buộc trước khi trình hồ sơ; có thể nhập sau khi đơn vị họp xét."))
    unit_meeting_result = TextField(label=_("Kết quả họp xét"), required=False,
                                    max_length=limits.UNIT_MEETING_RESULT,
                                    widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, movement, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_form"].queryset = AwardForm.objects.filter(
            pk__in=movement.movement_award_forms.values("award_form")).order_by("order")
        if not self.is_bound and "award_form" not in self.initial:
            usual = (movement.dossiers.values("award_form").annotate(n=Count("pk"))
                     .order_by("-n", "award_form").values_list("award_form", flat=True)[:1])
            self.initial["award_form"] = next(iter(usual), None)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations

    def clean_unit_meeting_date(self):
        day = self.cleaned_data.get("unit_meeting_date")
        if day and day > timezone.localdate():
            raise ValidationError(_("Ngày họp xét không thể ở tương lai."))
        return day


class NomineeForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=NomineeKind.choices,
                             initial=NomineeKind.INDIVIDUAL)
    full_name = TextField(label=_("Họ và tên / tên tập thể"), max_length=limits.NOMINEE["full_name"])
    gender = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Gender.choices],
                               required=False)
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1900)
    birth_date = forms.DateField(label=_("Ngày sinh (nếu có)"), required=False,
                                 widget=DateInput())
    ethnicity = TextField(label=_("Dân tộc"), max_length=limits.NOMINEE["ethnicity"],
                          required=False)
    position = TextField(label=_("Chức vụ"), max_length=limits.NOMINEE["position"],
                         required=False)
    unit_name = TextField(label=_("Đơn vị công tác / đơn vị cấp trên"),
                          max_length=limits.NOMINEE["unit_name"], required=False)
    category = forms.ChoiceField(
        label=_("Đối tượng (cá nhân)"), required=False,
        choices=[("", "—"), *IndividualCategory.choices],
        help_text=_("Nhóm đối tượng theo báo cáo thống kê khen thưởng (lãnh đạo, người trực "
                    "tiếp lao động, tuyến đầu chống dịch…); không in trên giấy khen."))
    collective_kind = forms.ChoiceField(label=_("Loại tập thể"), required=False,
                                        choices=[("", "—"), *CollectiveKind.choices])
    leader = TextField(label=_("Người đứng đầu (tập thể)"), max_length=limits.NOMINEE["leader"],
                       required=False)
    achievement_summary = TextField(label=_("Tóm tắt thành tích"), required=False,
                                    max_length=limits.NOMINEE["achievement_summary"],
                                    widget=forms.Textarea(attrs={"rows": 3}))
    citation = TextField(label=_("Trích lời khen trên giấy khen"), required=False,
                         max_length=limits.NOMINEE["citation"],
                         widget=forms.Textarea(attrs={"rows": 2}),
                         help_text=format_lazy(
                             "{} {}", _("Câu in trên giấy khen dưới tên người, tập thể được "
                                        "khen. Để trống: “Đã có thành tích xuất sắc trong” và "
                                        "tên phong trào."),
                             limits.at_most(limits.NOMINEE["citation"])))
    note = TextField(label=_("Ghi chú"), max_length=limits.NOMINEE["note"], required=False)
    # What the nomination is for, counted by the statistics (not printed on the certificate).
    content_area = forms.ModelChoiceField(
        label=_("Nội dung thi đua"), required=False, queryset=ContentArea.objects.none(),
        empty_label="—",
        error_messages={"invalid_choice": _("Nội dung thi đua này không thuộc phong trào của "
                                            "hồ sơ.")},
        help_text=_("Nội dung thi đua trong kế hoạch của phong trào mà thành tích thuộc về; "
                    "dùng cho thống kê."))
    participant_kind = forms.ChoiceField(
        label=_("Đối tượng thi đua"), required=False,
        choices=[("", "—"), *ParticipantKind.choices],
        help_text=_("Đối tượng thi đua theo kế hoạch (cơ quan, đơn vị; lực lượng tuyến đầu; "
                    "doanh nghiệp…); dùng cho thống kê."))

    def __init__(self, *args, movement=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the dossier's own movement's areas are choices: another's is refused here, and
        # again by the action.
        if movement is not None:
            self.fields["content_area"].queryset = ContentArea.objects.filter(
                movement=movement).order_by("order", "pk")

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = nfc(value)
        if not data.get("full_name"):
            self.add_error("full_name", _("Họ và tên không được để trống."))
        today = timezone.localdate()
        birth_date, birth_year = data.get("birth_date"), data.get("birth_year")
        if data.get("kind") == NomineeKind.INDIVIDUAL:
            if not data.get("gender"):
                self.add_error("gender", _("Hãy chọn giới tính."))
            if birth_date:
                if birth_date.year < 1900:
                    self.add_error("birth_date", _("Ngày sinh không hợp lệ."))
                elif birth_date > today:
                    self.add_error("birth_date", _("Ngày sinh không thể ở tương lai."))
                elif birth_year and birth_year != birth_date.year:
                    self.add_error("birth_year", _("Năm sinh không khớp với ngày sinh."))
                data["birth_year"] = birth_date.year
            elif not birth_year:
                self.add_error("birth_year", _("Hãy nhập năm sinh hoặc ngày sinh."))
            elif birth_year > today.year - 15:
                self.add_error("birth_year", _("Năm sinh không hợp lệ (người được khen phải từ "
                                               "15 tuổi trở lên)."))
        else:
            if not data.get("collective_kind"):
                self.add_error("collective_kind", _("Hãy chọn loại tập thể."))
            data.update(gender="", birth_year=None, birth_date=None)
        return data

    def row(self) -> NomineeRow:
        data = self.cleaned_data
        return NomineeRow(**{k: data.get(k) if data.get(k) is not None else ""
                             for k in ["kind", "full_name", "gender", "ethnicity", "position",
                                       "unit_name", "category", "collective_kind", "leader",
                                       "achievement_summary", "citation", "note",
                                       "participant_kind"]},
                          birth_year=data.get("birth_year"), birth_date=data.get("birth_date"),
                          content_area=area.code if (area := data.get("content_area")) else "")

    @classmethod
    def initial_from(cls, nominee) -> dict:
        return {name: getattr(nominee, name) for name in cls.base_fields}


class AttachmentForm(BootstrapFormMixin, forms.Form):
    document_type = forms.ChoiceField(label=_("Loại tài liệu"),
                                      choices=[(d.value, d.label) for d in UNIT_DOCUMENTS])
    # Never a select with one option per nominee (a list may hold thousands): the dossier's
    # form leaves it empty (a document of the dossier), a nominee's panel fills it in.
    nominee = forms.ModelChoiceField(queryset=None, required=False, label=_("Của người, tập thể"),
                                     widget=forms.HiddenInput)
    original = forms.TypedChoiceField(label=_("Bản"), coerce=lambda v: v == "1",
                                      choices=[("1", _("Bản chính")), ("0", _("Bản sao"))],
                                      initial="1")
    file = forms.FileField(label=_("Tệp (PDF, DOCX, XLSX, JPEG, PNG)"))

    def __init__(self, *args, dossier, per_nominee=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = dossier.nominees.all()
        if per_nominee:
            self.fields["document_type"].choices = [
                (d.value, d.label) for d in UNIT_DOCUMENTS if d in NOMINEE_DOCUMENTS]

    def clean(self):
        data = super().clean()
        if data.get("document_type") in {DocumentType.ACHIEVEMENT_REPORT,
                                          DocumentType.ACHIEVEMENT_SUMMARY} \
                and not data.get("nominee"):
            self.add_error("nominee", _("Báo cáo thành tích phải gắn với một người hoặc tập thể."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (``<input type="file" multiple>``), cleaned one by one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [] if data in self.empty_values else [super().clean(data, initial)]


class BulkDocumentsForm(BootstrapFormMixin, forms.Form):
    """Many nominees' documents at once: the files (or a ZIP) are matched by row or name."""

    document_type = forms.ChoiceField(label=_("Loại tài liệu"))
    original = forms.TypedChoiceField(label=_("Bản"), coerce=lambda v: v == "1",
                                      choices=[("1", _("Bản chính")), ("0", _("Bản sao"))],
                                      initial="1")
    # Not required: files the upload handler skipped for their size are reported by the view.
    files = MultipleFileField(
        label=_("Các tệp hoặc một tệp ZIP"), required=False,
        help_text=_("Đặt tên mỗi tệp theo số thứ tự trong danh sách (“003.pdf”, “3 - Nguyễn Văn "
                    "A.pdf”) hoặc theo họ tên, có dấu hay không dấu (“nguyen van a.pdf”). Tối đa "
                    "100 tệp mỗi lần; nhiều hơn thì nén thành một tệp ZIP."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = [
            (d.value, d.label) for d in UNIT_DOCUMENTS if d in NOMINEE_DOCUMENTS]


MAX_LIST_BYTES = 5 * 1024 * 1024


class ExcelUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Tệp Excel danh sách (.xlsx)"))

    def clean_file(self):
        """The same content checks as any upload (size, real XLSX, no zip bomb) before openpyxl
        opens it: a crafted sheet must not exhaust the server's memory."""
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload, allowed={"xlsx"}, max_bytes=MAX_LIST_BYTES)
        return upload


class WithdrawForm(BootstrapFormMixin, forms.Form):
    reason = TextField(label=_("Lý do rút hồ sơ"), max_length=limits.REASON)


class ReturnForm(BootstrapFormMixin, forms.Form):
    other = TextField(label=_("Nội dung khác cần bổ sung, sửa"), required=False,
                      max_length=limits.DEFICIENCY, widget=forms.Textarea(attrs={"rows": 2}))


class MarkForm(BootstrapFormMixin, forms.Form):
    item_key = forms.CharField(max_length=64)
    ok = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "ok"), ("0", "not ok")])
    note = TextField(max_length=limits.MARK_NOTE, required=False)


class RegisterSearchForm(BootstrapFormMixin, forms.Form):
    q = TextField(label=_("Tìm theo tên (không cần dấu)"), max_length=limits.QUERY, required=False,
                  help_text="")
