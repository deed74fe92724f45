"""Signals: SIGTERM and SIGHUP end a run as Ctrl-C does, workers and all.

Each test runs the real command in a session of its own, waits for it by polling (never a
fixed sleep), and kills whatever is left of that session when it ends, pass or fail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .test_cli import EXE

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def session_members(sid: int) -> list[int]:
    """Live (not zombie) processes of a session: the command and anything it started."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            members.append(int(entry.name))
    return members


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def kill_session(sid: int) -> None:
    try:
        os.killpg(sid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def many_articles(folder: Path, count: int = 64) -> Path:
    """More articles than a load parses alone (cache.PARALLEL_FROM), each long enough that
    the workers are still busy when the signal comes."""
    folder.mkdir()
    for n in range(count):
        sections = "".join(
            f"## Topic {s} of field {n}\n\nWorkers in field {n} earn wage {s}. They learn the trade over years "
            "of practice. Some say the work is hard but rewarding.\n\n"
            for s in range(40)
        )
        (folder / f"article-{n:03}.md").write_text(f"# Field {n}\n\n{sections}", encoding="utf-8")
    return folder


def piped_load(tmp_path, stderr: int) -> tuple[subprocess.Popen, subprocess.Popen]:
    """`career-chat --article FOLDER ask ... | cat`, the folder new (a parallel load: its
    workers), each process in a session of its own: the command, and `cat` reading what it
    writes."""
    folder = many_articles(tmp_path / "articles")
    env = {**os.environ, "CAREER_CHAT_CACHE": str(tmp_path / "cache")}  # a fresh load: workers
    cat = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
    command = subprocess.Popen(
        [EXE, "--article", str(folder), "--lexical", "ask", "what do workers earn"],
        stdout=cat.stdin,
        stderr=stderr,
        env=env,
        start_new_session=True,
    )
    cat.stdin.close()  # only the command (and its workers) hold the pipe now
    return command, cat


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a parallel load needs two cores")
@pytest.mark.parametrize("how", ["parent", "group"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_parallel_load_ends_its_workers_and_the_pipe(tmp_path, signum, how):
    """`career-chat ... | cat` ends: no worker outlives the command holding stdout open.
    The signal goes to the command alone (`kill PID`) or to its whole group (a terminal's
    hang-up, `kill -- -PGID`)."""
    command, cat = piped_load(tmp_path, stderr=subprocess.PIPE)
    try:
        workers = wait_until(lambda: children(command.pid), 60, "the load's worker processes")
        if how == "group":
            os.killpg(command.pid, signum)
        else:
            command.send_signal(signum)
        code = command.wait(timeout=30)
        assert code == 128 + signum, command.stderr.read().decode()
        assert cat.wait(timeout=10) == 0  # the pipe closed: nothing holds stdout any more
        assert session_members(command.pid) == [], f"left running: {session_members(command.pid)} (workers {workers})"
        err = command.stderr.read().decode()
        assert "Traceback" not in err and err.strip() == f"career-chat: stopped by {signal.Signals(signum).name}"
    finally:
        kill_session(command.pid)
        cat.kill()
        command.wait(timeout=10)
        cat.wait(timeout=10)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a parallel load needs two cores")
def test_a_killed_command_leaves_no_worker_holding_the_pipe(tmp_path):
    """SIGKILL (the OOM killer, `kill -9`) can be caught by no handler: the load's workers,
    waiting on the dead command's queue for ever, held stdout open and `| cat` never
    ended. Each now ends with the process that forked it."""
    command, cat = piped_load(tmp_path, stderr=subprocess.DEVNULL)
    try:
        workers = wait_until(lambda: children(command.pid), 60, "the load's worker processes")
        command.kill()
        assert command.wait(timeout=30) == -signal.SIGKILL
        wait_until(lambda: not session_members(command.pid), 60, f"the workers {workers} to end")
        assert cat.wait(timeout=10) == 0  # the pipe closed: nothing holds stdout any more
    finally:
        kill_session(command.pid)
        cat.kill()
        command.wait(timeout=10)
        cat.wait(timeout=10)


def test_sigterm_while_waiting_for_a_question_exits_143():
    """Outside a parallel load too: the same exit code a shell gives a terminated command."""
    command = subprocess.Popen([EXE, "ask"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        # It reads stdin once it has started: wait until it blocks on the pipe.
        wait_until(lambda: "pipe" in Path(f"/proc/{command.pid}/wchan").read_text(), 30, "the command to read stdin")
        command.send_signal(signal.SIGTERM)
        out, err = command.communicate(timeout=30)
        assert command.returncode == 143
        assert out == b"" and err.decode().strip() == "career-chat: stopped by SIGTERM"
    finally:
        kill_session(command.pid)
        command.wait(timeout=10)


# The chat app, in a pseudo-terminal: what a person sees.

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"


class Terminal:
    """A pseudo-terminal with the app in it, and everything the app wrote to it."""

    def __init__(self, args: list[str], env: dict[str, str]):
        import fcntl
        import pty
        import struct
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.screen = b""

    def read(self, timeout: float) -> bool:
        """Read what arrives within `timeout`; False once the terminal is closed."""
        import select

        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the app and every holder of the terminal are gone
            return False
        self.screen += data
        return bool(data)

    def wait_for(self, text: bytes, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen and time.monotonic() < deadline:
            if not self.read(0.1):
                break
        assert text in self.screen, f"{text!r} never shown; the screen ends {self.screen[-300:]!r}"

    def wait_for_exit(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.05)
        while self.read(0.05):  # the rest of what it wrote
            pass
        return self.process.wait(timeout=1)

    def close(self) -> None:
        kill_session(self.process.pid)
        self.process.wait(timeout=10)
        os.close(self.master)


@pytest.mark.parametrize(
    "signum, code, said",
    [(signal.SIGINT, 130, b"career-chat: interrupted"), (signal.SIGTERM, 143, b"career-chat: stopped by SIGTERM"), (signal.SIGHUP, 129, b"career-chat: stopped by SIGHUP")],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
def test_the_app_restores_the_terminal_and_exits_with_the_signals_code(tmp_path, signum, code, said):
    """`kill -INT` on the app exited 0; now 130, like Ctrl-C on any command (143 for SIGTERM),
    after leaving the alternate screen and showing the cursor again."""
    env = {**os.environ, "TERM": "xterm-256color", "CAREER_CHAT_SEMANTIC": "off"}
    terminal = Terminal([EXE], env)
    try:
        terminal.wait_for(b"Ask anything", 60)  # loaded and answering
        shown = len(terminal.screen)
        terminal.process.send_signal(signum)
        assert terminal.wait_for_exit(30) == code
        after = terminal.screen[shown:]
        assert LEAVE_ALTERNATE_SCREEN in after and SHOW_CURSOR in after
        assert after.index(LEAVE_ALTERNATE_SCREEN) < after.index(said)  # said on the restored screen
        assert b"Traceback" not in after
    finally:
        terminal.close()


def test_the_app_stopped_during_a_long_load_ends_at_once(tmp_path):
    """The load runs in a thread that cannot be cancelled: the app must not wait for it."""
    folder = many_articles(tmp_path / "articles", count=200)
    env = {**os.environ, "TERM": "xterm-256color", "CAREER_CHAT_SEMANTIC": "off", "CAREER_CHAT_CACHE": str(tmp_path / "cache")}
    terminal = Terminal([EXE, "--article", str(folder)], env)
    try:
        terminal.wait_for("Loading the articles…".encode(), 60)  # a folder: several, said so
        started = time.monotonic()
        terminal.process.send_signal(signal.SIGTERM)
        assert terminal.wait_for_exit(30) == 143
        assert b"Ask anything" not in terminal.screen  # it was stopped mid-load, not after
        assert time.monotonic() - started < 5, "waited for the load to finish"
    finally:
        terminal.close()
