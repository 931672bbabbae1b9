"""The 500s the corpus test of Wagtail's own admin addresses (`test_wagtail_admin_fuzz.py`)
found, each fixed at its cause (portal/wagtail_guards.py) and pinned here on its own: an image
Pillow cannot read in an upload, a page number that is no page on a workflow's editor, a search
of Wagtail's own lists longer than SQLite's LIKE takes."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Collection, Workflow

from tests.portal.wagtail_upload_fuzz import png

NOT_AN_IMAGE = "请上传一张有效的图片"  # Django's own message, in Chinese


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, field",
    [
        ("wagtailimages:add", "file"),
        ("wagtailimages:add_multiple", "files[]"),
        ("wagtailimages_chooser:create", "image-chooser-upload-file"),
    ],
)
def test_an_image_whose_data_pillow_cannot_read_is_refused_as_not_a_valid_image(
    admin_client, settings, tmp_path, url, field
):
    settings.MEDIA_ROOT = tmp_path
    truncated = SimpleUploadedFile("cut.png", png(16, 16, truncated=True), "image/png")
    prefix = field.removesuffix("file") if field.endswith("-file") else ""
    data = {
        f"{prefix}title": "截断的图片",
        f"{prefix}collection": Collection.get_first_root_node().pk,
        field: truncated,
    }
    response = admin_client.post(reverse(url), data)
    assert response.status_code == 200
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    assert NOT_AN_IMAGE in text
    assert not get_image_model().objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["abc", "社区" * 100, "-1", "0", "99999", "1e400"])
def test_a_page_number_that_is_no_page_on_a_workflows_editor_shows_the_nearest_page(
    admin_client, number
):
    workflow = Workflow.objects.create(name="社区审核")
    url = reverse("wagtailadmin_workflows:edit", args=[workflow.pk])
    assert admin_client.get(url, {"p": number}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "wagtailusers_users:index",
        "wagtailusers_groups:index",
        "wagtailadmin_workflows:index",
        "wagtailadmin_workflows:task_index",
    ],
)
def test_a_long_search_of_wagtails_own_lists_searches_its_first_characters(admin_client, url):
    # 60,000 characters: SQLite refuses a LIKE pattern past 50,000 bytes ("pattern too
    # complex"), which was answered as a 503, the database said to be out of reach.
    response = admin_client.get(reverse(url), {"q": "社区" * 30_000})
    assert response.status_code == 200
    assert 'value="社区社区' in response.content.decode()  # searched (its beginning), not dropped


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "wagtailadmin_choose_page_chosen_multiple",
        "wagtailimages_chooser:chosen_multiple",
        "wagtaildocs_chooser:chosen_multiple",
    ],
)
@pytest.mark.parametrize("forged", ["abc", "", "1e400", str(2**70), "-99999999999999999999"])
def test_a_forged_id_in_a_choosers_chosen_objects_names_nothing(admin_client, url, forged):
    response = admin_client.get(reverse(url), {"id": forged})
    assert response.status_code == 200
    assert json.loads(response.content)["result"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["input_format", "import_file_name"])
def test_a_redirect_import_confirmation_without_its_signed_fields_is_a_400(
    site_tree, admin_client, missing
):
    upload = SimpleUploadedFile(
        "redirects.csv", b"from,to\n/old-zz,https://example.org/new\n", "text/csv"
    )
    page = admin_client.post(reverse("wagtailredirects:start_import"), {"import_file": upload})
    soup = BeautifulSoup(page.content, "html.parser")
    form = soup.find("form", action=reverse("wagtailredirects:process_import"))
    hidden = form.find_all("input", type="hidden")
    fields = {i["name"]: i["value"] for i in hidden} | {"from_index": "0", "to_index": "1"}
    url = reverse("wagtailredirects:process_import")
    assert (
        admin_client.post(url, {k: v for k, v in fields.items() if k != missing}).status_code == 400
    )
    assert not Redirect.objects.exists()
    # And the confirmation as the page gave it imports.
    response = admin_client.post(url, fields)
    assert response.status_code == 302
    assert Redirect.objects.get().old_path == "/old-zz"
