import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netinfo.settings")

application = get_wsgi_application()

# textstat reads its pronunciation dictionary on first use (seconds): do it while the server
# starts, not in an editor's first request. With gunicorn --preload it is loaded once.
import textstat  # noqa: E402

textstat.syllable_count("warm")
