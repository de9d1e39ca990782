"""A PostgreSQL server of the test's own: initdb in a temporary directory, a free port, trust
auth. The fault tests stop and start this one; the machine's shared cluster is never touched."""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from tests.live import free_port


def find_bin(name):
    """The newest installed PostgreSQL's ``name`` (initdb, pg_ctl), or None."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return found[-1] if found else shutil.which(name)


class PrivatePostgres:
    """``start()`` makes and starts the server; ``stop()``/``start()`` restart it; ``destroy()``
    stops it and removes its files."""

    def __init__(self):
        self.initdb, self.pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            raise FileNotFoundError("initdb and pg_ctl (PostgreSQL server binaries) not found")
        self.root = Path(tempfile.mkdtemp(prefix="pingyi-chaos-pg-"))
        self.data, self.socket_dir = self.root / "data", self.root / "sock"
        self.log = self.root / "server.log"
        self.port = free_port()
        # PostgreSQL refuses to run as root: run its tools as the postgres account then.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/pingyi_chaos"

    def _run(self, *args, check=True):
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                              check=check, timeout=120)

    def create(self):
        self.socket_dir.mkdir(parents=True)
        if self.as_user:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync")
        self.start()
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE pingyi_chaos")
        return self

    def dsn(self, dbname="pingyi_chaos"):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname} connect_timeout=3"

    def start(self):
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.socket_dir} "
                   "-c fsync=off -c max_connections=60")
        result = self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options,
                           "-w", "-t", "60", "start", check=False)
        if result.returncode != 0:
            raise RuntimeError(f"private PostgreSQL did not start: {result.stderr}\n"
                               f"{self.log.read_text() if self.log.exists() else ''}")
        self.wait_ready()

    def wait_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while True:
            try:
                psycopg.connect(self.dsn("postgres")).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self, mode="fast"):
        self._run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self):
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop",
                  check=False)
        shutil.rmtree(self.root, ignore_errors=True)
