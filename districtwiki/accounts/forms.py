"""Account forms. Django's auth forms are used where they fit (password change and reset)."""

from django import forms
from django.contrib.auth.forms import UserCreationForm, UsernameField

from . import actions
from .models import User
from .retired import username_retired

EMAIL_TAKEN = "That e-mail address is already used by another account. If it is yours, reset your password."


class SignupForm(UserCreationForm):
    """Django's username rules and password validators; usernames and addresses unique in any case."""

    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We send a confirmation link here. Other members never see it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        field_classes = {"username": UsernameField}

    def clean_username(self):
        username = super().clean_username()
        if username and username_retired(username):
            raise forms.ValidationError(f"The username “{username}” is not available. Choose another.")
        return username

    def clean_email(self):
        email = self.cleaned_data["email"]
        if actions.email_taken(email):
            raise forms.ValidationError(EMAIL_TAKEN)
        return email


class LoginForm(forms.Form):
    login = forms.CharField(
        label="Username or e-mail address",
        max_length=254,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class EmailChangeForm(forms.Form):
    """Asks for the current password, so that a borrowed session cannot take the account over by mail."""

    email = forms.EmailField(
        label="New e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.lower() == self.user.email.lower():
            raise forms.ValidationError("That is already your e-mail address.")
        if actions.email_taken(email, exclude=self.user):
            raise forms.ValidationError(EMAIL_TAKEN)
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=actions.TOKEN_NAME_LENGTH,
        help_text="What will use it, for example “Recent changes bot”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
