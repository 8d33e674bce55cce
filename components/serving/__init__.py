"""How the app is served (ASGI middleware for serve.py): front-end files from memory, routes. Imports nothing of the project."""
