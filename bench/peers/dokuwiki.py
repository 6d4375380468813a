"""DokuWiki (Debian's `dokuwiki` package) under a private apache2 + mod_php.

The instance is private: its conf dir and savedir live under the workdir, chosen by an auto_prepend_file
that defines DOKU_CONF before Debian's preload.php would (the package's own /etc/dokuwiki stays as it is).
Pages are saved through DokuWiki's own saveWikiText (changelog, metadata), then bin/indexer.php builds
the search index. Anonymous users may read; there is no superuser.
"""

import json
import shutil
import time
from pathlib import Path
from urllib.parse import quote

from markdown_it.token import Token

from . import CorpusPage, PeerBase
from ._apache import (
    APACHE_PACKAGES,
    Apache,
    WikiMarkup,
    apt_install,
    give_to_web_user,
    package_version,
    php,
    warm_up,
)

DOKUWIKI = Path("/usr/share/dokuwiki")
PACKAGE_CONF = Path("/etc/dokuwiki")
# The directories DokuWiki expects under its savedir.
DATA_DIRS = (
    "pages", "attic", "meta", "media", "media_attic", "media_meta", "cache", "index", "locks", "tmp", "log",
)  # fmt: skip
SPECIAL = ("**", "//", "__", "''", "[[", "]]", "{{", "}}", "<", ">", "^", "|", "%%", "\\\\", "((", "~~", "$$")


class DokuWikiMarkup(WikiMarkup):
    def heading(self, level: int, text: str) -> str:
        # DokuWiki has five levels, written with 6..2 equals signs.
        marks = "=" * max(2, 7 - level)
        return f"{marks} {text} {marks}"

    def heading_text(self, children: list[Token]) -> str:
        # A DokuWiki heading holds no markup: only its words.
        words = [heading_word(child) for child in children]
        return "".join(words).replace("=", "").strip()

    def list_item(self, kinds: list[str], text: str) -> str:
        return "  " * len(kinds) + ("- " if kinds[-1] == "ordered" else "* ") + text

    def table(self, rows: list[tuple[bool, list[str]]]) -> list[str]:
        lines = []
        for header, cells in rows:
            mark = "^" if header else "|"
            lines.append(f"{mark} " + f" {mark} ".join(cells) + f" {mark}")
        return lines

    def link(self, url: str, label: str) -> str:
        return f"[[{url}|{label}]]" if label else f"[[{url}]]"

    def wikilink(self, target: str, label: str) -> str:
        if target.lower().startswith("category:"):
            return ""  # DokuWiki has no categories (its tag plugin is not in Debian's package)
        target = target.removeprefix(":")  # [[:Category:X]] is a plain link to the category's page
        return f"[[{target}|{label}]]" if label else f"[[{target}]]"

    def code_block(self, text: str) -> str:
        return f"<code>\n{text.rstrip()}\n</code>"

    def quote(self, text: str) -> str:
        return "> " + text

    def escape(self, text: str) -> str:
        if not any(mark in text for mark in SPECIAL):
            return text
        return f"%%{text}%%" if "%%" not in text else f"<nowiki>{text}</nowiki>"


def heading_word(token: Token) -> str:
    if token.type == "wikilink":
        return token.meta["label"] or token.meta["target"]
    if token.type in ("softbreak", "hardbreak"):
        return " "
    return token.content if token.type in ("text", "code_inline") else ""


class Peer(PeerBase):
    name = "dokuwiki"

    def __init__(self, workdir: Path):
        super().__init__(workdir)
        self.site = workdir / "dokuwiki"
        self.conf = self.site / "conf"
        self.data = self.site / "data"
        self.prepend = self.site / "prepend.php"
        self.ids: dict[str, str] = {}
        self.apache = Apache(
            self.site / "apache", DOKUWIKI, SITE_CONFIG.format(docroot=DOKUWIKI, prepend=self.prepend)
        )

    def install(self) -> str:
        apt_install([*APACHE_PACKAGES, "dokuwiki"])
        return f"DokuWiki {(DOKUWIKI / 'VERSION').read_text().strip()} (Debian {package_version('dokuwiki')})"

    def load(self, pages: list[CorpusPage]) -> float:
        started = time.perf_counter()
        self.create_site()
        markup = DokuWikiMarkup()
        corpus = self.site / "corpus.json"
        corpus.write_text(json.dumps({page.title: markup.convert(page.text) for page in pages}))
        (self.site / "load.php").write_text(LOAD_PHP)
        self.php(str(self.site / "load.php"), str(corpus), str(self.site / "ids.json"))
        self.php(str(DOKUWIKI / "bin" / "indexer.php"), "--clear", "--quiet")
        give_to_web_user(self.site)
        self.ids = json.loads((self.site / "ids.json").read_text())
        return time.perf_counter() - started

    def create_site(self) -> None:
        """A fresh instance: the runner reuses the workdir for each corpus size."""
        shutil.rmtree(self.site, ignore_errors=True)
        self.conf.mkdir(parents=True)
        for source in PACKAGE_CONF.iterdir():
            if source.is_file():
                shutil.copy(source.resolve(), self.conf / source.name)
        (self.conf / "local.php").write_text(LOCAL_PHP.format(data=self.data))
        (self.conf / "acl.auth.php").write_text("# anonymous read, nothing else\n*\t@ALL\t1\n")
        (self.conf / "users.auth.php").write_text("# no accounts\n")
        self.prepend.write_text(f"<?php\nif (!defined('DOKU_CONF')) define('DOKU_CONF', '{self.conf}/');\n")
        for name in DATA_DIRS:
            (self.data / name).mkdir(parents=True)

    def php(self, *args: str) -> str:
        return php("-d", f"auto_prepend_file={self.prepend}", *args)

    def start(self, port: int, cpus: str) -> None:
        self.apache.start(port, cpus)
        # DokuWiki renders a page on its first view and caches the XHTML (its cache key includes the
        # host and port, so only a real request can fill it).
        warm_up(f"http://127.0.0.1:{port}", [self.page_path(title) for title in self.page_ids()])

    def stop(self) -> None:
        self.apache.stop()

    def pids(self) -> list[int]:
        return self.apache.pids()

    def page_ids(self) -> dict[str, str]:
        if not self.ids and (self.site / "ids.json").exists():
            self.ids = json.loads((self.site / "ids.json").read_text())
        return self.ids

    def page_path(self, title: str) -> str:
        return "/doku.php?id=" + quote(self.page_ids().get(title, title), safe=":")

    def search_path(self, term: str) -> str | None:
        return "/doku.php?do=search&id=start&q=" + quote(term)


SITE_CONFIG = """\
DirectoryIndex doku.php
<Directory {docroot}>
    php_admin_value auto_prepend_file {prepend}
</Directory>
<Directory {docroot}/bin>
    Require all denied
</Directory>
"""

LOCAL_PHP = """\
<?php
// The benchmark's private DokuWiki: its own savedir, anonymous read (acl.auth.php), no superuser.
$conf['title'] = 'DokuWiki benchmark peer';
$conf['lang'] = 'en';
$conf['savedir'] = '{data}';
$conf['useacl'] = 1;
$conf['authtype'] = 'authplain';
$conf['superuser'] = '';
$conf['manager'] = '';
$conf['disableactions'] = 'register,resendpwd';
$conf['userewrite'] = 0;
"""

LOAD_PHP = """\
<?php
// Saves every page through DokuWiki's own saveWikiText and records each title's page id.
if (!defined('DOKU_INC')) define('DOKU_INC', '/usr/share/dokuwiki/');
define('NOSESSION', 1);
require_once DOKU_INC . 'inc/init.php';

$pages = json_decode(file_get_contents($argv[1]), true);
$ids = [];
foreach ($pages as $title => $text) {
    $id = cleanID($title);
    saveWikiText($id, $text, 'benchmark corpus');
    $ids[$title] = $id;
}
file_put_contents($argv[2], json_encode($ids));
"""
