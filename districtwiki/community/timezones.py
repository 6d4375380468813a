"""Time zones a member may choose: IANA names, the US ones first (where nearly every member works)."""

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

US_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Pacific/Guam",
    "Pacific/Pago_Pago",
)
ZONE_NAME_MAX_LENGTH = 64


def known_zone(name: str) -> ZoneInfo | None:
    """The zone of that name, or None for a name that is not a zone (checked before any file is opened)."""
    name = (name or "").strip()
    if not name or len(name) > ZONE_NAME_MAX_LENGTH or name not in all_zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@cache
def all_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def zone_choices() -> list:
    """Grouped choices for a select: the US zones, then every other zone by name."""
    others = sorted(all_zone_names() - set(US_ZONES) - {"UTC"})
    return [
        ("United States", [(zone, zone.replace("_", " ")) for zone in US_ZONES]),
        ("Other time zones", [("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in others)]),
    ]
