"""action=paraminfo: MediaWiki's description of each module, made from the declarations the dispatcher
validates with — so what it describes is exactly what a request may send without a warning."""

import pytest

from districtwiki.interchange.api import query
from districtwiki.interchange.api.params import Param, Params, UndeclaredParameter

from .action_api import get
from .action_api import query as run_query

pytestmark = pytest.mark.django_db


def paraminfo(client, modules: str, **params) -> dict:
    response = get(client, action="paraminfo", modules=modules, formatversion="2", **params)
    assert response.status_code == 200
    return response.json()


def described(client, modules: str) -> dict[str, dict]:
    return {module["path"]: module for module in paraminfo(client, modules)["paraminfo"]["modules"]}


def parameter(module: dict, name: str) -> dict:
    (found,) = [entry for entry in module["parameters"] if entry["name"] == name]
    return found


def test_main_lists_the_action_modules_as_submodules(client):
    main = described(client, "main")["main"]
    action = parameter(main, "action")
    assert {"query", "edit", "login", "paraminfo", "help"} <= set(action["type"])
    assert action["submodules"]["edit"] == "edit" and action["default"] == "help"


def test_query_names_its_prop_list_meta_and_generator_submodules(client):
    module = described(client, "query")["query"]
    lists = parameter(module, "list")
    assert lists["multi"] is True and lists["submodules"]["allpages"] == "query+allpages"
    assert parameter(module, "meta")["submodules"]["tokens"] == "query+tokens"
    generator = parameter(module, "generator")
    assert {"allpages", "search", "links"} <= set(generator["type"]) and "tokens" not in generator["type"]


def test_a_list_module_with_its_prefix_limit_and_values(client):
    allpages = described(client, "query+allpages")["query+allpages"]
    assert allpages["prefix"] == "ap" and allpages["group"] == "list" and allpages["generator"] is True
    limit = parameter(allpages, "limit")
    assert limit == {**limit, "type": "limit", "default": 10, "min": 1, "max": 500, "highmax": 500}
    assert parameter(allpages, "filterredir")["type"] == ["all", "redirects", "nonredirects"]
    assert parameter(allpages, "namespace")["default"] == 0


def test_write_modules_must_be_posted_and_take_a_csrf_token(client):
    modules = described(client, "edit|login|query")
    edit = modules["edit"]
    assert edit["mustbeposted"] is True and edit["writerights"] is True
    assert parameter(edit, "token") == {**parameter(edit, "token"), "required": True, "tokentype": "csrf"}
    assert modules["login"]["prefix"] == "lg" and parameter(modules["login"], "token")["tokentype"] == "login"
    assert "mustbeposted" not in modules["query"]


def test_wildcards_and_the_deprecated_forms(client):
    every = described(client, "query+*")
    assert set(every) == {"query+" + name for name in query.SUBMODULES}
    old = get(client, action="paraminfo", querymodules="revisions", mainmodule="1", formatversion="2").json()
    assert [module["path"] for module in old["paraminfo"]["modules"]] == ["query+revisions", "main"]


def test_an_unknown_module_is_a_warning_not_an_error(client):
    body = paraminfo(client, "query+allpages|nosuchmodule|query+nosuch")
    assert [module["path"] for module in body["paraminfo"]["modules"]] == ["query+allpages"]
    assert 'The module "nosuchmodule" does not exist.' in body["warnings"]["paraminfo"]["warnings"]


def test_formatversion_1_writes_flags_as_empty_strings(client):
    body = get(client, action="paraminfo", modules="edit").json()
    assert body["paraminfo"]["modules"][0]["mustbeposted"] == ""


def test_every_described_parameter_is_accepted_without_a_warning(client, make_page):
    """The description and the validation are one: each list module's parameters, sent with their
    defaults, draw no "Unrecognized parameter" warning; a parameter paraminfo does not list does."""
    make_page("Listed page", "Text with the word zebra.\n\n[[Category:Listed]]")
    texts = {"title": "Category:Listed", "search": "zebra"}
    for name in ("allpages", "recentchanges", "search", "categorymembers", "backlinks"):
        module = described(client, f"query+{name}")[f"query+{name}"]
        sent = {
            module["prefix"] + entry["name"]: str(entry.get("default", texts.get(entry["name"], "Listed")))
            for entry in module["parameters"]
            if ("default" in entry or entry["type"] in ("string", "user")) and entry["name"] != "continue"
        }
        body = run_query(client, list=name, formatversion="2", **sent)
        assert "error" not in body and "warnings" not in body, (name, body)
        assert len(sent) >= 4
    body = run_query(client, list="allpages", apnotaparameter="1", formatversion="2")
    assert body["warnings"]["main"]["warnings"] == "Unrecognized parameter: apnotaparameter."


def test_reading_an_undeclared_parameter_is_a_programming_error():
    params = Params({"apfrom": "A"})
    params.declare((Param("from"),), "ap")
    assert params.get("apfrom") == "A"
    with pytest.raises(UndeclaredParameter):
        params.get("apto")
