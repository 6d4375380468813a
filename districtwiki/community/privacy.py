"""What the community app holds about a member (profile, messages, blocks, message reports): exported as
JSON, or erased when they delete their account.

Erasing deletes the profile and every message the member sent. Messages the other party sent stay in that
party's conversation, which now names its other member "former member" and says that their messages were
erased: they are the other party's own words, and deleting them would erase someone else's data. A
conversation left with no messages is deleted. Blocks the member made are deleted; reports they filed stay
for the moderators without the reporter.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef

from .models import Block, Conversation, Message, MessageReport, Profile
from .visibility import PROFILE_FIELDS


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(user) -> dict:
    return {
        "profile": export_profile(Profile.objects.filter(user=user).prefetch_related("expertise").first()),
        "conversations": export_conversations(user),
        "blocked_members": list(
            Block.objects.filter(blocker=user).order_by("id").values_list("blocked__username", flat=True)
        ),
        "message_reports_filed": [
            {"message": report.message_id, "reason": report.reason, "created_at": iso(report.created_at)}
            for report in MessageReport.objects.filter(reporter=user).order_by("id")
        ],
    }


def export_profile(profile: Profile | None) -> dict | None:
    if profile is None:
        return None
    data = {
        "display_name": profile.display_name,
        "role": profile.role,
        "district_name": profile.district_name,
        "district_size": profile.district_size,
        "state": profile.state,
        "years_in_role": profile.years_in_role,
        "expertise": [tag.name for tag in profile.expertise.all()],
        "happy_to_answer": profile.happy_to_answer,
        "bio": profile.bio,
        "list_on_state_page": profile.list_on_state_page,
        "time_zone": profile.time_zone,
    }
    data["visibility"] = {name: getattr(profile, f"{name}_visibility") for name in PROFILE_FIELDS}
    return data


def export_conversations(user) -> list[dict]:
    conversations = (
        Conversation.objects.involving(user)
        .select_related("member_a", "member_b")
        .prefetch_related("messages__sender")
        .order_by("id")
    )
    return [
        {
            "with": conversation.other_party(user).get_username(),
            "messages": [
                {
                    "from": message.sender.get_username(),
                    "sent_at": iso(message.created_at),
                    "read_at": iso(message.read_at),
                    "body": message.body,
                }
                for message in conversation.messages.all()
            ],
        }
        for conversation in conversations
    ]


def erase(user) -> None:
    with transaction.atomic():
        Profile.objects.filter(user=user).delete()  # its expertise links go with it
        Message.objects.filter(sender=user).delete()
        has_messages = Exists(Message.objects.filter(conversation=OuterRef("pk")))
        Conversation.objects.involving(user).filter(~has_messages).delete()
        Block.objects.filter(blocker=user).delete()
        MessageReport.objects.filter(reporter=user).update(reporter=None)
