"""A member's own data: download it all as JSON, or delete the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from .. import account_data
from ..forms import DeleteAccountForm


@never_cache
@login_required
@require_GET
def download_data(request):
    data = account_data.export_all(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    filename = f"districtwiki-data-{request.user.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return render(request, "community/delete_account.html", {"form": form})
    if not form.is_valid():
        return render(request, "community/delete_account.html", {"form": form}, status=400)
    account_data.delete_account(request.user)
    logout(request)
    messages.success(request, "Your account is deleted. Your edits and posts stay, by “former member”.")
    return redirect("/")
