"""The core: the event model, the registration rules and who is owed a link. Pure: no I/O,
no MkDocs, no PyGithub."""
