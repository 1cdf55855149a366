from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.documents.layouts import FIELD_LABELS
from thidua.documents.models import CertificateLayout
from thidua.orgs.models import Organisation


def _mm(label, lo, hi):
    return forms.DecimalField(label=label, min_value=lo, max_value=hi, decimal_places=1,
                              max_digits=5, widget=forms.NumberInput(attrs={"step": "0.5"}))


class LayoutForm(BootstrapFormMixin, forms.Form):
    """Mẫu phôi: the page, the printer's offset and, per field, where it prints."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label=_("Cơ quan ban hành"), empty_label=None)
    name = forms.CharField(label=_("Tên mẫu phôi"), max_length=100)
    page_width_mm = _mm(_("Khổ ngang (mm)"), 50, 600)
    page_height_mm = _mm(_("Khổ dọc (mm)"), 50, 600)
    offset_x_mm = _mm(_("Dịch ngang (mm)"), -50, 50)
    offset_y_mm = _mm(_("Dịch dọc (mm)"), -50, 50)

    def __init__(self, *args, layout: CertificateLayout, organisations, shared_allowed=False,
                 **kwargs):
        initial = {"organisation": layout.organisation_id, "name": layout.name,
                   "page_width_mm": layout.page_width_mm, "page_height_mm": layout.page_height_mm,
                   "offset_x_mm": layout.offset_x_mm, "offset_y_mm": layout.offset_y_mm}
        fields = layout.merged_fields()
        for key, spec in fields.items():
            initial |= {f"{key}-x": spec["x"], f"{key}-y": spec["y"], f"{key}-size": spec["size"]}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["organisation"].queryset = organisations
        if shared_allowed:
            # An administrator's blank may serve every body (no organisation).
            self.fields["organisation"].required = False
            self.fields["organisation"].empty_label = _("Mọi cơ quan (mẫu dùng chung)")
        self.field_keys = list(fields)
        for key in self.field_keys:
            size_label = _("Cạnh (mm)") if key == "qr" else _("Cỡ chữ (pt)")
            self.fields[f"{key}-x"] = _mm(_("Ngang x (mm)"), 0, 600)
            self.fields[f"{key}-y"] = _mm(_("Dọc y (mm)"), 0, 600)
            self.fields[f"{key}-size"] = _mm(size_label, 5, 72)
        for name, field in self.fields.items():  # Bootstrap classes for the fields added late
            if name.endswith(("-x", "-y", "-size")):
                field.widget.attrs["class"] = "form-control form-control-sm"

    def rows(self):
        return [(FIELD_LABELS[key], [self[f"{key}-{part}"] for part in ("x", "y", "size")])
                for key in self.field_keys]

    def positions(self) -> dict:
        return {key: {part: self.cleaned_data[f"{key}-{part}"] for part in ("x", "y", "size")}
                for key in self.field_keys}
