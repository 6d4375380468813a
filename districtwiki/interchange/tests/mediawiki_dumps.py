"""Small MediaWiki export files for the import tests, written as MediaWiki writes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).parent / "fixtures" / "mediawiki"
SMALL = FIXTURES / "small-0.10.xml"

HEADER = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-{version}/" version="{version}"
  xml:lang="en">
  <siteinfo>
    <sitename>Test Wiki</sitename>
    <dbname>{dbname}</dbname>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Talk</namespace>
      <namespace key="2" case="first-letter">User</namespace>
      <namespace key="6" case="first-letter">File</namespace>
      <namespace key="10" case="first-letter">Template</namespace>
      <namespace key="14" case="first-letter">Category</namespace>
    </namespaces>
  </siteinfo>
"""


@dataclass
class Rev:
    text: str
    user: str = "Dana Ortiz"
    timestamp: str = "2020-01-01T00:00:00Z"
    comment: str = ""


@dataclass
class WikiPage:
    title: str
    revisions: list[Rev] = field(default_factory=list)
    namespace: int = 0


def revision_xml(revision_id: int, revision: Rev) -> str:
    who = (
        f"<ip>{revision.user}</ip>"
        if revision.user[:1].isdigit()
        else f"<username>{escape(revision.user)}</username><id>1</id>"
    )
    return (
        f"    <revision>\n      <id>{revision_id}</id>\n      <timestamp>{revision.timestamp}</timestamp>\n"
        f"      <contributor>{who}</contributor>\n      <comment>{escape(revision.comment)}</comment>\n"
        "      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
        f'      <text xml:space="preserve" bytes="{len(revision.text.encode())}">'
        f"{escape(revision.text)}</text>\n"
        "      <sha1>0</sha1>\n    </revision>\n"
    )


def dump_xml(
    pages: list[WikiPage], version: str = "0.11", dbname: str = "testwiki", first_id: int = 1
) -> str:
    parts = [HEADER.format(version=version, dbname=dbname)]
    revision_id = first_id * 1000
    for page_id, page in enumerate(pages, start=first_id):
        parts.append(f"  <page>\n    <title>{escape(page.title)}</title>\n    <ns>{page.namespace}</ns>\n")
        parts.append(f"    <id>{page_id}</id>\n")
        for revision in page.revisions:
            revision_id += 1
            parts.append(revision_xml(revision_id, revision))
        parts.append("  </page>\n")
    parts.append("</mediawiki>\n")
    return "".join(parts)


def write_dump(path: Path, pages: list[WikiPage], **kwargs) -> Path:
    path.write_text(dump_xml(pages, **kwargs), encoding="utf-8")
    return path
