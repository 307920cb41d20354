"""Shared Streamlit pieces: the only place outside pages/ and app.py that imports streamlit."""
