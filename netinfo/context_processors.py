from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "HELPLINE": settings.HELPLINE}


def glossary(request):
    """One ``PageGlossary`` a page: the terms explained so far (``netinfo.page_glossary``)."""
    from netinfo.page_glossary import PageGlossary

    return {"glossary": PageGlossary()}
