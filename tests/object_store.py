"""A real S3-compatible HTTP server for the private storage: moto's server mode on a free
port with one private bucket, and ``STORAGES["private"]`` as liaison/settings.py builds it
from the ``PRIVATE_MEDIA_S3_*`` variables pointed at that server."""

import runpy
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "liaison-private"
KEY_ID = "liaison-app"
SECRET = "liaison-app-secret"


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


@contextmanager
def object_store():
    """The endpoint URL of a running server that holds an empty private bucket."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        # moto keeps its buckets per process, not per server: start from none.
        reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310
        urllib.request.urlopen(reset, timeout=10).close()  # noqa: S310 (http://127.0.0.1)
        s3_client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def settings_with(monkeypatch, **variables: str) -> dict:
    """The settings module's globals, run afresh with these environment variables."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "liaison" / "settings.py"))


def private_storage_for(endpoint: str, monkeypatch) -> dict:
    return settings_with(
        monkeypatch,
        PRIVATE_MEDIA_S3_BUCKET=BUCKET,
        PRIVATE_MEDIA_S3_ENDPOINT_URL=endpoint,
        PRIVATE_MEDIA_S3_ACCESS_KEY_ID=KEY_ID,
        PRIVATE_MEDIA_S3_SECRET_ACCESS_KEY=SECRET,
    )["STORAGES"]["private"]
