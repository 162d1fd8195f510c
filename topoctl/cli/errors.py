"""How every failure reaches the user: one line ``Error: ...`` on stderr and an exit code, never a
traceback. 1: bad input or a design that cannot be made (TopoctlError); 2: command-line usage;
130: interrupted. ``TOPOCTL_DEBUG=1`` re-raises unexpected exceptions with their traceback."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

import typer
from typer._click import exceptions as click_errors  # typer vendors click
from typer.core import TyperGroup

from topoctl import budget
from topoctl.errors import TopoctlError

__all__ = ["EXIT_ERROR", "EXIT_USAGE", "EXIT_INTERRUPTED", "GuardedGroup", "one_line", "fail"]

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
MAX_MESSAGE_CHARS = 2000  # a message echoing hostile input stays readable


def one_line(message: object) -> str:
    """The message on one printable line: control, separator and unassigned characters escaped
    (a path holding a newline must not split the error in two), overlong messages shortened."""
    text = str(message)
    out = []
    for char in text:
        if char == " " or (char.isprintable() and unicodedata.category(char) not in ("Zl", "Zp")):
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    line = "".join(out)
    if len(line) > MAX_MESSAGE_CHARS:
        line = line[: MAX_MESSAGE_CHARS - 24] + f"... ({len(line):,} chars)"
    return line


def _echo_error(message: object) -> None:
    typer.echo(f"Error: {one_line(message)}", err=True)


def fail(message: object, code: int = EXIT_ERROR) -> NoReturn:
    """Print the one-line error and leave with ``code``."""
    _echo_error(message)
    raise typer.Exit(code)


def _usage_message(exc: Any) -> str:
    """Click's usage error without its usage banner: the option it concerns and what is wrong."""
    hint = ""
    if isinstance(exc, click_errors.BadParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) else ""
        if not hint and exc.param is not None:
            hint = "/".join(exc.param.opts) if getattr(exc.param, "opts", None) else str(exc.param.name)
        message = exc.message.removeprefix("Value error, ")
        return f"{hint}: {message}" if hint else message
    return exc.format_message()


@contextlib.contextmanager
def _shipped_catalog_after() -> Iterator[None]:
    """The shipped parts catalog is active again after the command (a --catalog file was its own). The
    catalog module is looked up, not imported, so a command that never loaded it does not pay for it."""
    try:
        yield
    finally:
        parts = sys.modules.get("topoctl.catalog")
        if parts is not None:
            parts.use_files(())


def _protect_stdout() -> None:
    """Characters the terminal's encoding lacks (PYTHONIOENCODING=ascii, a C locale) are escaped
    instead of ending the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream already written to in another mode
                reconfigure(errors="backslashreplace")


class GuardedGroup(TyperGroup):
    """The command group with one error wrapper around every command."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The group's own flags (--help, completion) default to False rather than None: typer coerces a
        None through pydantic, which would load it for every `topoctl COMMAND --help`."""
        params = super().get_params(ctx)
        for param in params:
            descriptor = getattr(param, "type_descriptor", None)
            if descriptor is not None and descriptor.annotation is bool and param.default is None:
                param.default = False
        return params

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        _protect_stdout()
        try:
            with budget.limited(), _shipped_catalog_after():  # a command's limits and --catalog end with it
                code = super().main(args, prog_name, complete_var, standalone_mode=False,
                                   windows_expand_args=windows_expand_args, **extra)
        except click_errors.NoArgsIsHelpError as exc:  # a bare `topoctl` or `topoctl size`: the help, on stdout
            if exc.format_message():  # (rich help, when enabled, prints itself and leaves the message empty)
                typer.echo(exc.format_message())
            code = EXIT_USAGE
        except click_errors.UsageError as exc:
            _echo_error(_usage_message(exc))
            code = EXIT_USAGE
        except click_errors.ClickException as exc:
            _echo_error(exc.format_message())
            code = exc.exit_code
        except TopoctlError as exc:
            _echo_error(exc)
            code = getattr(exc, "exit_code", EXIT_ERROR)  # an export ended by a signal: 128 + its number
        except (typer.Abort, KeyboardInterrupt):
            _echo_error("interrupted")
            code = EXIT_INTERRUPTED
        except RecursionError:
            _echo_error("input nested too deeply to read; flatten it")
            code = EXIT_ERROR
        except MemoryError:
            _echo_error("out of memory; size a smaller design or analyse one plane (--design)")
            code = EXIT_ERROR
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader went away (| head): nothing left to say
                code = EXIT_ERROR
            else:
                if os.environ.get("TOPOCTL_DEBUG"):
                    raise
                _echo_error(f"{exc.filename or 'system'}: {exc.strerror or exc.__class__.__name__}")
                code = EXIT_ERROR
        except Exception as exc:  # a bug: still one line for the user, the traceback on request
            if os.environ.get("TOPOCTL_DEBUG"):
                raise
            _echo_error(f"internal error ({exc.__class__.__name__}: {exc}); rerun with TOPOCTL_DEBUG=1 and report it")
            code = EXIT_ERROR
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code
