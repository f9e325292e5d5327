"""Errors a user can fix: the CLI prints them as one line and exits with code 2."""

from __future__ import annotations

import difflib
from typing import Mapping, TypeVar

T = TypeVar("T")


class UserError(ValueError):
    """Bad input from a user (parameter, scenario, file, option).

    The message must be a single line that names the problem and the allowed
    values, so the CLI, the browser app and the sweep runner can show it as is.
    """


def lookup(table: Mapping[str, T], name: str, what: str, where: str,
           error: type[UserError] = UserError) -> T:
    """`table[name]`, or one line naming the unknown `what`, the closest known name and `where`
    the list is (the registries of parameters and of metrics look names up this way)."""
    try:
        return table[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(table), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise error(f"unknown {what} '{name}'{hint} ({where})") from None
