"""Media on an S3-compatible object store (MEDIA_STORAGE=s3, django-storages; docs/deployment.md)
against a local S3-compatible server (moto's server mode), and on the local filesystem, the
default: an image and a document uploaded through Wagtail's models, a rendition made, the
objects in the bucket and their URLs serving them."""

import io
import json
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.portal.test_settings import PRODUCTION_ENV, _run_with

BUCKET = "portal-media"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings):
    """The media storage switched to the bucket, as MEDIA_STORAGE=s3 would; the bucket made
    public for reads by a bucket policy, as the docs ask."""
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=BUCKET)
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "querystring_auth": False,
                "addressing_style": "path",
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        },
    }
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for obj in objects:
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _keys(client) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_images_documents_and_renditions_go_to_the_bucket_and_their_urls_serve(db, s3_media):
    image = get_image_model().objects.create(
        title="社区合影", file=ImageFile(io.BytesIO(_png()), name="together.png")
    )
    rendition = image.get_rendition("fill-20x20")
    document = get_document_model().objects.create(
        title="通知", file=ContentFile("本周六上午更换楼道灯泡".encode(), name="notice.txt")
    )
    keys = _keys(s3_media)
    assert image.file.name in keys
    assert rendition.file.name in keys and rendition.file.name.startswith("images/")
    assert document.file.name in keys
    # Plain, public URLs on the store (no signature that expires).
    assert rendition.url.startswith(f"{s3_media.meta.endpoint_url}/{BUCKET}/images/")
    assert "Signature" not in rendition.url and "X-Amz" not in rendition.url
    with urllib.request.urlopen(rendition.url) as response:
        served = PILImage.open(io.BytesIO(response.read()))
        assert served.size == (20, 20)
    with urllib.request.urlopen(image.file.url) as response:
        assert response.read() == _png()
    # Nothing was written to the local media directory.
    from django.conf import settings

    assert not (settings.MEDIA_ROOT / image.file.name).exists()


def test_the_local_filesystem_is_the_default(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = get_image_model().objects.create(
        title="本地", file=ImageFile(io.BytesIO(_png()), name="local.png")
    )
    rendition = image.get_rendition("fill-20x20")
    assert (tmp_path / image.file.name).read_bytes() == _png()
    assert (tmp_path / rendition.file.name).is_file()
    assert rendition.url.startswith("/media/images/")


def test_production_chooses_the_object_store_from_the_environment():
    show = "settings.STORAGES['default']['BACKEND']"
    local = _run_with(PRODUCTION_ENV, show=show)
    assert local.stdout.strip() == "django.core.files.storage.FileSystemStorage", local.stderr
    env = {
        **PRODUCTION_ENV,
        "AWS_STORAGE_BUCKET_NAME": "city-media",
        "AWS_S3_ENDPOINT_URL": "https://minio.city.internal:9000",
        "AWS_S3_CUSTOM_DOMAIN": "media.portal.example",
    }
    show_s3 = (
        "settings.STORAGES['default']['BACKEND'], "
        "settings.STORAGES['default']['OPTIONS']['bucket_name'], "
        "settings.STORAGES['default']['OPTIONS']['querystring_auth'], "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1]"
    )
    s3 = _run_with(env, show=show_s3)
    assert s3.returncode == 0, s3.stderr
    assert s3.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "city-media",
        "False",
        "https://media.portal.example",
    ]
    missing = _run_with({**PRODUCTION_ENV, "MEDIA_STORAGE": "s3"}, show=show)
    assert missing.returncode != 0
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in missing.stderr
