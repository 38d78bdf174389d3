"""The ``pathways`` command line: the composition root.

The command modules hold plain functions; they are registered here on the one Typer app,
in the order ``--help`` lists them: the model (``list``, ``show``, ``timescales``,
``export``, ``check``), case records (``validate``, ``trace``, ``synth``), flowcharts (``render``) and
the comparison (``compare``). This is the only part of ``pathways`` that may import
``viz``; it may import every stage of the core.
"""

from pathways.cli import case_commands, compare_commands, flowchart_commands, model_commands
from pathways.cli.app import app, run

__all__ = ["app", "run"]

for _name, _command in (
    ("list", model_commands.list_pathways),
    ("show", model_commands.show),
    ("timescales", model_commands.list_timescales),
    ("export", model_commands.export),
    ("check", model_commands.check),
    ("validate", case_commands.validate_cases),
    ("trace", case_commands.trace_command),
    ("synth", case_commands.synth_command),
    ("render", flowchart_commands.render_command),
    ("compare", compare_commands.compare_command),
):
    app.command(_name)(_command)
