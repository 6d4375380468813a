from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WikiConfig(AppConfig):
    name = "districtwiki.wiki"
    label = "wiki"
    verbose_name = "Wiki"

    def ready(self):
        from . import pagecache
        from .models import Page

        post_save.connect(pagecache.page_saved, sender=Page, dispatch_uid="pagecache.page_saved")
        connect_member_rows()


def connect_member_rows() -> None:
    """What a member's kept lookup reads (membercache.py): their account row, their sessions, their watches
    (the facts' rows are connected as features register them)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from . import membercache
    from .models import Watch

    member, watch_changed = get_user_model(), membercache.row_of_member_changed("user_id")
    for signal in (post_save, post_delete):
        signal.connect(membercache.member_row_changed, sender=member, dispatch_uid="membercache.member")
        signal.connect(membercache.session_row_changed, sender=Session, dispatch_uid="membercache.session")
        signal.connect(watch_changed, sender=Watch, weak=False, dispatch_uid="membercache.watch")
