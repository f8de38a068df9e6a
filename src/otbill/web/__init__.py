"""The web app: therapists document, billers clean and send, owners see the money.

Server-rendered pages (Jinja2) with HTMX for interaction; every page and API route needs a
logged-in user whose roles allow it. ``create_app(settings)`` builds the app; nothing happens at
import time.
"""
