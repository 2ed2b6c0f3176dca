"""Places as data: the free-text region of each place becomes one of the UK's nations and
regions where we can tell which (trials.places.region_for), and is kept as written in
``state``; UK places get coordinates from their town. Existing places are marked as staff's,
so the next import keeps them (it skips registry places staff already have)."""

from django.db import migrations


def fill(apps, schema_editor):
    from trials.places import Region, find_town, is_uk, region_for

    Location = apps.get_model("trials", "Location")
    regions = set(Region.values)
    changed = []
    for place in Location.objects.all():
        written = place.region
        if written not in regions:
            if written and not place.state:
                place.state = written
            place.region = region_for(written, place.town, country=place.country)
        if is_uk(place.country) and place.latitude is None:
            town = find_town(place.town)
            if town:
                place.latitude, place.longitude = town.latitude, town.longitude
        changed.append(place)
    Location.objects.bulk_update(changed, ["region", "state", "latitude", "longitude"])


def unfill(apps, schema_editor):
    from trials.places import region_label

    Location = apps.get_model("trials", "Location")
    changed = []
    for place in Location.objects.exclude(region=""):
        place.region = region_label(place.region)
        changed.append(place)
    Location.objects.bulk_update(changed, ["region"])


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0012_location_places_as_data"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
