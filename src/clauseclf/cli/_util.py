"""What every command shares: typed library errors become one line on stderr and an exit code."""

from __future__ import annotations

import functools
import logging

import typer

from clauseclf.errors import ClauseclfError


def user_errors(command=None, *, on_interrupt: str = "interrupted"):
    """Turn the library's typed errors into one line on stderr and a non-zero exit, never a traceback.

    `on_interrupt` is what Ctrl+C prints: how to finish, in the options of the command it wraps
    (`@user_errors(on_interrupt="interrupted: run the same command with --resume to finish")`).
    """
    if command is None:
        return functools.partial(user_errors, on_interrupt=on_interrupt)

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        configure_logging()
        try:
            return command(*args, **kwargs)
        except ClauseclfError as error:
            typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.secho(on_interrupt, err=True)
            raise typer.Exit(130) from None

    return wrapper


def configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
