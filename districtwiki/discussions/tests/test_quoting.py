from django.utils.html import escape

from districtwiki.discussions import moderation
from districtwiki.discussions.models import Post


def test_quote_prefills_reply_with_blockquote_and_attribution(client, dave, thread, first_post):
    client.force_login(dave)
    response = client.get(f"/discussions/{thread.pk}?quote={first_post.pk}")
    assert response.status_code == 200
    expected = (
        f"&gt; **alice** [wrote](/discussions/posts/{first_post.pk}):\n&gt;\n"
        "&gt; What do you budget for devices?"
    )
    assert expected in response.content.decode()
    assert f'name="reply_to" value="{first_post.pk}"' in response.content.decode()


def test_quoted_reply_renders_a_blockquote_and_records_the_reply(client, dave, thread, first_post):
    client.force_login(dave)
    form = client.get(f"/discussions/{thread.pk}?quote={first_post.pk}").context
    client.post(
        f"/discussions/{thread.pk}", {"body": form["body"] + "Laptops.", "reply_to": str(first_post.pk)}
    )
    post = Post.objects.get(author=dave)
    assert post.reply_to == first_post
    assert "<blockquote>" in post.html
    assert "What do you budget for devices?" in post.html
    assert "<p>Laptops.</p>" in post.html


def test_quote_of_unknown_post_is_400(alice_client, thread):
    response = alice_client.get(f"/discussions/{thread.pk}?quote=99999")
    assert response.status_code == 400
    assert "There is no post number 99999 in this thread to quote." in response.content.decode()


def test_quote_that_is_not_a_number_is_400(alice_client, thread):
    response = alice_client.get(f"/discussions/{thread.pk}?quote=abc")
    assert response.status_code == 400
    assert escape("“quote” must be a post number, not “abc”.") in response.content.decode()


def test_quote_of_hidden_post_is_refused(alice_client, bob, thread, reply):
    moderation.hide_post(reply, bob, "Off topic")
    response = alice_client.get(f"/discussions/{thread.pk}?quote={reply.pk}")
    assert response.status_code == 400
    assert "A moderator hid that post, so it cannot be quoted." in response.content.decode()
    assert "fifth of the fleet" not in response.content.decode()


def test_quote_links_work_without_javascript(alice_client, thread, first_post):
    content = alice_client.get(f"/discussions/{thread.pk}").content.decode()
    assert f'href="/discussions/{thread.pk}?quote={first_post.pk}#reply-form"' in content
