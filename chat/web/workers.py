"""`career-chat serve --workers N`: worker processes that end as the command ends.

uvicorn's own manager (`uvicorn.run(..., workers=N)`) takes SIGINT, SIGTERM and SIGHUP
for itself and keeps them: stopped by one, the command exited 0 without a word, where
with one worker it says why and exits 128 + the signal's number (`chat.stopping`), and a
hang-up restarted the workers instead of ending them. `Supervisor` is that manager,
ended by each of the three: the workers shut down gracefully, then the signal is raised
again under the handlers found before, as uvicorn's one-process server does.

A worker that cannot load the article (gone since the command loaded it, say) says why in
one line and exits with the command's code for it; uvicorn restarted such workers for ever,
each printing a traceback. `Supervisor` then stops them all and the command exits with that
code.

A command killed outright (`kill -9`) cannot end its workers, which went on answering on
the port. So `serve` names its pid to the workers it starts (SERVE_PID_VARIABLE), and such
a worker shuts down once that process is gone (`end_with`). A worker started any
other way (`uvicorn --factory chat.web.server:from_environment`) is left as uvicorn runs it.
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import re
import signal
import socket
from multiprocessing.process import BaseProcess

from uvicorn import Config, Server
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process

from knowledge.lifetime import when_gone

from ..failures import EXIT_INTERNAL, EXIT_USAGE, said
from ..stopping import ENDING

# Set by `serve` for the workers it starts: its own pid. Read back as untrusted text.
SERVE_PID_VARIABLE = "CAREER_CHAT_SERVE_PID"
# The exit code of a uvicorn worker whose server failed to start (its lifespan, say).
STARTUP_FAILURE = 3


class Supervisor(Multiprocess):
    """uvicorn's worker manager, ended by SIGINT, SIGTERM and SIGHUP alike (see the module's
    docstring); a signal found ignored (SIGHUP under `nohup`) stays ignored."""

    def __init__(self, config: Config, sockets: list) -> None:
        self.found = {signum: signal.getsignal(signum) for signum in ENDING}
        self.stopped_by: int | None = None
        self.failed = 0  # a worker's exit code, when one could not start
        # uvicorn 0.41 (the oldest taken) wants the workers' target too; later ones make their own.
        target = {"target": Server(config).run} if "target" in inspect.signature(Multiprocess).parameters else {}
        super().__init__(config, sockets=sockets, **target)  # takes the signals
        for signum, handler in self.found.items():
            if handler == signal.SIG_IGN:
                signal.signal(signum, signal.SIG_IGN)

    def handle_int(self) -> None:
        self.stop(signal.SIGINT)

    def handle_term(self) -> None:
        self.stop(signal.SIGTERM)

    def handle_hup(self) -> None:  # uvicorn's own restarts the workers, which outlive a closed terminal
        self.stop(signal.SIGHUP)

    def stop(self, signum: int) -> None:
        if self.stopped_by is None:
            self.stopped_by = signum
        self.should_exit.set()

    def keep_subprocess_alive(self) -> None:
        """uvicorn's: a worker gone or hung is killed and started again; but one that could
        not start stops them all, as every restart would fail alike. (Checked first and
        uvicorn's run after, a worker failing in between was started again.)"""
        if self.should_exit.is_set() or self._stopped_by_failure():
            return
        for index, worker in enumerate(self.processes):
            if worker.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            worker.kill()
            worker.join()
            if self._stopped_by_failure() or self.should_exit.is_set():
                return
            self.processes[index] = self._worker()
            self.processes[index].start()

    def _stopped_by_failure(self) -> bool:
        """Whether a worker has exited as one that could not start (then all are stopped)."""
        for worker in self.processes:
            code = worker.process.exitcode  # None while it runs
            if code in (EXIT_USAGE, EXIT_INTERNAL, STARTUP_FAILURE):
                self.failed = EXIT_INTERNAL if code == STARTUP_FAILURE else code
                self.should_exit.set()
                return True
        return False

    def _worker(self) -> Process:
        """A new worker, as uvicorn makes one (0.41 passes the target; later ones do not)."""
        if "target" in inspect.signature(Process).parameters:
            return Process(self.config, self.target, self.sockets)
        return Process(self.config, self.sockets)

    def run(self) -> int:
        """Serve until a signal or a worker that cannot start ends it; the exit code then
        (a signal is raised again instead)."""
        try:
            super().run()  # returns once the workers have ended
        finally:
            for signum, handler in self.found.items():
                signal.signal(signum, handler)
        if self.stopped_by is not None:
            signal.raise_signal(self.stopped_by)
        return self.failed


def run_workers(config: Config, sock: socket.socket) -> int:
    """Serve with `config.workers` workers on `sock` until a signal ends them (and then the
    process, as that signal says); the exit code when the workers could not start."""
    os.environ[SERVE_PID_VARIABLE] = str(os.getpid())
    return Supervisor(config, sockets=[sock]).run()


def cannot_start(error: Exception) -> int:
    """A worker's load failed: say why as the command would (bad input, or a bug) and give
    the exit code that tells `Supervisor` not to restart it."""
    return said(error, bad_input=isinstance(error, ValueError))


def from_setting(variable: str, error: Exception) -> Exception:
    """An article's error as a worker of a user's own uvicorn says it: naming the variable
    the article came from, the one setting to fix."""
    from knowledge.inputs import ArticleError

    return ArticleError(f"{variable}: {error}") if isinstance(error, ArticleError) else error


def serve_parent() -> BaseProcess | None:
    """The `career-chat serve` that started this worker, or None (a worker of a user's own
    uvicorn). multiprocessing gives a spawned child a handle on its parent; only a parent
    with the pid `serve` named is taken for it."""
    parent = multiprocessing.parent_process()
    return parent if parent is not None and parent.pid == serve_pid(os.environ.get(SERVE_PID_VARIABLE, "")) else None


def end_with(parent: BaseProcess) -> None:
    """Shut this worker down once `parent` is gone, however it ends: its server shuts down
    as on `kill`."""
    when_gone(parent, lambda: os.kill(os.getpid(), signal.SIGTERM), name="end with serve")


def serve_pid(value: str) -> int | None:
    """The pid in SERVE_PID_VARIABLE's value: plain ASCII digits, not starting with 0, or none."""
    return int(value) if re.fullmatch(r"[1-9][0-9]{0,9}", value) else None
