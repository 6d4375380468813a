import time_machine

from districtwiki.discussions import actions
from districtwiki.discussions.views import talk


def test_latest_lists_threads_most_recently_active_first(client, make_page, alice):
    first = make_page("First page", "text").page
    second = make_page("Second page", "text").page
    with time_machine.travel("2026-01-01 10:00Z", tick=False):
        older = actions.start_thread(first, "Older thread", "text", alice)
        actions.start_thread(second, "Newer thread", "text", alice)
    with time_machine.travel("2026-01-02 10:00Z", tick=False):
        actions.add_post(older, "bump", alice)
    content = client.get("/special/discussions").content.decode()
    assert content.index("Older thread") < content.index("Newer thread")


def test_latest_filters_by_category(client, make_page, alice):
    filed = make_page("Filed page", "text [[Category:E-Rate]]").page
    other = make_page("Other page", "text").page
    actions.start_thread(filed, "About E-Rate", "text", alice)
    actions.start_thread(other, "About something else", "text", alice)
    content = client.get("/special/discussions?category=e-Rate").content.decode()
    assert "About E-Rate" in content
    assert "About something else" not in content


def test_latest_with_unused_category_says_so(client, db):
    response = client.get("/special/discussions?category=Nothing")
    assert response.status_code == 200
    assert "No page in the category “Nothing” has a discussion yet." in response.content.decode()


def test_latest_with_invalid_category_is_400(client, db):
    response = client.get("/special/discussions?category=Bad|name")
    assert response.status_code == 400


def test_latest_is_paged(client, page, alice, monkeypatch):
    monkeypatch.setattr(talk, "LATEST_PER_PAGE", 2)
    for number in range(3):
        actions.start_thread(page, f"Thread {number}", "text", alice)
    content = client.get("/special/discussions?page=2").content.decode()
    assert "Thread 0" in content
    assert "Thread 2" not in content


def test_latest_page_past_the_end_is_400(client, db):
    response = client.get("/special/discussions?page=5")
    assert response.status_code == 400


def test_latest_leaves_out_threads_of_deleted_pages(client, page, thread, ada):
    from districtwiki.wiki import actions as wiki_actions

    wiki_actions.delete_page(page, ada)
    assert "Planning for next year" not in client.get("/special/discussions").content.decode()


def test_latest_query_count_is_pinned(client, make_page, alice, django_assert_max_num_queries):
    for number in range(10):
        page = make_page(f"Page {number}", "text").page
        actions.start_thread(page, f"Thread {number}", "text", alice)
    with django_assert_max_num_queries(3):
        assert client.get("/special/discussions").status_code == 200


def test_nav_links_to_discussions(client, db):
    assert 'href="/special/discussions"' in client.get("/special/discussions").content.decode()
