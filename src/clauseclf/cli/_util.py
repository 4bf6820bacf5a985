"""What every command shares: typed library errors become one line on stderr and an exit code."""

from __future__ import annotations

import functools
import logging

import typer

from clauseclf.errors import ClauseclfError


def user_errors(command):
    """Turn the library's typed errors into one line on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        configure_logging()
        try:
            return command(*args, **kwargs)
        except ClauseclfError as error:
            typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.secho("interrupted: run the same command with --resume to finish", err=True)
            raise typer.Exit(130) from None

    return wrapper


def configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
