"""Hardening of ``topoctl export``: every reproducer of the issue through the real CLI. Each user error
is one ``Error:`` line with exit 1 (usage errors 2), no traceback, and nothing new on disk; a signal
during a long export (in a subprocess, with real signals) removes the temporary and keeps the earlier
file."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import topoctl.export.atomic as atomic
from topoctl.cli import app
from topoctl.errors import ExportInterrupted, SpecError, shown
from topoctl.export.atomic import atomic_directory, atomic_text

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO / "specs"
TABLE3 = SPECS / "deepseek-v3-table3.yaml"
FT2_PARTIAL = SPECS / "fat-tree-2tier-partial.yaml"
BIG = "9" * 5000
LAYOUT_NAMES = ("rack_units, racks_per_row, rack_power_kw, endpoint_u, endpoint_power_w, switch_u, node_u, "
                "rack_width_m, row_pitch_m, rack_height_m, slack_m")
FT3 = {"name": "ft3", "family": "fat_tree", "parameters": {"k": 4, "tiers": 3}}
MPFT = {"name": "mpft", "family": "multiplane_fat_tree",
        "parameters": {"planes": 4, "k": 4, "tiers": 2, "endpoints_per_node": 4, "ports_per_endpoint": 2}}

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def assert_error(result, message: str, code: int = 1) -> None:
    """One ``Error:`` line with the exact text, the exit code, and no traceback."""
    assert result.output == f"Error: {message}\n", result.output
    assert result.exit_code == code
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def listing(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    """A small three-tier fat tree spec, in its own directory so outputs go to an empty one."""
    path = tmp_path / "in" / "ft3.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(FT3))
    return path


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    path = tmp_path / "out"
    path.mkdir()
    return path


# 1. --layout values: every option with its range; huge, inf, nan, negative, zero, text, lists.


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("rack_units=0", "rack_units: must be a whole number from 1 to 100 (got 0)"),
        ("rack_units=101", "rack_units: must be a whole number from 1 to 100 (got 101)"),
        ("rack_units=-1", "rack_units: must be a whole number from 1 to 100 (got -1)"),
        ("rack_units=1.5", "rack_units: must be a whole number from 1 to 100 (got 1.5)"),
        ("rack_units=.inf", "rack_units: must be a whole number from 1 to 100 (got inf)"),
        ("rack_units=.nan", "rack_units: must be a whole number from 1 to 100 (got nan)"),
        ("rack_units=abc", "rack_units: must be a whole number from 1 to 100 (got 'abc')"),
        ("rack_units=[1, 2]", "rack_units: must be a whole number from 1 to 100 (got [1, 2])"),
        ("rack_units=true", "rack_units: must be a whole number from 1 to 100 (got True)"),
        ("rack_units=" + "9" * 999, "rack_units: must be a whole number from 1 to 100 (got a 999-digit number)"),
        ("racks_per_row=0", "racks_per_row: must be a whole number from 1 to 10,000 (got 0)"),
        ("racks_per_row=10001", "racks_per_row: must be a whole number from 1 to 10,000 (got 10001)"),
        ("switch_u=0", "switch_u: must be a whole number from 1 to 100 (got 0)"),
        ("node_u=43", "node_u: exceeds rack_units=42"),
        ("slack_m=-1", "slack_m: must be a length in metres, 0 to 10000 (got -1)"),
        ("slack_m=10000.5", "slack_m: must be a length in metres, 0 to 10000 (got 10000.5)"),
        ("slack_m=1.0e+400", "slack_m: must be a length in metres, 0 to 10000 (got inf)"),
        ("rack_width_m=-.inf", "rack_width_m: must be a length in metres, 0 to 10000 (got -inf)"),
        ("row_pitch_m=.nan", "row_pitch_m: must be a length in metres, 0 to 10000 (got nan)"),
        ("rack_height_m=" + "9" * 999, "rack_height_m: must be a length in metres, 0 to 10000 (got a 999-digit number)"),
        ("slack_m=[3]", "slack_m: must be a length in metres, 0 to 10000 (got [3])"),
        ("slack_m=" + "x" * 500, "slack_m: must be a length in metres, 0 to 10000 "
                                 "(got 'xxxxxxxxxxxxxxxxxxxx'... (500 characters))"),
        ("rack_power_kw=0", "rack_power_kw: must be a number from 0.1 to 10,000 (got 0)"),
        ("endpoint_power_w=.nan", "endpoint_power_w: must be a number from 0 to 100,000 (got nan)"),
        ("endpoint_u=0", "endpoint_u: must be a whole number from 1 to 100 (got 0)"),
        ("rack_unit=4", f"unknown field 'rack_unit'; valid: {LAYOUT_NAMES}"),
    ],
)
def test_layout_values_are_checked_with_their_range(option: str, message: str, spec: Path, out_dir: Path) -> None:
    result = run("export", spec, "-f", "cabling", "-o", out_dir / "x.csv", "--layout", option)
    assert_error(result, f"--layout: {message}")
    assert listing(out_dir) == []


def test_layout_5000_digits_is_a_usage_error(out_dir: Path) -> None:
    """The issue's reproducer: too long to read as a number, refused where the command line is parsed."""
    result = run("export", FT2_PARTIAL, "-f", "cabling", "-o", out_dir / "x.csv", "--layout", f"rack_units={BIG}")
    assert result.exit_code == 2
    assert result.output.startswith("Error: --layout: rack_units: ") and result.output.count("\n") == 1
    assert len(result.output) < 200
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert listing(out_dir) == []


@pytest.mark.parametrize("option", ["slack_m=0", "endpoint_power_w=0", "rack_width_m=0", "rack_units=100",
                                    "racks_per_row=10000", "slack_m=10000"])
def test_layout_range_ends_are_valid(option: str, spec: Path, out_dir: Path) -> None:
    """Zero is a valid length (no slack) and a valid node power (racks then filled by space); the upper ends
    are valid too."""
    result = run("export", spec, "-f", "cabling", "-o", out_dir / "x.csv", "--layout", option)
    assert result.exit_code == 0, result.output
    assert listing(out_dir) == ["x.csv"]


# 2. --subset values.


@pytest.mark.parametrize(
    ("design", "subset", "message"),
    [
        (MPFT, f"plane={BIG}", "plane=9999999999... (5,000 digits) does not exist; valid: 0 to 3"),
        (MPFT, "plane=4", "plane=4 does not exist; valid: 0 to 3"),
        (MPFT, "plane=-1", "'plane=-1' is not a selector; use plane=N, pod=N, group=N, switches=N, comma-separated"),
        (MPFT, "switches=0", "switches=0 is out of range; valid: 1 to 24 (the switches of the design)"),
        (MPFT, f"switches={BIG}", "switches=9999999999... (5,000 digits) is out of range; valid: 1 to 24 "
                                  "(the switches of the design)"),
        (MPFT, "plane=1,switches=7", "switches=7 is out of range; valid: 1 to 6 (the switches selected)"),
        (MPFT, "x" * 300, "'xxxxxxxxxxxxxxxxxxxx'... (300 characters) is not a selector; use plane=N, pod=N, "
                          "group=N, switches=N, comma-separated"),
        (FT3, f"plane={BIG}", "plane= does not apply to this fat_tree design (no switch has a plane); use switches=N"),
        (FT3, f"pod={BIG}", "pod=9999999999... (5,000 digits) does not exist; valid: 0 to 3"),
    ],
)
def test_subset_values_are_checked_with_their_range(design: dict, subset: str, message: str, tmp_path: Path,
                                                    out_dir: Path) -> None:
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(design))
    result = run("export", path, "-f", "containerlab", "-o", out_dir / "x.yml", "--subset", subset)
    assert_error(result, f"--subset: {message}")
    assert listing(out_dir) == []


def test_subset_reproducer_from_the_issue(out_dir: Path) -> None:
    result = run("export", FT2_PARTIAL, "-f", "containerlab", "-o", out_dir / "x.yml", "--subset", f"plane={BIG}")
    assert_error(result, "--subset: plane= does not apply to this fat_tree design (no switch has a plane); "
                         "use switches=N")
    assert listing(out_dir) == []


# 3. A design YAML whose generated.layout was edited by hand.


@pytest.fixture
def design_yaml(spec: Path, tmp_path: Path) -> Path:
    path = tmp_path / "in" / "design.yaml"
    assert run("export", spec, "-f", "design", "-o", path).exit_code == 0
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    rack_units: 42\n", "    1: 42\n    foo: 3\n",
         f"generated.layout: unknown fields 1, 'foo'; valid: {LAYOUT_NAMES}"),
        ("    rack_units: 42\n", "    rack_units: 42\n    bar: 1\n",
         f"generated.layout: unknown field 'bar'; valid: {LAYOUT_NAMES}"),
        ("    rack_units: 42\n", "    rack_units: '42'\n",
         "generated.layout.rack_units: must be a whole number from 1 to 100 (got '42')"),
        ("    slack_m: 1.0\n", "    slack_m: .nan\n",
         "generated.layout.slack_m: must be a length in metres, 0 to 10000 (got nan)"),
        ("    slack_m: 1.0\n", "    slack_m: [1]\n",
         "generated.layout.slack_m: must be a length in metres, 0 to 10000 (got [1])"),
        ("  layout:\n", "  layout: 7\n  old_layout:\n",
         "generated.layout: expected a mapping of layout options (got 7)"),
        ("  layout:\n", "  layout:\n  # edited\n", None),  # a comment: still read, so still valid
    ],
)
def test_edited_generated_layout_is_checked(old: str, new: str, message: str | None, design_yaml: Path,
                                            out_dir: Path) -> None:
    text = design_yaml.read_text()
    assert text.count(old) == 1
    design_yaml.write_text(text.replace(old, new))
    result = run("export", design_yaml, "-f", "cabling", "-o", out_dir / "x.csv")
    if message is None:
        assert result.exit_code == 0, result.output
        return
    assert_error(result, f"{design_yaml}: {message}")
    assert listing(out_dir) == []


def test_generated_that_is_not_a_mapping(design_yaml: Path, out_dir: Path) -> None:
    head = design_yaml.read_text().split("generated:\n")[0]
    design_yaml.write_text(head + "generated: 5\n")
    result = run("export", design_yaml, "-f", "cabling", "-o", out_dir / "x.csv")
    assert_error(result, f"{design_yaml}: generated: expected the mapping a design YAML writes, with the layout "
                         "options under 'layout' (got 5)")


def test_layout_from_a_mapping_with_keys_of_any_type() -> None:
    from topoctl.physical.layout import LayoutOptions

    with pytest.raises(SpecError) as info:
        LayoutOptions.from_dict({1: 2, "foo": 3, None: 4, (1, 2): 5})
    assert str(info.value) == f"layout: unknown fields (1, 2), 1, None, 'foo'; valid: {LAYOUT_NAMES}"


# 4. Long names: any name the filesystem takes can be written; a longer one is a clean error.


@pytest.mark.parametrize("name", ["a" * 246 + ".csv", "é" * 124 + ".csv"], ids=["250-ascii", "252-bytes-utf8"])
def test_name_of_250_bytes_is_written(name: str, spec: Path, out_dir: Path) -> None:
    out = out_dir / name
    for _ in range(2):  # create, then replace
        result = run("export", spec, "-f", "cabling", "-o", out)
        assert result.exit_code == 0, result.output
        assert listing(out_dir) == [name]
    assert out.read_text().startswith("label,")


def test_netbox_directory_of_250_bytes_is_written_and_replaced(spec: Path, out_dir: Path) -> None:
    name = "n" * 250
    for _ in range(2):
        assert run("export", spec, "-f", "netbox", "-o", out_dir / name).exit_code == 0
        assert listing(out_dir) == [name]


def test_name_over_255_bytes_is_an_error(spec: Path, out_dir: Path) -> None:
    out = out_dir / ("b" * 252 + ".csv")
    result = run("export", spec, "-f", "cabling", "-o", out)
    assert_error(result, f"{out}: the name is 256 bytes long; this filesystem allows at most 255: give a shorter name")
    assert listing(out_dir) == []


def test_path_over_path_max_is_an_error(spec: Path, out_dir: Path) -> None:
    parent = out_dir / "/".join(["d" * 200] * 25)  # 5,000 bytes: past PATH_MAX, shortened in the message
    result = run("export", spec, "-f", "cabling", "-o", parent / "x.csv")
    where, directory = atomic._where(parent / "x.csv"), atomic._where(parent)
    assert where.endswith(" characters)") and len(where) < 250
    assert_error(result, f"{where}: cannot reach the directory {directory}: File name too long")
    assert listing(out_dir) == []


# 5. Signals during a long export: SIGTERM and SIGHUP clean up like SIGINT.


def _growing_temporary(directory: Path, proc: subprocess.Popen, timeout_s: float = 120.0) -> Path:
    """The export's temporary once it exists and has grown between two looks."""
    deadline = time.monotonic() + timeout_s
    last: dict[str, int] = {}
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        for name in os.listdir(directory):
            if name.endswith(".tmp"):
                size = (directory / name).stat().st_size
                if last.get(name, size) < size and size > 100_000:
                    return directory / name
                last[name] = size
        time.sleep(0.05)
    raise AssertionError("the export's temporary never grew")


def _reset_signals() -> None:  # the test runner may have been started with some signals ignored
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_signal_during_a_long_export_leaves_nothing(signum: signal.Signals, tmp_path: Path) -> None:
    out = tmp_path / "big.csv"
    out.write_text("earlier plan\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "topoctl", "export", str(TABLE3), "--design", "FT3", "-f", "cabling", "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, preexec_fn=_reset_signals,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        _growing_temporary(tmp_path, proc)
        sent = time.monotonic()
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=30)
        elapsed_s = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert elapsed_s < 10
    assert stdout == ""
    if signum == signal.SIGINT:
        assert stderr.startswith("Error: interrupted") and stderr.count("\n") == 1, stderr
        assert proc.returncode == 130
    else:
        assert stderr == (f"Error: {out}: interrupted by {signum.name}; nothing was written, the earlier file, "
                          "if any, is untouched\n")
        # 128 + signum once the CLI reads ExportInterrupted.exit_code (see the next test); 1 until then
        assert proc.returncode in (1, 128 + signum)
    assert listing(tmp_path) == ["big.csv"]
    assert out.read_text() == "earlier plan\n"


def _interrupting_writer(signum: int):
    """A cabling writer that receives ``signum`` half-way through its rows (a real signal, in-process)."""
    import topoctl.export.cabling as cabling

    original = cabling.csv.writer

    class Writer:
        def __init__(self, handle, **kwargs):
            self._writer, self._rows = original(handle, **kwargs), 0

        def writerow(self, row):
            self._rows += 1
            if self._rows == 10:
                signal.raise_signal(signum)
            return self._writer.writerow(row)

    return Writer



@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_interrupted_export_exits_128_plus_signal(signum: signal.Signals, spec: Path, out_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import topoctl.export.cabling as cabling

    monkeypatch.setattr(cabling.csv, "writer", _interrupting_writer(signum))
    result = run("export", spec, "-f", "cabling", "-o", out_dir / "x.csv")
    assert result.exit_code == 128 + signum


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_signal_in_process_is_one_line_and_handlers_are_restored(signum: signal.Signals, spec: Path, out_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import topoctl.export.cabling as cabling

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    out = out_dir / "x.csv"
    out.write_text("earlier\n")
    monkeypatch.setattr(cabling.csv, "writer", _interrupting_writer(signum))
    result = run("export", spec, "-f", "cabling", "-o", out)
    assert result.output == (f"Error: {out}: interrupted by {signum.name}; nothing was written, the earlier file, "
                             "if any, is untouched\n")
    assert result.exit_code != 0
    assert listing(out_dir) == ["x.csv"] and out.read_text() == "earlier\n"
    assert {s: signal.getsignal(s) for s in before} == before


def test_handlers_are_installed_only_during_the_write(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with atomic_text(tmp_path / "x.csv") as handle:
        assert signal.getsignal(signal.SIGTERM) is not before
        handle.write("x\n")
    assert signal.getsignal(signal.SIGTERM) is before


def test_ignored_signal_stays_ignored(tmp_path: Path) -> None:
    """Under nohup, SIGHUP is ignored: the export must go on, not stop."""
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with atomic_text(tmp_path / "x.csv") as handle:
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            signal.raise_signal(signal.SIGHUP)
            handle.write("x\n")
        assert (tmp_path / "x.csv").read_text() == "x\n"
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_signal_during_the_rename_waits_for_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A signal that arrives while the temporary is renamed into place is delivered afterwards, to the
    previous handler, with the new file complete."""
    received: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: received.append(signum))
    real_replace = os.replace

    def replace(src, dst):
        signal.raise_signal(signal.SIGTERM)
        assert received == []  # held back
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    try:
        with atomic_text(tmp_path / "x.csv") as handle:
            handle.write("new\n")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert received == [signal.SIGTERM]
    assert (tmp_path / "x.csv").read_text() == "new\n" and listing(tmp_path) == ["x.csv"]


def test_export_interrupted_carries_the_signal() -> None:
    exc = ExportInterrupted("x", signal.SIGTERM)
    assert (exc.signum, exc.exit_code) == (signal.SIGTERM, 143)


# 6. The directory format: nothing is left behind on any failure path.


@pytest.mark.parametrize("target", [".", "..", "CWD", "/"])
def test_netbox_refuses_the_current_directory(target: str, spec: Path, out_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    work = out_dir / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    target = str(work) if target == "CWD" else target
    result = run("export", spec, "-f", "netbox", "-o", target)
    assert_error(result, f"{target}: this format replaces the whole directory, so it cannot be the current "
                         "directory or one above it; give a new directory name")
    assert listing(out_dir) == ["work"] and listing(work) == []


def test_netbox_swap_failure_restores_the_earlier_directory(spec: Path, out_dir: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = out_dir / "netbox"
    target.mkdir()
    (target / "07-cables.yaml").write_text("earlier\n")
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def replace(src, dst):  # moving the earlier directory aside works; putting the new one in place fails
        calls.append((str(src), str(dst)))
        if len(calls) == 2:
            raise OSError(16, "Device or resource busy")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    result = run("export", spec, "-f", "netbox", "-o", target)
    assert_error(result, f"{target}: cannot write: Device or resource busy")
    assert len(calls) == 3  # aside, in place (failed), back
    assert listing(out_dir) == ["netbox"] and listing(target) == ["07-cables.yaml"]


def test_netbox_swap_and_restore_failing_keeps_the_earlier_directory(spec: Path, out_dir: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Never lost: if it cannot be put back, the earlier directory stays where it was moved, and the
    message says where."""
    target = out_dir / "netbox"
    target.mkdir()
    (target / "07-cables.yaml").write_text("earlier\n")
    real_replace = os.replace
    calls: list[int] = []

    def replace(src, dst):
        calls.append(1)
        if len(calls) >= 2:
            raise OSError(16, "Device or resource busy")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    result = run("export", spec, "-f", "netbox", "-o", target)
    (holder,) = [name for name in listing(out_dir) if name.endswith(".old")]
    kept = out_dir / holder / "previous"
    assert_error(result, f"{target}: cannot write: Device or resource busy; the earlier directory is kept at {kept}")
    assert listing(out_dir) == [holder] and listing(kept) == ["07-cables.yaml"]


def test_netbox_failure_moving_the_earlier_directory_aside(spec: Path, out_dir: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = out_dir / "netbox"
    target.mkdir()

    def replace(src, dst):
        raise OSError(16, "Device or resource busy")

    monkeypatch.setattr(atomic.os, "replace", replace)
    result = run("export", spec, "-f", "netbox", "-o", target)
    assert_error(result, f"{target}: cannot write: Device or resource busy")
    assert listing(out_dir) == ["netbox"]


def test_netbox_interrupted_leaves_the_earlier_directory(out_dir: Path) -> None:
    target = out_dir / "netbox"
    target.mkdir()
    (target / "07-cables.yaml").write_text("earlier\n")
    with pytest.raises(ExportInterrupted), atomic_directory(target, replaceable=("07-cables.yaml",)) as directory:
        (directory / "01.yaml").write_text("new\n")
        signal.raise_signal(signal.SIGTERM)
    assert listing(out_dir) == ["netbox"] and listing(target) == ["07-cables.yaml"]


# 7. Targets that are not regular files: devices, FIFOs, sockets, links, directories, bad parents.


LINKS_NOT_FOLLOWED = "links are not followed: give the target's own path, or a new file name"


def test_dev_null_is_not_replaced(spec: Path) -> None:
    result = run("export", spec, "-f", "cabling", "-o", "/dev/null")
    assert_error(result, "/dev/null: is a character device, not a regular file; give a new file name or a regular "
                         "file to replace")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: os.mkfifo(p), "is a FIFO, not a regular file; give a new file name or a regular file to replace"),
        ("socket", "is a socket, not a regular file; give a new file name or a regular file to replace"),
        (lambda p: p.mkdir(), "is a directory; give a file name"),
        (lambda p: p.symlink_to("earlier.csv"), f"is a symbolic link to earlier.csv; {LINKS_NOT_FOLLOWED}"),
        (lambda p: p.symlink_to("missing.csv"),
         f"is a symbolic link to missing.csv, which does not exist; {LINKS_NOT_FOLLOWED}"),
        (lambda p: p.symlink_to(p.name), f"is a symbolic link to target.csv, which loops; {LINKS_NOT_FOLLOWED}"),
        (lambda p: p.symlink_to("/dev/null"), f"is a symbolic link to /dev/null; {LINKS_NOT_FOLLOWED}"),
    ],
    ids=["fifo", "socket", "directory", "link", "dangling-link", "link-loop", "link-to-device"],
)
def test_non_regular_targets_are_refused(make, message: str, spec: Path, out_dir: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(out_dir)  # short relative names: a socket's path is limited to ~100 bytes
    (out_dir / "earlier.csv").write_text("earlier\n")
    target = Path("target.csv")
    if make == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    else:
        make(target)
    before = {name: os.lstat(out_dir / name) for name in listing(out_dir)}
    try:
        result = run("export", spec, "-f", "cabling", "-o", target)
    finally:
        if make == "socket":
            server.close()
    assert_error(result, f"target.csv: {message}")
    after = {name: os.lstat(out_dir / name) for name in listing(out_dir)}
    assert {n: (s.st_ino, s.st_mode) for n, s in after.items()} == {n: (s.st_ino, s.st_mode) for n, s in before.items()}
    assert (out_dir / "earlier.csv").read_text() == "earlier\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to("earlier"), f"is a symbolic link to earlier; {LINKS_NOT_FOLLOWED}"),
        (lambda p: p.write_text("x"), "exists and is not a directory; this format writes a directory"),
        (lambda p: os.mkfifo(p), "exists and is not a directory; this format writes a directory"),
    ],
    ids=["link-to-directory", "file", "fifo"],
)
def test_netbox_refuses_non_directories(make, message: str, spec: Path, out_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(out_dir)
    (out_dir / "earlier").mkdir()
    make(Path("target"))
    result = run("export", spec, "-f", "netbox", "-o", "target")
    assert_error(result, f"target: {message}")
    assert listing(out_dir) == ["earlier", "target"] and listing(out_dir / "earlier") == []


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("afile/x.csv", "afile/x.csv: afile is a file, not a directory"),
        ("afile/sub/x.csv", "afile/sub/x.csv: afile is a file, not a directory"),
        ("missing/x.csv", "missing/x.csv: the directory missing does not exist"),
        ("loop/x.csv", "loop/x.csv: cannot reach the directory loop: Too many levels of symbolic links"),
    ],
)
def test_bad_parent_directories(where: str, message: str, spec: Path, out_dir: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(out_dir)
    Path("afile").write_text("x\n")
    Path("loop").symlink_to("loop")
    result = run("export", spec, "-f", "cabling", "-o", where)
    assert_error(result, message)
    assert listing(out_dir) == ["afile", "loop"]


def _unwritable_directory(tmp_path: Path) -> Path:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if not os.access(locked, os.W_OK):
        return locked
    # root writes anywhere it has a mode bit for; /sys refuses new files even to root
    if Path("/sys").is_dir() and _cannot_create_in(Path("/sys")):
        return Path("/sys")
    pytest.skip("no directory this user cannot write to")


def _cannot_create_in(directory: Path) -> bool:
    try:
        (directory / ".topoctl-probe").touch()
    except OSError:
        return True
    (directory / ".topoctl-probe").unlink()
    return False


def test_parent_not_writable(spec: Path, tmp_path: Path) -> None:
    directory = _unwritable_directory(tmp_path)
    try:
        before = listing(directory)
        result = run("export", spec, "-f", "cabling", "-o", directory / "plan.csv")
        assert_error(result, f"{directory / 'plan.csv'}: cannot write: Permission denied")
        assert listing(directory) == before
    finally:
        (tmp_path / "locked").chmod(0o700)


def test_shown_keeps_messages_short() -> None:
    assert shown(10**4999) == "a 5,000-digit number"
    assert shown(-(10**40)) == "a negative 41-digit number"
    assert shown("é" * 100) == "'éééééééééééééééééééé'... (100 characters)"
    assert shown("\udcff") == "'\\udcff'"
    assert shown(1.5) == "1.5"


def test_netbox_replaces_only_an_earlier_netbox_export(tmp_path: Path) -> None:
    spec = Path(__file__).resolve().parent.parent / "specs" / "fat-tree-2tier-partial.yaml"
    out = tmp_path / "nb"
    out.mkdir()
    assert CliRunner().invoke(app, ["export", str(spec), "-f", "netbox", "-o", str(out)]).exit_code == 0  # empty: fine
    again = CliRunner().invoke(app, ["export", str(spec), "-f", "netbox", "-o", str(out)])
    assert again.exit_code == 0, again.output  # an earlier export: replaced
    (out / "notes.txt").write_text("mine")
    home_like = CliRunner().invoke(app, ["export", str(spec), "-f", "netbox", "-o", str(out)])
    assert home_like.exit_code == 1
    assert home_like.stderr == (
        f"Error: {out}: holds 1 entry this export does not write (first: 'notes.txt'); give a new directory name, "
        "or one holding only an earlier export of this format\n"
    )
    assert (out / "notes.txt").read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["nb"]
