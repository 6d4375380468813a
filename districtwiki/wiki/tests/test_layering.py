"""The wiki core knows nothing of the features built on it: it imports none of their modules and uses none
of their templates; features add to it through its hooks (signals, wiki/tabs.py)."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

from districtwiki.wiki import tabs

WIKI = Path(__file__).resolve().parent.parent
ALLOWED_OUTSIDE_THE_CORE = ("districtwiki.accounts.models",)  # the user model every app points at


def feature_apps() -> set[str]:
    """Every installed districtwiki app but the core: discussions, community, notifications, content, …"""
    names = {app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("districtwiki.")}
    return names - {"wiki"}


def modules_of(app: str) -> list[Path]:
    root = WIKI.parent / app
    return [path for path in root.rglob("*.py") if "tests" not in path.relative_to(root).parts]


def core_modules():
    return modules_of("wiki")


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved, and every dotted districtwiki name it spells
    out in a string (importlib.import_module, apps.get_model…)."""
    package = ".".join(("districtwiki", *path.relative_to(WIKI.parent).parts[:-1]))
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            found.update([module] + [f"{module}.{alias.name}" for alias in node.names])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(re.findall(r"\bdistrictwiki\.[\w.]+", node.value))
    return found


def is_feature(module: str) -> bool:
    parts = module.split(".")
    if parts[0] != "districtwiki" or len(parts) < 2 or parts[1] not in feature_apps():
        return False
    return not any(
        module == allowed or module.startswith(allowed + ".") for allowed in ALLOWED_OUTSIDE_THE_CORE
    )


def test_the_scan_sees_a_feature_import():
    source = "from districtwiki.discussions.queries import open_thread_count"
    assert "districtwiki.discussions.queries" in {
        node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
    }
    assert is_feature("districtwiki.discussions.queries")
    assert is_feature("districtwiki.accounts.views")
    assert not is_feature("districtwiki.accounts.models")
    assert not is_feature("districtwiki.wiki.models")


@pytest.mark.parametrize("path", core_modules(), ids=lambda path: str(path.relative_to(WIKI)))
def test_the_wiki_core_imports_no_feature_app(path):
    features = sorted(module for module in imported_modules(path) if is_feature(module))
    assert features == [], f"{path.relative_to(WIKI.parent)} imports {features}"


@pytest.mark.parametrize("path", modules_of("accounts"), ids=lambda path: str(path.relative_to(WIKI.parent)))
def test_accounts_import_nothing_of_the_wiki(path):
    """Accounts lie beneath the wiki (every app points at the user model): the error page they share is
    districtwiki/errors.py."""
    wiki = sorted(module for module in imported_modules(path) if module.startswith("districtwiki.wiki"))
    assert wiki == [], f"{path.relative_to(WIKI.parent)} imports {wiki}"


def test_the_wiki_core_templates_use_no_feature_template():
    uses = re.compile(r"{%\s*(?:include|extends)\s+[\"'](\w+)/|{%\s*load\s+([\w ]+)%}")
    feature_libraries = {"account_tags", "community", "discussions", "notifications", "content"}
    for template in (WIKI / "templates").rglob("*.html"):
        for directory, libraries in uses.findall(template.read_text()):
            assert directory not in feature_apps(), f"{template.name} uses a {directory} template"
            assert not set(libraries.split()) & feature_libraries, f"{template.name} loads {libraries}"


@pytest.fixture
def extra_tab():
    tabs.register_page_tab(
        tabs.PageTab("notes", "Notes", "notes", count=lambda page: 2, count_label="{} new")
    )
    yield
    tabs.unregister_page_tab("notes")


def test_a_feature_adds_a_page_tab_with_its_count(client, make_page, extra_tab):
    make_page("Budget", "text")
    html = client.get("/wiki/Budget").content.decode()
    assert '<a href="/notes/Budget">Notes <span class="count">(2 new)</span></a>' in html


def test_the_discussions_app_registers_its_tab(client, make_page):
    make_page("Budget", "text")
    html = client.get("/wiki/Budget").content.decode()
    # The tab's name is its text; a decorative icon may stand before it.
    tab = r'<a href="/talk/Budget">(<svg [^>]*aria-hidden="true".*?</svg>)?Discussion</a>'
    assert re.search(tab, html, re.S)
