"""forcedata: the pure domain core of the military-balance dashboard (never imports streamlit)."""
