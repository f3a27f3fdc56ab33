"""The production shape on this machine, of its own: a PostgreSQL cluster (Debian's
binaries, ``initdb`` into a temporary folder, run as the ``postgres`` user when we are
root), a Redis, gunicorn and a Celery worker, each on a free port of 127.0.0.1 — never
the shared 5432/6379 that CI and the other tests use — and the faults to inject into them.
"""

import contextlib
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, *, timeout: float, step: float = 0.05, what: str = "") -> float:
    """Poll ``check`` until true; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(Exception):
            if check():
                return time.monotonic() - started
        time.sleep(step)
    raise TimeoutError(f"{what or check} not ready after {timeout} s")


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class Postgres:
    DB = "liaison_faults"

    def __init__(self, folder: Path):
        self.bin = pg_bin()
        self.port = free_port()
        self.data = folder / "pgdata"
        self.log = folder / "postgres.log"
        # initdb refuses root: the cluster belongs to the postgres system user.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.DB}"

    def _run(self, *args, **kwargs):
        return subprocess.run([*self.prefix, *args], check=True, capture_output=True, **kwargs)

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8",
        )  # fmt: skip
        self.start()
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
            "postgres", self.DB,
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def ready(self) -> bool:
        result = subprocess.run(
            [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
            check=False,
        )
        return result.returncode == 0

    def psql(self, sql: str, db: str = "postgres") -> str:
        return subprocess.run(
            [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-d", db, "-tAc", sql],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip


class Redis:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.ping, timeout=10, what="redis")

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@dataclass
class Stack:
    folder: Path
    postgres: Postgres
    redis: Redis
    web_port: int = field(default_factory=free_port)
    sms_file: Path = None
    processes: dict = field(default_factory=dict)
    seed: dict = field(default_factory=dict)

    def environment(self, **extra) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "liaison.settings",
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "0",
            "SMS_FILE_PATH": str(self.sms_file),
            "REDIS_RETRY_SECONDS": "3",
            "DATABASE_CONNECT_TIMEOUT": "2",
            "LOG_LEVEL": "WARNING",
            "MAINTENANCE_FILE": str(self.folder / "maintenance"),
            **extra,
        }

    def manage(self, *args, **extra) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.environment(**extra),
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip

    def start_web(self) -> None:
        self.processes["web"] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "liaison.wsgi", "--bind",
             f"127.0.0.1:{self.web_port}", "--workers", "2", "--timeout", "30",
             "--graceful-timeout", "2"],
            cwd=ROOT, env=self.environment(), stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "web.log", "ab"),  # noqa: SIM115
        )  # fmt: skip
        wait_for(lambda: self.get("/healthz")[0] == 200, timeout=30, what="gunicorn")
        # Warm both workers up (imports, translations), as a running site is.
        for _ in range(4):
            for path in ("/", "/stations/", "/representatives/", "/cases/submit/", "/staff/"):
                self.get(path, headers=self.staff_headers() if path == "/staff/" else None)

    def start_worker(self) -> None:
        self.processes["worker"] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "liaison", "worker", "--concurrency", "1",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=self.environment(), stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "worker.log", "ab"),  # noqa: SIM115
        )  # fmt: skip

    def stop_process(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def request(self, method: str, path: str, *, body=None, headers=None, timeout=40):
        """(status, seconds, body bytes, headers) of one request to gunicorn."""
        connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=timeout)
        started = time.monotonic()
        try:
            data = json.dumps(body).encode() if body is not None else None
            all_headers = {"Host": "127.0.0.1", **(headers or {})}
            if data is not None:
                all_headers["Content-Type"] = "application/json"
            connection.request(method, path, body=data, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
            return response.status, time.monotonic() - started, content, dict(response.headers)
        finally:
            connection.close()

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def staff_headers(self) -> dict:
        return {"Cookie": f"{self.seed['cookie']}={self.seed['session']}"}

    def api_headers(self, key: str | None = None) -> dict:
        headers = {"Authorization": f"Token {self.seed['token']}"}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def sms_sent(self) -> int:
        if not self.sms_file.exists():
            return 0
        with self.sms_file.open("rb") as handle:
            return sum(1 for _ in handle)

    def close(self) -> None:
        for name in list(self.processes):
            self.stop_process(name)
        self.redis.stop()
        with contextlib.suppress(Exception):
            self.postgres.stop()


def build() -> Stack:
    folder = Path(tempfile.mkdtemp(prefix="liaison-faults-"))
    os.chmod(folder, 0o755)  # noqa: S103 - the postgres user reaches its data folder below
    postgres_folder = folder / "pg"
    postgres_folder.mkdir()
    stack = Stack(folder=folder, postgres=Postgres(postgres_folder), redis=Redis(folder))
    stack.sms_file = folder / "sms.jsonl"
    stack.postgres.init()
    stack.redis.start()
    stack.manage("migrate", "--noinput")
    seeded = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "faults" / "seed.py")], cwd=ROOT,
        env={**stack.environment(), "PYTHONPATH": str(ROOT)}, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    stack.seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    stack.start_web()
    stack.start_worker()
    return stack
