from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from districtwiki.content import checks, loader, pathways


def test_shipped_knowledge_base_passes_the_check():
    problems, summary = checks.check()
    assert problems == [], "\n".join(problems)
    assert summary.startswith("76 pages, 10 templates, 10 categories")


def test_check_reports_short_pages_red_links_and_orphans(shipped):
    shipped("Alpha", "Too short. [[Beta]] [[Missing page]] [[Category:Things]]")
    shipped("Beta", "Also short. [[Alpha]]\n\n## Sources\n\n- A guide.")
    problems, _ = checks.check()
    text = "\n".join(problems)
    assert "Alpha.md: red links to Missing page" in text
    assert "Alpha.md: no “## Sources” section" in text
    assert "words; a starter page needs at least 450" in text
    assert "Beta.md: in no category" in text
    assert "links to 1 other starter pages; needs 3" in text
    assert "category “Things” has 1 pages" in text


def test_check_reports_missing_front_matter_fields(shipped):
    shipped("Alpha", "Body")
    path = next(loader.PAGES_DIR.glob("*.md"))
    path.write_text(path.read_text().replace("review_every: 12\n", ""))
    problems, _ = checks.check()
    assert "Alpha.md: front matter lacks review_every" in problems


def test_pathways_name_only_shipped_pages():
    problems = pathways.check(set())
    assert any("no starter page" in problem for problem in problems)
    assert all(10 <= len(p.steps) <= 15 for p in pathways.all_pathways())


def test_content_check_command_fails_with_one_line_summary(shipped):
    shipped("Alpha", "Body")
    err = StringIO()
    with pytest.raises(CommandError, match="content check failed"):
        call_command("content", "check", stderr=err)
    assert "Alpha.md" in err.getvalue()
