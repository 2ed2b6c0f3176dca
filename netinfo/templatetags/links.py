"""Links by URL name on the public pages, about as cheap as a written-out address. Each public
template with a link does ``{% load links %}``.

``{% url %}`` here is Django's, but a link whose name and arguments are all written in the
template, such as ``{% url 'netinfo:page' 'faq' %}``, is reversed once per process instead
of on every page: Django's reverse() costs about 25 µs a link (it reads the language, the
script prefix and the URLconf from context-local storage each time), and a page's twenty-odd
links added half a millisecond to every page worked out afresh, a quarter of the home page.
Any other ``{% url %}`` (a name or an argument from a variable, or ``as``) is Django's as it
is. The admin's templates use Django's tag.

``{% nav_link "trials:list" "Find a trial" %}`` is a link of the header's main navigation,
marked as the current page on every address under it.
"""

from django import template
from django.template.base import Variable
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# (URLconf, script prefix, name, arguments) -> URL; the URLconf is the resolver itself, so
# a test or the benchmark that swaps ROOT_URLCONF gets its own entries.
_urls = {}
_ARIA_CURRENT = mark_safe(' aria-current="page"')


def fixed_reverse(view_name, args=()):
    key = (get_resolver(get_urlconf()), get_script_prefix(), view_name, args)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(view_name, args=args)
    return url


def _written(expression):
    return not isinstance(expression.var, Variable) and not expression.filters


class FixedURLNode(URLNode):
    """A ``{% url %}`` whose name and arguments are literals. Each app namespace has one
    instance here, so the current app, which Django's tag passes on, cannot change the URL."""

    def render(self, context):
        url = fixed_reverse(self.view_name.var, tuple(arg.var for arg in self.args))
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    if node.kwargs or not all(map(_written, [node.view_name, *node.args])):
        return node
    return FixedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, text):
    url = fixed_reverse(url_name)
    # No request on the bare error page (netinfo.views.server_error): nothing is current.
    request = context.get("request")
    current = _ARIA_CURRENT if request is not None and request.path.startswith(url) else ""
    return format_html('<a class="app-nav__link" href="{}"{}>{}</a>', url, current, text)
