from django.apps import AppConfig


class RulesetsConfig(AppConfig):
    name = "thidua.rulesets"
    verbose_name = "Bộ quy tắc khen thưởng"
