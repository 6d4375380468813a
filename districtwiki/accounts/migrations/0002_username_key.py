"""Every account gets the key of its name (accounts/usernames.py), unique from now on.

Accounts made before this may already share a key ("admin" and "аdmin" with a Cyrillic а). The oldest
keeps the name's key, so that nobody new can take a look-alike of it; each later one gets a key of its
own (the hash of the skeleton and its id), keeps its name and signs in as before, and gets the real key
only if it is renamed.
"""

import hashlib

import districtwiki.accounts.models
from django.db import migrations, models

from districtwiki.accounts import usernames


def fill_username_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set()
    for user in User.objects.order_by("pk").only("pk", "username").iterator():
        key = usernames.username_key(user.username)
        if key in taken:
            distinct = f"{usernames.skeleton(user.username)}\0{user.pk}"
            key = hashlib.sha256(distinct.encode()).hexdigest()
        taken.add(key)
        User.objects.filter(pk=user.pk).update(username_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", districtwiki.accounts.models.UserManager()),
            ],
        ),
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill_username_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
