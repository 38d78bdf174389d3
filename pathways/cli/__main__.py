"""``python -m pathways.cli``: the command line."""

from pathways.cli import run

if __name__ == "__main__":
    run()
