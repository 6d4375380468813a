"""MediaWiki (Debian's `mediawiki` package) on SQLite, under a private apache2 + mod_php.

maintenance/install.php writes a private LocalSettings.php and SQLite database under the workdir; an
auto_prepend_file points MW_CONFIG_FILE at it, so the package's own /etc/mediawiki stays as it is. The
object cache is APCu (CACHE_ACCEL) and the HTML file cache is on, as an operator tuning MediaWiki for
anonymous readers would set it. The corpus goes in as an XML dump through importDump.php; then the
links, recent changes, statistics and search index are rebuilt and the job queue is drained.
"""

import re
import secrets
import shutil
import time
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from . import CorpusPage, PeerBase
from ._apache import APACHE_PACKAGES, Apache, WikiMarkup, apt_install, give_to_web_user, package_version, php

MEDIAWIKI = Path("/usr/share/mediawiki")
MAINTENANCE = MEDIAWIKI / "maintenance"
DB_NAME = "benchwiki"
# Wikitext that would start markup inside plain text; such text is wrapped in <nowiki>.
SPECIAL = re.compile(r"''|\[|\]|\{\{|\}\}|~~~|__|<|>|&|\|")
LINE_START = tuple(" *#:;=!{|-")


class MediaWikiMarkup(WikiMarkup):
    bold = ("'''", "'''")
    italic = ("''", "''")
    strike = ("<s>", "</s>")
    code = ("<code>", "</code>")

    def heading(self, level: int, text: str) -> str:
        marks = "=" * level
        return f"{marks} {text} {marks}"

    def list_item(self, kinds: list[str], text: str) -> str:
        return "".join("#" if kind == "ordered" else "*" for kind in kinds) + " " + text

    def table(self, rows: list[tuple[bool, list[str]]]) -> list[str]:
        lines = ['{| class="wikitable"']
        for index, (header, cells) in enumerate(rows):
            if index:
                lines.append("|-")
            lines.append(("! " + " !! ".join(cells)) if header else ("| " + " || ".join(cells)))
        return [*lines, "|}"]

    def link(self, url: str, label: str) -> str:
        if not url.startswith(("http://", "https://", "//", "mailto:")):
            return label
        return f"[{url} {label}]" if label else f"[{url}]"

    def wikilink(self, target: str, label: str) -> str:
        return f"[[{target}|{label}]]" if label else f"[[{target}]]"

    def code_block(self, text: str) -> str:
        return f"<pre>{xml_escape(text.rstrip())}</pre>"

    def quote(self, text: str) -> str:
        return f"<blockquote>{text}</blockquote>"

    def escape(self, text: str) -> str:
        return f"<nowiki>{text}</nowiki>" if SPECIAL.search(text) else text

    def paragraph(self, text: str) -> str:
        # Text must not start with wikitext's line-start markup (a list, an indent, a heading, a table).
        return "<nowiki/>" + text if text.startswith(LINE_START) else text


class Peer(PeerBase):
    name = "mediawiki"

    def __init__(self, workdir: Path):
        super().__init__(workdir)
        self.site = workdir / "mediawiki"
        self.settings = self.site / "LocalSettings.php"
        self.prepend = self.site / "prepend.php"
        self.apache = Apache(
            self.site / "apache", MEDIAWIKI, SITE_CONFIG.format(docroot=MEDIAWIKI, prepend=self.prepend)
        )

    def install(self) -> str:
        apt_install([*APACHE_PACKAGES, "php-sqlite3", "mediawiki"])
        return f"MediaWiki {mediawiki_version()} (Debian {package_version('mediawiki')})"

    def create_wiki(self) -> None:
        """A fresh wiki: the runner reuses the workdir for each corpus size."""
        shutil.rmtree(self.site, ignore_errors=True)
        for name in ("data", "cache", "filecache", "images"):
            (self.site / name).mkdir(parents=True, exist_ok=True)
        password = self.site / "admin-password"
        password.write_text(secrets.token_urlsafe(18))
        password.chmod(0o600)
        php(
            str(MAINTENANCE / "install.php"),
            "--dbtype=sqlite",
            f"--dbpath={self.site / 'data'}",
            f"--dbname={DB_NAME}",
            "--server=http://127.0.0.1",
            "--scriptpath=",
            "--skins=Vector",
            f"--confpath={self.site}",
            f"--passfile={password}",
            "--lang=en",
            "--quiet",
            "Benchmark wiki",
            "Admin",
        )
        with self.settings.open("a") as settings:
            settings.write(LOCAL_SETTINGS.format(site=self.site))
        self.prepend.write_text(
            f"<?php\nif (!defined('MW_CONFIG_FILE')) define('MW_CONFIG_FILE', '{self.settings}');\n"
        )

    def load(self, pages: list[CorpusPage]) -> float:
        started = time.perf_counter()
        self.create_wiki()
        dump = self.site / "corpus.xml"
        write_dump(dump, pages, MediaWikiMarkup())
        self.maintenance("importDump.php", "--no-updates", str(dump))
        self.maintenance("refreshLinks.php")
        self.maintenance("rebuildtextindex.php")
        self.maintenance("rebuildrecentchanges.php")
        self.maintenance("initSiteStats.php", "--update")
        self.maintenance("runJobs.php")
        give_to_web_user(self.site)
        return time.perf_counter() - started

    def maintenance(self, script: str, *args: str) -> str:
        return php(str(MAINTENANCE / script), f"--conf={self.settings}", "--quiet", *args)

    def start(self, port: int, cpus: str) -> None:
        # Fill the HTML file cache with MediaWiki's own tool (pages already cached are skipped), so
        # anonymous views are measured as MediaWiki serves them once its cache is warm.
        self.maintenance("rebuildFileCache.php")
        give_to_web_user(self.site)
        self.apache.start(port, cpus)

    def stop(self) -> None:
        self.apache.stop()

    def pids(self) -> list[int]:
        return self.apache.pids()

    def page_path(self, title: str) -> str:
        return "/index.php?title=" + quote(title.replace(" ", "_"), safe=":/")

    def search_path(self, term: str) -> str | None:
        return "/index.php?title=Special:Search&fulltext=1&search=" + quote(term)


def mediawiki_version() -> str:
    defines = (MEDIAWIKI / "includes" / "Defines.php").read_text()
    match = re.search(r"define\(\s*'MW_VERSION',\s*'([^']+)'", defines)
    return match.group(1) if match else "unknown"


def write_dump(path: Path, pages: list[CorpusPage], markup: MediaWikiMarkup) -> None:
    """The corpus as a MediaWiki XML export (one revision per page), streamed to `path`."""
    with path.open("w", encoding="utf-8") as dump:
        dump.write(DUMP_HEAD)
        for page in pages:
            dump.write(
                DUMP_PAGE.format(title=xml_escape(page.title), text=xml_escape(markup.convert(page.text)))
            )
        dump.write("</mediawiki>\n")


SITE_CONFIG = """\
<Directory {docroot}>
    php_admin_value auto_prepend_file {prepend}
</Directory>
"""

LOCAL_SETTINGS = """
# --- The benchmark peer's settings (appended to what install.php wrote) ---
$wgServer = WebRequest::detectServer();
$wgMainCacheType = CACHE_ACCEL;
$wgSessionCacheType = CACHE_ACCEL;
$wgUseFileCache = true;
$wgFileCacheDirectory = '{site}/filecache';
$wgCacheDirectory = '{site}/cache';
$wgUploadDirectory = '{site}/images';
$wgEnableUploads = false;
$wgEnableSidebarCache = true;
# Jobs run by runJobs.php after loading, not on page views.
$wgJobRunRate = 0;
"""

DUMP_HEAD = """\
<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">
"""

DUMP_PAGE = """\
  <page>
    <title>{title}</title>
    <revision>
      <timestamp>2026-01-01T00:00:00Z</timestamp>
      <contributor><username>Admin</username></contributor>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text xml:space="preserve">{text}</text>
    </revision>
  </page>
"""
