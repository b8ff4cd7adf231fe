"""signupsheet: a static event website whose sign-up sheet lives in Git."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The version is written once, in pyproject.toml, and read from the installed metadata only
    # when asked for: importing importlib.metadata would double every command's start-up time.
    if name == "__version__":
        from importlib.metadata import version

        return version("signupsheet")
    raise AttributeError(f"module 'signupsheet' has no attribute {name!r}")
