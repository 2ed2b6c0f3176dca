"""The hospitals where a trial takes place, from the registry or added by staff."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from trials.places import Region, find_town, is_uk, region_for


class Location(models.Model):
    """A hospital where the trial takes place. Places from the registry are replaced on each
    import; places staff add (or correct) are kept. Changes are in the history."""

    class Source(models.TextChoices):
        REGISTRY = "registry", "From the registry (replaced on each import)"
        STAFF = "staff", "Added or corrected by staff (kept on import)"

    trial = models.ForeignKey("Trial", on_delete=models.CASCADE, related_name="locations")
    name = models.CharField("hospital or site", max_length=200)
    town = models.CharField(max_length=100, blank=True)
    region = models.CharField(
        "UK nation or region",
        max_length=100,
        blank=True,
        db_index=True,
        choices=Region.choices,
        help_text="Leave empty for places outside the UK.",
    )
    state = models.CharField(
        "state, county or province",
        max_length=100,
        blank=True,
        help_text='As the registry gives it, e.g. "California". Shown for places outside the UK.',
    )
    country = models.CharField(max_length=100, blank=True, default="United Kingdom")
    recruiting = models.BooleanField("taking people here", default=True)
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Filled in from the town when left empty (UK towns only).",
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country", "region", "town", "name"]
        constraints = [
            models.CheckConstraint(
                name="location_both_coordinates_or_neither",
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
            )
        ]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.town) if part)

    def save(self, *args, **kwargs):
        self.fill_from_town()
        super().save(*args, **kwargs)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give both the latitude and the longitude, or neither.")

    def fill_from_town(self):
        """A UK place without coordinates or region gets them from its town, when we know
        the town (trials.places)."""
        if not is_uk(self.country):
            return
        if not self.region:
            self.region = region_for(self.state, self.town)
        if self.latitude is None and self.longitude is None:
            town = find_town(self.town)
            if town:
                self.latitude, self.longitude = town.latitude, town.longitude
