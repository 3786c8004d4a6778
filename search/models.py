from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SearchEntry(models.Model):
    """What the site search knows of one live, public page (in its language) or one document (every language).

    Kept in step with publishing by search/signals.py; rebuilt by `manage.py rebuild_site_search`. The *_stems
    columns hold the words' stems (search/stemming.py) between spaces; on PostgreSQL `vector` indexes them."""

    class Kind(models.TextChoices):
        NEWS = "news", pgettext_lazy("search result type", "News")
        PAGE = "page", pgettext_lazy("search result type", "Page")
        BRANCH = "branch", pgettext_lazy("search result type", "Branch")
        DOCUMENT = "document", pgettext_lazy("search result type", "Document")

    page = models.OneToOneField("wagtailcore.Page", null=True, on_delete=models.CASCADE, related_name="+")
    document = models.OneToOneField("wagtaildocs.Document", null=True, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, blank=True, db_index=True)  # "" for documents
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.TextField()
    text = models.TextField(blank=True)
    date = models.DateTimeField(null=True, blank=True)
    title_stems = models.TextField(blank=True)
    text_stems = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return self.title
