"""signupsheet: a static event website whose sign-up sheet lives in Git."""

from __future__ import annotations

__version__ = "0.1.0"
