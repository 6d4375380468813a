from django import forms

from .models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["role", "district_size"]
        labels = {"role": "Your role", "district_size": "Your district's size"}
        help_texts = {
            "role": "We use it to put the pages written for people in your position first.",
            "district_size": "Enrolment, roughly. Pages written for districts like yours come first.",
        }
