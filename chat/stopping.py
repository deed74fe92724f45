"""How a signal ends a run: at once, with the shell's exit code, and no process left behind.

Python's default SIGTERM and SIGHUP kill the process where it stands, and a parallel
folder load's workers (forked, waiting on a queue only the dead parent would close) went
on running, holding stdout open: `career-chat ... | cat` never ended. Raising an exception
from the handler instead, as SIGINT does, is not reliable either: the handler runs at any
bytecode, so the exception can land in a fork hook or a finaliser, where Python prints and
drops it (the run then went on and exited 0), or halfway through starting the pool, whose
shutdown then misses the workers it was starting.

So the command line ends a run itself: it kills the processes it started, says why in one
line, and exits with 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM). The
chat app instead hands the signals to its event loop, and closes as on ctrl+q, restoring
the terminal first.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# The signals that end a run: Ctrl-C, `kill`, and a closed terminal.
ENDING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def exit_code(signum: int) -> int:
    """128 + the signal's number, as a shell reports a command a signal ended."""
    return 128 + signum


def describe(signum: int) -> str:
    """What ended the run, in a word or three for stderr, named as every line of ours is."""
    return "career-chat: " + ("interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}")


def _untouched(signum: int) -> bool:
    """Whether a signal still has Python's own handling (an ignored one, as `nohup` leaves
    SIGHUP, stays ignored)."""
    return signal.getsignal(signum) in (signal.SIG_DFL, signal.default_int_handler)


@contextmanager
def ending_at_once() -> Iterator[None]:
    """Within: SIGINT, SIGTERM and SIGHUP end the process (see the module's docstring); the
    handlers found are put back after. Off the main thread (a test calling `main`) it
    changes nothing: only the main thread may set handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handler = _ender(os.getpid())
    previous = {signum: signal.signal(signum, handler) for signum in ENDING if _untouched(signum)}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _ender(owner: int) -> Callable[[int, object], None]:
    def handle(signum: int, frame: object) -> None:
        if os.getpid() != owner:
            # A worker forked from the command inherits this handler, but has nothing of
            # ours to end: the signal does to it what it would have done.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        end_children()
        # Straight to the descriptor: the handler may have interrupted a write to stderr's
        # buffer, and stdout's may be stuck on a reader that stopped reading.
        os.write(2, f"\n{describe(signum)}\n".encode())
        os._exit(exit_code(signum))

    return handle


def end_children() -> None:
    """Kill and reap every process this one started and has not reaped yet."""
    for pid in _children():
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):  # ended, or reaped, meanwhile
            pass


def _children() -> set[int]:
    """This process's children: those multiprocessing started, and on Linux every one
    /proc lists (a worker forked a moment before multiprocessing wrote it down)."""
    import multiprocessing

    pids = {child.pid for child in multiprocessing.active_children() if child.pid}
    try:
        for task in Path("/proc/self/task").iterdir():
            pids.update(int(pid) for pid in (task / "children").read_text().split())
    except OSError:  # not Linux, or no /proc
        pass
    pids.discard(os.getpid())
    return pids


class LoopSignals:
    """SIGINT, SIGTERM and SIGHUP handed to a running asyncio loop (the chat app's): `stop`
    runs there, between the app's own steps, so the app can close as it does on ctrl+q and
    restore the terminal. Without this, asyncio's own SIGINT handler cancels the app, which
    then exits 0."""

    def __init__(self, stop: Callable[[int], None]):
        self._stop = stop
        self._previous: dict[int, object] = {}

    def catch(self) -> None:
        """From inside the loop, on the main thread."""
        import asyncio

        loop = asyncio.get_running_loop()
        for signum in ENDING:
            if signal.getsignal(signum) == signal.SIG_IGN:  # `nohup`: stays ignored
                continue
            self._previous[signum] = signal.getsignal(signum)
            loop.add_signal_handler(signum, self._stop, signum)

    def release(self) -> None:
        """Give the signals back to the handlers found (asyncio would leave the defaults)."""
        import asyncio

        loop = asyncio.get_running_loop()
        for signum, handler in self._previous.items():
            loop.remove_signal_handler(signum)
            signal.signal(signum, handler)
        self._previous.clear()
