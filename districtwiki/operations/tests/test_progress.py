"""Progress of long commands: plain lines off a terminal, rich's bar on one, a clean stop on Ctrl+C."""

import io
import re

import pytest

from districtwiki import progress


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_output_writes_a_line_per_interval_with_count_rate_and_time_left():
    out, clock = io.StringIO(), FakeClock()
    with progress.track("Importing revisions", total=1000, unit="revisions", stream=out, clock=clock) as bar:
        clock.now += 4
        bar.advance(100)  # before the first interval: no line yet
        assert out.getvalue() == ""
        clock.now += 6
        bar.advance(100)  # 200 in 10 s: 20/s, 800 left: 40 s
        clock.now += 5
        bar.advance(300)
    lines = out.getvalue().splitlines()
    assert lines == [
        "Importing revisions: 200 of 1,000 revisions (20/s, about 40 s left)",
        "Done: 500 revisions in 15 s (33/s).",
    ]


def test_without_a_total_the_line_gives_the_count_and_rate_only():
    tracker = progress.Tracker("Reindexing", None, "pages", emit=lambda line: None, clock=FakeClock())
    tracker.done = 1
    tracker._clock.now += 2
    assert tracker.line() == "Reindexing: 1 page (0/s)"
    tracker.done = 12_345
    assert tracker.line() == "Reindexing: 12,345 pages (6,172/s)"


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0 s"), (59.4, "59 s"), (61, "1 min 01 s"), (3600 * 2 + 60 * 5, "2 h 05 min")]
)
def test_durations_read_as_a_person_says_them(seconds, text):
    assert progress.duration(seconds) == text


def test_ctrl_c_stops_with_one_line_saying_what_was_done_and_status_130():
    out, clock = io.StringIO(), FakeClock()
    tracking = progress.track("Importing pages", total=10, unit="pages", stream=out, clock=clock)
    with pytest.raises(progress.Interrupted) as stopped, tracking as bar:
        bar.advance(3)
        clock.now += 1
        raise KeyboardInterrupt
    assert stopped.value.returncode == 130
    message = str(stopped.value)
    assert "\n" not in message
    assert message.startswith("Stopped by Ctrl+C: importing pages stopped after 3 pages in 1 s")
    assert "running the command again continues" in message
    assert "Done:" not in out.getvalue()


def test_other_errors_pass_through_unchanged():
    with pytest.raises(ValueError, match="bad"), progress.track("Exporting", stream=io.StringIO()):
        raise ValueError("bad")


def test_a_terminal_gets_rich_bar_with_counts_and_the_closing_line():
    out, clock = Terminal(), FakeClock()
    with progress.track("Exporting pages", total=4, unit="pages", stream=out, clock=clock) as bar:
        for _ in range(4):
            bar.advance()
        clock.now += 2  # the closing line reads the given clock, not the wall's (a busy machine is slow)
    text = out.getvalue()
    assert "Exporting pages" in text
    assert "4/4" in text  # rich's completed/total column
    assert re.search(r"Done: 4 pages in 2 s \(2/s\)\.$", text.rstrip())
    assert "\x1b[" in text  # drawn with terminal control sequences, not plain lines
