"""Cross-site scripting through every campaign field a person controls (the title, the ask, the audience's
name, source titles and addresses) and through what signers show (display name, district), loaded in
Chromium on the campaign page, its brief, the list and the hub, with the wiki's probe
(wiki/tests/test_security_xss.py: dialogs, the xss() marker, CSP reports and a DOM audit for dormant
payloads)."""

import pytest

from conftest import make_user
from districtwiki.advocacy import campaign_actions as actions
from districtwiki.advocacy.models import Campaign
from districtwiki.community.models import Profile, Visibility
from districtwiki.wiki.tests import xss_vectors as corpus
from districtwiki.wiki.tests.browser import sign_in
from districtwiki.wiki.tests.test_security_xss import SENTINEL, Probe

from .campaign_helpers import in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Addresses that pass the form's check (http(s), no spaces) and try to break out of the attribute.
URL_BREAKOUTS = (
    'https://example.org/"><script>top.xss()</script>',
    "https://example.org/'onmouseover='top.xss()'",
    'https://example.org/"onfocus="top.xss()"autofocus="',
    "https://example.org/</a><img/src=x/onerror=top.xss()>",
)


@pytest.fixture(autouse=True)
def frozen():
    """The live server needs a clock that moves: no frozen time here."""
    yield None


def asks() -> list[str]:
    """Every vector in asks of at most the allowed characters and lines, each vector on its own line."""
    batches: list[list[str]] = [[]]
    for payload in (vector.payload for vector in corpus.VECTORS):
        payload = payload[: actions.MAX_BODY]
        current = batches[-1]
        too_long = len("\n".join([*current, payload])) > actions.MAX_BODY
        if current and (too_long or len(current) + payload.count("\n") + 1 > actions.MAX_BODY_LINES):
            batches.append([])
        batches[-1].append(payload)
    return ["\n".join(batch) for batch in batches if "\n".join(batch).strip()]


def sources(titles: list[str]) -> list[dict]:
    return [{"title": title, "url": url} for title, url in zip(titles, URL_BREAKOUTS * 2, strict=False)][
        : actions.MAX_SOURCES
    ]


def make_campaigns(organizer) -> list[Campaign]:
    titles = corpus.packed(corpus.title_vectors(), actions.MAX_TITLE)
    names = corpus.packed(corpus.title_vectors(), actions.MAX_AUDIENCE_NAME)
    made = []
    for number, ask in enumerate(asks()):
        details = actions.CampaignDetails(
            title=titles[number % len(titles)],
            body=ask,
            audience="other",
            audience_name=names[number % len(names)],
            deadline=actions.clean_deadline(in_days(30)),
            sources=sources(titles[number : number + actions.MAX_SOURCES]),
        )
        made.append(actions.create_campaign(organizer, details))
    return made


def signer_with_payloads(number: int, text: str):
    user = make_user(f"signer{number}")
    Profile.objects.create(
        user=user,
        display_name=text[:100],
        display_name_visibility=Visibility.PUBLIC,
        district_name=text[:200],
        role=Profile.Role.OTHER,
    )
    return user


@pytest.fixture
def probe(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    context.add_init_script(SENTINEL)
    watcher = Probe(context)
    yield watcher
    context.close()


def test_campaign_fields_and_signers_never_run(probe, live_server):
    organizer = make_user("olive", role="trusted")
    campaigns = make_campaigns(organizer)
    assert len(campaigns) > 5
    for number, text in enumerate(corpus.packed(corpus.title_vectors(), 100)[:30]):
        actions.sign(campaigns[0], signer_with_payloads(number, text), "public")
    sign_in(probe.page.context, live_server.url, organizer)
    for campaign in campaigns:
        probe.visit(campaign.get_absolute_url())
        probe.visit(f"{campaign.get_absolute_url()}/brief")
    probe.visit(f"{campaigns[0].get_absolute_url()}/edit")
    probe.visit("/advocacy/campaigns/")
    probe.visit("/advocacy/")
    probe.assert_clean()
