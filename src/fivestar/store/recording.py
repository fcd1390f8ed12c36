"""Recording a run beside its report: the store is written while the report is.

`Recording` forks a child process that prepares the whole run while the parent writes the
report: it builds the rows and stages the big tables in temporary tables of its own
connection, which lock nothing (`Store.record(when_ready=...)`). When the parent calls
`commit()` — once the report is built, before it is moved into place — the child takes
the run's lock and writes the run in one short transaction, the database copying the
staged rows. If the report fails
the child is stopped, and if the parent dies the child dies with it: either way no run is
recorded whose report was not written, as when run one after the other (the store itself
may have been created or migrated by then, as opening it does). On two cores this takes
most of the store's time (~0.7 s at 20,000 officers) off the run, and other clerks' runs
are never kept waiting for this one's report.

`StoreProbe` checks the store can be reached (`fivestar.store.probe_store`: nothing is
written) in another forked child while the files are read, so that a run whose store cannot
be reached still writes nothing, without this process importing the database layer at all.

Where a child cannot be forked (see `fivestar.parallel`) or there is one core, the probe
opens the store here and `commit()` records the run here, after the report.
"""

from __future__ import annotations

import contextlib
import gc
import os
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fivestar.errors import FivestarError, StoreError, described
from fivestar.i18n import N_
from fivestar.parallel import child_started, cores, fork_context, interrupts_held

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext, ForkProcess

    from fivestar.model import RunResult

_COMMIT = "commit"
_JOIN_SECONDS = 30.0


def _forking() -> ForkContext | None:
    return fork_context() if cores() > 1 else None


class StoreProbe:
    """The store checked while the files are read. `wait()` before writing anything: it
    raises the StoreError that opening the store would raise."""

    def __init__(self, db: str | Path | None, month: str | None = None) -> None:
        self._process: ForkProcess | None = None
        self._pipe: Connection | None = None
        self._decisions: tuple[Any, ...] = ()
        context = _forking()
        if context is None:
            from fivestar.store import probe_store

            self._decisions = probe_store(db, month)
            return
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(
            target=_probe_in_child,
            args=(os.getpid(), theirs, self._pipe, db, month),
            name="fivestar-probe",
        )
        _start(self._process, self._pipe, theirs)

    def wait(self) -> tuple[Any, ...]:
        """The month's exclusions in force (`fivestar.store.decisions.Decision`), once the
        store is known to be usable."""
        if self._process is None or self._pipe is None:
            return self._decisions
        try:
            error, decisions = self._pipe.recv()
        except (EOFError, OSError):
            self._process.join(_JOIN_SECONDS)
            error, decisions = (
                StoreError(
                    N_(
                        "cannot open the results store: the process opening it stopped "
                        "(exit code {code})"
                    ),
                    code=self._process.exitcode,
                ),
                (),
            )
        self.close()
        if error is not None:
            raise error
        self._decisions = tuple(decisions)
        return self._decisions

    def close(self) -> None:
        """After `wait()`, the child has ended; before it (the run stopped early), it is
        stopped rather than waited for: a store being created or migrated rolls back."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        _close(self._pipe, self._process)
        self._pipe = self._process = None

    def __enter__(self) -> StoreProbe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _probe_in_child(
    parent: int, pipe: Connection, parents: Connection, db: str | Path | None, month: str | None
) -> None:
    child_started(parent)
    parents.close()
    from fivestar.store import probe_store

    error: StoreError | None = None
    decisions: tuple[Any, ...] = ()
    try:
        decisions = probe_store(db, month)
    except StoreError as err:
        error = err
    except BaseException as err:  # the parent reports it as one line
        error = StoreError(N_("cannot open the results store: {reason}"), reason=described(err))
    with contextlib.suppress(OSError):
        pipe.send((error, decisions))


class Recording:
    """A run being recorded. Call `commit()` once the report is written; leaving the `with`
    block without it abandons the run, and nothing of it is stored."""

    def __init__(self, db: str | Path | None, result: RunResult, command_line: str) -> None:
        self._db, self._result, self._command_line = db, result, command_line
        self._process: ForkProcess | None = None
        self._pipe: Connection | None = None
        context = _forking()
        if context is not None:
            _release_free_memory()
            self._pipe, theirs = context.Pipe()
            self._process = context.Process(
                target=_record_in_child,
                args=(os.getpid(), theirs, self._pipe),
                kwargs={"db": db, "result": result, "command_line": command_line},
                name="fivestar-recorder",
            )
            _start(self._process, self._pipe, theirs)

    @property
    def forked(self) -> bool:
        return self._process is not None

    def commit(self) -> int:
        """The report is built: commit the run. Returns its id; raises StoreError."""
        if self._process is None or self._pipe is None:
            from fivestar.store import open_store

            with open_store(self._db) as store:
                return store.record(self._result, self._command_line)
        # the child may have stopped already: its reply (or its absence) then says why
        with contextlib.suppress(OSError):
            self._pipe.send(_COMMIT)
        reply = self._reply()
        if reply is None:
            self._process.join(_JOIN_SECONDS)
            raise StoreError(
                N_("cannot record the run: the recording process stopped (exit code {code})"),
                code=self._process.exitcode,
            )
        kind, value = reply
        self._close()
        if kind == "error":
            raise value
        return int(value)

    def _reply(self) -> tuple[str, Any] | None:
        assert self._pipe is not None
        try:
            reply: tuple[str, Any] = self._pipe.recv()
        except (EOFError, OSError):
            return None
        return reply

    def _close(self) -> None:
        """Close the pipe and wait for the child."""
        _close(self._pipe, self._process)
        self._pipe = None

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, *exc: object) -> None:
        """Without a commit (the report failed, Ctrl-C), the child is stopped at once: the
        database rolls back what it had written, as it does for any process that dies."""
        if self._pipe is not None and self._process is not None and self._process.is_alive():
            self._process.kill()
        self._close()


def _release_free_memory() -> None:
    """Give the heap's free pages back to the system before the recorder is forked. Kept,
    the report would reuse them after the fork: each page written while the child still
    shares it is copied, and counted twice in the memory of the run."""
    import ctypes  # only needed where fivestar forks

    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc's
    except (OSError, AttributeError):
        return
    trim(0)


def _start(process: ForkProcess, ours: Connection, theirs: Connection) -> None:
    """Start `process`, holding Ctrl-C until it has set itself up (`child_started`). A
    Ctrl-C held meanwhile is raised as the hold ends, before the caller can know the child:
    it is then stopped here, rather than at the parent's death."""
    try:
        with interrupts_held():
            process.start()
    except BaseException:
        if process.pid is not None:
            process.kill()
            process.join()
        ours.close()
        raise
    finally:
        theirs.close()


def _close(pipe: Connection | None, process: ForkProcess | None) -> None:
    """Close our end of the pipe, then wait for the child (killed if it will not end)."""
    if pipe is not None:
        pipe.close()
    if process is not None:
        process.join(_JOIN_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


class _Abandoned(Exception):
    """The parent closed the pipe without a commit: the report was not written."""


def _await_commit(pipe: Connection) -> None:
    try:
        message = pipe.recv()
    except (EOFError, OSError):
        raise _Abandoned from None
    if message != _COMMIT:
        raise _Abandoned


def _record_in_child(
    parent: int,
    pipe: Connection,
    parents: Connection,
    *,
    db: str | Path | None,
    result: RunResult,
    command_line: str,
) -> None:
    """The child's whole life: record the run, commit on the parent's word, send the id."""
    child_started(parent)
    # The parent's objects are never collected here: a collection would write to each of
    # them, copying every page of the parent's heap into this process.
    gc.freeze()
    parents.close()  # else the pipe would stay open when the parent dies, and we would wait
    from fivestar.store import open_store

    reply: tuple[str, Any]
    try:
        with open_store(db) as store:
            run_id = store.record(result, command_line, when_ready=lambda: _await_commit(pipe))
        reply = ("ok", run_id)
    except _Abandoned:
        return
    except FivestarError as err:
        reply = ("error", err)
    except BaseException as err:  # the parent reports it as one line
        reply = ("error", StoreError(N_("cannot record the run: {reason}"), reason=described(err)))
    with contextlib.suppress(OSError):  # if the parent is gone, there is no one to tell
        pipe.send(reply)
