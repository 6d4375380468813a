"""MediaWiki's error objects: a code clients branch on and a sentence for the person running the client.

MediaWiki answers errors with HTTP 200 and `{"error": {"code", "info", …}}` (plus the `MediaWiki-API-Error`
header); clients such as mwclient read the code from the body and treat a 4xx as a broken server, so we do
the same. The codes are MediaWiki's own where one exists (https://www.mediawiki.org/wiki/API:Errors_and_warnings).
"""

DOCREF = "See /w/api.php?action=help for the modules this wiki supports, and the README on /w/api.php."


class ApiError(Exception):
    """A request refused with a MediaWiki error code; the message is for a person."""

    def __init__(self, code: str, info: str):
        super().__init__(info)
        self.code = code
        self.info = info


def bad_value(name: str, value: str) -> ApiError:
    return ApiError("badvalue", f'Unrecognized value for parameter "{name}": {value[:100]}.')


def error_object(error: ApiError, formatversion: int) -> dict:
    body = {"code": error.code, "info": error.info}
    if formatversion == 2:
        body["docref"] = DOCREF
    else:
        body["*"] = DOCREF
    return {"error": body}
