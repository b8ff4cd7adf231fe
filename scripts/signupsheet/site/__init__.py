"""The site edge: generated pages, calendars, feeds and addresses, and the MkDocs plugin."""
