"""One API request as the modules see it: who asks, the parameters, and the output conventions of the
requested formatversion (1: flags as "" and text under "*"; 2: true/false and named keys)."""

from dataclasses import dataclass

from districtwiki.wiki import access

from .params import Params


@dataclass
class Context:
    request: object
    params: Params
    formatversion: int

    @property
    def user(self):
        return self.request.user

    @property
    def signed_in(self) -> bool:
        return access.is_signed_in(self.request.user)

    @property
    def content_key(self) -> str:
        """Where MediaWiki puts text (revision content, parsed HTML, a namespace's name) in this format."""
        return "content" if self.formatversion == 2 else "*"

    def keyed(self, name: str, value) -> dict:
        """`{"name": value}` in formatversion 2, `{"name": {"*": value}}` in 1 (action=parse's shape)."""
        return {name: value} if self.formatversion == 2 else {name: {"*": value}}


def legacy_flags(value):
    """Formatversion 1 writes a true flag as "" and leaves a false one out; everything else is unchanged."""
    if isinstance(value, dict):
        return {
            key: ("" if item is True else legacy_flags(item))
            for key, item in value.items()
            if item is not False
        }
    if isinstance(value, list):
        return [legacy_flags(item) for item in value]
    return value
