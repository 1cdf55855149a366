from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from thidua.documents.models import CertificateLayout, DocumentTemplate
from thidua.documents.render import check_template


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["kind", "organisation", "file"]

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload and kind:
            try:
                check_template(upload.read(), kind)
            except ValidationError as exc:
                self.add_error("file", exc)
            upload.seek(0)
        return cleaned


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["kind", "organisation", "uploaded_at"]


@admin.register(CertificateLayout)
class CertificateLayoutAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "offset_x_mm", "offset_y_mm", "updated_at"]
