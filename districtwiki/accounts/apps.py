from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "districtwiki.accounts"
    label = "accounts"
    verbose_name = "Accounts"
