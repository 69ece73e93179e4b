"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, pg_ctl start.

PostgreSQL refuses to run as root (CI runs as root), so as root the cluster runs as ``nobody``
through runuser. It listens on 127.0.0.1 on a free port with trust authentication, durability off
(fsync, synchronous_commit, full_page_writes): it lives for one test session. Set
CLAIMDESK_TEST_DATABASE_URL to use a server of your own instead (its user must be allowed to
create databases).
"""

import glob
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import migrations

TEMPLATE = "claimdesk_template"


def binaries() -> str | None:
    """Return the folder of PostgreSQL's server programs, or None when none is installed."""
    found = shutil.which("pg_ctl")
    if found:
        return os.path.dirname(found)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(versions[-1]) if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """One PostgreSQL server in a temporary folder, stopped and removed by :meth:`stop`."""

    def __init__(self):
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = bin_dir
        self.folder = tempfile.mkdtemp(prefix="claimdesk-pg-")
        self.data = os.path.join(self.folder, "data")
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            os.chmod(self.folder, 0o755)
            shutil.chown(self.folder, "nobody", "nogroup")
        self._run("initdb", "-D", self.data, "--auth=trust", "--username=claimdesk", "--encoding=UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        options = (f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
                   " -c shared_buffers=64MB")
        self._run("pg_ctl", "start", "-D", self.data, "-w", "-t", "60", "-l", os.path.join(self.folder, "log"),
                  "-o", options)
        self.url = f"postgresql://claimdesk@127.0.0.1:{self.port}"

    def _run(self, program: str, *args: str) -> None:
        command = [*self.as_user, os.path.join(self.bin, program), *args]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if done.returncode:
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


class Databases:
    """Fresh databases on a server: a migrated template once, then one copy per test.

    Copying the template and dropping a used copy cost ~0.08 s a test, all of it in the server: a
    thread keeps a stock of two copies ready and drops used ones while the next test runs.
    """

    STOCK = 2

    def __init__(self, server_url: str):
        import psycopg

        self.server_url = server_url.rstrip("/")
        self._admin = psycopg.connect(f"{self.server_url}/postgres", autocommit=True)
        self._count = 0
        self._prefix = f"claimdesk_test_{os.getpid()}"
        self._template = f"{self._prefix}_template"
        self._admin.execute(f"DROP DATABASE IF EXISTS {self._template}")
        self._admin.execute(f"CREATE DATABASE {self._template}")
        from review.storage import open_store
        from review.storage.postgres import close_pools

        store = open_store(self.url(self._template))
        try:
            migrations.apply(store)
        finally:
            store.close()
            close_pools(self.url(self._template))
        self._ready: queue.Queue[str] = queue.Queue()
        self._tasks: queue.Queue[tuple[str, str]] = queue.Queue()
        self._failure: BaseException | None = None
        for _ in range(self.STOCK):
            self._tasks.put(("create", ""))
        self._worker = threading.Thread(target=self._work, name="test-databases", daemon=True)
        self._worker.start()

    def _work(self) -> None:
        import psycopg

        made = 0
        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as admin:
            while True:
                task, name = self._tasks.get()
                if task == "stop":
                    return
                try:
                    if task == "drop":
                        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                        continue
                    made += 1
                    name = f"{self._prefix}_m{made}"
                    admin.execute(f"CREATE DATABASE {name} TEMPLATE {self._template} STRATEGY FILE_COPY")
                    self._ready.put(name)
                except BaseException as error:  # handed to the test that waits for a database
                    self._failure = error
                    self._ready.put("")

    def url(self, name: str) -> str:
        return f"{self.server_url}/{name}"

    def create(self, migrated: bool = True) -> str:
        """Create a fresh database (migrated, or empty) and return its URL."""
        if migrated:
            name = self._ready.get(timeout=120)
            if self._failure is not None:
                raise RuntimeError("could not copy the test database template") from self._failure
            self._tasks.put(("create", ""))
            return self.url(name)
        self._count += 1
        name = f"{self._prefix}_{self._count}"
        self._admin.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)

    def drop(self, url: str) -> None:
        """Close this process's connections to the database at ``url``; the thread drops it."""
        from review.storage.postgres import close_pools

        close_pools(url)
        self._tasks.put(("drop", url.rsplit("/", 1)[1]))

    def close(self) -> None:
        self._tasks.put(("stop", ""))
        self._worker.join(timeout=120)
        while not self._ready.empty():
            self._admin.execute(f"DROP DATABASE IF EXISTS {self._ready.get()} WITH (FORCE)")
        self._admin.execute(f"DROP DATABASE IF EXISTS {self._template}")
        self._admin.close()


def wait_ready(url: str, timeout: float = 30) -> None:
    """Wait until the server at ``url`` accepts connections."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(f"{url.rstrip('/')}/postgres").close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
