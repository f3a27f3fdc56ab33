"""The compose stack's nginx front door (deploy/nginx.conf), run with Debian's nginx in
front of the live server: photos come from the media volume, which Django does not serve
in production, nothing else in media is reachable, pages are passed through, and private
files come from the object store (moto in MinIO's place) once Django checked scope."""

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from email.message import Message
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from tests.case_world import make_world, received
from tests.conftest import require
from tests.factories import RepresentativeFactory, StationFactory
from tests.object_store import BUCKET, object_store, private_storage_for, s3_client
from workarea.models import Attachment

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str, headers: dict | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http://127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def _get(url: str) -> tuple[int, str, bytes]:
    status, headers, body = _fetch(url)
    return status, headers.get("Content-Type", ""), body


@pytest.fixture(scope="module")
def store():
    with object_store() as endpoint:
        yield endpoint


@pytest.fixture
def proxy(live_server, store, tmp_path, settings):
    """nginx with the committed server block, its upstream, object store and media paths
    pointed here."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    require(Path(nginx).exists(), "needs nginx: apt-get install nginx")
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    port = _free_port()
    upstream = live_server.url.removeprefix("http://")
    server = (
        (ROOT / "deploy" / "nginx.conf")
        .read_text()
        .replace("server web:8000;", f"server {upstream};")
        .replace("http://minio:9000/", f"{store}/")
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("/srv/media/", f"{media}/")
        .replace("/var/cache/nginx/liaison", f"{tmp_path}/cache")
    )
    (tmp_path / "server.conf").write_text(server)
    temp = tmp_path / "temp"
    temp.mkdir()
    (tmp_path / "nginx.conf").write_text(
        # As root, workers would run as nobody, who cannot read pytest's private tmp.
        ("user root;" if os.geteuid() == 0 else "")
        + f"""
        daemon off;
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/error.log;
        events {{}}
        http {{
            access_log off;
            client_body_temp_path {temp}/body;
            proxy_temp_path {temp}/proxy;
            fastcgi_temp_path {temp}/fastcgi;
            uwsgi_temp_path {temp}/uwsgi;
            scgi_temp_path {temp}/scgi;
            include {tmp_path}/server.conf;
        }}
        """
    )
    process = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")])
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None, (tmp_path / "error.log").read_text()
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", media
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.django_db(transaction=True)
def test_the_proxy_serves_photos_and_passes_pages_to_django(proxy, live_server):
    base, media = proxy
    (media / "representatives").mkdir(parents=True)
    picture = BytesIO()
    Image.new("RGB", (640, 800), "red").save(picture, "JPEG")
    (media / "representatives" / "wang.jpg").write_bytes(picture.getvalue())
    (media / "private").mkdir()
    (media / "private" / "list.txt").write_text("not for the public")
    representative = RepresentativeFactory(
        name="王代表", published=True, photo="representatives/wang.jpg"
    )

    status, _type, body = _get(f"{base}/representatives/{representative.pk}/")
    assert status == 200 and "王代表" in body.decode()
    photo = re.search(r'src="(/media/representatives/[^"]+)"', body.decode()).group(1)
    status, content_type, image = _get(base + photo)
    assert (status, content_type) == (200, "image/jpeg")
    assert Image.open(BytesIO(image)).size[0] <= 320  # the page's thumbnail, not the original

    assert _get(f"{base}/media/private/list.txt")[0] == 404
    assert _get(f"{base}/media/representatives/../private/list.txt")[0] == 404
    assert _get(f"{base}/healthz")[0] == 200


@pytest.mark.django_db(transaction=True)
def test_the_proxy_sends_an_attachment_from_the_bucket_only_after_django_checked_scope(
    proxy, store, settings, monkeypatch
):
    base, _media = proxy
    settings.STORAGES = {**settings.STORAGES, "private": private_storage_for(store, monkeypatch)}
    settings.PRIVATE_MEDIA_INTERNAL_URL = "/_private_s3/"
    world = make_world()
    case = received(world)
    scan = BytesIO()
    Image.new("RGB", (90, 60), "blue").save(scan, "PNG")
    scan.seek(0)
    scan.name = "scan.png"
    uploader = Client()
    uploader.force_login(world.users["liaison"])
    assert uploader.post(f"/staff/attach/case/{case.pk}/", {"file": scan}).status_code == 302
    attached = Attachment.objects.get()
    stored = s3_client(store).get_object(Bucket=BUCKET, Key=attached.file.name)["Body"].read()

    def session_of(user) -> dict:
        client = Client()
        client.force_login(user)
        return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}

    url = f"{base}/staff/files/{attached.token}/"
    status, headers, body = _fetch(url, session_of(world.users["committee"]))
    assert (status, headers["Content-Type"], body) == (200, "image/png", stored)
    assert headers["Content-Disposition"] == 'inline; filename="scan.png"'
    assert "no-store" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]
    assert _fetch(url, session_of(world.users["other_liaison"]))[0] == 404
    status, headers, body = _fetch(url)  # no session: the login page, not the file
    assert headers["Content-Type"].startswith("text/html") and body != stored
    # The internal location is not a way in from outside.
    assert _get(f"{base}/_private_s3/{BUCKET}/{attached.file.name}")[0] == 404


@pytest.mark.django_db(transaction=True)
def test_the_proxy_micro_caches_public_pages_but_not_for_a_session(proxy):
    base, _media = proxy
    station = StationFactory(name="星沙第一联络站")
    url = f"{base}/stations/{station.pk}/"
    status, headers, first = _fetch(url)
    assert status == 200 and headers["X-Cache-Status"] == "MISS"
    assert headers["Cache-Control"].startswith("public, max-age=")
    status, headers, again = _fetch(url)
    assert headers["X-Cache-Status"] == "HIT" and again == first
    # Another language is another copy.
    status, headers, english = _fetch(url, {"Accept-Language": "en"})
    assert headers["X-Cache-Status"] == "MISS" and b'lang="en"' in english
    # A session (or messages) cookie: past the cache both ways.
    world = make_world()
    client = Client()
    client.force_login(world.users["liaison"])
    cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    _status, headers, _body = _fetch(url, cookie)
    assert headers["X-Cache-Status"] == "BYPASS" and "no-store" in headers["Cache-Control"]
    assert _fetch(url)[1]["X-Cache-Status"] == "HIT"
    # Pages Django does not mark public are never kept.
    status, headers, _body = _fetch(f"{base}/cases/status/")
    assert headers.get("X-Cache-Status") is None
    assert _fetch(f"{base}/stations/{station.pk}/poster/")[1]["X-Cache-Status"] == "MISS"
    assert _fetch(f"{base}/stations/{station.pk}/poster/")[1]["X-Cache-Status"] == "MISS"
