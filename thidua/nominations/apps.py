from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "thidua.nominations"
    verbose_name = "Hồ sơ đề nghị khen thưởng"
