from django.utils.html import escape

from districtwiki.discussions.models import Report


def test_report_form_for_a_post(alice_client, reply):
    response = alice_client.get(f"/special/report?post={reply.pk}")
    assert response.status_code == 200
    assert f'name="post" value="{reply.pk}"' in response.content.decode()


def test_member_reports_a_post(alice_client, alice, reply):
    response = alice_client.post("/special/report", {"post": str(reply.pk), "reason": "Advertising"})
    assert response.status_code == 302
    assert response["Location"] == f"/discussions/{reply.thread_id}#post-{reply.pk}"
    report = Report.objects.get()
    assert (report.kind, report.post, report.reporter, report.reason) == ("post", reply, alice, "Advertising")
    assert report.status == Report.Status.OPEN


def test_member_reports_a_page(alice_client, page):
    response = alice_client.post(
        "/special/report", {"page": "Budget_basics", "reason": "Copied from a vendor"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/wiki/Budget_basics"
    assert Report.objects.get().page == page


def test_member_reports_a_profile(alice_client, dave):
    response = alice_client.post("/special/report", {"user": "dave", "reason": "Impersonation"})
    assert response.status_code == 302
    assert response["Location"] == "/members/dave"
    report = Report.objects.get()
    assert (report.kind, report.target_user) == ("user", dave)


def test_post_page_has_a_report_link(alice_client, thread, reply):
    content = alice_client.get(f"/discussions/{thread.pk}").content.decode()
    assert f'href="/special/report?post={reply.pk}"' in content


def test_report_without_reason_is_400_and_writes_nothing(alice_client, reply):
    response = alice_client.post("/special/report", {"post": str(reply.pk), "reason": "  "})
    assert response.status_code == 400
    assert "Give a reason for the report: it is required." in response.content.decode()
    assert not Report.objects.exists()


def test_report_reason_over_1000_characters_is_400_and_writes_nothing(alice_client, reply):
    response = alice_client.post("/special/report", {"post": str(reply.pk), "reason": "x" * 1001})
    assert response.status_code == 400
    assert "The reason can be at most 1000 characters; this one has 1001." in response.content.decode()
    assert not Report.objects.exists()


def test_report_without_a_target_is_400(alice_client, db):
    response = alice_client.post("/special/report", {"reason": "Something"})
    assert response.status_code == 400
    assert "Choose one post, page or member profile to report." in response.content.decode()
    assert not Report.objects.exists()


def test_report_with_two_targets_is_400(alice_client, reply, page):
    response = alice_client.post(
        "/special/report", {"post": str(reply.pk), "page": "Budget basics", "reason": "x"}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_report_of_unknown_post_is_404(alice_client, db):
    response = alice_client.post("/special/report", {"post": "999", "reason": "x"})
    assert response.status_code == 404
    assert "There is no post number 999." in response.content.decode()
    assert not Report.objects.exists()


def test_report_of_unknown_member_is_404(alice_client, db):
    response = alice_client.post("/special/report", {"user": "ghost", "reason": "x"})
    assert response.status_code == 404
    assert escape("There is no member called “ghost”.") in response.content.decode()


def test_report_of_own_profile_is_400(alice_client, alice):
    response = alice_client.post("/special/report", {"user": "alice", "reason": "x"})
    assert response.status_code == 400
    assert "You cannot report your own profile." in response.content.decode()
    assert not Report.objects.exists()


def test_signed_out_visitor_cannot_report(client, reply):
    response = client.post("/special/report", {"post": str(reply.pk), "reason": "x"})
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_signed_out_report_form_asks_to_sign_in(client, reply):
    response = client.get(f"/special/report?post={reply.pk}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_reporting_twice_files_one_report(alice_client, reply):
    alice_client.post("/special/report", {"post": str(reply.pk), "reason": "Spam"})
    response = alice_client.post(
        "/special/report", {"post": str(reply.pk), "reason": "Spam again"}, follow=True
    )
    assert "You have already reported" in response.content.decode()
    assert Report.objects.count() == 1
