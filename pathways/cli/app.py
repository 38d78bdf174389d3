"""The ``pathways`` application: the Typer app, and how every command ends.

Any :class:`~pathways.errors.PathwaysError` becomes one line on standard error
(``pathways: error: ...``) and its exit code (2); a command's own refusal goes through
:func:`fail`. Output goes to standard output or, with ``-o``, to a file written whole.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer

from pathways.errors import PathwaysError
from pathways.render.files import write_atomically

__all__ = ["app", "emit", "fail", "run"]

app = typer.Typer(
    help="Step Up / Step Down pathways of English children's social care, as a cited knowledge model.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> NoReturn:
    """End the command with one line on stderr."""
    typer.echo(f"pathways: error: {message}", err=True)
    raise typer.Exit(code)


def emit(text: str, output: Path | None) -> None:
    """Write a command's output to stdout, or whole to ``output`` (saying so on stderr)."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text)
        typer.echo(f"wrote {output}", err=True)


def run() -> None:
    """Entry point that turns the project's errors into one line and exit code 2."""
    try:
        app()
    except PathwaysError as exc:
        typer.echo(f"pathways: error: {exc}", err=True)
        sys.exit(exc.exit_code)
