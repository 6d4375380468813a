"""What every listing of revisions says of one the same way: prop=revisions, list=recentchanges and
list=usercontribs."""

from django.utils.html import escape

from districtwiki.wiki.models import Revision

from .params import format_timestamp


def revision_fields(item: dict, revision: Revision, properties: list[str]) -> None:
    """The author, time and summary of `revision` that `properties` ask for, added to `item`."""
    if "user" in properties:
        item["user"] = revision.author_name
        if revision.author_id is None:
            item["anon"] = True
    if "userid" in properties:
        item["userid"] = revision.author_id or 0
    if "timestamp" in properties:
        item["timestamp"] = format_timestamp(revision.timestamp)
    if "comment" in properties:
        item["comment"] = revision.summary
    if "parsedcomment" in properties:
        item["parsedcomment"] = escape(revision.summary)
