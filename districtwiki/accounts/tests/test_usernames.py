"""One name, one account: every spelling and look-alike of a username shares its key (usernames.py), and
names of deleted accounts are kept back, on every path that creates or renames a member."""

import re

import disarm
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor

from conftest import make_user
from districtwiki.accounts import usernames
from districtwiki.accounts.models import User

SAME_NAMES = [
    ("admin", "\u0430dmin"),  # Cyrillic а
    ("alice", "ALICE"),
    ("älice", "ÄLICE"),  # case folding beyond ASCII
    ("file", "\ufb01le"),  # the ligature ﬁ (NFKC)
    ("strasse", "Straße"),
    ("mallory", "rnallory"),  # UTS #39: m → rn
    ("bob1", "bobl"),  # UTS #39: 1 → l
    ("paypal", "p\u0430yp\u0430l"),
]


@pytest.mark.parametrize(("name", "other"), SAME_NAMES)
def test_spellings_of_one_name_share_a_key(name, other):
    assert usernames.username_key(name) == usernames.username_key(other)


@pytest.mark.parametrize(("name", "other"), [("alice", "alicia"), ("bob", "b0b_"), ("ada", "adá")])
def test_different_names_have_different_keys(name, other):
    assert usernames.username_key(name) != usernames.username_key(other)


def test_key_library_still_makes_the_keys_stored_in_the_database():
    # A disarm release that moves its keys raises this number: the stored keys must then be recomputed
    # by a migration before the new release is allowed here.
    assert disarm.KEY_SCHEMA_VERSION == 10


def test_every_name_of_the_longest_kind_is_keyed_quickly():
    # U+FDFA is the character whose key is longest (18 characters); 150 of them still make a 64-character key.
    assert len(usernames.username_key("\ufdfa" * usernames.MAX_LENGTH)) == 64


@pytest.mark.django_db
def test_create_user_refuses_a_look_alike():
    make_user("admin")
    with pytest.raises(ValidationError, match=re.escape(usernames.TAKEN)):
        User.objects.create_user("\u0430dmin", "x@example.org", "a long passphrase here")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_create_user_refuses_a_name_kept_for_deleted_accounts():
    with pytest.raises(ValidationError, match="kept for deleted accounts"):
        User.objects.create_user("former-member-7", "x@example.org", "a long passphrase here")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createsuperuser_refuses_a_name_taken_in_another_case():
    make_user("älice")
    with pytest.raises(CommandError, match=re.escape(usernames.TAKEN)):
        call_command("createsuperuser", username="ÄLICE", email="root@example.org", interactive=False)
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_database_refuses_a_look_alike_saved_past_the_checks():
    make_user("admin")
    with pytest.raises(IntegrityError):
        User(username="\u0430dmin").save()


@pytest.mark.django_db
def test_renaming_a_member_moves_their_key(alice):
    alice.username = "alicia"
    alice.save(update_fields=["username"])
    assert User.objects.get(pk=alice.pk).username_key == usernames.username_key("alicia")
    make_user("alice")  # the old name is free again


@pytest.mark.django_db
def test_deleted_member_may_be_renamed_to_a_kept_name(alice):
    alice.username = "former-member-1"  # what account deletion does; checks are for forms and create_user
    alice.save()
    assert User.objects.get(pk=alice.pk).username_key == usernames.username_key("former-member-1")


@pytest.mark.django_db(transaction=True)
def test_migration_keys_existing_members_and_keeps_old_look_alikes_apart():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("accounts", "0001_initial")])
    try:
        old_user = executor.loader.project_state([("accounts", "0001_initial")]).apps.get_model(
            "accounts", "User"
        )
        first = old_user.objects.create(username="admin", password="!")
        second = old_user.objects.create(username="\u0430dmin", password="!")
        executor = MigrationExecutor(connection)
        executor.migrate([("accounts", "0002_username_key")])
    finally:
        MigrationExecutor(connection).migrate(latest)
    keys = dict(User.objects.values_list("pk", "username_key"))
    assert keys[first.pk] == usernames.username_key("admin")
    assert keys[second.pk] not in (keys[first.pk], "")
    later = User.objects.get(pk=second.pk)
    later.last_name = "still saves"
    later.save()  # keeps its own key while it keeps its name
    assert User.objects.get(pk=second.pk).username_key == keys[second.pk]
