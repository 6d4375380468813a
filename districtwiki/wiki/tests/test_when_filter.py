"""|when: every timestamp in the one date format, the same text Django's date filters would write."""

import datetime
import zoneinfo

import pytest
from django.template.defaultfilters import date
from django.utils import timezone

from districtwiki.wiki.templatetags.wiki import when

MOMENTS = [
    datetime.datetime(2026, 1, 5, 3, 4, 5, 123456, tzinfo=datetime.UTC),
    datetime.datetime(2026, 3, 8, 7, 59, tzinfo=datetime.UTC),  # just before US daylight saving starts
    datetime.datetime(2026, 3, 8, 8, 1, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=datetime.UTC),
]


@pytest.mark.parametrize("zone", ["UTC", "America/Chicago", "Pacific/Honolulu"])
@pytest.mark.parametrize("moment", MOMENTS)
def test_when_writes_what_the_date_filters_would(moment, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        local = timezone.localtime(moment)  # as a template hands it to the date filter (expects_localtime)
        expected = f'<time datetime="{date(local, "c")}">{date(local, "j M Y, H:i")}</time>'
        assert when(moment) == expected


def test_when_of_nothing_is_empty():
    assert when(None) == ""
