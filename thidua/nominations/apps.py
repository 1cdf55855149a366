from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "thidua.nominations"
    verbose_name = "Hồ sơ đề nghị khen thưởng"

    def ready(self):
        from django.urls import reverse

        from thidua.nominations import documents  # noqa: F401  registers the document kinds
        from thidua.nominations.models import Dossier

        # Filing a signed copy redirects to the object's page (documents.views.signed_copy), and
        # Dossier has no get_absolute_url yet; models.py belongs to another change in flight, so
        # the method is attached here until it moves there (kept if models.py defines one).
        if not hasattr(Dossier, "get_absolute_url"):
            Dossier.get_absolute_url = lambda self: reverse("nominations:detail", args=[self.pk])
