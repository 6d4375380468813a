"""Calling /w/api.php from Django's test client as a MediaWiki client does."""

URL = "/w/api.php"


def get(client, **params):
    return client.get(URL, {"format": "json", **params})


def post(client, **params):
    return client.post(URL, {"format": "json", **params})


def query(client, **params) -> dict:
    response = get(client, action="query", **params)
    assert response.status_code == 200
    return response.json()


def csrf(client) -> str:
    return query(client, meta="tokens")["query"]["tokens"]["csrftoken"]


def write(client, action: str, **params) -> dict:
    """A write with the session's csrf token, as a client sends it: in the POST body."""
    response = post(client, action=action, token=csrf(client), **params)
    assert response.status_code == 200
    return response.json()


def error_code(body: dict) -> str | None:
    return body.get("error", {}).get("code")


def pages_v2(body: dict) -> list[dict]:
    return body["query"]["pages"]


def collect(client, list_name: str, **params) -> tuple[list[dict], int]:
    """Every item of a list, following `continue` as clients do; and how many requests that took."""
    items, requests, extra = [], 0, {"continue": ""}
    while True:
        body = query(client, list=list_name, formatversion="2", **params, **extra)
        requests += 1
        assert "error" not in body, body
        items += body["query"][list_name]
        if "continue" not in body:
            return items, requests
        extra = body["continue"]
