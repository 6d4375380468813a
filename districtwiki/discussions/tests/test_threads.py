from django.utils.html import escape

from districtwiki.discussions.models import Post, Thread, ThreadWatch


def messages_of(response) -> str:
    return response.content.decode()


# --- The talk page and starting a thread ----------------------------------------------------------------


def test_talk_page_lists_threads_of_the_page(client, thread):
    response = client.get("/talk/Budget_basics")
    assert response.status_code == 200
    assert b"Planning for next year" in response.content
    assert f'href="/discussions/{thread.pk}"'.encode() in response.content


def test_talk_page_of_missing_page_is_404_with_message(alice_client, db):
    response = alice_client.get("/talk/No_such_page")
    assert response.status_code == 404
    assert escape("There is no page called “No such page”, so it has no discussion.") in messages_of(response)


def test_starting_a_thread_on_missing_page_is_404_and_writes_nothing(alice_client, db):
    response = alice_client.post("/talk/No_such_page", {"subject": "Hello", "body": "Anyone?"})
    assert response.status_code == 404
    assert Thread.objects.count() == 0


def test_talk_page_of_deleted_page_is_404(alice_client, page, ada):
    from districtwiki.wiki import actions as wiki_actions

    wiki_actions.delete_page(page, ada)
    assert alice_client.get("/talk/Budget_basics").status_code == 404


def test_talk_title_in_other_form_redirects_to_canonical_url(client, page):
    response = client.get("/talk/budget%20basics")
    assert response.status_code == 301
    assert response["Location"] == "/talk/Budget_basics"


def test_member_starts_a_thread(alice_client, alice, page):
    response = alice_client.post(
        "/talk/Budget_basics", {"subject": "  E-Rate  timing ", "body": "When do you **file**?"}
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/discussions/{thread.pk}"
    assert (thread.page, thread.subject, thread.author, thread.post_count) == (
        page,
        "E-Rate timing",
        alice,
        1,
    )
    post = thread.posts.get()
    assert post.html == "<p>When do you <strong>file</strong>?</p>\n"
    assert ThreadWatch.objects.filter(user=alice, thread=thread).exists()


def test_thread_page_shows_posts(client, thread, reply):
    response = client.get(f"/discussions/{thread.pk}")
    assert response.status_code == 200
    assert b"What do you budget for devices?" in response.content
    assert b"We replace a fifth of the fleet each year." in response.content


def test_empty_subject_is_400_and_writes_nothing(alice_client, page):
    response = alice_client.post("/talk/Budget_basics", {"subject": "   ", "body": "Text"})
    assert response.status_code == 400
    assert "Give the thread a subject: it is empty." in messages_of(response)
    assert Thread.objects.count() == 0


def test_over_long_subject_is_400_and_writes_nothing(alice_client, page):
    response = alice_client.post("/talk/Budget_basics", {"subject": "s" * 201, "body": "Text"})
    assert response.status_code == 400
    assert "A subject can be at most 200 characters; this one has 201." in messages_of(response)
    assert Thread.objects.count() == 0


def test_empty_first_post_is_400_keeps_subject_and_writes_nothing(alice_client, page):
    response = alice_client.post("/talk/Budget_basics", {"subject": "Budget", "body": " \n "})
    assert response.status_code == 400
    assert "Write something in your post: it is empty." in messages_of(response)
    assert 'value="Budget"' in messages_of(response)
    assert Thread.objects.count() == 0


def test_signed_out_visitor_cannot_start_a_thread(client, page):
    response = client.post("/talk/Budget_basics", {"subject": "Hi", "body": "Text"})
    assert response.status_code == 403
    assert "Sign in to take part in discussions." in messages_of(response)
    assert Thread.objects.count() == 0


def test_unconfirmed_member_cannot_start_a_thread(client, carol, page):
    client.force_login(carol)
    response = client.post("/talk/Budget_basics", {"subject": "Hi", "body": "Text"})
    assert response.status_code == 403
    assert "Confirm your e-mail address before posting" in messages_of(response)
    assert Thread.objects.count() == 0


def test_unknown_thread_is_404(client, db):
    response = client.get("/discussions/999")
    assert response.status_code == 404
    assert "There is no discussion thread number 999." in messages_of(response)


# --- Replies --------------------------------------------------------------------------------------------


def test_member_replies_to_a_thread(client, dave, thread):
    client.force_login(dave)
    response = client.post(f"/discussions/{thread.pk}", {"body": "Leases, mostly."})
    post = Post.objects.get(thread=thread, author=dave)
    assert response.status_code == 302
    assert response["Location"] == f"/discussions/{thread.pk}#post-{post.pk}"
    thread.refresh_from_db()
    assert (thread.post_count, thread.last_post) == (2, post)


def test_reply_to_a_post_records_it(client, dave, thread, first_post):
    client.force_login(dave)
    client.post(f"/discussions/{thread.pk}", {"body": "Good question.", "reply_to": str(first_post.pk)})
    post = Post.objects.get(author=dave)
    assert post.reply_to == first_post
    page = client.get(f"/discussions/{thread.pk}").content.decode()
    assert f'in reply to <a href="/discussions/posts/{first_post.pk}">alice</a>' in page


def test_reply_to_post_of_another_thread_is_400_and_writes_nothing(client, dave, thread, page, alice):
    from districtwiki.discussions import actions

    other = actions.start_thread(page, "Other", "Elsewhere", alice).posts.get()
    client.force_login(dave)
    response = client.post(f"/discussions/{thread.pk}", {"body": "Hi", "reply_to": str(other.pk)})
    assert response.status_code == 400
    assert f"There is no post number {other.pk} in this thread to reply to." in messages_of(response)
    assert not Post.objects.filter(author=dave).exists()


def test_empty_reply_is_400_and_writes_nothing(client, dave, thread):
    client.force_login(dave)
    response = client.post(f"/discussions/{thread.pk}", {"body": ""})
    assert response.status_code == 400
    assert "Write something in your post: it is empty." in messages_of(response)
    assert thread.posts.count() == 1


def test_oversized_reply_is_400_keeps_nothing(client, dave, thread):
    client.force_login(dave)
    response = client.post(f"/discussions/{thread.pk}", {"body": "x" * (64 * 1024 + 1)})
    assert response.status_code == 400
    assert "the limit is 64 KiB" in messages_of(response)
    assert thread.posts.count() == 1


def test_reply_of_exactly_64_kib_is_accepted(client, dave, thread):
    client.force_login(dave)
    response = client.post(f"/discussions/{thread.pk}", {"body": "x" * (64 * 1024)})
    assert response.status_code == 302
    assert thread.posts.count() == 2


def test_reply_with_nul_character_is_400(client, dave, thread):
    client.force_login(dave)
    response = client.post(f"/discussions/{thread.pk}", {"body": "bad \x00 text"})
    assert response.status_code == 400
    assert "NUL character" in messages_of(response)
    assert thread.posts.count() == 1


def test_posting_faster_than_the_rate_limit_is_429(client, dave, thread, settings):
    settings.EDIT_RATE_LIMIT = 2
    client.force_login(dave)
    for number in range(2):
        assert client.post(f"/discussions/{thread.pk}", {"body": f"post {number}"}).status_code == 302
    response = client.post(f"/discussions/{thread.pk}", {"body": "one too many"})
    assert response.status_code == 429
    assert "wait a minute before posting again" in messages_of(response)
    assert thread.posts.filter(author__username="dave").count() == 2


def test_post_markdown_is_sanitised(client, dave, thread):
    client.force_login(dave)
    client.post(f"/discussions/{thread.pk}", {"body": "<script>alert(1)</script> [x](javascript:alert(1))"})
    post = Post.objects.get(author=dave)
    assert "<script" not in post.html
    assert 'href="javascript' not in post.html


def test_subject_is_escaped(client, alice_client, page):
    alice_client.post("/talk/Budget_basics", {"subject": "<b>bold</b>", "body": "Text"})
    content = client.get("/talk/Budget_basics").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in content
    assert "<b>bold</b>" not in content


def test_wiki_links_in_posts_are_red_or_blue(client, make_page, thread, dave):
    from districtwiki.discussions import actions

    actions.add_post(thread, "See [[Budget basics]] and [[Missing page]].", dave)
    content = client.get(f"/discussions/{thread.pk}").content.decode()
    assert 'class="wikilink" href="/wiki/Budget_basics"' in content
    assert 'class="wikilink new" href="/edit/Missing_page"' in content


def test_post_permalink_finds_the_page_of_a_long_thread(client, thread, dave, monkeypatch):
    from districtwiki.discussions import actions
    from districtwiki.discussions.views import talk

    monkeypatch.setattr(talk, "POSTS_PER_PAGE", 2)
    posts = [actions.add_post(thread, f"post {n}", dave) for n in range(3)]
    response = client.get(f"/discussions/posts/{posts[-1].pk}")
    assert response["Location"] == f"/discussions/{thread.pk}?page=2#post-{posts[-1].pk}"


# --- Query counts ---------------------------------------------------------------------------------------


def test_talk_page_query_count_is_pinned(alice_client, page, alice, django_assert_max_num_queries):
    from districtwiki.discussions import actions

    for number in range(20):
        actions.start_thread(page, f"Thread {number}", "text", page.latest.author)
    with django_assert_max_num_queries(6):
        assert alice_client.get("/talk/Budget_basics").status_code == 200


def test_thread_page_query_count_is_pinned(alice_client, thread, dave, django_assert_max_num_queries):
    from districtwiki.discussions import actions

    posts = [actions.add_post(thread, f"[[Budget basics]] [[Nothing {n}]] @alice", dave) for n in range(20)]
    for post in posts[::2]:
        actions.add_post(thread, "reply", dave, reply_to_id=post.pk)
    with django_assert_max_num_queries(8):
        assert alice_client.get(f"/discussions/{thread.pk}").status_code == 200


def test_a_post_refused_for_an_unconfirmed_address_says_so_once(client, carol, make_page):
    make_page("Wifi", "Access points.")
    client.force_login(carol)
    response = client.post("/talk/Wifi", {"title": "Hello", "body": "A question."})
    assert response.status_code == 403
    html = response.content.decode()
    assert html[html.index("<main") : html.index("</main>")].count("Confirm your e-mail address") == 1
