"""Who a request comes from, for the per-client limits (failed logins, feedback)."""

from django.conf import settings


def client_address(request):
    """The visitor's address. Behind PROXY_COUNT proxies that each append the address they
    were reached from to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), it is the
    entry that many from the right: anything further left was written by the visitor and
    cannot be trusted. Without proxies, the connection's own address."""
    hops = settings.PROXY_COUNT
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [part.strip() for part in forwarded if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")
