"""A model field for the rules' exact ratios (quorum, vote thresholds).

The column holds the text "n/d" in lowest terms ("2/3", "9/10"); Python sees a
``fractions.Fraction``; forms and the admin take "2/3" or "90%". Every write passes through
:func:`thidua.rulesets.ratios.parse_ratio`, so no row can hold a ratio outside (0, 1] or a
decimal.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.rulesets.ratios import RatioError, parse_ratio, ratio_key, ratio_text

HELP = _("Ghi dạng phân số (ví dụ 2/3) hoặc phần trăm nguyên (ví dụ 90%); không dùng số thập "
         "phân.")


class RatioFormField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("maxlength", "12")
        self.widget.attrs.setdefault("inputmode", "text")

    def prepare_value(self, value):
        if value is None or value == "":
            return ""
        try:
            return ratio_text(parse_ratio(value))
        except RatioError:
            return value  # what the person typed, shown back with the error

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_ratio(value)
        except RatioError as error:
            raise ValidationError(str(error), code="invalid") from None


class FractionField(models.Field):
    description = _("Tỷ lệ chính xác (phân số)")

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 16
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def get_internal_type(self):
        return "CharField"

    def from_db_value(self, value, expression, connection):
        return None if value in (None, "") else parse_ratio(value)

    def to_python(self, value):
        if value is None or value == "":
            return None
        try:
            return parse_ratio(value)
        except RatioError as error:
            raise ValidationError(str(error), code="invalid") from None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None
        return ratio_key(parse_ratio(value))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else ratio_key(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RatioFormField, **kwargs})
