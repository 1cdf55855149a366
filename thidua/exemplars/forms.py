from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.core.text import nfc, nfc_lines
from thidua.exemplars import limits, spam
from thidua.exemplars.models import ExemplarKind
from thidua.movements.models import ContentArea, Criterion, Movement, ParticipantKind
from thidua.orgs.models import Organisation, Role


def _at_most(n: int) -> str:
    return _("Tối đa %(n)s ký tự.") % {"n": n}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ExemplarForm(BootstrapFormMixin, forms.Form):
    """The fields of an exemplar; the action normalises, sanitises and checks them again."""

    kind = forms.ChoiceField(label=_("Loại"), choices=ExemplarKind.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=limits.TITLE,
                            help_text=_at_most(limits.TITLE))
    summary = forms.CharField(label=_("Tóm tắt"), max_length=limits.SUMMARY,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Hiển thị trong danh sách và khi chia sẻ. ")
                              + _at_most(limits.SUMMARY))
    story = forms.CharField(label=_("Câu chuyện"), required=False,
                            widget=forms.Textarea(attrs={"rows": 10}),
                            help_text=_("Có thể dán từ Word hoặc trang web: giữ đoạn, chữ đậm, "
                                        "nghiêng, danh sách, liên kết; mã lệnh bị loại bỏ."))
    person_name = forms.CharField(label=_("Người, tập thể được nêu gương"), required=False,
                                  max_length=limits.NAME)
    shows_person = forms.BooleanField(
        label=_("Bài có nêu tên, hình ảnh của người cụ thể (cần sự đồng ý của họ)"),
        required=False, initial=True)
    content_area = forms.ModelChoiceField(label=_("Nội dung thi đua"), required=False,
                                          queryset=ContentArea.objects.none())
    criterion = forms.ModelChoiceField(label=_("Tiêu chí"), required=False,
                                       queryset=Criterion.objects.none())
    participant_kind = forms.ChoiceField(label=_("Đối tượng thi đua"), required=False,
                                         choices=[("", "—"), *ParticipantKind.choices])
    place = forms.CharField(label=_("Địa điểm"), required=False, max_length=limits.PLACE)
    happened_on = forms.DateField(label=_("Thời gian"), required=False, widget=DateInput())

    def __init__(self, *args, movement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_area"].queryset = movement.content_areas.all()
        self.fields["criterion"].queryset = movement.criteria.all()

    @staticmethod
    def initial_from(exemplar) -> dict:
        return {name: getattr(exemplar, name) for name in (
            "kind", "title", "summary", "story", "person_name", "shows_person", "content_area",
            "criterion", "participant_kind", "place", "happened_on")}


class NewExemplarForm(ExemplarForm):
    organisation = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Organisation.objects.none())
    field_order = ["organisation"]

    def __init__(self, *args, user, movement, **kwargs):
        super().__init__(*args, movement=movement, **kwargs)
        if user.has_perm("exemplars.edit_movement", movement):
            orgs = Organisation.objects.active_on().subtrees([movement.issuer])
        else:
            orgs = Organisation.objects.filter(
                pk__in=[o.pk for o in user.organisations_with_role(Role.UNIT_OFFICER,
                                                                   Role.UNIT_HEAD)])
        self.fields["organisation"].queryset = orgs.order_by("path")
        if orgs.count() == 1:
            self.fields["organisation"].initial = orgs.first()


class MovementChoiceForm(BootstrapFormMixin, forms.Form):
    movement = forms.ModelChoiceField(label=_("Phong trào"), queryset=Movement.objects.filter(
        status=Movement.Status.PUBLISHED))


class PhotoForm(BootstrapFormMixin, forms.Form):
    image = forms.FileField(label=_("Ảnh (JPEG hoặc PNG, tối đa 10 MB)"),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    alt_text = forms.CharField(label=_("Mô tả nội dung ảnh (cho người khiếm thị)"),
                               max_length=limits.ALT_TEXT)


class ConsentForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Hình thức đồng ý"), max_length=limits.CONSENT_NOTE,
                           help_text=_("Ví dụ: “Đồng ý bằng văn bản ngày 12/11/2021, lưu tại "
                                       "phường”."))


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=limits.REASON,
                             widget=forms.Textarea(attrs={"rows": 2}))


class SuggestionForm(BootstrapFormMixin, forms.Form):
    """The public form. ``website`` is the honeypot; ``answer`` + ``token`` the challenge."""

    about = forms.CharField(label=_("Người, tập thể hoặc mô hình anh/chị muốn giới thiệu"),
                            max_length=limits.NAME)
    place = forms.CharField(label=_("Ở đâu (phường, xã, cơ quan)"), required=False,
                            max_length=limits.PLACE)
    text = forms.CharField(label=_("Việc tốt, cách làm hay đó là gì?"),
                           max_length=limits.SUGGESTION_TEXT,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_at_most(limits.SUGGESTION_TEXT))
    name = forms.CharField(label=_("Họ và tên của anh/chị (không bắt buộc)"), required=False,
                           max_length=limits.SUGGESTION_NAME)
    contact = forms.CharField(label=_("Số điện thoại hoặc thư điện tử để liên hệ"),
                              max_length=limits.SUGGESTION_CONTACT,
                              help_text=_("Chỉ cán bộ biên tập xem; không đăng công khai."))
    website = forms.CharField(label=_("Không điền vào ô này"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))
    answer = forms.CharField(label=_("Kết quả phép tính"), max_length=4,
                             widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                           "autocomplete": "off"}))
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new sum on every showing (the page renders ``fresh_token``); the one answered is
        # checked against the token that was posted with it.
        self.question, self.fresh_token = spam.new_challenge()
        self.posted_token = self.data.get("token", "") if self.is_bound else ""

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        for name in ("about", "place", "name", "contact"):
            if isinstance(data.get(name), str):
                data[name] = nfc(data[name])
        if isinstance(data.get("text"), str):
            data["text"] = nfc_lines(data["text"])
        if not spam.check_challenge(self.posted_token, self.data.get("answer")):
            self.add_error("answer", _("Kết quả phép tính chưa đúng; hãy tính lại phép tính mới "
                                       "bên dưới."))
        return data


class AcceptSuggestionForm(BootstrapFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Đơn vị nơi có gương điển hình"),
                                          queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Loại"), choices=ExemplarKind.choices)

    def __init__(self, *args, movement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (Organisation.objects.active_on()
                                                .subtrees([movement.issuer]).order_by("path"))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False)
