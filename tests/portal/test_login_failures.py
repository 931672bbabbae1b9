"""The log of failed sign-ins: each failure the login limits count is kept with the name tried,
the client address and the way in; the city reads it in the admin (登录失败记录), community
staff do not; a refusal while locked writes nothing; old rows are pruned."""

import datetime
import json

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import LoginFailure
from tests import factories

ADDRESS = "203.0.113.20"


def test_every_way_in_records_its_failures(db):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post("/accounts/login/", {"username": "zhang", "password": "wrong"})
    client.post("/admin/login/", {"username": "li", "password": "wrong"})
    client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "wang", "password": "wrong"}),
        content_type="application/json",
    )
    rows = {(f.username, f.address, f.way) for f in LoginFailure.objects.all()}
    assert rows == {("zhang", ADDRESS, "site"), ("li", ADDRESS, "admin"), ("wang", ADDRESS, "api")}


def test_a_refusal_while_locked_writes_nothing(db):
    client = Client(REMOTE_ADDR=ADDRESS)
    for _attempt in range(12):
        client.post("/accounts/login/", {"username": "zhao", "password": "wrong"})
    assert LoginFailure.objects.count() == 10  # the 11th and 12th were refused unchecked


def test_the_city_reads_the_log_and_community_staff_do_not(site_tree, city, client):
    LoginFailure.objects.create(username="guessed-name", address=ADDRESS, way="site")
    index = reverse("volunteering_loginfailure:index")
    client.force_login(city)
    html = client.get(index).content.decode()
    assert "guessed-name" in html and ADDRESS in html
    client.force_login(factories.community_staff(site_tree.community, "staff-log"))
    assert client.get(index).status_code in {302, 403}


def test_old_rows_are_pruned_after_the_retention_period(db, settings):
    settings.LOGIN_FAILURE_RETENTION_DAYS = 30
    old = LoginFailure.objects.create(username="old", address=ADDRESS, way="site")
    LoginFailure.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
    LoginFailure.objects.create(username="recent", address=ADDRESS, way="site")
    call_command("prune_login_failures")
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["recent"]
