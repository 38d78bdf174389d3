"""The Streamlit explorer: one page module per task, opened through ``st.navigation`` in app.py.

Pages: Flowcharts (policy authors), Case (auditors and practitioners), Audit (auditors) and
Walkthrough (trainers), Compare (policy authors). Shared, cached reading of the model lives in :mod:`explorer.common`.
"""

from __future__ import annotations

PAGE_FILES = {
    "flowcharts": "explorer/flowcharts.py",
    "case": "explorer/case.py",
    "audit": "explorer/audit.py",
    "walkthrough": "explorer/walkthrough.py",
}


def pages() -> list:
    """The ``st.Page`` objects of the explorer, in menu order (Flowcharts first, the default)."""
    import streamlit as st

    from explorer import compare

    return [
        st.Page(PAGE_FILES["flowcharts"], title="Flowcharts", icon=":material/account_tree:", default=True),
        st.Page(PAGE_FILES["case"], title="Case", icon=":material/person_search:"),
        st.Page(PAGE_FILES["audit"], title="Audit", icon=":material/fact_check:"),
        st.Page(PAGE_FILES["walkthrough"], title="Walkthrough", icon=":material/school:"),
        st.Page(compare.page, title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    ]
