"""The dashboard as served: ``streamlit run serve.py`` runs ``dashboard.py`` with Streamlit's own
front-end files answered from memory (``components/serving/frontend_files.py``), so a class opening the
link at once does not queue for them, and a path under a page (``/data-health/x``) redirected to
the page (``components/serving/routes.py``). ``streamlit run dashboard.py`` still works, without that."""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from components.serving.frontend_files import FrontEndFiles
from components.serving.routes import NestedPagePaths

app = st.App(Path(__file__).with_name("dashboard.py"),
             middleware=[Middleware(NestedPagePaths), Middleware(FrontEndFiles)])
