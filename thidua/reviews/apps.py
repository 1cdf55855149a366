from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "thidua.reviews"
    verbose_name = "Họp xét và bỏ phiếu"

    def ready(self):
        from django.urls import reverse

        from thidua.reviews import documents  # noqa: F401  registers the document kinds
        from thidua.reviews.models import Meeting

        # Filing a signed copy redirects to the object's page (documents.views.signed_copy), and
        # Meeting has no get_absolute_url yet; models.py belongs to another change in flight, so
        # the method is attached here until it moves there (kept if models.py defines one).
        if not hasattr(Meeting, "get_absolute_url"):
            Meeting.get_absolute_url = lambda self: reverse("reviews:detail", args=[self.pk])
