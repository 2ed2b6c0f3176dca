"""Caching of public pages: whole pages per content version (``page_cache``), the headers that
let browsers and shared caches keep them (``http``), and the small things many pages need,
kept per content version in each process (``versioned``). The content version itself is
``netinfo.content_version``."""
