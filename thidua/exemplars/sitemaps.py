"""The sitemap of public exemplar pages (only public ones ever appear)."""

from django.contrib.sitemaps import Sitemap

from thidua.exemplars.models import Exemplar


class ExemplarSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Exemplar.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
