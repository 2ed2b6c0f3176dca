"""Glossary pop-ups in template text: ``{% explain text %}`` for words a template writes
(hints, fact boxes, table cells, summaries) and ``{% explained record.field_html %}`` for a
record's stored HTML, so each term is explained once, at its first use in the page's main
content. See ``netinfo.page_glossary``; the page's ``PageGlossary`` comes from the context
processor ``netinfo.context_processors.glossary``."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def explain(context, text):
    glossary = context.get("glossary")
    if glossary is None or text in (None, ""):
        return conditional_escape(text if text is not None else "")
    return glossary.text(text)


@register.simple_tag(takes_context=True)
def explained(context, stored_html):
    glossary = context.get("glossary")
    if glossary is None:
        return mark_safe(stored_html or "")  # noqa: S308 - stored HTML, cleaned when rendered
    return glossary.html(stored_html)


@register.simple_tag(takes_context=True)
def glossary_exclude(context, *slugs):
    """Never explain these terms on this page: ``{% glossary_exclude term.slug %}``."""
    glossary = context.get("glossary")
    if glossary is not None:
        glossary.exclude(slugs)
    return ""
