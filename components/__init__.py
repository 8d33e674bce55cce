"""The dashboard's presentation side, in four rooms; each may import only the rooms listed after it
(tests/test_structure.py checks it, with forcedata/ below them all):

- views/    PURE (plotly, pandas; never streamlit): the one producer of a comparison's views
            (comparison.py), the chart builders, the layout engine, colours, the escapers and
            file names. Imports forcedata.
- exports/  PURE (kaleido, python-pptx): PNG/SVG images, the slide deck, brief files and the
            batch command line (``python -m components.exports``). Imports views, forcedata.
- ui/       Streamlit: widgets, URL state, the cached views and loaders. Imports views,
            exports, forcedata.
- serving/  The ASGI side of ``serve.py``: front-end files from memory, routes. Imports nothing
            of the project.
"""
