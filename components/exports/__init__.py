"""Files out of the dashboard (pure, never streamlit): images, decks, briefs and the batch command line. May import components.views and forcedata."""
