import cProfile
import pstats
import time

import pytest
from django.test import RequestFactory

from districtwiki.wiki import pagecache
from districtwiki.wiki.tests.test_member_views import cookies_of, signed_in, view

pytestmark = pytest.mark.django_db(transaction=True)


def timeit(label, fn, n=3000):
    fn()
    t = time.perf_counter()
    for _ in range(n):
        fn()
    print(f"{label:30s} {(time.perf_counter() - t) / n * 1e6:8.1f} µs")


def test_prof(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    view(client)
    environ = RequestFactory().generic("GET", "/wiki/Budget", HTTP_COOKIE=cookies_of(client)).environ
    assert pagecache.PageCacheApplication.answer(dict(environ)) is not None
    timeit("front total", lambda: pagecache.PageCacheApplication.answer(dict(environ)))
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(3000):
        pagecache.PageCacheApplication.answer(dict(environ))
    pr.disable()
    pstats.Stats(pr).sort_stats("tottime").print_stats(25)
