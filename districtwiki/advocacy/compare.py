""" "How you compare": a member's own answers, from their response to the open period, beside the published
figures of peers like them (the same district size band; the same state and size band when that group is
published). Only the member sees it: it is built for request.user and nobody else, and it reads only their
own response and the published snapshot, which anyone may see.

When the period closes, the link from the answers to the member is cut (SurveyResponse.member set to null):
from then on there is nothing to compare, and the page says so.
"""

from .models import PublishedResults, SurveyResponse
from .results_access import Shown
from .results_snapshots import current
from .survey_definitions import Question, QuestionType, number_text, with_unit
from .survey_results import definition_of, min_group


def comparison(user, periods) -> dict:
    """The compare page's context for this member: a `status` of closed, unanswered, waiting or ready."""
    period = next((p for p in periods if p.is_open), None)
    if period is None:
        return {"status": "closed"}
    response = SurveyResponse.objects.filter(period=period, member=user).first()
    if response is None:
        return {"status": "unanswered", "period": period}
    snapshot = current(period)
    if snapshot is None:
        return {"status": "waiting", "period": period, "min_group": min_group()}
    shown = Shown(period, definition_of(period), snapshot)
    answers = response.answers
    size, state = answers.get("district_size"), answers.get("state")
    size_peers = shown.group((None, size, None)) if isinstance(size, str) else None
    state_peers = shown.group((state, size, None)) if isinstance(state, str) and size_peers else None
    return {
        "status": "ready",
        "period": period,
        "shown": shown,
        "size_label": _choice_label(shown.definition.question("district_size"), size),
        "state_label": _choice_label(shown.definition.question("state"), state),
        "size_peers": size_peers,
        "state_peers": state_peers,
        "rows": [_row(q, answers, size_peers, state_peers) for q in _compared(shown)],
    }


def _compared(shown: Shown) -> list[Question]:
    return [q for q in shown.definition.questions if q.is_published and not q.is_grouping]


def _row(question: Question, answers: dict, size_peers, state_peers) -> dict:
    own = answers.get(question.id)
    return {
        "question": question,
        "own": _own_text(question, own),
        "size": _peer_text(question, own, size_peers),
        "state": _peer_text(question, own, state_peers) if state_peers else "",
    }


def _choice_label(question: Question | None, value) -> str:
    if question is None or not isinstance(value, str):
        return ""
    return next((c.label for c in question.choices or () if c.value == value), value)


def _own_text(question: Question, own) -> str:
    if own is None or own == [] or own == "":
        return "Not answered"
    if question.type == QuestionType.NUMBER:
        return with_unit(own, question.unit) if isinstance(own, int | float) else "Not answered"
    values = own if isinstance(own, list) else [own]
    return "; ".join(_choice_label(question, value) for value in values if isinstance(value, str))


def _peer_text(question: Question, own, peers: dict | None) -> str:
    figures = next((q for q in peers["questions"] if q["id"] == question.id), None) if peers else None
    if figures is None:
        return ""
    if question.type == QuestionType.NUMBER:
        if figures["median"] is None:
            return f"Fewer than {min_group()} answered"
        q1, q3 = number_text(figures["q1"]), number_text(figures["q3"])
        return f"Median {with_unit(figures['median'], question.unit)} (quartiles {q1}–{q3})"
    chosen = own if isinstance(own, list) else [own]
    shares = [f"{c['share']}% chose “{c['label']}”" for c in figures["choices"] if c["value"] in chosen]
    if shares and figures["answered"]:
        return "; ".join(shares)
    top = max(figures["choices"], key=lambda c: c["count"], default=None)
    return f"Most chose “{top['label']}” ({top['share']}%)" if top and figures["answered"] else ""


def home_card(user) -> dict | None:
    """The home page's "how you compare" card, for a member who answered an open survey; two queries."""
    response = (
        SurveyResponse.objects.filter(member=user, period__closed_at__isnull=True)
        .select_related("period")
        .order_by("-period__opened_at")
        .first()
    )
    if response is None:
        return None
    period = response.period
    snapshot = PublishedResults.objects.latest_for(period)
    card = {
        "template": "advocacy/compare_card.html",
        "slug": period.survey,
        "title": period.definition.get("title", period.survey),
        "headline": "",
    }
    if snapshot is not None:
        card["headline"] = _headline(Shown(period, definition_of(period), snapshot), response.answers)
    return card


def _headline(shown: Shown, answers: dict) -> str:
    """One figure for the card: the first number question the member answered, beside peers of their size."""
    size = answers.get("district_size")
    peers = shown.group((None, size, None)) if isinstance(size, str) else None
    if peers is None:
        return ""
    for question in _compared(shown):
        own = answers.get(question.id)
        if question.type == QuestionType.NUMBER and isinstance(own, int | float):
            text = _peer_text(question, own, peers)
            if text.startswith("Median"):
                peers_text = text[0].lower() + text[1:]
                mine = _own_text(question, own)
                return f"{question.label}: you {mine}; districts of your size: {peers_text}."
    return ""
