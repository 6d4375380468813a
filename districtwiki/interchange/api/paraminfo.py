"""action=paraminfo: each module's parameters in MediaWiki's shape, made from the same `Param` declarations
the dispatcher validates requests with (clients such as pywikibot read it to learn prefixes, limits,
allowed values and which modules must be posted)."""

from . import query, registry
from .params import MAX_LIST_VALUES, Param

HELP_FORMATS = ("html", "wikitext", "raw", "none")
PARAMETERS = (
    Param("modules", multi=True),
    Param("helpformat", HELP_FORMATS, default="none"),
    Param("querymodules", multi=True),  # deprecated forms of modules=query+…, main and pageset
    Param("mainmodule", "boolean"),
    Param("pagesetmodule", "boolean"),
    Param("formatmodules", multi=True),
)
HIGH_LIST_VALUES = 500  # what MediaWiki allows accounts with apihighlimits; we allow no one more


def run(ctx) -> dict:
    params = ctx.params
    params.choice("helpformat")  # descriptions are not offered: every format answers without them
    paths = _asked_paths(params)
    modules, unknown = [], []
    for path in dict.fromkeys(paths):
        described = describe(path)
        if described is None:
            unknown.append(path)
        else:
            modules.append(described)
    for path in unknown:
        params.warn("paraminfo", f'The module "{path[:100]}" does not exist.')
    return {"paraminfo": {"modules": modules}}


def _asked_paths(params) -> list[str]:
    paths = []
    for path in params.multi("modules", "paraminfo"):
        paths += _expand(path)
    paths += ["query+" + name for name in params.multi("querymodules", "paraminfo")]
    if params.has("mainmodule"):
        paths.append("main")
    if params.has("pagesetmodule"):
        paths.append("pageset")
    for name in params.multi("formatmodules", "paraminfo"):
        params.warn("paraminfo", f'The format module "{name[:100]}" is not described: only json is offered.')
    return paths


def _expand(path: str) -> list[str]:
    """MediaWiki's wildcards: "*" for every action module, "query+*" for every query submodule."""
    if path == "*":
        return list(registry.MODULES)
    if path == "query+*":
        return ["query+" + name for name in query.SUBMODULES]
    return [path]


def describe(path: str) -> dict | None:
    if path == "main":
        return _module("main", "main", "", registry.MAIN_PARAMETERS, {"group": "main"})
    if path == "pageset":
        pageset = tuple(p for p in query.PARAMETERS if p.name in (*query.PAGE_SOURCES, "redirects"))
        return _module("pageset", "pageset", "", pageset, {"group": "main"})
    parent, _, name = path.rpartition("+")
    if parent == "query" and name in query.SUBMODULES:
        return _submodule(name, query.SUBMODULES[name])
    if not parent and path in registry.MODULES:
        return _action(path, registry.MODULES[path])
    return None


def _action(name: str, module) -> dict:
    flags = {"group": "action", "readrights": module.reads}
    if module.writes:
        flags["writerights"] = True
    if module.must_post:
        flags["mustbeposted"] = True
    return _module(name, name, module.prefix, module.all_parameters, flags)


def _submodule(name: str, module) -> dict:
    flags = {"group": module.group, "readrights": True}
    if module.generator:
        flags["generator"] = True
    return _module(name, f"query+{name}", module.prefix, module.parameters, flags)


def _module(name: str, path: str, prefix: str, parameters, flags: dict) -> dict:
    return {
        "name": name,
        "classname": f"districtwiki.interchange.api.{path}",
        "path": path,
        **flags,
        "prefix": prefix,
        "source": "districtwiki",
        "sourcename": "districtwiki",
        "licensetag": "",
        "licenselink": "",
        "helpurls": [],
        "examples": [],
        "parameters": [_parameter(index, path, p) for index, p in enumerate(parameters, start=1)],
        "templatedparameters": [],
    }


def _parameter(index: int, path: str, param: Param) -> dict:
    entry: dict = {
        "index": index,
        "name": param.name,
        "type": list(param.type) if param.values is not None else param.type,
        "required": param.required,
    }
    if param.default is not None:
        entry["default"] = _typed_default(param)
    elif param.type == "boolean":
        entry["default"] = False
    if param.multi:
        entry.update(multi=True, limit=MAX_LIST_VALUES, lowlimit=MAX_LIST_VALUES, highlimit=HIGH_LIST_VALUES)
    if param.type == "limit":
        entry.update(min=1, max=param.max, highmax=param.max)
    if param.type == "namespace" and param.multi:
        entry["allspecifier"] = "*"
    if param.token:
        entry["tokentype"] = param.token
    submodules = _submodules(path, param.name)
    if submodules:
        entry["submodules"] = submodules
    return entry


def _typed_default(param: Param):
    if param.type in ("integer", "limit", "namespace") and not param.multi:
        return int(param.default)
    return param.default


def _submodules(path: str, name: str) -> dict[str, str]:
    """The modules a parameter's values name: main's action, query's prop, list, meta and generator."""
    if path == "main" and name == "action":
        return {action: action for action in registry.MODULES}
    if path == "query" and name in ("prop", "list", "meta", "generator"):
        names = (
            query.GENERATORS
            if name == "generator"
            else [sub for sub, module in query.SUBMODULES.items() if module.group == name]
        )
        return {sub: f"query+{sub}" for sub in names}
    return {}
