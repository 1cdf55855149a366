from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.movements.models import Movement
from thidua.orgs.models import Organisation
from thidua.reports.scope import Filters

YEARS = range(2015, 2041)


class FilterForm(forms.Form):
    """Bộ lọc of the dashboards and exports, read from the query string (?tu=&den=&phong_trao=
    &don_vi=&theo_nam=), so a filtered page is a link that can be shared or bookmarked."""

    tu = forms.DateField(label=_("Từ ngày"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    den = forms.DateField(label=_("Đến ngày"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    phong_trao = forms.ModelChoiceField(label=_("Phong trào"), queryset=Movement.objects.none(),
                                        to_field_name="slug", required=False,
                                        empty_label=_("Tất cả phong trào"))
    don_vi = forms.ModelMultipleChoiceField(label=_("Đơn vị"), queryset=Organisation.objects.none(),
                                            required=False,
                                            help_text=_("Mỗi đơn vị gồm cả các đơn vị trực thuộc."))
    theo_nam = forms.BooleanField(label=_("Chia theo từng năm"), required=False)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["phong_trao"].queryset = Movement.objects.visible_to(user).order_by(
            "-launched_on", "pk")
        # Only the person's own units can be chosen: another unit is not a choice, and an
        # address naming one is refused like any value not in the list.
        self.fields["don_vi"].queryset = (Organisation.objects.scope_of(user).active_on()
                                          .order_by("path"))
        for name in ("tu", "den"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["phong_trao"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        if data.get("tu") and data.get("den") and data["tu"] > data["den"]:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(date_from=data.get("tu"), date_to=data.get("den"),
                       movement=data.get("phong_trao"),
                       organisations=tuple(data.get("don_vi") or ()))


class YearForm(forms.Form):
    nam = forms.TypedChoiceField(label=_("Năm báo cáo"), coerce=int,
                                 choices=[(y, y) for y in YEARS])
