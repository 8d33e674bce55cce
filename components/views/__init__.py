"""Pure views of the data (plotly and pandas, never streamlit): what a comparison shows, built once. May import forcedata."""
