"""The dashboard as served: ``streamlit run serve.py`` runs ``dashboard.py`` with Streamlit's own
front-end files answered from memory (``components/serving/frontend_files.py``), so a class opening the
link at once does not queue for them, and every path opened in a browser sent to a page
(``components/serving/routes.py``: ``/compare?c=USA,CHN,RUS`` to ``/?c=USA,CHN,RUS``, a menu name to
its page, an unknown path to the compare page with a notice). ``streamlit run dashboard.py`` still
works, without that."""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from components.serving.frontend_files import FrontEndFiles
from components.serving.routes import PagePaths

app = st.App(Path(__file__).with_name("dashboard.py"),
             middleware=[Middleware(PagePaths), Middleware(FrontEndFiles)])
