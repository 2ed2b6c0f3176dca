"""Papers about a trial, shown on its page as citations with a link."""

from django.db import models


class Publication(models.Model):
    trial = models.ForeignKey("Trial", on_delete=models.CASCADE, related_name="publications")
    authors = models.CharField(
        max_length=300,
        blank=True,
        help_text='e.g. "T Meyer and others". Leave empty if the source does not say.',
    )
    title = models.CharField(max_length=400)
    journal = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, help_text='e.g. "10.1111/jne.13116"')
    pmid = models.CharField("PubMed ID", max_length=12, blank=True)
    url = models.URLField("link", blank=True)

    class Meta:
        ordering = ["-year", "title"]

    def __str__(self):
        return self.title

    @property
    def link(self):
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return ""

    @property
    def citation(self):
        """Authors. Title. Journal, year. Volume, issue, pages."""
        parts = [f"{part.rstrip('.')}." for part in (self.authors, self.title) if part]
        where = ", ".join(str(part) for part in (self.journal, self.year) if part)
        if where:
            parts.append(f"{where}.")
        numbers = ", ".join(
            label + value
            for label, value in (
                ("Volume ", self.volume),
                ("Issue ", self.issue),
                ("Pages ", self.pages),
            )
            if value
        )
        if numbers:
            parts.append(f"{numbers}.")
        return " ".join(parts)
