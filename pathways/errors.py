"""Errors that the command line turns into one clear line and exit code 2."""


class InputError(Exception):
    """Unusable input: the message names the file and the row, column or triple at fault."""

    exit_code = 2


class ModelError(InputError):
    """The policy model itself (ontology/) is malformed."""
