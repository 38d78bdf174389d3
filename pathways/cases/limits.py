"""How much input is read: a file larger than this is refused before it is read."""

__all__ = ["MAX_FILE_BYTES"]

MAX_FILE_BYTES = 200 * 1024 * 1024
