"""The editing area behind the public site: roles and publishing (``workflow``), edits to live
pages that wait for an approver (``pending``, ``pending_admin``), versions and restoring them
(``history``, ``history_links``), the base admin every content record uses
(``content_admin``), colleagues and invitations (``people``), the plain-English meter
(``meter``, ``readability``) and login throttling (``lockout``). See
docs/editorial-workflow.md."""
