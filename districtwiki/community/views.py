from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .forms import ProfileForm
from .models import Profile


@login_required
def edit_profile(request):
    profile, _ = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Profile saved. The home page now suggests pages for you.")
            return redirect("/")
        return render(request, "community/profile_form.html", {"form": form}, status=400)
    return render(request, "community/profile_form.html", {"form": form})
