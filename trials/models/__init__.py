"""The trials app's models, one module each: the trial (``trial``, with its queryset in
``queries``), its registry numbers, places and publications, the finder's search words, and
the registry sync's conditions and change tasks. Their choices are in ``trials.choices``."""

from trials.models.identifiers import Identifier
from trials.models.locations import Location
from trials.models.publications import Publication
from trials.models.registry import RegistryChange, RegistryCondition
from trials.models.search_text import TrialSearchText
from trials.models.trial import Trial

__all__ = [
    "Identifier",
    "Location",
    "Publication",
    "RegistryChange",
    "RegistryCondition",
    "Trial",
    "TrialSearchText",
]
