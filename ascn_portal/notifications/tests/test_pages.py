import pytest

from ascn_portal.notifications import services
from ascn_portal.notifications.choices import EmailState
from ascn_portal.notifications.models import Announcement, Notification, Preference

pytestmark = pytest.mark.django_db


def _announce(users, title):
    return services.notify(
        recipients=users,
        kind="network.announcement",
        context={"title": title, "body": "", "sender": "S"},
        link="/partners/",
    )


def test_the_inbox_lists_newest_first_with_the_unread_count_in_the_header(client, csco_bangkok):
    _announce([csco_bangkok], "Older")
    _announce([csco_bangkok], "Newer")
    client.force_login(csco_bangkok)
    page = client.get("/notifications/").content.decode()
    assert page.index("Announcement: Newer") < page.index("Announcement: Older")
    assert 'data-testid="unread-count">2<' in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_subject(client, csco_bangkok):
    notification = _announce([csco_bangkok], "One").notifications.get()
    client.force_login(csco_bangkok)
    response = client.post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/partners/"
    notification.refresh_from_db()
    assert notification.read_at


def test_mark_read_by_htmx_returns_the_row_and_mark_all(client, csco_bangkok):
    first = _announce([csco_bangkok], "One").notifications.get()
    _announce([csco_bangkok], "Two")
    client.force_login(csco_bangkok)
    row = client.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true").content.decode()
    assert "Announcement: One" in row and "<html" not in row and "new</span>" not in row
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()


def test_someone_elses_notification_is_a_404_and_stays_unread(client, csco_bangkok, csco_cebu):
    notification = _announce([csco_cebu], "Private").notifications.get()
    client.force_login(csco_bangkok)
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    assert "Private" not in client.get("/notifications/").content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_inbox_needs_signing_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/notifications/read-all/").status_code == 302


def test_inbox_queries_do_not_grow_with_notifications(client, csco_bangkok, django_assert_max_num_queries):
    for n in range(25):
        _announce([csco_bangkok], f"N{n}")
    client.force_login(csco_bangkok)
    # session, user, count, page of notifications with messages, unread count
    with django_assert_max_num_queries(7):
        assert client.get("/notifications/").status_code == 200


def test_preferences_are_saved_and_bad_values_refused(client, csco_bangkok):
    client.force_login(csco_bangkok)
    page = client.get("/notifications/preferences/").content.decode()
    assert "Announcements from the secretariat" in page and "Invitation to the portal" not in page

    response = client.post(
        "/notifications/preferences/",
        {
            "network.announcement-email": "on",
            "network.announcement-frequency": "weekly",
            "account.appointed-frequency": "immediate",
        },
    )
    assert response.status_code == 302
    assert Preference.objects.get(user=csco_bangkok, kind="network.announcement").frequency == "weekly"
    assert Preference.objects.get(user=csco_bangkok, kind="account.appointed").email is False

    response = client.post("/notifications/preferences/", {"network.announcement-frequency": "hourly"})
    assert response.status_code == 400 and "choose immediately, daily or weekly" in response.content.decode()
    assert Preference.objects.get(user=csco_bangkok, kind="network.announcement").frequency == "weekly"


def test_the_secretariat_resends_failed_emails_from_the_admin(client, secretariat, csco_bangkok):
    notification = _announce([csco_bangkok], "One").notifications.get()
    Notification.objects.filter(pk=notification.pk).update(state=EmailState.FAILED, attempts=5, last_error="451 busy")
    client.force_login(secretariat)
    listing = client.get("/admin/notifications/notification/?state__exact=failed").content.decode()
    assert "451 busy" in listing
    client.post("/admin/notifications/notification/", {"action": "resend", "_selected_action": [notification.pk]})
    notification.refresh_from_db()
    assert (notification.state, notification.attempts, notification.last_error) == (EmailState.PENDING, 0, "")


def test_only_the_secretariat_sees_the_outbox_in_the_admin(client, csco_bangkok, outsider):
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    assert client.get("/admin/notifications/notification/").status_code == 403
    assert client.post("/admin/notifications/announcement/add/", {"title": "x", "body": "y"}).status_code == 403
    assert not Announcement.objects.exists()


def test_an_announcement_from_the_admin_reaches_its_audience(
    client, secretariat, csco_bangkok, nr_thailand, partner_contact
):
    client.force_login(secretariat)
    response = client.post(
        "/admin/notifications/announcement/add/",
        {
            "title": "Annual meeting",
            "body": "See you in Manila.",
            "audience": "city_officers",
            "link": "",
        },
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert [n.recipient for n in announcement.message.notifications.all()] == [csco_bangkok]


def test_an_announcement_without_a_title_is_refused(client, secretariat):
    client.force_login(secretariat)
    response = client.post("/admin/notifications/announcement/add/", {"title": "", "body": "x", "audience": "network"})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_the_announcement_list_shows_how_many_were_notified(client, secretariat, csco_bangkok, csco_cebu):
    client.force_login(secretariat)
    client.post("/admin/notifications/announcement/add/", {"title": "Hello", "body": "x", "audience": "city_officers"})
    page = client.get("/admin/notifications/announcement/").content.decode()
    assert '<td class="field-recipients">2</td>' in page


def test_times_show_in_the_readers_time_zone(client, csco_bangkok):
    import datetime

    notification = _announce([csco_bangkok], "Timed").notifications.get()
    Notification.objects.filter(pk=notification.pk).update(
        created_at=datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC)
    )
    client.force_login(csco_bangkok)
    assert "1 Mar 2026, 09:30" in client.get("/notifications/").content.decode()  # Singapore, UTC+8
    csco_bangkok.time_zone = "Asia/Jakarta"
    csco_bangkok.save()
    assert "1 Mar 2026, 08:30" in client.get("/notifications/").content.decode()


def test_the_outbox_filters_by_recipient_state_and_kind(client, secretariat, csco_bangkok, csco_cebu):
    _announce([csco_bangkok], "For Bangkok")
    _announce([csco_cebu], "For Cebu")
    client.force_login(secretariat)
    url = "/admin/notifications/notification/"
    page = client.get(
        url, {"recipient": "CSCO@bangkok.example", "kind": "network.announcement", "state__exact": "pending"}
    ).content.decode()
    assert "Busaba Officer" in page and "Carmen Officer" not in page
    assert 'value="csco@bangkok.example"' in page.lower()
    assert "Carmen Officer" in client.get(url, {"recipient": "csco@cebu.example"}).content.decode()


def test_mark_all_read_marks_only_the_readers_own_notifications(client, csco_bangkok, csco_cebu):
    _announce([csco_bangkok, csco_cebu], "Both")
    _announce([csco_cebu], "Cebu only")
    client.force_login(csco_bangkok)
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=csco_bangkok, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=csco_cebu, read_at__isnull=True).count() == 2
    client.force_login(csco_cebu)
    assert 'data-testid="unread-count">2<' in client.get("/notifications/").content.decode()


def test_marking_someone_elses_notification_read_by_id_is_a_404_and_changes_nothing(client, csco_bangkok, csco_cebu):
    theirs = _announce([csco_cebu], "Theirs").notifications.get()
    mine = _announce([csco_bangkok], "Mine").notifications.get()
    client.force_login(csco_bangkok)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/", {"open": "1"}, HTTP_HX_REQUEST="true").status_code == 404
    assert list(Notification.objects.filter(read_at__isnull=False)) == []
    assert client.post(f"/notifications/{mine.pk}/read/").status_code == 302
    assert list(Notification.objects.filter(read_at__isnull=False)) == [mine]
