"""Fifty members save the same page at the same moment through the real server (`districtwiki serve`, two
granian workers) and its REST API, all from the same base revision: no save fails with a 5xx, every
acknowledged save is in the history and in the final text, and every refused one gets its conflict back.

Forty of them change lines of their own (three lines apart, so every one merges); ten change the same line
(one lands, the other nine get 409). The burst runs once per database; each test checks one property of it.
"""

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from . import server
from .server import LiveServer, Reply, page_path

TITLE = "No lost data"
SEPARATE_EDITORS = 40
CLASHING_EDITORS = 10
EDITORS = SEPARATE_EDITORS + CLASHING_EDITORS
BASE_LINES = 130
CLASH_LINE = 125
BURST_TIMEOUT = 120  # seconds for the whole burst; a hung save fails the test instead of the run


def edited_line(editor: int) -> int:
    return editor * 3 if editor < SEPARATE_EDITORS else CLASH_LINE


def edit_of(editor: int) -> str:
    return f"changed by editor {editor}"


def text_of(editor: int, base_text: str) -> str:
    lines = base_text.split("\n")
    lines[edited_line(editor)] = edit_of(editor)
    return "\n".join(lines)


@dataclass
class Burst:
    """What the server answered to each editor, and what it holds afterwards."""

    base_id: int
    replies: dict[int, Reply | Exception]
    history: list[dict]
    final_text: str

    def with_status(self, *statuses: int) -> dict[int, Reply]:
        return {
            editor: reply
            for editor, reply in self.replies.items()
            if isinstance(reply, Reply) and reply.status in statuses
        }

    @property
    def saved(self) -> dict[int, Reply]:
        return self.with_status(200, 201)

    @property
    def refused(self) -> dict[int, Reply]:
        return self.with_status(409)


def save_at_once(live: LiveServer, keys: list[str], base_id: int, base_text: str) -> dict:
    """Every editor PUTs their text from the same base; a barrier releases them together."""
    barrier = threading.Barrier(len(keys))

    def save(editor: int) -> Reply | Exception:
        edit = {
            "content": text_of(editor, base_text),
            "base_revision": base_id,
            "summary": f"editor {editor}",
        }
        barrier.wait(timeout=30)
        try:
            return live.call("PUT", page_path(TITLE), edit, key=keys[editor])
        except OSError as error:  # a dropped connection is a lost save too: report it, do not crash
            return error

    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        futures = {editor: pool.submit(save, editor) for editor in range(len(keys))}
        return {editor: future.result(timeout=BURST_TIMEOUT) for editor, future in futures.items()}


def full_history(live: LiveServer) -> list[dict]:
    """Every revision of the page, newest first, following next_before in pages of 20."""
    revisions: list[dict] = []
    before = ""
    while True:
        reply = live.call("GET", page_path(TITLE, f"/history?limit=20{before}"))
        assert reply.status == 200, reply.body
        revisions += reply.json["revisions"]
        if reply.json["next_before"] is None:
            return revisions
        before = f"&before={reply.json['next_before']}"


@pytest.fixture(scope="module", params=server.DATABASES)
def burst(request, tmp_path_factory) -> Burst:
    data_dir = tmp_path_factory.mktemp(f"no-lost-data-{request.param}")
    with server.server_storage(request.param, data_dir) as storage, server.running_server(storage) as live:
        *keys, author_key = live.create_members("editor", EDITORS + 1)
        base_text = "\n".join(f"line {number} of the shared page" for number in range(BASE_LINES))
        created = live.call(
            "PUT", page_path(TITLE), {"content": base_text, "base_revision": None}, author_key
        )
        assert created.status == 201, created.body
        base_id = created.json["revision"]["id"]
        replies = save_at_once(live, keys, base_id, base_text)
        final = live.call("GET", page_path(TITLE))
        assert final.status == 200, final.body
        return Burst(base_id, replies, full_history(live), final.json["content"])


def test_no_save_fails_or_gets_a_server_error(burst):
    failures = {
        editor: reply if isinstance(reply, Exception) else f"{reply.status}: {reply.body}"
        for editor, reply in burst.replies.items()
        if isinstance(reply, Exception) or reply.status >= 500
    }
    assert not failures
    assert {reply.status for reply in burst.replies.values()} <= {200, 409}


def test_every_edit_of_its_own_line_is_saved(burst):
    assert sorted(burst.saved.keys() & range(SEPARATE_EDITORS)) == list(range(SEPARATE_EDITORS))


def test_exactly_one_edit_of_the_shared_line_is_saved(burst):
    clashing = range(SEPARATE_EDITORS, EDITORS)
    assert len(burst.saved.keys() & clashing) == 1
    assert len(burst.refused.keys() & clashing) == CLASHING_EDITORS - 1


def test_every_acknowledged_revision_is_in_the_history(burst):
    history_ids = {revision["id"] for revision in burst.history}
    acknowledged = {editor: reply.json["revision"]["id"] for editor, reply in burst.saved.items()}
    missing = {editor: revision for editor, revision in acknowledged.items() if revision not in history_ids}
    assert not missing


def test_history_holds_one_revision_per_acknowledged_save(burst):
    acknowledged = {reply.json["revision"]["id"] for reply in burst.saved.values()}
    assert len(acknowledged) == len(burst.saved)  # no two saves were told the same revision
    assert {revision["id"] for revision in burst.history} == acknowledged | {burst.base_id}
    assert len(burst.history) == len(burst.saved) + 1


def test_history_is_a_straight_line(burst):
    oldest_first = burst.history[::-1]
    assert oldest_first[0]["parent_id"] is None
    for older, newer in itertools.pairwise(oldest_first):
        assert newer["parent_id"] == older["id"]


def test_every_acknowledged_change_is_in_the_final_text(burst):
    final_lines = burst.final_text.split("\n")
    lost = [editor for editor in burst.saved if final_lines[edited_line(editor)] != edit_of(editor)]
    assert not lost
    assert len(final_lines) == BASE_LINES


def test_each_saved_reply_holds_its_own_change(burst):
    without = [
        editor for editor, reply in burst.saved.items() if edit_of(editor) not in reply.json["content"]
    ]
    assert not without
    assert all(reply.json["changed"] for reply in burst.saved.values())


def test_all_but_the_first_save_were_merged(burst):
    merged = [reply for reply in burst.saved.values() if reply.json["merged_with"] is not None]
    assert len(merged) == len(burst.saved) - 1


def test_each_conflict_names_the_current_revision_and_the_clashing_lines(burst):
    history_ids = {revision["id"] for revision in burst.history}
    for editor, reply in burst.refused.items():
        current = reply.json["current_revision"]
        assert current["id"] in history_ids
        assert current["content"].split("\n")[CLASH_LINE].startswith("changed by editor")
        assert [region["mine"] for region in reply.json["conflicts"]] == [edit_of(editor) + "\n"]
        assert f"revision {current['id']}" in reply.json["detail"]


def test_refused_edits_are_not_in_the_final_text(burst):
    assert not [editor for editor in burst.refused if edit_of(editor) in burst.final_text]
