"""When a period's published figures are recomputed: snapshots, so that no one learns one answer by
comparing the figures just before and just after it arrives.

A snapshot (PublishedResults) is taken the first time the results are asked for once the period has at
least the minimum of responses; then again only when at least the minimum of responses were saved or revised
since the last one (a response counts once however often it was revised); and a last, final one after the
period closes. So any two successive snapshots differ by the answers of at least the minimum of people. An
account deleted in between takes its answers with it, which only adds to the difference. Everything shown
(page, CSV, API, "how you compare") comes from a snapshot, never from the live rows.
"""

from django.db import transaction
from django.utils import timezone

from .models import PublishedResults, SurveyPeriod
from .survey_results import compute, definition_of, min_group


def current(period: SurveyPeriod) -> PublishedResults | None:
    """The snapshot to show for a period (taking a new one first when one is due), or None before the
    period has enough responses for any."""
    latest = PublishedResults.objects.latest_for(period)
    if not is_due(period, latest):
        return latest
    with transaction.atomic():
        # One refresh at a time per period; the second waiter finds the snapshot already taken.
        locked = SurveyPeriod.objects.select_for_update().get(pk=period.pk)
        latest = PublishedResults.objects.latest_for(locked)
        if is_due(locked, latest):
            latest = publish(locked)
    return latest


def is_due(period: SurveyPeriod, latest: PublishedResults | None) -> bool:
    if latest is not None and latest.final:
        return False
    if period.closed_at is not None:
        return True
    if latest is None:
        return period.responses.count() >= min_group()
    return period.responses.filter(updated_at__gt=latest.published_at).count() >= min_group()


def publish(period: SurveyPeriod) -> PublishedResults:
    """Compute and store a snapshot now (final once the period is closed)."""
    rows = list(period.responses.values_list("answers", flat=True).iterator(chunk_size=2000))
    figures = compute(definition_of(period), rows, min_group())
    return PublishedResults.objects.create(
        period=period, published_at=timezone.now(), final=period.closed_at is not None, figures=figures
    )
