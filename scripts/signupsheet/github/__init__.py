"""The GitHub edge: PyGithub behind the small interfaces the registration and delivery use."""
