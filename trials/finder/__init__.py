"""The trial finder (/trials/): one package, read in this order, following ``q`` from
``trials.views.trial_list``.

1. ``page``: what the page shows for a search (``context``); ``FinderPage`` is the search's
   FilterSet with its tick boxes, links and notes.
2. ``filters``: ``TrialFilter``, the django-filter FilterSet. Its form cleans every parameter;
   ``.qs`` is the search in SQL, ``results()`` the same answer from the index.
3. ``options``: what a patient can choose and the words for each option, written once.
4. ``words``: how ``q`` is read: spellings, synonyms, registry numbers.
5. ``index``: the fast in-memory answer, built from the database per content version.
6. ``near``: distances from a town, in memory and in SQL.
7. ``search_text``: each trial's search words, stored in one place (the index reads them).
8. ``signals``: keeps the search words in step with every edit.
9. ``sql``: the conditions and orders ``.qs`` runs, the reference the index agrees with.
10. ``results``: the matching trials a page at a time, and what each result card shows.

Places (regions, towns, miles) are ``trials.places``, and what a status may say is
``trials.status``: the trial's own pages use them too.
"""
