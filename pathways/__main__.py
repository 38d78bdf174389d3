"""``python -m pathways``: the command line, as the ``pathways`` script runs it."""

from pathways.cli import run

if __name__ == "__main__":
    run()
