"""The WSGI front of the page cache (PageCacheApplication): hits answered before Django runs, exactly as the
middleware would answer them, and everything else handed to Django untouched."""

import logging

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory

from districtwiki.wiki import actions
from districtwiki.wiki.pagecache import PageCacheApplication, memory_layer
from districtwiki.wsgi import django_application

pytestmark = pytest.mark.django_db


class Recorder:
    """Django's application, counting the requests it is handed."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        # As Django's test client does: the test's connection (inside its transaction) must stay open.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = django_application(environ, start_response)
            response.close()  # request_finished, as the server sends it
            return response
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture
def django_app():
    return Recorder()


@pytest.fixture
def front(django_app):
    return PageCacheApplication(django_app)


def call(app, method="GET", path="/wiki/Budget", query="", **meta):
    """Run one request through a WSGI application: (status, headers as a dict, body)."""
    environ = RequestFactory().generic(method, path).environ | meta
    environ["QUERY_STRING"] = query
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=headers)

    body = b"".join(app(environ, start_response))
    assert len({name.lower() for name, _ in started["headers"]}) == len(started["headers"])
    return started["status"], dict(started["headers"]), body


def test_a_stored_page_is_answered_by_the_front_as_the_middleware_answers_it(front, django_app, make_page):
    make_page("Budget", "Plan the **E-Rate** budget.")
    first = call(front)
    assert first[0] == "200 OK" and first[1]["X-Cache"] == "miss" and django_app.calls == 1
    status, headers, body = call(front)
    assert django_app.calls == 1  # Django never saw the second request
    assert status == "200 OK" and headers["X-Cache"] == "hit"
    assert body == first[2] and b"<strong>E-Rate</strong>" in body
    through_django = Client().get("/wiki/Budget")  # the middleware's hit
    assert through_django["X-Cache"] == "hit"
    assert headers == dict(through_django.items())
    assert body == through_django.content


def test_head_gets_the_headers_without_the_body(front, make_page):
    make_page("Budget", "text")
    _, stored, body = call(front)
    status, headers, head_body = call(front, method="HEAD")
    assert status == "200 OK" and head_body == b""
    assert headers == stored | {"X-Cache": "hit"} and headers["Content-Length"] == str(len(body))


def test_validators_answer_304_in_the_front(front, django_app, make_page):
    make_page("Budget", "text")
    _, headers, _ = call(front)
    status, again, body = call(front, HTTP_IF_NONE_MATCH=headers["ETag"])
    assert (status, body, django_app.calls) == ("304 Not Modified", b"", 1)
    assert again["ETag"] == headers["ETag"] and again["Cache-Control"] == headers["Cache-Control"]
    assert call(front, HTTP_IF_MODIFIED_SINCE=headers["Last-Modified"])[0] == "304 Not Modified"
    assert call(front, HTTP_IF_NONE_MATCH='"other"')[0] == "200 OK"


def test_an_edit_is_never_answered_from_the_old_copy(front, django_app, make_page, alice):
    saved = make_page("Budget", "first text")
    call(front)
    assert call(front)[1]["X-Cache"] == "hit"
    actions.save_revision("Budget", "second text", alice, saved.revision.pk)
    status, headers, body = call(front)
    assert (status, headers["X-Cache"], django_app.calls) == ("200 OK", "miss", 2)
    assert b"second text" in body and b"first text" not in body


def test_a_page_in_another_process_s_store_is_answered_from_the_file(front, django_app, make_page, settings):
    settings.REDIS_URL = ""
    make_page("Budget", "text")
    _, made, body = call(front)
    memory_layer.cache_clear()  # as in another process, which has only the files
    _, headers, from_file = call(front)
    assert django_app.calls == 1 and from_file == body
    assert headers == made | {"X-Cache": "hit"}


@pytest.mark.parametrize(
    "method, path, query, meta",
    [
        ("GET", "/wiki/Budget", "x=1", {}),
        ("GET", "/wiki/Budget", "", {"HTTP_COOKIE": "sessionid=whatever"}),
        ("GET", "/wiki/Budget", "", {"HTTP_COOKIE": "csrftoken=abc; messages=whatever"}),
        ("GET", "/wiki/Budget", "", {"HTTP_AUTHORIZATION": "Bearer nonsense"}),
        ("GET", "/wiki/budget", "", {}),  # not the canonical URL: the view redirects
        ("GET", "/wiki/Budget%20", "", {}),
        ("POST", "/wiki/Budget", "", {}),
        ("GET", "/special/recent", "", {}),
        ("GET", "/wiki/Budget", "", {"HTTP_HOST": "evil.example"}),  # not in ALLOWED_HOSTS: Django's 400
    ],
)
def test_requests_that_may_differ_go_to_django(front, django_app, make_page, method, path, query, meta):
    make_page("Budget", "text")
    call(front)
    before = django_app.calls
    _, headers, _ = call(front, method=method, path=path, query=query, **meta)
    assert django_app.calls == before + 1
    assert headers.get("X-Cache") != "hit"


def test_an_unrelated_cookie_still_gets_the_cached_page(front, django_app, make_page):
    make_page("Budget", "text")
    call(front)
    assert call(front, HTTP_COOKIE="csrftoken=abc")[1]["X-Cache"] == "hit"
    assert django_app.calls == 1


def test_a_path_that_is_not_utf8_goes_to_django(front, django_app, make_page):
    make_page("Budget", "text")
    status, _, _ = call(front, PATH_INFO="/wiki/\xff\xfe")
    assert django_app.calls == 1 and status == "404 Not Found"


def test_switched_off_or_private_the_front_answers_nothing(front, django_app, make_page, settings):
    make_page("Budget", "text")
    call(front)
    settings.PAGE_CACHE = False
    assert call(front)[0] == "200 OK" and django_app.calls == 2
    settings.PAGE_CACHE = True
    settings.PRIVATE_WIKI = True
    assert call(front)[0] == "302 Found" and django_app.calls == 3


def test_a_failing_database_hands_the_request_to_django(front, django_app, make_page, monkeypatch, caplog):
    make_page("Budget", "text")
    call(front)

    def broken(title):
        raise ConnectionError("the database went away")

    monkeypatch.setattr("districtwiki.wiki.pagecache.current_stamp", broken)
    with caplog.at_level(logging.WARNING, logger="districtwiki.wiki.pagecache"):
        status, _, _ = call(front)
    assert status == "500 Internal Server Error"  # Django's middleware met the same failure and said so
    assert django_app.calls == 2
    assert "page cache front failed" in caplog.text
