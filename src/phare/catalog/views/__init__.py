"""Catalogue pages: the employee portal (portal.py) and the management pages (manage.py)."""
