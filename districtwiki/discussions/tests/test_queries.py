from districtwiki.discussions import actions, moderation, queries


def test_open_thread_count_counts_open_threads_of_the_page(page, alice, bob, make_page):
    first = actions.start_thread(page, "One", "text", alice)
    actions.start_thread(page, "Two", "text", alice)
    other = make_page("Other page", "text").page
    actions.start_thread(other, "Elsewhere", "text", alice)
    moderation.set_thread_lock(first, bob, True)
    assert queries.open_thread_count(page) == 1


def test_open_thread_count_is_zero_without_threads(page):
    assert queries.open_thread_count(page) == 0


def test_open_thread_count_is_one_query(page, django_assert_num_queries):
    with django_assert_num_queries(1):
        queries.open_thread_count(page)


def test_board_threads_lists_the_threads_of_a_state_page(make_page, alice):
    board = make_page("State/VT", "Vermont chapter").page
    actions.start_thread(board, "Meet-up in Montpelier", "text", alice)
    assert [thread.subject for thread in queries.board_threads("State/VT")] == ["Meet-up in Montpelier"]


def test_board_threads_of_missing_or_invalid_page_is_empty(db):
    assert queries.board_threads("State/ZZ") == []
    assert queries.board_threads("Bad|title") == []


def test_threads_started_by_lists_a_members_threads(thread, alice, dave):
    assert queries.threads_started_by(alice) == [thread]
    assert queries.threads_started_by(dave) == []
