from wagtail.models import PageManager
from wagtail.query import PageQuerySet


class ListedPageQuerySet(PageQuerySet):
    def listed_in(self, locale):
        """The pages a visitor of this language may see: live, public, and in that language's tree only."""
        return self.live().public().filter(locale=locale)


ListedPageManager = PageManager.from_queryset(ListedPageQuerySet)
