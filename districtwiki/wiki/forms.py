from django import forms

from . import frontmatter
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


def field_message(name: str, rule: str) -> str:
    return f"Front matter field `{name}` {rule}."


AUDIENCE_LABELS = {
    "technician": "Technicians",
    "coordinator": "Coordinators",
    "director": "Directors",
    "teacher-leader": "Teacher leaders",
    "superintendent": "Superintendents",
}
DISTRICT_SIZE_LABELS = {
    "under-1000": "Under 1,000 students",
    "1000-2500": "1,000–2,500 students",
    "2500-10000": "2,500–10,000 students",
    "any": "Any size",
}
ALLOWED_AUDIENCES = ", ".join(frontmatter.AUDIENCES)
ALLOWED_SIZES = ", ".join(frontmatter.DISTRICT_SIZES)
REVIEW_EVERY_RULE = field_message("review_every", "must be a number of months from 1 to 120")


class AboutPageForm(forms.Form):
    """The page's front matter as fields (frontmatter.py); editing.py turns them back into the block.
    The messages are frontmatter.py's, so an error reads the same here as from the text or the API."""

    editing = forms.CharField(required=False, widget=forms.HiddenInput, initial="1")
    layout = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    audience = forms.MultipleChoiceField(
        required=False,
        label="Written for",
        choices=[(value, AUDIENCE_LABELS.get(value, value)) for value in frontmatter.AUDIENCES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": field_message(
                "audience", f"has “%(value)s”; allowed values are: {ALLOWED_AUDIENCES}"
            ),
            "invalid_list": field_message("audience", f"must be a list of: {ALLOWED_AUDIENCES}"),
        },
    )
    district_size = forms.MultipleChoiceField(
        required=False,
        label="District size",
        choices=[(value, DISTRICT_SIZE_LABELS.get(value, value)) for value in frontmatter.DISTRICT_SIZES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": field_message(
                "district_size", f"has “%(value)s”; allowed values are: {ALLOWED_SIZES}"
            ),
            "invalid_list": field_message("district_size", f"must be a list of: {ALLOWED_SIZES}"),
        },
    )
    reviewed = forms.DateField(
        required=False,
        label="Last reviewed",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": field_message("reviewed", "must be a date written like 2026-11-28")},
    )
    review_every = forms.IntegerField(
        required=False,
        label="Review every",
        min_value=1,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-months"}),
        error_messages={
            "invalid": REVIEW_EVERY_RULE,
            "min_value": REVIEW_EVERY_RULE,
            "max_value": REVIEW_EVERY_RULE,
        },
    )
    time_sensitive = forms.BooleanField(
        required=False, label="Time-sensitive: deadlines, amounts or rules that change"
    )


class SourceForm(forms.Form):
    title = forms.CharField(required=False, max_length=1000, label="Title")
    publisher = forms.CharField(required=False, max_length=1000, label="Publisher")
    date = forms.CharField(
        required=False,
        max_length=40,
        label="Date",
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM-DD", "class": "input-date"}),
    )
    url = forms.CharField(
        required=False,
        max_length=2000,
        label="Web address",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def source(self) -> dict:
        """The filled-in keys, as frontmatter.parse gives them."""
        return {
            key: self.cleaned_data[key].strip()
            for key in frontmatter.SOURCE_KEYS
            if self.cleaned_data.get(key, "").strip()
        }


# Rows beyond frontmatter.MAX_SOURCES are refused with its message; a few more are built so that the
# message can be given, and no more, whatever TOTAL_FORMS says.
SourceFormSet = forms.formset_factory(
    SourceForm, extra=0, max_num=frontmatter.MAX_SOURCES + 10, absolute_max=frontmatter.MAX_SOURCES + 10
)


class MoveForm(forms.Form):
    new_title = forms.CharField(max_length=300, label="New title")
    reason = forms.CharField(max_length=400, required=False, label="Reason")
    leave_redirect = forms.BooleanField(required=False, initial=True, label="Leave a redirect behind")


class ProtectForm(forms.Form):
    level = forms.ChoiceField(choices=Page.Protection.choices, label="Who may edit", required=False)
    reason = forms.CharField(max_length=400, required=False, label="Reason")


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=400, required=False, label="Reason")
