from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "thidua.reviews"
    verbose_name = "Họp xét và bỏ phiếu"

    def ready(self):
        from thidua.reviews import documents  # noqa: F401  registers the document kinds
