"""The Streamlit side: widgets, URL state, cached views and loaders. May import components.views, components.exports and forcedata."""
