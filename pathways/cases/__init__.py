"""Case records: reading them, resolving their names, dating them, and writing them as RDF.

What lives here, in the order of the data flow:

- :mod:`~pathways.cases.records`: the records (events, cases, batches, rejections);
- :mod:`~pathways.cases.files`, :mod:`~pathways.cases.csv_input`,
  :mod:`~pathways.cases.rdf_input`: one reader per format, chosen by file name;
- :mod:`~pathways.cases.resolving`: names to model terms, one line per rejected case;
  :mod:`~pathways.cases.activity_map`: a case-management system's own names for them;
- :mod:`~pathways.cases.timestamps` and :mod:`~pathways.cases.workdays`: dates, UK time
  and the working-day calendar of England;
- :mod:`~pathways.cases.rdf`: the case graph the shapes validate (and its IRIs);
- :mod:`~pathways.cases.pseudonyms`, :mod:`~pathways.cases.trace`,
  :mod:`~pathways.cases.synth`: keyed pseudonyms, a case's route through its flowchart,
  synthetic cases with known deviations.

May import :mod:`pathways.model`; never the audit, the renderers, the comparison, the CLI,
``viz`` or the explorer.
"""

from pathways.cases.activity_map import ActivityMap, load_activity_map, read_activity_map
from pathways.cases.batches import read_batches
from pathways.cases.csv_input import REQUIRED_COLUMNS, read_csv
from pathways.cases.files import read_bytes, read_cases, refuse_duplicate_ids
from pathways.cases.limits import BATCH_BYTES, MAX_FILE_BYTES
from pathways.cases.pseudonyms import pseudonymise
from pathways.cases.rdf_input import read_rdf
from pathways.cases.records import CaseBatch, CaseRecord, Event, Rejection
from pathways.cases.resolving import resolver, unmapped_names
from pathways.cases.timestamps import parse_timestamp
from pathways.cases.trace import Trace, trace_case

__all__ = [
    "BATCH_BYTES",
    "MAX_FILE_BYTES",
    "REQUIRED_COLUMNS",
    "ActivityMap",
    "CaseBatch",
    "CaseRecord",
    "Event",
    "Rejection",
    "Trace",
    "load_activity_map",
    "parse_timestamp",
    "pseudonymise",
    "read_activity_map",
    "read_batches",
    "read_bytes",
    "read_cases",
    "read_csv",
    "read_rdf",
    "refuse_duplicate_ids",
    "resolver",
    "trace_case",
    "unmapped_names",
]
