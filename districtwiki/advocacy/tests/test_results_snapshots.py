"""Snapshots: figures change only after at least the minimum of new or revised responses, and on close,
so comparing the figures before and after one answer tells nothing about it."""

from datetime import timedelta

import pytest
import time_machine

from districtwiki.advocacy import results_snapshots
from districtwiki.advocacy.models import PublishedResults, SurveyResponse

from .results_seed import NOW, add_responses, make_period, skewed_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_period():
    with time_machine.travel(NOW, tick=False):
        period = make_period(closed=False)
        add_responses(period, skewed_answers(20, seed=1))
        yield period


def test_no_snapshot_before_the_minimum_of_responses():
    with time_machine.travel(NOW, tick=False):
        period = make_period(closed=False)
        add_responses(period, skewed_answers(4, seed=1))
        assert results_snapshots.current(period) is None
    assert not PublishedResults.objects.exists()


def test_first_snapshot_covers_every_response(open_period):
    snapshot = results_snapshots.current(open_period)
    assert snapshot.respondents == 20 and not snapshot.final


def test_one_new_response_does_not_change_the_figures(open_period):
    first = results_snapshots.current(open_period)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        add_responses(open_period, skewed_answers(1, seed=2), updated_at=NOW + timedelta(hours=1))
        assert results_snapshots.current(open_period).pk == first.pk


def test_one_revised_response_does_not_change_the_figures(open_period):
    first = results_snapshots.current(open_period)
    later = NOW + timedelta(hours=1)
    revised = SurveyResponse.objects.filter(period=open_period).first()
    revised.answers = {**revised.answers, "hours": 79}
    revised.updated_at = later
    revised.save()
    with time_machine.travel(later, tick=False):
        assert results_snapshots.current(open_period).figures == first.figures


def test_minimum_of_new_responses_takes_a_new_snapshot(open_period):
    first = results_snapshots.current(open_period)
    later = NOW + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        add_responses(open_period, skewed_answers(5, seed=3), updated_at=later)
        newer = results_snapshots.current(open_period)
    assert newer.pk != first.pk and newer.respondents == 25


def test_a_response_revised_many_times_counts_once(open_period):
    first = results_snapshots.current(open_period)
    later = NOW + timedelta(hours=1)
    revised = SurveyResponse.objects.filter(period=open_period).first()
    for hours in range(5):
        revised.answers = {**revised.answers, "hours": hours}
        revised.updated_at = later + timedelta(minutes=hours)
        revised.save()
    with time_machine.travel(later + timedelta(hours=1), tick=False):
        assert results_snapshots.current(open_period).pk == first.pk


def test_closing_takes_a_final_snapshot(open_period):
    results_snapshots.current(open_period)
    add_responses(open_period, skewed_answers(1, seed=4))
    open_period.closed_at = NOW + timedelta(days=1)
    open_period.save()
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        final = results_snapshots.current(open_period)
    assert final.final and final.respondents == 21


def test_final_snapshot_is_not_recomputed(open_period):
    open_period.closed_at = NOW + timedelta(days=1)
    open_period.save()
    final = results_snapshots.current(open_period)
    assert results_snapshots.current(open_period).pk == final.pk
    assert PublishedResults.objects.count() == 1
