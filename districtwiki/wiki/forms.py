from django import forms

from .models import Page


class EditForm(forms.Form):
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 25, "class": "editor-text", "spellcheck": "true"}),
        label="Page text (Markdown)",
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    summary = forms.CharField(
        required=False,
        max_length=500,
        label="Summary",
        help_text="Briefly say what you changed; it appears in the history and recent changes.",
    )
    minor = forms.BooleanField(required=False, label="This is a minor edit")


class MoveForm(forms.Form):
    new_title = forms.CharField(max_length=300, label="New title")
    reason = forms.CharField(max_length=400, required=False, label="Reason")
    leave_redirect = forms.BooleanField(required=False, initial=True, label="Leave a redirect behind")


class ProtectForm(forms.Form):
    level = forms.ChoiceField(choices=Page.Protection.choices, label="Who may edit", required=False)
    reason = forms.CharField(max_length=400, required=False, label="Reason")


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=400, required=False, label="Reason")
