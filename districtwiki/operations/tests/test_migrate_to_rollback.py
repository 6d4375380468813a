"""`districtwiki migrate-to URL`: a failure during the copy (a broken reference, Ctrl+C, rows that read back
different) rolls all of it back and leaves a target a new run accepts. (How the command is run:
migration.py.)"""

import re
import shutil
import sqlite3

import psycopg

from .migration import (
    LOGIN_FAILURES,
    assert_refused,
    districtwiki,
    needs_postgres,
    run_script,
    sqlite_fingerprint,
    sqlite_rows,
    wiki_rows,
)


@needs_postgres
def test_broken_reference_rolls_the_copy_back_and_a_fixed_source_then_moves(source, tmp_path, make_target):
    data_dir = tmp_path / "wiki"
    shutil.copytree(source, data_dir)
    with sqlite3.connect(data_dir / "districtwiki.sqlite3") as connection:  # foreign keys are off here
        connection.execute(
            "UPDATE wiki_pagelink SET source_id = 999999 WHERE id = (SELECT max(id) FROM wiki_pagelink)"
        )
    connection.close()
    target = make_target()
    done = districtwiki(data_dir, "migrate-to", target)
    assert_refused(done, "broken reference", "wiki_pagelink", "rolled back", "holds no rows")
    assert wiki_rows(target) == dict.fromkeys(
        ("wiki_page", "wiki_revision", "accounts_user", "wiki_pagelink"), 0
    )

    with sqlite3.connect(data_dir / "districtwiki.sqlite3") as connection:
        connection.execute("DELETE FROM wiki_pagelink WHERE source_id = 999999")
    connection.close()
    done = districtwiki(data_dir, "migrate-to", target)  # into the migrated but empty target it left
    assert done.returncode == 0, done.stderr
    pages = sqlite_rows(data_dir, "SELECT count(*) FROM wiki_page")[0][0]
    assert wiki_rows(target)["wiki_page"] == pages


# Run in `districtwiki shell` in the source data dir: migrate-to, with Ctrl+C arriving once 1,000 rows are
# copied (as the terminal delivers it: KeyboardInterrupt in the main thread); then whether a new run would
# accept what the target was left holding.
INTERRUPTED_COPY = """
import json
from django.core.management import call_command
from districtwiki import progress
from districtwiki.operations import migrate_to

advance = progress.Tracker.advance
def stop_at_1000(tracker, amount=1):
    if tracker.done >= 1000:
        raise KeyboardInterrupt
    advance(tracker, amount)
progress.Tracker.advance = stop_at_1000
try:
    call_command("migrate_to", URL)
    result = {"status": 0}
except progress.Interrupted as error:
    result = {"status": error.returncode, "message": str(error)}
with migrate_to.target_connection(migrate_to.parse_target(URL)) as target:
    migrate_to.refuse_unless_empty(target, "target")  # raises MigrateError if a new run would refuse it
print(json.dumps(result))
"""


@needs_postgres
def test_ctrl_c_during_the_copy_rolls_it_back_with_status_130(source, make_target):
    before = sqlite_fingerprint(source)
    target = make_target()
    result = run_script(source, INTERRUPTED_COPY.replace("URL", repr(target)))
    assert result["status"] == 130
    stopped = re.match(r"Stopped by Ctrl\+C: copying rows stopped after ([\d,]+) rows in ", result["message"])
    assert 1_000 <= int(stopped.group(1).replace(",", "")) < LOGIN_FAILURES  # batches are counted whole
    assert result["message"].endswith(
        "the copy was rolled back: the target holds no rows; run migrate-to again."
    )
    assert wiki_rows(target) == dict.fromkeys(
        ("wiki_page", "wiki_revision", "accounts_user", "wiki_pagelink"), 0
    )
    assert sqlite_fingerprint(source) == before


TAMPER = """
CREATE FUNCTION tamper() RETURNS trigger AS $$
BEGIN NEW.summary := NEW.summary || ' (altered)'; RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TRIGGER tamper BEFORE INSERT ON wiki_revision FOR EACH ROW EXECUTE FUNCTION tamper();
"""


@needs_postgres
def test_rows_that_read_back_different_fail_the_check_and_roll_back(source, make_target):
    target = make_target()
    done = districtwiki(source, "migrate", "--no-input", "--verbosity=0", database_url=target)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(target, autocommit=True) as connection:
        connection.execute(TAMPER)
    done = districtwiki(source, "migrate-to", target)
    assert_refused(done, "wiki_revision", "read back different", "rolled back")
    [verdict] = [line.split()[-1] for line in done.stdout.splitlines() if line.startswith("wiki_revision ")]
    assert verdict == "DIFFERS"
    assert "wiki_page " in done.stdout and "Done:" not in done.stdout
    assert wiki_rows(target)["wiki_revision"] == 0
    assert wiki_rows(target)["wiki_page"] == 0
