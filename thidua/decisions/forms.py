from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.decisions.models import Decision
from thidua.orgs.models import Role, User
from thidua.reviews.forms import NomineeChoiceField
from thidua.rulesets.models import AwardForm


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return str(user)


class DecisionForm(BootstrapFormMixin, forms.Form):
    award_form = forms.ModelChoiceField(queryset=AwardForm.objects.none(),
                                        label=_("Hình thức khen thưởng"), empty_label=None)
    number = forms.IntegerField(label=_("Số quyết định"), min_value=1)
    series = forms.CharField(label=_("Ký hiệu"), max_length=32, initial="QĐ-UBND")
    issued_on = forms.DateField(label=_("Ngày ký"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    signer = UserChoiceField(queryset=User.objects.none(), label=_("Người ký"), empty_label=None)
    signer_capacity = forms.ChoiceField(label=_("Thẩm quyền ký"),
                                        choices=Decision.Capacity.choices)
    legal_grounds = forms.CharField(label=_("Căn cứ (mỗi căn cứ một dòng)"),
                                    widget=forms.Textarea(attrs={"rows": 5}))
    nominees = NomineeChoiceField(queryset=None, label=_("Danh sách khen thưởng"),
                                  widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, movement, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_form"].queryset = AwardForm.objects.filter(
            pk__in=movement.movement_award_forms.values("award_form"),
            authority="district_chairman")
        self.fields["signer"].queryset = User.objects.filter(
            memberships__organisation=movement.issuer, memberships__role=Role.CHAIRMAN,
            memberships__valid_to__isnull=True).distinct()
        self.fields["nominees"].queryset = candidates
