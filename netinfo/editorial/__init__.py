"""The editing area behind the public site (part of the netinfo app; see
docs/editorial-workflow.md):

- rules, on models and users: ``workflow`` (roles, publishing, the edit version that refuses
  stale saves), ``dashboard`` (review dates, what needs doing), ``pending`` (edits to live
  pages that wait for an approver), ``history`` + ``history_links`` + ``links_restore``
  (versions, their links and rows, restoring them), ``people`` (colleagues, invitations),
  ``readability`` + ``meter`` (the plain-English meter), ``lockout`` (failed logins);
- their tables: ``models`` (pending changes, version links, clinical reviews);
- the admin: ``content_admin.ContentAdmin``, the base of every content record's admin, made
  of ``pending_admin`` (+ ``pending_review``, ``pending_diff``), ``history_admin``,
  ``clinical_review_admin`` and the meter, sharing ``admin_pages``; ``forms``.
"""
