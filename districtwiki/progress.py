"""Progress for long commands: a bar in a terminal, plain periodic lines anywhere else.

Every long job (imports, exports, reindex, content load, backup, restore, migrate-to) counts its work through
`track`:

    with progress.track("Importing revisions", total=None, unit="revisions", stream=self.stdout) as bar:
        for revision in revisions:
            ...
            bar.advance()

In a terminal (the stream is a TTY) rich draws a bar with the count, the rate and the time left. In cron, CI
or a log file, where a bar would be noise, a plain line is written every `interval` seconds and one at the
end. Ctrl+C inside the block stops the job with one line saying what was done and exit status 130: each job
commits its work in units (a page, a table), so what was done is kept and a second run continues from it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from django.core.management.base import CommandError, OutputWrapper

# Seconds between two plain progress lines when the output is not a terminal.
PLAIN_INTERVAL = 10.0
INTERRUPTED_STATUS = 130  # what a shell reports for a process ended by SIGINT
KEPT = "what was done is kept, and running the command again continues from there."


class Interrupted(CommandError):
    """Ctrl+C during a tracked job: the message says what was done; exit status 130."""

    def __init__(self, message: str):
        super().__init__(message, returncode=INTERRUPTED_STATUS)


def count(number: int | float, unit: str) -> str:
    """`1,234 pages`, with the unit's singular for one (units are plain English plurals ending in s)."""
    word = unit[:-1] if number == 1 and unit.endswith("s") else unit
    return f"{number:,} {word}"


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Tracker:
    """Counts one job's work and reports it; `advance` is cheap enough to call once per item."""

    def __init__(
        self,
        label: str,
        total: int | None,
        unit: str,
        emit: Callable[[str], None],
        interval: float = PLAIN_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self._emit = emit
        self._interval = interval
        self._clock = clock
        self.started = clock()
        self._next_line = self.started + interval
        self._bar = None  # the rich task, in a terminal

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        if self._bar is not None:
            self._bar.advance(amount)
            return
        now = self._clock()
        if now >= self._next_line:
            self._next_line = now + self._interval
            self._emit(self.line(now))

    def set_total(self, total: int | None) -> None:
        self.total = total
        if self._bar is not None:
            self._bar.set_total(total)

    def rate(self, now: float | None = None) -> float:
        elapsed = (self._clock() if now is None else now) - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def line(self, now: float | None = None) -> str:
        """`Importing revisions: 1,200 of 10,000 revisions (400/s, about 22 s left)`."""
        now = self._clock() if now is None else now
        rate = self.rate(now)
        done = (
            f"{self.done:,} of {count(self.total, self.unit)}" if self.total else count(self.done, self.unit)
        )
        parts = [f"{rate:,.0f}/s"]
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"about {duration((self.total - self.done) / rate)} left")
        return f"{self.label}: {done} ({', '.join(parts)})"

    def summary(self) -> str:
        """`1,234 revisions in 3 s (411/s)`: the closing line's figures."""
        elapsed = self._clock() - self.started
        return f"{count(self.done, self.unit)} in {duration(elapsed)} ({self.rate():,.0f}/s)"


class _NoProgress:
    """A tracker that counts nothing: the default of functions that report progress when asked to."""

    def advance(self, amount: int = 1) -> None:
        pass

    def set_total(self, total: int | None) -> None:
        pass


NO_PROGRESS = _NoProgress()


class _RichBar:
    """The terminal's bar: rich's Progress with one task."""

    def __init__(self, label: str, total: int | None, unit: str, file: TextIO):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(unit),
            _rate_column(),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=Console(file=file),
            transient=False,
        )
        self._task = self._progress.add_task(label, total=total)

    def start(self) -> None:
        self._progress.start()

    def stop(self) -> None:
        self._progress.stop()

    def advance(self, amount: int) -> None:
        self._progress.advance(self._task, amount)

    def set_total(self, total: int | None) -> None:
        self._progress.update(self._task, total=total)


def _rate_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed:,.0f}/s" if task.speed else "–/s", style="progress.data.speed")

    return RateColumn()


def _raw_stream(stream) -> TextIO:
    return stream._out if isinstance(stream, OutputWrapper) else stream


def is_terminal(stream) -> bool:
    raw = _raw_stream(stream)
    return bool(getattr(raw, "isatty", None) and raw.isatty())


@contextmanager
def track(
    label: str,
    total: int | None = None,
    unit: str = "items",
    stream=None,
    interval: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    done_verb: str = "Done",
    stopped_note: str = KEPT,
) -> Iterator[Tracker]:
    """Track one job; on the way out write `Done: 1,234 pages in 3 s (411/s).` (or what Ctrl+C left).

    `stopped_note` ends the Ctrl+C line: what remains of the job. The default suits a job that commits unit by
    unit; a job that keeps nothing unless it completes (a backup, an export, a restore) says so instead.
    """
    import sys

    stream = stream if stream is not None else sys.stdout
    raw = _raw_stream(stream)

    def emit(text: str) -> None:
        raw.write(text + "\n")
        raw.flush()

    # PLAIN_INTERVAL is read now, not when this module loaded, so that a test can shorten it.
    tracker = Tracker(label, total, unit, emit, PLAIN_INTERVAL if interval is None else interval, clock)
    if is_terminal(stream):
        tracker._bar = _RichBar(label, total, unit, raw)
        tracker._bar.start()
    try:
        yield tracker
    except KeyboardInterrupt:
        raise Interrupted(
            f"Stopped by Ctrl+C: {label.lower()} stopped after {tracker.summary()}; {stopped_note}"
        ) from None
    finally:
        if tracker._bar is not None:
            tracker._bar.stop()
    emit(f"{done_verb}: {tracker.summary()}.")
