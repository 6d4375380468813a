from django import template

from .. import actions

register = template.Library()


@register.inclusion_tag("accounts/_confirmation_banner.html", takes_context=True)
def email_confirmation_banner(context):
    """A reminder on every page until the member confirms their address. The settings page has its own,
    with the resend button, and says so by putting `must_confirm` in its context."""
    user = context.get("user")
    show = user is not None and "must_confirm" not in context and actions.must_confirm_email(user)
    return {"show": show, "user": user}
