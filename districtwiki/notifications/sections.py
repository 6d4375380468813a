"""Sections that features add to the notification settings page, such as the events' calendar feed.

The notifications app knows nothing of the features built on it. A feature registers its section once, in
its AppConfig.ready() (`register_settings_section(SettingsSection(...))`): a template, and a function of the
request that makes the template's context (available to it as `section`). The page shows every registered
section after its own, in the order they were registered.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class SettingsSection:
    name: str
    template: str
    context: Callable[[HttpRequest], dict]


_sections: dict[str, SettingsSection] = {}


def register_settings_section(section: SettingsSection) -> None:
    """Add (or replace, by name) a feature's section of the settings page."""
    _sections[section.name] = section


def unregister_settings_section(name: str) -> None:
    _sections.pop(name, None)


def shown_sections(request) -> list[tuple[str, dict]]:
    """Each registered section's template and context for this request."""
    return [(section.template, section.context(request)) for section in _sections.values()]
