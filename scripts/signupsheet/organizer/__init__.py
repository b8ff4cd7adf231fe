"""Organizer tools: new events, wiki import, the participant list, purging personal data."""
