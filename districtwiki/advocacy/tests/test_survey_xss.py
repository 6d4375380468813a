"""Cross-site scripting through the survey's inputs: the corpus (wiki/tests/xss_vectors.py) goes in as short
texts, "other" texts, numbers typed in the form and period labels, and each page that shows them back (the
form, refused or prefilled, the member's own answers, the list and the admins' page) must run none of it."""

import pytest

from districtwiki.advocacy import survey_actions
from districtwiki.wiki.tests import xss_vectors as corpus
from districtwiki.wiki.tests.test_security_xss import (  # noqa: F401 - fixtures, by name
    anonymous_probe,
    browser_context,
    markdown_batches,
    probe,
    roomy_limits,
    submit_vectors,
)

from .survey_world import SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ANSWER = f"/advocacy/surveys/{SLUG}/answer"
GROUPING = {"state": "IA", "district_size": "under-1000", "role": "director"}


def test_short_texts_and_other_texts_never_run(probe, ada):  # noqa: F811
    period = survey_actions.open_period(SLUG, "2026–27")
    texts = corpus.packed([vector.payload for vector in corpus.VECTORS], 500)
    for start in range(0, len(texts), 3):
        three = [*texts[start : start + 3], "", "", ""][:3]
        answers = GROUPING | {
            "biggest_difference": three[0],
            "largest_barrier": "other",
            "largest_barrier.other": three[1],
            "funding_programs": ["other"],
            "funding_programs.other": three[2],
        }
        survey_actions.save_response(period, ada, answers)
        probe.visit(f"/advocacy/surveys/{SLUG}/")
        probe.visit(ANSWER)
    probe.assert_clean()


def test_typed_answers_shown_back_by_a_refused_form_never_run(probe, ada):  # noqa: F811
    survey_actions.open_period(SLUG, "2026–27")
    for turn, batch in enumerate(markdown_batches()):
        # The vectors fill the number boxes too: the form is refused and shows every typed value again.
        assert submit_vectors(probe, ANSWER, "form.survey-form", batch, turn) == 400
    probe.assert_clean()


def test_period_labels_never_run(probe, ada):  # noqa: F811
    short = [p for p in (*corpus.ATTRIBUTE_BREAKOUTS, *corpus.EVENT_HANDLERS) if len(p) <= 40]
    labels = list(dict.fromkeys(" ".join(p.split()) for p in short))[:40]
    for label in labels:
        survey_actions.open_period(SLUG, label)
        survey_actions.close_period(SLUG)
    survey_actions.open_period(SLUG, "current")
    probe.visit("/advocacy/surveys/")
    probe.visit(f"/advocacy/surveys/{SLUG}/")
    probe.visit(f"/advocacy/surveys/{SLUG}/manage")
    probe.assert_clean()
