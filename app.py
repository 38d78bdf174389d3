"""The Pathways explorer: `streamlit run app.py` (or `make explore`).

Four pages (in explorer/): Flowcharts for policy authors, Case and Audit for auditors,
Walkthrough for trainers. It runs on the shipped synthetic sample with no upload; uploaded
case files stay in the session's memory and are never written to disk.
"""

import streamlit as st

from explorer import pages

st.set_page_config(page_title="Pathways explorer", page_icon=":material/account_tree:", layout="wide")
st.sidebar.caption(
    "Step Up / Step Down pathways of Cheshire East and Knowsley, read from the cited policy model. "
    "Uploaded case files stay in this session's memory only: nothing is saved or sent anywhere."
)
st.navigation(pages()).run()
