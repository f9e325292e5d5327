"""Errors a user can fix: the CLI prints them as one line and exits with code 2."""


class UserError(ValueError):
    """Bad input from a user (parameter, scenario, file, option).

    The message must be a single line that names the problem and the allowed
    values, so the CLI, the browser app and the sweep runner can show it as is.
    """
