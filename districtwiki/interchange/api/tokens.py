"""MediaWiki's tokens: `csrf` for every write, `login` for action=login.

A token is an HMAC of the session (or of the API token a bot sends as `Authorization: Bearer`), ending in
"+\\" as MediaWiki's do so that a client that mangles backslashes is caught. Signed-out clients get "+\\"
alone, as in MediaWiki: a signed-out write needs no secret, only a client that speaks the protocol. The
token must come in the POST body, never the URL, so a link cannot carry it into a write.
"""

from django.utils.crypto import constant_time_compare, salted_hmac

from districtwiki.wiki import access

from .errors import ApiError

SUFFIX = "+\\"
SALT = "districtwiki.interchange.api.tokens."


def _session_key(request) -> str:
    """The session's key, creating the session if there is none yet (a login token needs one)."""
    if not request.session.session_key:
        request.session["api"] = True
        request.session.save()
    return request.session.session_key


def csrf_token(request) -> str:
    user = request.user
    if not access.is_signed_in(user):
        return SUFFIX
    api_token = getattr(request, "api_token", None)
    holder = f"bearer:{api_token.pk}" if api_token is not None else f"session:{_session_key(request)}"
    return salted_hmac(SALT + "csrf", f"{user.pk}:{holder}").hexdigest() + SUFFIX


def login_token(request) -> str:
    return salted_hmac(SALT + "login", _session_key(request)).hexdigest() + SUFFIX


def check_csrf(request, params) -> None:
    if "token" in request.GET:
        raise ApiError(
            "mustpostparams",
            "The following parameter was found in the query string, but must be in the POST body: token.",
        )
    sent = params.get("token")
    if not sent:
        raise ApiError("missingparam", 'The "token" parameter must be set.')
    if not constant_time_compare(sent, csrf_token(request)):
        raise ApiError("badtoken", "Invalid CSRF token: ask for a new one with action=query&meta=tokens.")


def check_login_token(request, sent: str) -> bool:
    return bool(request.session.session_key) and constant_time_compare(sent, login_token(request))
