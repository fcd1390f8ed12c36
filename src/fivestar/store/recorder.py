"""Recording a run beside its report: the store is written while the report is.

`Recording` forks a child process that opens the store and writes the whole run inside its
transaction while the parent writes the report, then holds the transaction open until the
parent calls `commit()` — once the report is in place. If the report fails, or the parent
dies, the child sees the pipe close and rolls back: as when run one after the other, no run
is recorded whose report was not written. On two cores this takes the store's time (~0.7 s
at 20,000 officers) off the run.

Where a child cannot be forked (see `fivestar.parallel`) or there is one core, `commit()`
records the run in this process instead, after the report.
"""

from __future__ import annotations

import contextlib
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from fivestar.errors import FivestarError, StoreError
from fivestar.parallel import cores, fork_context

if TYPE_CHECKING:
    from multiprocessing.context import ForkProcess

    from fivestar.run import RunResult

_COMMIT = "commit"
_JOIN_SECONDS = 30.0


class Recording:
    """A run being recorded. Call `commit()` once the report is written; leaving the `with`
    block without it abandons the run, and nothing of it is stored."""

    def __init__(self, db: str | Path | None, result: RunResult, command_line: str) -> None:
        self._db, self._result, self._command_line = db, result, command_line
        self._process: ForkProcess | None = None
        self._pipe: Connection | None = None
        context = fork_context() if cores() > 1 else None
        if context is not None:
            self._pipe, theirs = context.Pipe()
            self._process = context.Process(
                target=_record_in_child,
                args=(theirs, self._pipe, db, result, command_line),
                name="fivestar-recorder",
            )
            self._process.start()
            theirs.close()

    @property
    def forked(self) -> bool:
        return self._process is not None

    def commit(self) -> int:
        """The report is in place: commit the run. Returns its id; raises StoreError."""
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
                "cannot record the run: the recording process stopped "
                f"(exit code {self._process.exitcode})"
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
        """Close the pipe (an uncommitted child then rolls back) and wait for the child."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._process is not None:
            self._process.join(_JOIN_SECONDS)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()

    def __enter__(self) -> Recording:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._close()


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
    pipe: Connection,
    parents: Connection,
    db: str | Path | None,
    result: RunResult,
    command_line: str,
) -> None:
    """The child's whole life: record the run, commit on the parent's word, send the id."""
    from fivestar.store import open_store

    parents.close()  # else the pipe would stay open when the parent dies, and we would wait

    reply: tuple[str, Any]
    try:
        with open_store(db) as store:
            run_id = store.record(result, command_line, before_commit=lambda: _await_commit(pipe))
        reply = ("ok", run_id)
    except _Abandoned:
        return
    except FivestarError as err:
        reply = ("error", err)
    except BaseException as err:  # the parent reports it as one line
        reply = ("error", StoreError(f"cannot record the run: {type(err).__name__}: {err}"))
    with contextlib.suppress(OSError):  # if the parent is gone, there is no one to tell
        pipe.send(reply)
