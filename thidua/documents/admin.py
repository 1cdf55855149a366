from django import forms
from django.contrib import admin

from thidua.documents.models import CertificateLayout, DocumentTemplate
from thidua.documents.render import check_template


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["kind", "organisation", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_template(upload.read())
        upload.seek(0)
        return upload


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["kind", "organisation", "uploaded_at"]


@admin.register(CertificateLayout)
class CertificateLayoutAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "offset_x_mm", "offset_y_mm", "updated_at"]
