"""Many people save the same page from the same base revision at once: every save lands, merges or gets
a 409 — none is lost and none fails with a 500. Runs on whichever database the suite runs on."""

import threading

import pytest
from django.db import connection
from django.test import Client

from conftest import make_user
from districtwiki.wiki import actions
from districtwiki.wiki.models import Page, Revision

BASE_LINES = 64
SEPARATE_EDITORS = 20  # each edits their own line, three lines apart: all of them merge
CLASHING_EDITORS = 4  # all edit line 61: one lands, the others get a conflict
CLASH_LINE = 61


def edit_for(index: int, base_text: str) -> tuple[int, str]:
    lines = base_text.split("\n")
    line = index * 3 if index < SEPARATE_EDITORS else CLASH_LINE
    lines[line] = f"edited by editor {index}"
    return line, "\n".join(lines)


def run_editor(index, user, base, base_text, barrier, outcomes):
    client = Client()
    client.force_login(user)
    _, text = edit_for(index, base_text)
    try:
        barrier.wait(timeout=30)
        response = client.post(
            "/edit/Shared_page",
            {"text": text, "base_revision": base.pk, "summary": f"editor {index}", "save": "1"},
        )
        outcomes[index] = response.status_code
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_from_one_base_are_never_lost():
    editors = SEPARATE_EDITORS + CLASHING_EDITORS
    users = [make_user(f"editor{i}") for i in range(editors)]
    base_text = "\n".join(f"line {n}" for n in range(BASE_LINES))
    base = actions.save_revision("Shared page", base_text, users[0]).revision
    barrier = threading.Barrier(editors)
    outcomes: dict[int, int] = {}
    threads = [
        threading.Thread(target=run_editor, args=(i, users[i], base, base_text, barrier, outcomes))
        for i in range(editors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(outcomes) == editors
    assert set(outcomes.values()) <= {302, 409}, outcomes
    saved = [i for i, status in outcomes.items() if status == 302]
    refused = [i for i, status in outcomes.items() if status == 409]
    assert len(refused) == CLASHING_EDITORS - 1
    assert len(saved) == SEPARATE_EDITORS + 1

    page = Page.objects.get(title="Shared page")
    final_lines = page.latest.text.split("\n")
    for index in saved:
        line, _ = edit_for(index, base_text)
        assert final_lines[line] == f"edited by editor {index}", f"editor {index}'s edit was lost"
    for index in refused:
        assert f"edited by editor {index}" not in page.latest.text

    revisions = Revision.objects.filter(page=page).exclude(pk=base.pk)
    assert revisions.count() == len(saved)
    assert {r.summary.split(" (")[0] for r in revisions} == {f"editor {i}" for i in saved}
    merged = [r for r in revisions if "merged with revision" in r.summary]
    assert len(merged) == len(saved) - 1  # all but the first to land were merged
    chain = list(revisions.order_by("pk"))
    for earlier, later in zip([base, *chain], chain, strict=False):
        assert later.parent_id == earlier.pk  # a straight line of history, no forks
