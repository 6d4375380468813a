"""Who a request comes from, and fixed-window budgets in the shared cache (Redis with several processes).

Used by the accounts (sign-in lock-out per address, account e-mail limits) and the wiki (preview budget).
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache

UNKNOWN_ADDRESS = "0.0.0.0"


def spend(key: str, amount: int, limit: int, window_seconds: int) -> bool:
    """Count `amount` more against `key`'s budget of `limit` for the window that began with its first use;
    False when that goes past the limit. cache.incr is atomic on Redis, so app processes share one count."""
    cache.add(key, 0, window_seconds)
    try:
        used = cache.incr(key, amount)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, amount, window_seconds)
        used = amount
    return used <= limit


def client_address(request) -> str:
    """The address of whoever sent this request: REMOTE_ADDR, or behind trusted proxies the X-Forwarded-For
    entry added by the outermost trusted proxy.

    X-Forwarded-For is walked from the right: each trusted proxy appends the address it was reached from,
    so the first entry that is not a trusted proxy is the client. Everything left of it was written by the
    client and may be forged, so it is never read (docs/deploy.md).
    """
    address = _parse_address(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while address is not None and _is_trusted_proxy(address) and forwarded:
        entry = forwarded.pop().strip()
        if entry:  # "a, , b" has empty entries: a trusted proxy never adds one
            address = _parse_address(entry)
    return str(address) if address is not None else UNKNOWN_ADDRESS


def _parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; count them as the IPv4 address they are.
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted_proxy(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)
