"""Registration: applying a decision to an event file, the ban list, pushing to git, and
the two ways in (issues and pull requests)."""
