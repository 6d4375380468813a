from conftest import PASSWORD
from districtwiki.discussions import moderation
from districtwiki.discussions.models import ModerationLog, Report, Suspension


def test_queue_is_403_for_members(alice_client, db):
    response = alice_client.get("/special/moderation")
    assert response.status_code == 403
    assert "Only trusted members and admins can moderate discussions." in response.content.decode()


def test_queue_is_403_for_signed_out_visitors(client, db):
    assert client.get("/special/moderation").status_code == 403


def test_queue_lists_open_reports_with_context_for_trusted_members(bob_client, alice, reply):
    moderation.file_report(alice, "This is an advert", post=reply)
    response = bob_client.get("/special/moderation")
    content = response.content.decode()
    assert response.status_code == 200
    assert "This is an advert" in content
    assert "We replace a fifth of the fleet each year." in content
    assert f'action="/discussions/posts/{reply.pk}/hide"' in content
    assert "Suspend" not in content  # admins only


def test_queue_offers_suspension_to_admins(ada_client, alice, reply):
    moderation.file_report(alice, "Spam", post=reply)
    content = ada_client.get("/special/moderation").content.decode()
    assert 'name="username" value="dave"' in content


def test_queue_omits_handled_reports(bob_client, alice, bob, reply):
    report = moderation.file_report(alice, "Old complaint", post=reply)
    moderation.dismiss_report(report, bob)
    assert "Old complaint" not in bob_client.get("/special/moderation").content.decode()


def test_queue_query_count_is_pinned(bob_client, alice, reply, page, django_assert_max_num_queries):
    for number in range(10):
        moderation.file_report(alice, f"reason {number}", post=reply)
        moderation.file_report(alice, f"page reason {number}", page=page)
    with django_assert_max_num_queries(6):
        assert bob_client.get("/special/moderation").status_code == 200


def test_trusted_member_dismisses_a_report(bob_client, alice, bob, reply):
    report = moderation.file_report(alice, "Spam", post=reply)
    response = bob_client.post(f"/special/moderation/reports/{report.pk}/dismiss")
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.handled_by) == (Report.Status.DISMISSED, bob)


def test_member_cannot_dismiss_a_report(alice_client, alice, reply):
    report = moderation.file_report(alice, "Spam", post=reply)
    assert alice_client.post(f"/special/moderation/reports/{report.pk}/dismiss").status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN


def test_dismissing_unknown_report_is_404(bob_client, db):
    assert bob_client.post("/special/moderation/reports/999/dismiss").status_code == 404


# --- Suspension -----------------------------------------------------------------------------------------


def test_admin_suspends_an_account(ada_client, ada, dave):
    response = ada_client.post("/special/moderation/suspend", {"username": "dave", "reason": "Repeated spam"})
    assert response.status_code == 302
    dave.refresh_from_db()
    assert not dave.is_active
    suspension = Suspension.objects.get(user=dave)
    assert (suspension.suspended_by, suspension.reason, suspension.lifted_at) == (ada, "Repeated spam", None)


def test_trusted_member_cannot_suspend(bob_client, dave):
    response = bob_client.post("/special/moderation/suspend", {"username": "dave", "reason": "Spam"})
    assert response.status_code == 403
    assert "Only admins can suspend accounts." in response.content.decode()
    dave.refresh_from_db()
    assert dave.is_active
    assert not Suspension.objects.exists()


def test_member_cannot_suspend(alice_client, dave):
    assert (
        alice_client.post("/special/moderation/suspend", {"username": "dave", "reason": "x"}).status_code
        == 403
    )
    dave.refresh_from_db()
    assert dave.is_active


def test_suspension_without_reason_is_400_and_writes_nothing(ada_client, dave):
    response = ada_client.post("/special/moderation/suspend", {"username": "dave", "reason": ""})
    assert response.status_code == 400
    assert "Give a reason for the suspension: it is required." in response.content.decode()
    dave.refresh_from_db()
    assert dave.is_active
    assert not Suspension.objects.exists()


def test_suspending_unknown_member_is_400(ada_client, db):
    response = ada_client.post("/special/moderation/suspend", {"username": "ghost", "reason": "x"})
    assert response.status_code == 400
    assert "There is no member called “ghost”." in response.content.decode()


def test_admin_cannot_suspend_themselves(ada_client, ada):
    response = ada_client.post("/special/moderation/suspend", {"username": "ada", "reason": "x"})
    assert response.status_code == 403
    ada.refresh_from_db()
    assert ada.is_active


def test_admins_cannot_be_suspended(ada_client, db):
    from districtwiki.accounts.models import User

    other = User.objects.create_user(username="root2", password=PASSWORD, role="admin")
    response = ada_client.post("/special/moderation/suspend", {"username": "root2", "reason": "x"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.is_active


def test_suspended_member_cannot_sign_in(client, ada, dave):
    dave.set_password(PASSWORD)
    dave.save()
    moderation.suspend_user(dave, ada, "Spam")
    response = client.post("/accounts/login/", {"login": "dave", "password": PASSWORD})
    assert response.status_code == 400
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_suspended_members_session_stops_working(client, ada, dave, thread):
    client.force_login(dave)
    moderation.suspend_user(dave, ada, "Spam")
    response = client.post(f"/discussions/{thread.pk}", {"body": "still here?"})
    assert response.status_code == 403
    assert "Sign in to take part in discussions." in response.content.decode()
    assert not thread.posts.filter(author=dave).exists()


def test_suspending_resolves_reports_about_the_profile(alice, ada, dave):
    report = moderation.file_report(alice, "Harassment", user=dave)
    moderation.suspend_user(dave, ada, "Harassment")
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED


def test_admin_lifts_a_suspension(ada_client, ada, dave):
    moderation.suspend_user(dave, ada, "Spam")
    response = ada_client.post("/special/moderation/unsuspend", {"username": "dave"})
    assert response.status_code == 302
    dave.refresh_from_db()
    assert dave.is_active
    suspension = Suspension.objects.get(user=dave)
    assert (suspension.lifted_by, suspension.lifted_at is not None) == (ada, True)
    assert list(ModerationLog.objects.order_by("id").values_list("action", flat=True)) == [
        "suspend",
        "unsuspend",
    ]


def test_trusted_member_cannot_lift_a_suspension(bob_client, ada, dave):
    moderation.suspend_user(dave, ada, "Spam")
    assert bob_client.post("/special/moderation/unsuspend", {"username": "dave"}).status_code == 403
    dave.refresh_from_db()
    assert not dave.is_active


def test_queue_lists_suspended_accounts_for_admins(ada_client, ada, dave):
    moderation.suspend_user(dave, ada, "Repeated spam")
    content = ada_client.get("/special/moderation").content.decode()
    assert "Lift the suspension of dave" in content
    assert "Repeated spam" in content
