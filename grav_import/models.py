from django.db import models


class ImportedPage(models.Model):
    """Which Wagtail page a Grav folder's language version became, and the content it was imported from.

    A second import compares the folder's fingerprint and leaves unchanged pages alone (no new revision)."""

    folder = models.CharField(max_length=500, help_text="The Grav folder, relative to user/pages.")
    language = models.CharField(max_length=10)
    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+")
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["folder", "language"], name="unique_imported_folder_language")]

    def __str__(self):
        return f"{self.folder} [{self.language}]"
