"""Registration by pull request: reading the change from git, checking it, answering."""
