"""What every page's template gets: the site's name and helpline, and the page's glossary."""

from django.conf import settings

from netinfo.page_glossary import PageGlossary


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "HELPLINE": settings.HELPLINE}


def glossary(request):
    """One ``PageGlossary`` a page: the terms explained so far (``netinfo.page_glossary``)."""
    return {"glossary": PageGlossary()}
