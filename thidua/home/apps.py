from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Home pages and the demo: the top floor, above every domain app."""

    name = "thidua.home"
    verbose_name = "Trang chủ"
