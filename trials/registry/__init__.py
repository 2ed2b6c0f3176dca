"""Trials from ClinicalTrials.gov: reading its records, importing them, and keeping in step.

Read in this order:

- ``records``: what a record becomes (``ParsedTrial``) and ``RecordError``; ``reader``,
  ``numbers`` and ``citations`` help ``parse`` turn a study's JSON into it; ``files`` reads
  JSON files safely. These six are pure Python (no Django), tested without a database.
- ``importer`` writes parsed records to the database (``values``: registry facts;
  ``related``: registry numbers, places, publications; ``matching``: tumour sites, drugs and
  treatments), from ``sources`` (files, an upload), and says what it did in a ``report``.
  ``changes`` leaves staff a task when a published trial's facts change.
- ``sync`` (``manage.py sync_ctgov``, "Check the registry now") asks the API (``api``: HTTP
  with retries; ``pages``: the search page by page) and hands every study to the importer.
- ``admin_import`` (the upload page) and ``admin_check`` ("Check the registry now", import
  by number, "mark checked") are the admin's views, mixed into ``TrialAdmin``.
"""

#: The registry this package reads, as staff and messages name it.
REGISTRY = "ClinicalTrials.gov"
