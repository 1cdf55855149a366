"""The Atom feed of newly published exemplars (public ones only)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from thidua.exemplars import queries

FEED_ITEMS = 30


class NewExemplarsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Gương điển hình mới")
    subtitle = _("Gương người tốt, việc tốt, điển hình tiên tiến, mô hình hay, cách làm sáng tạo")

    def link(self):
        return reverse("exemplars:public-list")

    def items(self):
        return queries.public_exemplars()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.organisation.name

    def item_categories(self, item):
        return [item.get_kind_display()]
