"""What ecmgraph writes keeps data: ``-o`` writes regular files only, atomically, with the mode the umask gives,
and leaves no temporary file behind whatever stops it; standard output that is full or cannot encode the answer
is one ``Error:`` line with exit code 3. Each test stands for a reproducer of issue 18 (14, 18, 19).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ecmgraph import output
from ecmgraph.cli import cli
from ecmgraph.errors import InputError
from ecmgraph.output import write_output


def ecmgraph(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def one_error(result: Result, *words: str) -> str:
    lines = result.stderr.splitlines()
    assert result.exit_code == 3 and len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    """What is in ``folder`` besides ``keep``: a temporary file left behind, say."""
    return sorted(name for name in os.listdir(folder) if name not in keep)


@pytest.fixture(params=["unnamed", "named"])
def temporary(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of writing the temporary file: unnamed until complete (O_TMPFILE, Linux) and named beside it."""
    if request.param == "unnamed" and not output.USE_UNNAMED_TEMPORARY:
        pytest.skip("no O_TMPFILE here")
    monkeypatch.setattr(output, "USE_UNNAMED_TEMPORARY", request.param == "unnamed")
    return str(request.param)


@pytest.fixture
def umask() -> Iterator[None]:
    """Restores the process's umask after a test that sets it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


# ------------------------------------------------------------------------------------- 18: regular files only


def test_a_fifo_at_the_output_path_is_refused_and_left_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    one_error(ecmgraph("rules", "ECM001", "-o", str(fifo)), "it is a FIFO", "--force")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and leftovers(tmp_path, {"fifo"}) == []


def test_with_force_the_answer_is_written_into_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = ecmgraph("rules", "ECM001", "-o", str(fifo), "--force")
    reader.join(20)
    assert result.exit_code == 0, result.stderr
    assert got and got[0].startswith(b"ECM001") and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symbolic_link_at_the_output_path_is_refused_and_neither_it_nor_its_target_changes(tmp_path: Path) -> None:
    target, link = tmp_path / "target.txt", tmp_path / "link"
    target.write_text("target\n")
    link.symlink_to(target.name)
    one_error(ecmgraph("rules", "ECM001", "-o", str(link)), "it is a symbolic link", "--force")
    assert link.is_symlink() and os.readlink(link) == "target.txt" and target.read_text() == "target\n"


def test_with_force_a_symbolic_link_is_followed_and_kept(tmp_path: Path, temporary: str) -> None:
    target, link = tmp_path / "target.txt", tmp_path / "link"
    target.write_text("target\n")
    link.symlink_to(target.name)
    result = ecmgraph("rules", "ECM001", "-o", str(link), "--force")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and target.read_text().startswith("ECM001")
    assert leftovers(tmp_path, {"target.txt", "link"}) == []


def test_with_force_a_dangling_link_makes_the_file_it_names(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to("made.txt")
    assert ecmgraph("rules", "ECM001", "-o", str(tmp_path / "link"), "--force").exit_code == 0
    assert (tmp_path / "link").is_symlink() and (tmp_path / "made.txt").read_text().startswith("ECM001")


def test_with_force_dev_stdout_writes_into_the_pipe_it_links_to() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ecmgraph", "rules", "ECM001", "-o", "/dev/stdout", "--force"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout.startswith("ECM001"), done.stderr


def test_a_device_at_the_output_path_is_refused_and_with_force_written_into(tmp_path: Path) -> None:
    device = tmp_path / "null-copy"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers, in a scratch folder
    except (PermissionError, OSError):
        pytest.skip("making a device node needs root")
    one_error(ecmgraph("rules", "ECM001", "-o", str(device)), "it is a character device")
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert ecmgraph("rules", "ECM001", "-o", str(device), "--force").exit_code == 0
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_folder_at_the_output_path_is_refused_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    one_error(ecmgraph("rules", "-o", str(tmp_path / "out"), "--force"), "it is a folder")


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_output_file_gets_the_mode_the_umask_gives(
    tmp_path: Path, umask: None, temporary: str, mask: int, mode: int
) -> None:
    os.umask(mask)
    write_output("text\n", str(tmp_path / "new.txt"))
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == mode


def test_a_replaced_output_file_keeps_its_mode(tmp_path: Path, umask: None, temporary: str) -> None:
    for mode in (0o644, 0o640, 0o600):
        old = tmp_path / f"old-{mode:o}.txt"
        old.write_text("old\n")
        old.chmod(mode)
        write_output("new\n", str(old))
        assert old.read_text() == "new\n" and stat.S_IMODE(os.stat(old).st_mode) == mode


# ------------------------------------------------------------------------------ 19: no temporary file left behind


def test_an_interrupt_while_writing_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, temporary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.nt"
    target.write_text("OLD\n")
    fill = output._fill

    def interrupted(fd: int, data: bytes, mode: int | None) -> None:  # Ctrl-C half-way through the write
        fill(fd, data[: len(data) // 2], mode)
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "_fill", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_output("<http://e/s> <http://e/p> 1 .\n" * 10_000, str(target))
    assert target.read_text() == "OLD\n" and leftovers(tmp_path, {"out.nt"}) == []


# A child process writes a large file and is signalled by a thread of its own once the temporary file has data (a
# named one in the folder, or an unnamed one among its open files): the signal lands during the write.
_SIGNALLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    from ecmgraph import output
    folder, how, sig = sys.argv[1], sys.argv[2], getattr(signal, sys.argv[3])
    output.USE_UNNAMED_TEMPORARY = how == "unnamed"

    def temporaries():
        if how == "named":
            return [os.path.join(folder, n) for n in os.listdir(folder) if n.startswith(".out.txt.")]
        found = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                where = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if where.startswith(folder) and where.endswith("(deleted)"):
                found.append(f"/proc/self/fd/{fd}")
        return found

    def being_written():
        for path in temporaries():
            try:
                if os.stat(path).st_size > 0:
                    return True
            except OSError:
                pass
        return False

    def signal_when_writing():
        while not being_written():
            time.sleep(0.0005)
        os.kill(os.getpid(), sig)

    threading.Thread(target=signal_when_writing, daemon=True).start()
    try:
        output.write_output("x" * (128 << 20), os.path.join(folder, "out.txt"))
    except KeyboardInterrupt:
        print("interrupted")
        sys.exit(130)
    print("finished before the signal")
    """
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("how", "sig"), [("named", "SIGINT"), ("unnamed", "SIGINT"), ("unnamed", "SIGKILL"), ("unnamed", "SIGTERM")]
)
def test_a_signal_while_writing_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, how: str, sig: str) -> None:
    if how == "unnamed" and not output.USE_UNNAMED_TEMPORARY:
        pytest.skip("no O_TMPFILE here")
    (tmp_path / "out.txt").write_text("OLD\n")
    child = subprocess.run(
        [sys.executable, "-c", _SIGNALLED_WRITER, str(tmp_path), how, sig], capture_output=True, text=True, timeout=120
    )
    if "finished before the signal" in child.stdout:
        pytest.skip("the write ended before the signal came")
    expected = 130 if sig == "SIGINT" else -getattr(signal, sig)
    assert child.returncode == expected, child.stderr
    assert leftovers(tmp_path, {"out.txt"}) == []
    size = (tmp_path / "out.txt").stat().st_size  # as it was, or whole if the signal came after the rename
    assert (tmp_path / "out.txt").read_text() == "OLD\n" if size == 4 else size == 128 << 20


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, temporary: str) -> None:
    target = tmp_path / "out.txt"
    target.write_text("OLD\n")
    with pytest.raises(InputError, match="UTF-8 cannot encode"):
        write_output("a lone surrogate: \udc80", str(target))
    assert target.read_text() == "OLD\n" and leftovers(tmp_path, {"out.txt"}) == []


# ------------------------------------------------------------------------------------------------- 14: stdout


def _ecmgraph_process(
    *args: str, stdout: object, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecmgraph", *args],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", [["rules"], ["--help"], ["--version"]])
def test_standard_output_that_is_full_is_one_error_line_with_exit_code_3(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = _ecmgraph_process(*args, stdout=full)
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines() == [done.stderr.strip()] and done.stderr.startswith("Error: ")
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr


def test_standard_output_that_cannot_encode_the_answer_is_one_error_line_with_exit_code_3() -> None:
    done = _ecmgraph_process("rules", stdout=subprocess.PIPE, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 3 and done.stdout == "", done.stderr  # nothing half-written
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: ")
    assert "encoding (ascii) has no '§'" in done.stderr and "PYTHONIOENCODING=utf-8" in done.stderr


def test_an_answer_stdout_cannot_encode_is_written_whole_to_a_file(tmp_path: Path) -> None:
    done = _ecmgraph_process(
        "rules", "-o", str(tmp_path / "rules.txt"), stdout=subprocess.PIPE, env={"PYTHONIOENCODING": "ascii"}
    )
    assert done.returncode == 0, done.stderr
    assert "§" in (tmp_path / "rules.txt").read_text(encoding="utf-8")
