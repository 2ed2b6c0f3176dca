"""A trial's registry numbers (NCT, EudraCT, EU CT, ISRCTN, IRAS): checked, tidied, linked."""

import re

from django.core.exceptions import ValidationError
from django.db import models

from trials.choices import RegistryKind


class Identifier(models.Model):
    """A registry number. Each is unique across trials and links to its registry page."""

    PATTERNS = {
        RegistryKind.NCT: (r"NCT\d{8}", "NCT followed by 8 digits, e.g. NCT02683941"),
        RegistryKind.EUDRACT: (r"\d{4}-\d{6}-\d{2}", "year-6 digits-2 digits, e.g. 2022-003575-42"),
        RegistryKind.EUCT: (
            r"\d{4}-\d{6}-\d{2}-\d{2}",
            "year-6 digits-2 digits-2 digits, e.g. 2023-503456-12-00",
        ),
        RegistryKind.ISRCTN: (r"ISRCTN\d{8}", "ISRCTN followed by 8 digits, e.g. ISRCTN12345678"),
        RegistryKind.IRAS: (r"\d{4,7}", "4 to 7 digits and nothing else, e.g. 1006904"),
    }
    LINKS = {
        RegistryKind.NCT: "https://clinicaltrials.gov/study/{}",
        RegistryKind.EUDRACT: "https://www.clinicaltrialsregister.eu/ctr-search/search?query={}",
        RegistryKind.EUCT: "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT={}",
        RegistryKind.ISRCTN: "https://www.isrctn.com/{}",
        RegistryKind.IRAS: "https://www.hra.nhs.uk/planning-and-improving-research/application-summaries/"
        "research-summaries/?query={}",
    }

    trial = models.ForeignKey("Trial", on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=8, choices=RegistryKind)
    value = models.CharField(
        max_length=40,
        db_index=True,
        help_text="Copy it from the registry. Spaces and small letters are tidied for you.",
    )

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                name="identifier_unique_per_registry",
                violation_error_message="Another trial already has this registry number.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    # Labels people paste along with the number ("IRAS ID: 1006904", "EudraCT 2022-...").
    LABELS = {
        RegistryKind.EUDRACT: r"EUDRACT(NUMBER|NO\.?)?:?",
        RegistryKind.EUCT: r"EUCT(NUMBER|NO\.?)?:?",
        RegistryKind.IRAS: r"IRAS(ID)?:?",
    }

    @classmethod
    def normalise(cls, kind, value):
        """Tidy what an editor typed or pasted: no spaces, upper case, plain hyphens."""
        value = re.sub(r"\s+", "", value or "").upper()
        value = re.sub(r"[\u2010-\u2015\u2212]", "-", value)  # dashes from Word or the web
        label = cls.LABELS.get(kind)
        if label:
            value = re.sub(f"^{label}", "", value)
        if kind in (RegistryKind.NCT, RegistryKind.ISRCTN) and value[:1].isdigit():
            value = ("NCT" if kind == RegistryKind.NCT else "ISRCTN") + value
        return value

    def clean(self):
        self.value = self.normalise(self.kind, self.value)
        pattern, example = self.PATTERNS.get(self.kind, (None, None))
        if pattern and not re.fullmatch(pattern, self.value):
            raise ValidationError(
                {
                    "value": f"This is not a valid {self.get_kind_display()} number. "
                    f"It should be {example}."
                }
            )
        if self.kind and self.value:
            # Checked here rather than left to the constraint, so the message sits next to the
            # number and names the trial that has it.
            other = (
                Identifier.objects.filter(kind=self.kind, value=self.value)
                .exclude(pk=self.pk)
                .select_related("trial")
                .first()
            )
            if other and self.trial_id and other.trial_id == self.trial_id:
                raise ValidationError({"value": "This trial already has this registry number."})
            if other:
                raise ValidationError(
                    {
                        "value": "Another trial already has this registry number: "
                        f"{other.trial}. Check you have typed it correctly."
                    }
                )

    @property
    def url(self):
        return self.LINKS[self.kind].format(self.value)
