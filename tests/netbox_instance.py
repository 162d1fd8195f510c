"""A throw-away NetBox for the import test: NetBox from PyPI in its own virtual environment, a private
PostgreSQL cluster and Redis server (Debian's packages) on Unix sockets in a temporary directory, started
and stopped by the test. Nothing listens on a network address.

    python3 tests/netbox_instance.py install   # the venv (once per machine; .ci/run calls it)
    python3 tests/netbox_instance.py migrate   # start, migrate (or restore the cached dump), stop; prints timings

NetBox 4.7 needs Python 3.12 or newer: the venv is made with the first ``python3.1x`` (x >= 12) on PATH or
under pyenv. Migrating an empty database takes minutes, so the migrated database is dumped once per NetBox
and PostgreSQL version into the cache directory (``TOPOCTL_NETBOX_CACHE``, default
``/var/cache/topoctl-netbox``) and restored by later runs. Imported by the tests; runs under any Python 3.11+
with the standard library alone (the NetBox side runs in the venv, ``tests/netbox_import.py``).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["NETBOX_VERSION", "NetBox", "cache_dir", "find_python", "install", "installed_python"]

NETBOX_VERSION = "4.7.3"
MIN_PYTHON = (3, 12)
HERE = Path(__file__).resolve().parent
IMPORTER = HERE / "netbox_import.py"
CONFIGURATION = """\
ALLOWED_HOSTS = ['*']
DATABASES = {{'default': {{'ENGINE': 'django.db.backends.postgresql', 'NAME': 'netbox', 'USER': 'netbox',
              'PASSWORD': '', 'HOST': {pg_socket!r}, 'PORT': {pg_port!r}, 'CONN_MAX_AGE': 300}}}}
REDIS = {{
    'tasks': {{'URL': {redis_tasks!r}}},
    'caching': {{'URL': {redis_caching!r}}},
}}
SECRET_KEY = {secret!r}
CENSUS_REPORTING_ENABLED = False
ISOLATED_DEPLOYMENT = True
RELEASE_CHECK_URL = None
LOGIN_REQUIRED = True
"""


def tool_path(name: str) -> str | None:
    """A system program by name, looked up on the PATH and then in the system directories, which a
    minimal PATH (a CI runner's) may leave out: runuser lives in /usr/sbin."""
    return shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/bin", "/sbin",
                                                      "/bin"]))


def _tool(name: str) -> str:
    found = tool_path(name)
    if found is None:
        raise RuntimeError(f"{name} not found (apt-get install redis-server postgresql)")
    return found


def cache_dir() -> Path:
    return Path(os.environ.get("TOPOCTL_NETBOX_CACHE", "/var/cache/topoctl-netbox"))


def venv_dir() -> Path:
    return cache_dir() / f"venv-netbox-{NETBOX_VERSION}"


def installed_python() -> Path | None:
    """The venv's python, if the install finished (its marker file is written last)."""
    venv = venv_dir()
    return venv / "bin" / "python" if (venv / "installed").is_file() else None


def _version(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([python, "-c", "import sys, venv; print(*sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    major, minor = out.stdout.split()
    return int(major), int(minor)


def find_python() -> str | None:
    """A Python >= 3.12 with venv: on PATH first (python3, python3.13, python3.12), then under pyenv."""
    candidates = [shutil.which(name) for name in ("python3", "python3.14", "python3.13", "python3.12")]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(str(pyenv / "versions" / "3.1[2-9]*" / "bin" / "python3")), reverse=True)
    for python in candidates:
        if python and not python.startswith(str(pyenv / "shims")):
            version = _version(python)
            if version and version >= MIN_PYTHON:
                return python
    return None


def install() -> Path:
    """Create the venv and install NetBox from PyPI (psycopg's C module builds against libpq-dev)."""
    done = installed_python()
    if done:
        return done
    python = find_python()
    if python is None:
        raise RuntimeError(f"NetBox {NETBOX_VERSION} needs Python >= 3.12; none found on PATH or under pyenv")
    venv = venv_dir()
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    for step in ([python, "-m", "venv", str(venv)],
                 [str(venv / "bin" / "pip"), "install", "-q", f"netbox=={NETBOX_VERSION}"]):
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(step)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    (venv / "installed").write_text(NETBOX_VERSION + "\n")
    return venv / "bin" / "python"


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)")
    return Path(found[-1]).parent


class NetBox:
    """A NetBox instance in ``root`` (a temporary directory): start(), run(...), stop()."""

    def __init__(self, python: Path, root: Path | None = None) -> None:
        self.python = python
        self.root = Path(root or tempfile.mkdtemp(prefix="topoctl-netbox-"))
        self.pg_bin = _postgres_bin()
        self.pg_major = self.pg_bin.parent.name
        self.pgdata = self.root / "pgdata"
        self.sockets = self.root / "run"
        self.redis: subprocess.Popen[bytes] | None = None
        self.pg_started = False
        self.holds_data = False  # something was imported since the database was migrated
        self.timings: dict[str, float] = {}
        # postgres refuses to run as root: as root, the cluster belongs to Debian's postgres user
        self.as_user = [_tool("runuser"), "-u", "postgres", "--"] if os.geteuid() == 0 else []

    # -- services -------------------------------------------------------------------------------------
    def _pg(self, *args: str) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")

    def start(self) -> None:
        self.sockets.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        self.pgdata.mkdir(mode=0o700)
        if self.as_user:
            for path in (self.sockets, self.pgdata):
                shutil.chown(path, "postgres", "postgres")
        self._pg(str(self.pg_bin / "initdb"), "-D", str(self.pgdata), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = f"-c listen_addresses='' -c unix_socket_directories={self.sockets} -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off -p 5432"
        self._pg(str(self.pg_bin / "pg_ctl"), "-D", str(self.pgdata), "-o", options, "-w", "-t", "120",
                 "-l", str(self.pgdata / "server.log"), "start")
        self.pg_started = True
        self.redis = subprocess.Popen(
            [_tool("redis-server"), "--port", "0", "--unixsocket", str(self.sockets / "redis.sock"), "--unixsocketperm",
             "700", "--save", "", "--appendonly", "no", "--dir", str(self.root)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if (self.sockets / "redis.sock").exists():
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("redis-server did not open its socket")
        conf = self.root / "netbox" / "conf"
        conf.mkdir(parents=True)
        (conf / "__init__.py").write_text("")
        (conf / "configuration.py").write_text(CONFIGURATION.format(
            pg_socket=str(self.sockets), pg_port="5432",
            redis_tasks=f"unix://{self.sockets / 'redis.sock'}?db=0",
            redis_caching=f"unix://{self.sockets / 'redis.sock'}?db=1",
            secret="topoctl-test-" + "x" * 50))
        self._psql("CREATE ROLE netbox LOGIN SUPERUSER")
        self._psql("CREATE DATABASE netbox OWNER netbox")

    def stop(self) -> None:
        if self.redis is not None:
            self.redis.send_signal(signal.SIGTERM)
            try:
                self.redis.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.redis.kill()
            self.redis = None
        if self.pg_started:
            subprocess.run([*self.as_user, str(self.pg_bin / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast",
                            "-w", "stop"], capture_output=True)
            self.pg_started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def _psql(self, sql: str) -> None:
        self._pg(str(self.pg_bin / "psql"), "-h", str(self.sockets), "-U", "postgres", "-d", "postgres",
                 "-v", "ON_ERROR_STOP=1", "-q", "-c", sql)

    # -- NetBox ---------------------------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "NETBOX_ROOT": str(self.root / "netbox"), "PYTHONDONTWRITEBYTECODE": "1"}

    def manage(self, *args: str) -> str:
        netbox = self.python.parent / "netbox"
        done = subprocess.run([str(netbox), *args], env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"netbox {' '.join(args)} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
        return done.stdout

    def dump_path(self) -> Path:
        return cache_dir() / f"netbox-{NETBOX_VERSION}-pg{self.pg_major}-migrated.dump"

    def migrate(self) -> None:
        """Bring the empty database to NetBox's schema: restore the cached dump, or migrate and dump."""
        dump = self.dump_path()
        began = time.monotonic()
        if dump.is_file():
            subprocess.run([str(self.pg_bin / "pg_restore"), "-h", str(self.sockets), "-U", "netbox",
                            "-d", "netbox", "--no-owner", "-j", "2", str(dump)],
                           check=True, capture_output=True, text=True)
            self.timings["restore_s"] = time.monotonic() - began
            return
        self.manage("migrate", "--no-input")
        self.timings["migrate_s"] = time.monotonic() - began
        began = time.monotonic()
        dump.parent.mkdir(parents=True, exist_ok=True)
        partial = dump.with_suffix(".partial")
        subprocess.run([str(self.pg_bin / "pg_dump"), "-h", str(self.sockets), "-U", "netbox", "-Fc",
                        "-f", str(partial), "netbox"], check=True, capture_output=True, text=True)
        os.replace(partial, dump)
        self.timings["dump_s"] = time.monotonic() - began

    def import_directory(self, directory: Path) -> dict:
        """Import one topoctl NetBox export through NetBox's bulk-import views; the database's counts back."""
        self.holds_data = True
        done = subprocess.run([str(self.python), str(IMPORTER), str(directory)], env=self.env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"import of {directory} failed:\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def reset_data(self) -> None:
        """Empty the database between designs (drop it and restore the cached dump)."""
        if not self.holds_data:
            return
        self.holds_data = False
        self._psql("DROP DATABASE netbox WITH (FORCE)")
        self._psql("CREATE DATABASE netbox OWNER netbox")
        self.migrate()


def main(argv: list[str]) -> int:
    if argv[:1] == ["install"]:
        began = time.monotonic()
        python = install()
        print(f"NetBox {NETBOX_VERSION} in {python.parent.parent} ({time.monotonic() - began:.0f} s)")
        return 0
    if argv[:1] == ["migrate"]:
        python = installed_python()
        if python is None:
            print("NetBox is not installed: python3 tests/netbox_instance.py install", file=sys.stderr)
            return 1
        netbox = NetBox(python)
        try:
            netbox.start()
            netbox.migrate()
        finally:
            netbox.stop()
        print(json.dumps(netbox.timings))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
