"""The process around a command: closed standard streams, signals, a reader that goes away.

- A standard stream that was closed when factcheck started (`factcheck a.txt >&-`) is opened on
  /dev/null, so that no file the run opens takes its descriptor. Writing the report to a closed
  standard output is an error (exit 2); messages to a closed standard error are dropped.
- SIGTERM ends the run as Ctrl-C does: through the same cleanup (a temporary report file is removed,
  worker processes are stopped), with exit 143 (Ctrl-C: 130).
- A reader that closes standard output early (`factcheck … | head`) ends the output quietly.

Only the command line uses this module; a program calling factcheck's functions keeps its own
streams and signal handlers.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
EXIT_TERMINATED = 143  # 128 + SIGTERM
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of standard output went away (where no other code is known)

_state = {"stdout_closed": False, "stdout_gone": False}


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that the run unwinds (cleanup included) as for Ctrl-C."""


class StdoutGone(Exception):
    """The reader of standard output closed it (a broken pipe). Not an OSError: click turns those into
    exit 1."""


class StdoutClosedError(OSError):
    pass


class ClosedStdout(io.TextIOBase):
    """Standard output that was closed when factcheck started: writing to it is an error."""

    def writable(self) -> bool:
        return True

    def write(self, s) -> int:
        raise StdoutClosedError(errno.EBADF, "standard output is closed")

    @property
    def buffer(self):
        return self

    def isatty(self) -> bool:
        return False


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def guard_streams() -> None:
    """Open /dev/null on a closed standard descriptor; make sys.stdout/sys.stderr usable objects."""
    for fd in (0, 1, 2):
        if not _fd_open(fd):
            null = os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: fd itself
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            if fd == 1:
                _state["stdout_closed"] = True
                sys.stdout = ClosedStdout()
            elif fd == 2:
                sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    if sys.stdout is None:
        _state["stdout_closed"] = True
        sys.stdout = ClosedStdout()


def stdout_closed() -> bool:
    return _state["stdout_closed"]


def stdout_gone() -> bool:
    return _state["stdout_gone"]


def silence_stdout() -> None:
    """The reader went away: later writes (and the flush at exit) go to /dev/null, quietly."""
    _state["stdout_gone"] = True
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def is_broken_pipe(e: BaseException) -> bool:
    return isinstance(e, BrokenPipeError) or (isinstance(e, OSError) and e.errno == errno.EPIPE)


def _on_sigterm(signum, frame):
    raise Terminated()


def install_signal_handlers():
    """SIGTERM raises Terminated in the main thread; returns the previous handlers (restore_signals)."""
    try:
        return {signal.SIGTERM: signal.signal(signal.SIGTERM, _on_sigterm)}
    except (ValueError, OSError):  # not the main thread
        return {}


def restore_signals(previous) -> None:
    for sig, handler in previous.items():
        try:
            signal.signal(sig, handler)
        except (ValueError, OSError, TypeError):
            pass


def message(text: str) -> None:
    """One line on standard error, whatever state it is in."""
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def finish_streams() -> None:
    """Flush standard output before exit: a reader that went away now is quiet too."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            if stream is sys.stdout:
                silence_stdout()


def stdout_exit_code() -> int:
    """The exit code of a command whose reader closed standard output (where no other code is known)."""
    return EXIT_BROKEN_PIPE


def shown(s) -> str:
    from factcheck.display import shown as _shown

    return _shown(s if isinstance(s, str) else os.fsdecode(s) if isinstance(s, bytes) else str(s))


def run_command(call, argv) -> None:
    """Run a click command line (call: its main in non-standalone mode) as a process: exits with its
    code, 130 on Ctrl-C, 143 on SIGTERM, quietly when the reader of standard output went away, 2 with
    one line for an error that is not the command's own (the traceback with --debug in argv)."""
    import click

    guard_streams()
    previous = install_signal_handlers()
    try:
        rv = call()
        code = rv if isinstance(rv, int) else 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    except (click.exceptions.Abort, KeyboardInterrupt):
        message("factcheck: interrupted")
        code = EXIT_INTERRUPTED
    except Terminated:
        message("factcheck: terminated")
        code = EXIT_TERMINATED
    except click.ClickException as e:
        try:
            e.show()
        except OSError:
            pass
        code = e.exit_code
    except StdoutGone:
        silence_stdout()
        code = stdout_exit_code()
    except OSError as e:
        if is_broken_pipe(e):
            silence_stdout()
            code = stdout_exit_code()
        else:
            where = f" ({shown(e.filename)})" if e.filename else ""
            message(f"factcheck: error: {e.strerror or e}{where}")
            code = 2
    except Exception as e:  # a bug: one line, the traceback with --debug
        if "--debug" in argv:
            import traceback

            message(traceback.format_exc().rstrip())
        message(f"factcheck: internal error: {type(e).__name__}: {e}"
                + ("" if "--debug" in argv else " (run with --debug for the traceback)"))
        code = 2
    finally:
        restore_signals(previous)
    finish_streams()
    sys.exit(code)
