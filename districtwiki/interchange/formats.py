"""The formats `districtwiki import FORMAT …` and `districtwiki export FORMAT …` know.

Each format is a module of this app. A module that reads a format has `IMPORT_HELP`,
`add_import_arguments(parser)` and `run_import(options, stdout)`; one that writes a format has
`EXPORT_HELP`, `add_export_arguments(parser)` and `run_export(options, stdout)`. `run_*` raise CommandError
with one line for bad input (Django prints it and exits non-zero) and count their work with
`districtwiki.progress.track`.
"""

from importlib import import_module
from types import ModuleType

IMPORTERS: dict[str, str] = {
    "markdown": "districtwiki.interchange.markdown_import",
    "mediawiki": "districtwiki.interchange.mwimport",
}
EXPORTERS: dict[str, str] = {
    "markdown": "districtwiki.interchange.markdown_export",
    "html": "districtwiki.interchange.offline.export",
    "mediawiki": "districtwiki.interchange.mediawiki_export",
}


def _modules(registry: dict[str, str]) -> dict[str, ModuleType]:
    return {name: import_module(path) for name, path in registry.items()}


def importers() -> dict[str, ModuleType]:
    return _modules(IMPORTERS)


def exporters() -> dict[str, ModuleType]:
    return _modules(EXPORTERS)
