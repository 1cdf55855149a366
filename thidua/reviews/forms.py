from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.core.text import nfc, nfc_lines
from thidua.nominations.models import CommitteeConclusion
from thidua.orgs.models import Membership, Role, User
from thidua.reviews import limits
from thidua.reviews.models import VoteChoice


class LimitedText(forms.CharField):
    """A free text with its limit: counted as stored (NFC, spaces collapsed — line by line when
    ``lines``), stated under the field and given to the browser as ``maxlength``."""

    def __init__(self, *, max_length, lines=False, **kwargs):
        self.lines = lines
        kwargs.setdefault("help_text", limits.at_most(max_length))
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return nfc_lines(value) if self.lines else nfc(value)


class NomineeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, nominee):
        return f"{nominee.full_name} — {nominee.dossier.organisation.name} " \
               f"({nominee.dossier.award_form.short_name or nominee.dossier.award_form.name})"


class UserChoiceField(forms.ModelChoiceField):
    """A person named with the title they hold here ("Ma Văn Bình — Chủ tịch UBND thành phố"),
    so the chair and the secretary are chosen by office, not by a bare name."""

    titles: dict = {}

    def label_from_instance(self, user):
        title = self.titles.get(user.pk)
        return f"{user} — {title}" if title else str(user)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    titles: dict = {}

    def label_from_instance(self, user):
        return UserChoiceField.label_from_instance(self, user)


class MeetingForm(BootstrapFormMixin, forms.Form):
    title = LimitedText(label=_("Tên phiên họp"), max_length=limits.TITLE)
    scheduled_at = forms.DateTimeField(
        label=_("Thời gian"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    place = LimitedText(label=_("Địa điểm"), max_length=limits.PLACE)
    chair = UserChoiceField(queryset=User.objects.none(), label=_("Chủ trì"))
    vice_chair = UserChoiceField(queryset=User.objects.none(), label=_("Phó Chủ tịch Hội đồng"),
                                 required=False)
    secretary = UserChoiceField(queryset=User.objects.none(), label=_("Thư ký"))
    members = UserMultipleChoiceField(queryset=User.objects.none(), required=False,
                                      label=_("Thành viên Hội đồng dự họp"),
                                      widget=forms.CheckboxSelectMultiple)
    nominees = NomineeChoiceField(queryset=None, label=_("Chương trình họp"),
                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, kind, movement, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        council_roles = [Role.COUNCIL_MEMBER, Role.CHAIRMAN]
        council = User.objects.filter(
            memberships__organisation=movement.issuer, memberships__role__in=council_roles,
            memberships__valid_to__isnull=True).distinct().order_by("full_name")
        staff_orgs = [movement.receiving_office, movement.council_secretariat, movement.issuer]
        staff = User.objects.filter(memberships__organisation__in=staff_orgs,
                                    memberships__valid_to__isnull=True).distinct()
        self.fields["chair"].queryset = staff | council
        self.fields["secretary"].queryset = staff
        self.fields["vice_chair"].queryset = council
        self.fields["members"].queryset = council
        self.fields["nominees"].queryset = candidates
        # Each person's title in the movement's bodies, in one query (a person holding two
        # shows the one at the issuer: its path comes first).
        titles = {}
        for user_id, title in (Membership.objects.filter(
                organisation__in=staff_orgs, valid_to__isnull=True).exclude(title="")
                .order_by("organisation__path", "pk").values_list("user_id", "title")):
            titles.setdefault(user_id, title)
        for name in ("chair", "vice_chair", "secretary", "members"):
            self.fields[name].titles = titles
        if kind != "council":
            del self.fields["members"]
            del self.fields["vice_chair"]
        else:
            self.fields["members"].initial = list(council)

    def clean_scheduled_at(self):
        when = self.cleaned_data["scheduled_at"]
        today = timezone.localdate()
        if not (today.replace(year=today.year - 1) <= timezone.localtime(when).date()
                <= today.replace(year=today.year + 2)):
            raise ValidationError(_("Thời gian họp phải trong khoảng một năm trước đến hai năm "
                                    "tới."))
        return when

    def member_roles(self) -> list[tuple]:
        """(user, role) for the council's voting members."""
        if self.kind != "council":
            return []
        data = self.cleaned_data
        roles = {}
        for user in data["members"]:
            roles[user] = "member"
        if data.get("vice_chair"):
            roles[data["vice_chair"]] = "vice_chair"
        if data["chair"] in roles or data["chair"] in self.fields["members"].queryset:
            roles[data["chair"]] = "chair"
        if data["secretary"] in roles:
            roles[data["secretary"]] = "secretary"
        return list(roles.items())

    def clean(self):
        data = super().clean()
        if self.kind == "council" and not data.get("members"):
            raise ValidationError(_("Hãy chọn thành viên Hội đồng dự họp."))
        return data


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(required=False, choices=())

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.user_id), str(m.user))
                                          for m in meeting.members.all()]


class ConclusionForm(BootstrapFormMixin, forms.Form):
    conclusion = forms.ChoiceField(label=_("Kết luận"), choices=CommitteeConclusion.choices)
    reason = LimitedText(label=_("Lý do"), max_length=limits.CONCLUSION_REASON, required=False)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(choices=VoteChoice.choices)


class WrittenVoteForm(forms.Form):
    member = forms.IntegerField()
    choice = forms.ChoiceField(choices=VoteChoice.choices)


class RecuseForm(BootstrapFormMixin, forms.Form):
    reason = LimitedText(label=_("Lý do không tham gia biểu quyết"),
                         max_length=limits.RECUSAL_REASON)


# The meeting page writes these two inputs by hand; an empty one is refused by the action with
# its own message.
class AdjournForm(forms.Form):
    reason = LimitedText(label=_("Lý do hoãn"), max_length=limits.ADJOURN_REASON, required=False)


class RescheduleForm(BootstrapFormMixin, forms.Form):
    """Dời lịch: the new time, a new place if it changes, and why."""

    scheduled_at = MeetingForm.base_fields["scheduled_at"]
    place = LimitedText(label=_("Địa điểm mới (để trống nếu không đổi)"),
                        max_length=limits.PLACE, required=False)
    reason = LimitedText(label=_("Lý do dời lịch"), max_length=limits.ADJOURN_REASON)

    clean_scheduled_at = MeetingForm.clean_scheduled_at


class HandlingForm(forms.Form):
    handling = LimitedText(label=_("Kết quả xử lý"), max_length=limits.OBJECTION_HANDLING,
                           required=False)


class CorrectionForm(BootstrapFormMixin, forms.Form):
    notes = LimitedText(label=_("Ghi chú, điều chỉnh của biên bản"),
                        max_length=limits.MINUTES_NOTES, lines=True,
                        widget=forms.Textarea(attrs={"rows": 4}))
    reason = LimitedText(label=_("Lý do điều chỉnh"), max_length=limits.CORRECTION_REASON)


class DisclosureForm(BootstrapFormMixin, forms.Form):
    title = LimitedText(label=_("Tiêu đề"), max_length=limits.TITLE)
    starts_on = forms.DateField(label=_("Công khai từ ngày"),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("Đến hết ngày"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    nominees = NomineeChoiceField(queryset=None, label=_("Danh sách công khai"),
                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].queryset = candidates


class ObjectionForm(BootstrapFormMixin, forms.Form):
    nominee = forms.IntegerField(widget=forms.HiddenInput)
    name = LimitedText(label=_("Họ và tên"), max_length=limits.OBJECTION_NAME)
    contact = LimitedText(label=_("Số điện thoại hoặc thư điện tử"),
                          max_length=limits.OBJECTION_CONTACT)
    text = LimitedText(label=_("Nội dung ý kiến"), max_length=limits.OBJECTION_TEXT, lines=True,
                       widget=forms.Textarea(attrs={"rows": 4}))
    # Left empty by people; robots that fill every field are ignored.
    website = forms.CharField(required=False, widget=forms.TextInput(
        attrs={"tabindex": "-1", "autocomplete": "off", "class": "visually-hidden"}))


