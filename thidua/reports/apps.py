from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "thidua.reports"
    verbose_name = "Báo cáo, thống kê"

    def ready(self):
        from thidua.reports import documents  # noqa: F401  registers the summary report's kind
