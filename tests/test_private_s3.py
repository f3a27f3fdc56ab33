"""The private files in an S3-compatible object store (PRIVATE_MEDIA_S3_BUCKET), against a
real S3 HTTP server (moto's server mode): attachments are written to a private bucket
through the upload page, read back only by users in scope, streamed by Django or, behind
the proxy, fetched by nginx with a short-lived URL signed for the host nginx sends."""

import datetime as dt
import io
import re
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from figures.models import ExportStatus, LedgerExport
from tests.case_world import make_world, received
from tests.duty_world import county_committee, household_visit, rep_with_login
from tests.factories import committee_user
from tests.object_store import (
    BUCKET,
    KEY_ID,
    SECRET,
    object_store,
    private_storage_for,
    s3_client,
    settings_with,
)
from workarea.models import Attachment

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store():
    with object_store() as endpoint:
        yield endpoint


@pytest.fixture
def in_the_store(store, settings, monkeypatch):
    settings.STORAGES = {**settings.STORAGES, "private": private_storage_for(store, monkeypatch)}
    return store


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _scan() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (120, 80), (20, 90, 200)).save(data, "PNG")
    data.seek(0)
    data.name = "回复函.png"
    return data


def _attach(world, case) -> Attachment:
    response = _client(world.users["liaison"]).post(
        f"/staff/attach/case/{case.pk}/", {"file": _scan()}
    )
    assert response.status_code == 302
    return Attachment.objects.get()


def _get(url: str, headers: dict | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http://127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def test_the_bucket_variables_make_the_private_storage_s3(monkeypatch):
    storage = settings_with(
        monkeypatch,
        PRIVATE_MEDIA_S3_BUCKET="liaison-private",
        PRIVATE_MEDIA_S3_ENDPOINT_URL="http://minio:9000",
        PRIVATE_MEDIA_S3_ACCESS_KEY_ID="app",
        PRIVATE_MEDIA_S3_SECRET_ACCESS_KEY="secret",
        PRIVATE_MEDIA_S3_REGION="cn-north-1",
        PRIVATE_MEDIA_S3_PREFIX="/liaison/",
        PRIVATE_MEDIA_S3_URL_SECONDS="30",
    )["STORAGES"]["private"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "liaison-private",
        "endpoint_url": "http://minio:9000",
        "region_name": "cn-north-1",
        "location": "liaison",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 30,
        "signature_version": "s3v4",
        "addressing_style": "path",
        "file_overwrite": False,
        "access_key": "app",
        "secret_key": "secret",
    }


def test_without_a_bucket_the_private_files_stay_on_disk(monkeypatch):
    monkeypatch.delenv("PRIVATE_MEDIA_S3_BUCKET", raising=False)
    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", "/srv/private-media")
    storage = settings_with(monkeypatch)["STORAGES"]["private"]
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert str(storage["OPTIONS"]["location"]) == "/srv/private-media"


def test_a_key_without_its_secret_stops_the_start_naming_it(monkeypatch):
    monkeypatch.delenv("PRIVATE_MEDIA_S3_SECRET_ACCESS_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="PRIVATE_MEDIA_S3_SECRET_ACCESS_KEY"):
        settings_with(
            monkeypatch, PRIVATE_MEDIA_S3_BUCKET="b-u-c", PRIVATE_MEDIA_S3_ACCESS_KEY_ID="app"
        )


def test_an_attachment_is_kept_in_the_private_bucket_and_streamed_only_in_scope(in_the_store):
    world = make_world()
    case = received(world)
    attached = _attach(world, case)

    key = f"attachments/case/{case.pk}/{attached.token}.png"
    assert attached.file.name == key
    stored = s3_client(in_the_store).get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert Image.open(io.BytesIO(stored)).size == (120, 80)
    grants = s3_client(in_the_store).get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    assert _get(f"{in_the_store}/{BUCKET}/{key}")[0] == 403  # no one reads it unsigned

    url = f"/staff/files/{attached.token}/"
    response = _client(world.users["committee"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == stored
    for stranger in ("other_liaison", "other_committee", "lead_unit"):
        assert _client(world.users[stranger]).get(url).status_code == 404, stranger


def test_behind_the_proxy_nginx_fetches_the_object_with_a_url_signed_for_its_host(
    in_the_store, settings
):
    settings.PRIVATE_MEDIA_INTERNAL_URL = "/_private_s3/"
    world = make_world()
    case = received(world)
    attached = _attach(world, case)
    url = f"/staff/files/{attached.token}/"
    assert _client(world.users["other_liaison"]).get(url).status_code == 404

    response = _client(world.users["liaison"]).get(url)
    assert response.status_code == 200 and response.content == b""
    assert (
        response["Content-Disposition"]
        == "inline; filename*=utf-8''%E5%9B%9E%E5%A4%8D%E5%87%BD.png"
    )
    redirect = urlsplit(response["X-Accel-Redirect"])
    key = f"attachments/case/{case.pk}/{attached.token}.png"
    assert redirect.path == f"/_private_s3/{BUCKET}/{key}"
    query = parse_qs(redirect.query)
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-SignedHeaders"] == ["host"]
    assert query["response-content-type"] == ["image/png"]

    # What nginx does: the path after the location, to the store, with proxy_pass's host.
    host = urlsplit(in_the_store).netloc
    status, headers, body = _get(
        f"{in_the_store}/{BUCKET}/{key}?{redirect.query}", headers={"Host": host}
    )
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert body == s3_client(in_the_store).get_object(Bucket=BUCKET, Key=key)["Body"].read()

    # moto does not check signatures; the signature is checked here: at the URL's own time,
    # signing the same request for that Host gives it, for any other host it does not.
    def signature_for(endpoint: str) -> str:
        signed_at = dt.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
        with time_machine.travel(signed_at.replace(tzinfo=dt.UTC), tick=False):
            again = s3_client(endpoint).generate_presigned_url(
                "get_object",
                Params={"Bucket": BUCKET, "Key": key, "ResponseContentType": "image/png"},
                ExpiresIn=60,
            )
        return parse_qs(urlsplit(again).query)["X-Amz-Signature"][0]

    assert query["X-Amz-Credential"][0].startswith(f"{KEY_ID}/")
    assert SECRET not in response["X-Accel-Redirect"]
    assert signature_for(f"http://{host}") == query["X-Amz-Signature"][0]
    assert signature_for("http://minio:9000") != query["X-Amz-Signature"][0]


def test_the_proxy_sends_the_host_the_compose_app_signs_for():
    """SigV4 signs the Host header: nginx's proxy_pass host is the app's endpoint's."""
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    location = re.search(r"location /_private_s3/ \{(.*?)\n    \}", nginx, re.DOTALL).group(1)
    assert "internal;" in location
    assert "proxy_set_header Host $proxy_host;" in location
    proxied = re.search(r"proxy_pass http://([^/;]+)/;", location).group(1)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app = compose["x-app"]["environment"]
    assert app["PRIVATE_MEDIA_INTERNAL_URL"] == "/_private_s3/"
    assert urlsplit(app["PRIVATE_MEDIA_S3_ENDPOINT_URL"]).netloc == proxied
    assert app["PRIVATE_MEDIA_S3_BUCKET"] in compose["services"]["minio-bucket"]["command"][0]


def test_an_activity_photo_is_kept_in_the_bucket_and_sent_by_the_proxy(in_the_store, settings):
    rep = rep_with_login()
    activity = household_visit(county_committee(), rep, on=dt.date(2026, 11, 20), people=3)
    client = _client(rep.user)
    upload = SimpleUploadedFile("现场.png", _scan().getvalue())
    assert (
        client.post(f"/staff/duty/activities/{activity.pk}/files/", {"file": upload}).status_code
        == 302
    )
    attached = activity.files.get()
    url = f"/staff/duty/activities/{activity.pk}/files/{attached.pk}/"
    stored = s3_client(in_the_store).get_object(Bucket=BUCKET, Key=attached.file.name)["Body"]
    assert b"".join(client.get(url).streaming_content) == stored.read()
    settings.PRIVATE_MEDIA_INTERNAL_URL = "/_private_s3/"
    redirect = urlsplit(client.get(url)["X-Accel-Redirect"])
    assert redirect.path == f"/_private_s3/{BUCKET}/{attached.file.name}"
    assert _client(rep_with_login().user).get(url).status_code == 404


def test_a_ledger_in_the_bucket_is_downloaded_by_its_owner_only_and_never_replaced(in_the_store):
    owner, other = committee_user("430321000000"), committee_user("430321000000")
    exports = []
    for content in (b"first ledger", b"second ledger"):
        export = LedgerExport.objects.create(user=owner, kind="visits", status=ExportStatus.DONE)
        export.file.save("来访登记台账.xlsx", ContentFile(content))
        exports.append(export)
    assert exports[0].file.name != exports[1].file.name  # the same name, two objects
    download = reverse("staff:figures-export-download", args=[exports[0].pk])
    response = _client(owner).get(download)
    assert b"".join(response.streaming_content) == b"first ledger"
    assert _client(other).get(download).status_code == 404
