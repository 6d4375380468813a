"""The URL converter of the API's title parameters."""

from django.urls.converters import PathConverter


class AnyPathConverter(PathConverter):
    """Django's `path` (any text, "/" included), line breaks too: a title with a line break then reaches
    the API, which answers 400 with a message, instead of matching no API route (the site's HTML 404)."""

    regex = r"(?s:.+)"
