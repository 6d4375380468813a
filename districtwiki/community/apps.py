from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "districtwiki.community"
    label = "community"
    verbose_name = "Community"

    def ready(self):
        from districtwiki.wiki import people

        from . import member_parts
        from .visibility import display_name_for

        # Everywhere the wiki names a member, it names them as the viewer may see them.
        people.register_namer(
            display_name_for,
            relations=("profile",),
            fields=("profile__user", "profile__display_name", "profile__display_name_visibility"),
        )
        member_parts.register()
