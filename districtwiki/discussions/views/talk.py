"""Talk pages, threads, replies, quoting, editing one's posts, watching threads, and latest activity."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districtwiki.paging import paginate
from districtwiki.wiki import markup, people
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import normalize_title
from districtwiki.wiki.views.errors import translate_errors
from districtwiki.wiki.views.pages import canonical_redirect

from .. import access, actions
from ..models import Post, Thread, ThreadWatch

THREADS_PER_PAGE = 50
POSTS_PER_PAGE = 100
LATEST_PER_PAGE = 50


def post_url(post: Post) -> str:
    """Where a post is shown: its thread, on the right page of a long one, at the post's anchor."""
    earlier = Post.objects.filter(thread_id=post.thread_id, pk__lt=post.pk).count()
    number = earlier // POSTS_PER_PAGE + 1
    return f"/discussions/{post.thread_id}" + (f"?page={number}" if number > 1 else "") + f"#post-{post.pk}"


def resolved_posts_html(posts: list[Post]) -> None:
    """Colour the wiki links of every post on the page with one query for all of them."""
    targets = set().union(*(markup.link_targets(post.html) for post in posts)) if posts else set()
    existing = (
        set(Page.objects.live().filter(title__in=targets).values_list("title", flat=True))
        if targets
        else set()
    )
    for post in posts:
        post.html = markup.resolve_links(post.html, existing)


# --- The talk page: a page's threads and the form to start one ------------------------------------------


@require_http_methods(["GET", "POST"])
@translate_errors
def talk_page(request, title):
    canonical = normalize_title(title)
    if request.method == "GET" and (response := canonical_redirect(request, "talk", title, canonical)):
        return response
    page = access.talk_page(canonical)
    if request.method == "POST":
        return start_thread(request, page)
    return render_talk(request, page)


def named(author: str) -> list[str]:
    """The relations to select so that a post's or thread's author is named without a query."""
    return [author, *people.related(author)]


def render_talk(request, page: Page, status: int = 200, **form):
    threads = (
        Thread.objects.for_page(page)
        .select_related("last_post", *named("author"), *named("last_post__author"))
        .defer("last_post__text", "last_post__html")
    )
    context = {
        "page": page,
        "listing": paginate(request, threads, THREADS_PER_PAGE),
        "can_post": access.can_post(request.user),
        "subject": form.get("subject", ""),
        "body": form.get("body", ""),
        "error": form.get("error", ""),
    }
    return render(request, "discussions/talk.html", context, status=status)


def start_thread(request, page: Page):
    subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
    try:
        thread = actions.start_thread(page, subject, body, request.user)
    except actions.WikiError as error:
        return render_talk(request, page, error.status, subject=subject, body=body, error=str(error))
    messages.success(request, "Thread started. You are watching it: replies will notify you.")
    return redirect(thread.get_absolute_url())


# --- A thread: its posts and the reply form -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@translate_errors
def thread_view(request, thread_id: int):
    thread = access.get_thread(thread_id)
    if request.method == "POST":
        return reply(request, thread)
    quoted, body = actions.quote_for(thread, request.GET.get("quote"))
    reply_to = quoted or actions.thread_post(
        thread, actions.parse_post_id(request.GET.get("reply_to"), "reply_to"), "reply to"
    )
    return render_thread(request, thread, body=body, reply_to=reply_to)


def render_thread(request, thread: Thread, status: int = 200, body: str = "", reply_to=None, error: str = ""):
    moderator = access.is_moderator(request.user)
    posts = thread.posts.select_related("reply_to", *named("author"), *named("reply_to__author"))
    posts = posts.defer("reply_to__text", "reply_to__html")
    listing = paginate(request, posts, POSTS_PER_PAGE)
    shown = list(listing.object_list)
    for post in shown:
        if post.is_hidden and not moderator:
            post.html = ""  # the text of a hidden post never reaches a member's browser
    resolved_posts_html(shown)
    signed_in = request.user.is_authenticated
    context = {
        "thread": thread,
        "page": thread.page,
        "listing": listing,
        "posts": shown,
        "is_moderator": moderator,
        "can_post": access.can_post(request.user) and not thread.is_locked,
        "watching": signed_in and ThreadWatch.objects.filter(user=request.user, thread=thread).exists(),
        "body": body,
        "reply_to": reply_to,
        "error": error,
    }
    return render(request, "discussions/thread.html", context, status=status)


def reply(request, thread: Thread):
    body = request.POST.get("body", "")
    reply_to = None
    try:
        reply_to_id = actions.parse_post_id(request.POST.get("reply_to"), "reply_to")
        reply_to = actions.thread_post(thread, reply_to_id, "reply to")
        post = actions.add_post(thread, body, request.user, reply_to_id)
    except actions.WikiError as error:
        return render_thread(request, thread, error.status, body=body, reply_to=reply_to, error=str(error))
    messages.success(request, "Posted.")
    return redirect(post_url(post))


@require_GET
@translate_errors
def post_permalink(request, post_id: int):
    return redirect(post_url(access.get_post(post_id)))


@require_POST
@translate_errors
def watch_thread(request, thread_id: int):
    thread = access.get_thread(thread_id)
    watching = request.POST.get("watch") == "1"
    actions.set_thread_watch(thread, request.user, watching)
    if watching:
        messages.success(request, "You are watching this thread: new posts will notify you.")
    else:
        messages.success(request, "You are no longer watching this thread.")
    return redirect(thread.get_absolute_url())


# --- Editing one's own post, and its earlier versions (moderators) --------------------------------------


@require_http_methods(["GET", "POST"])
@translate_errors
def edit_post(request, post_id: int):
    post = access.get_post(post_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access.check_can_edit_post(request.user, post)
    if request.method == "GET":
        return render_edit(request, post, post.text)
    body = request.POST.get("body", "")
    try:
        actions.edit_post(post, body, request.user)
    except actions.NoChange as no_change:
        messages.info(request, str(no_change))
    except actions.WikiError as error:
        return render_edit(request, post, body, error.status, str(error))
    else:
        messages.success(request, "Your post was updated; the earlier version is kept.")
    return redirect(post_url(post))


def render_edit(request, post: Post, body: str, status: int = 200, error: str = ""):
    context = {"post": post, "thread": post.thread, "page": post.thread.page, "body": body, "error": error}
    return render(request, "discussions/edit_post.html", context, status=status)


@require_GET
@translate_errors
def post_history(request, post_id: int):
    post = access.get_post(post_id)
    access.check_moderator(request.user)
    versions = list(post.revisions.all())
    resolved_posts_html([post, *versions])
    context = {"post": post, "thread": post.thread, "page": post.thread.page, "versions": versions}
    return render(request, "discussions/post_history.html", context)


# --- Latest activity across the wiki --------------------------------------------------------------------


@require_GET
@translate_errors
def latest(request):
    raw_category = request.GET.get("category", "").strip()
    category = normalize_title("Category:" + raw_category).partition(":")[2] if raw_category else ""
    threads = (
        Thread.objects.latest_activity()
        .select_related("page", "last_post", *named("last_post__author"))
        .defer("last_post__text", "last_post__html")
    )
    if category:
        threads = threads.filter(page__categories__category=category)
    context = {"listing": paginate(request, threads, LATEST_PER_PAGE), "category": category}
    return render(request, "discussions/latest.html", context)
