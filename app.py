"""The Pathways explorer: `streamlit run app.py` (or `make explore`).

Four pages (in explorer/): Flowcharts for policy authors, Case and Audit for auditors,
Walkthrough for trainers. It runs on the shipped synthetic sample with no upload; uploaded
case files stay in the session's memory and are never written to disk.
"""

from pathlib import Path

import streamlit as st

from explorer import pages
from pathways.errors import ModelError
from pathways.model import authorities

# the page icon is a file of the project: a Material icon here would be fetched from Google's font CDN
ICON = Path(__file__).resolve().parent / "explorer" / "static" / "icon.png"
st.set_page_config(page_title="Pathways explorer", page_icon=str(ICON), layout="wide")
try:
    names = [a.name for a in authorities()]
except ModelError as exc:
    # a model with a mistake that would draw or audit the wrong thing is not shown at all
    st.error("The policy model cannot be used until these problems are fixed (`pathways check` lists them):")
    st.code(str(exc).split("\n", 1)[-1], language=None)
    st.stop()
found = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else "no authority"
st.sidebar.caption(
    f"Step Up / Step Down pathways of {found}, read from the cited policy model. "
    "Uploaded case files stay in this session's memory only: nothing is saved or sent anywhere."
)
st.navigation(pages()).run()
