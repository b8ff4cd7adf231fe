"""The one ruamel.yaml set-up for editing event files: comments, quotes and layout survive."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.resolver import VersionedResolver

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _NoTimestampResolver(VersionedResolver):
    """Timestamps stay text, as in our loader, so new ones are written unquoted like old ones."""

    @property
    def versioned_resolver(self) -> Any:
        resolvers = super().versioned_resolver
        # Asked once per scalar: filter each version's table once, not on every call.
        if id(resolvers) not in self._filtered:
            for key, entries in list(resolvers.items()):
                resolvers[key] = [entry for entry in entries if entry[0] != _TIMESTAMP_TAG]
            self._filtered.add(id(resolvers))
        return resolvers

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._filtered: set[int] = set()
        super().__init__(*args, **kwargs)


def round_trip_yaml() -> YAML:
    """A ruamel.yaml round-trip instance set up as our event files are written."""
    yaml = YAML()
    yaml.Resolver = _NoTimestampResolver
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml
