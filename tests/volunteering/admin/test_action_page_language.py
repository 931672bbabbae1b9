"""The page that asks before a workflow action (`templates/volunteering/admin/workflow_action.html`)
is in the reader's language: a staff member who reads the admin in English sees no Chinese but
the object's own name (content)."""

import re

import pytest
from wagtail.users.models import UserProfile

from tests.volunteering.admin.support import build_world, url

HAN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


@pytest.fixture
def world(site_tree):
    return build_world(site_tree)


def main_text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<script.*?</script>", "", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)


@pytest.mark.parametrize("action", ["confirm", "decline"])
def test_an_english_reader_sees_the_action_page_in_english(world, client, action):
    profile = UserProfile.get_for_user(world.a.staff)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(world.a.staff)
    claim = world.a.claim
    response = client.get(url("needclaim", "action", claim.pk, action))
    assert response.status_code == 200
    text = main_text(response.content.decode())
    for content in (str(claim), claim.member.real_name, claim.need.title):
        text = text.replace(content, "")
    assert HAN.findall(text) == [], text
