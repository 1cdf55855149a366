from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from thidua.core.uploads import check_upload
from thidua.documents.models import CertificateLayout, DocumentTemplate
from thidua.documents.render import check_template

# A template is a few pages of Word: far below the general upload limit.
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["kind", "organisation", "file"]

    def clean_file(self):
        """The same content checks as any upload (a real DOCX by its bytes, its size, no zip
        bomb, no macros) before python-docx opens it to read its fields."""
        upload = self.cleaned_data.get("file")
        if upload and getattr(upload, "content_type", None) is not None:  # a new upload
            check_upload(upload, allowed={"docx"}, max_bytes=TEMPLATE_MAX_BYTES)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload and kind and "file" not in self.errors:
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
