"""schemathesis fuzzes the operations of /api/v1/openapi.json for events, live rooms, programs, campaigns and
surveys on the real server, signed in with a member's API token: the answers must never be a server error
and must match the documented status codes, content types and schemas. (The wiki's operations:
test_schemathesis.py; what both share: fuzzing.py.)"""

from .fuzzing import COMMUNITY_PATHS, FUZZING, api, call_and_validate


@api.include(path_regex=COMMUNITY_PATHS).parametrize()
@FUZZING
def test_api_answers_every_generated_request_as_documented(case, live_api):
    call_and_validate(case, live_api)
