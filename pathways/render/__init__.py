"""Outputs people and other tools open: tables, the HTML audit report, BPMN, Mermaid,
GraphML, RDF exports, vocabulary documentation, and the colours they share.

- :mod:`~pathways.render.tables`: rows as a terminal table, CSV, JSON or Markdown;
- :mod:`~pathways.render.audit_report`: the audit as one self-contained HTML page;
- :mod:`~pathways.render.comparison`: a comparison of two authorities in every format;
- :mod:`~pathways.render.bpmn`, :mod:`~pathways.render.mermaid`: one pathway as BPMN 2.0
  XML or a Mermaid flowchart; :mod:`~pathways.render.exports`: the whole model as Turtle,
  JSON-LD, GraphML or HTML documentation (:mod:`~pathways.render.vocabulary_docs`);
- :mod:`~pathways.render.files`: writing a file whole or not at all;
- :mod:`~pathways.render.palette`: every colour, named once.

May import every stage before it (model, cases, audit, compare); never the CLI, ``viz``
or the explorer. The Graphviz flowcharts are drawn by ``viz``, which uses the palette.
"""
