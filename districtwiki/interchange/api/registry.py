"""The action modules /w/api.php offers and the parameters every request may carry: what the dispatcher
runs and validates, and what action=help and action=paraminfo describe."""

from dataclasses import dataclass

from . import edit, login, manage, paraminfo, parse, query
from .params import Param


@dataclass(frozen=True)
class Module:
    run: object
    parameters: tuple[Param, ...] = ()
    prefix: str = ""
    writes: bool = False  # needs a csrf token
    posted: bool = False  # must come as POST (every write must)
    reads: bool = True  # needs the right to read (on a private wiki, a signed-in member)

    @property
    def all_parameters(self) -> tuple[Param, ...]:
        token = (Param("token", required=True, token="csrf"),) if self.writes else ()
        return (*self.parameters, *token)

    @property
    def must_post(self) -> bool:
        return self.posted or self.writes


def _help(ctx) -> dict:
    return {
        "help": {
            "modules": sorted(MODULES),
            "query": {
                group: sorted(name for name, module in query.SUBMODULES.items() if module.group == group)
                for group in ("meta", "prop", "list")
            }
            | {"generator": sorted(query.GENERATORS)},
            "content": "Markdown, not wikitext (see meta=siteinfo)",
            "parameters": "action=paraminfo&modules=… describes each module's parameters",
        }
    }


MODULES = {
    "help": Module(_help, (Param("modules", multi=True), Param("submodules", "boolean")), reads=False),
    "paraminfo": Module(paraminfo.run, paraminfo.PARAMETERS, reads=False),
    "query": Module(query.run, query.PARAMETERS),
    "parse": Module(parse.parse, parse.PARAMETERS),
    "login": Module(login.login, login.LOGIN_PARAMETERS, prefix="lg", posted=True, reads=False),
    "logout": Module(login.logout, writes=True, reads=False),
    "edit": Module(edit.edit, edit.PARAMETERS, writes=True),
    "move": Module(manage.move, manage.MOVE_PARAMETERS, writes=True),
    "delete": Module(manage.delete, manage.DELETE_PARAMETERS, writes=True),
}
MAIN_PARAMETERS = (
    Param("action", tuple(MODULES), default="help"),
    Param("format", ("json", "jsonfm"), default="json"),
    Param("formatversion", ("1", "2", "latest"), default="1"),
    Param("utf8", "boolean"),
    Param("ascii", "boolean"),
    Param("maxlag", "integer"),
    Param("smaxage", "integer", default="0"),
    Param("maxage", "integer", default="0"),
    Param("assert", ("anon", "bot", "user")),
    Param("assertuser", "user"),
    Param("requestid"),
    Param("servedby", "boolean"),
    Param("curtimestamp", "boolean"),
    Param("responselanginfo", "boolean"),
    Param("origin"),
    Param("uselang", default="user"),
    Param("errorformat", ("bc", "html", "none", "plaintext", "raw", "wikitext"), default="bc"),
    Param("errorlang", default="uselang"),
    Param("errorsuselocal", "boolean"),
)
