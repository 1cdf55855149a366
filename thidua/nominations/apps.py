from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "thidua.nominations"
    verbose_name = "Hồ sơ đề nghị khen thưởng"

    def ready(self):
        from thidua.nominations import documents  # noqa: F401  registers the document kinds
