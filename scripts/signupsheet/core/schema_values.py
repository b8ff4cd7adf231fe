"""The values of the event schema that code checks outside the schema: patterns and limits.

`schema/event.schema.json` is the source; each value here is a copy of one of its `$defs`, and
tests/core/test_schema_values.py fails when a copy differs. Forms, command arguments, the link
secrets and the wiki importer check single values where no event file (and so no schema) is at
hand, and the installed package cannot read the file: `schema/` belongs to the site, and the
workflows install the package with `pip install .`, which copies only the package.

Patterns are written as in the schema (ECMA-262, anchored); `inner` gives the unanchored part for
patterns that embed one, such as `EVENT/SESSION` keys or `/events/ID/` addresses.
"""

from __future__ import annotations

# $defs/slug: event ids (the file names), session ids, series ids and tags.
SLUG_PATTERN = "^[a-z0-9][a-z0-9-]{0,79}$"
# The longest slug the pattern allows.
MAX_SLUG = 80

# $defs/login: a GitHub login. Today's rules allow single inner dashes only, but accounts created
# under earlier rules keep trailing and doubled dashes, and they may register too.
LOGIN_PATTERN = "^[A-Za-z0-9][A-Za-z0-9-]{0,38}$"

# $defs/timestamp: RFC 3339 with seconds and an offset.
TIMESTAMP_PATTERN = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    "T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$"
)

# $defs/line: one line of text (titles, names, affiliations), and its longest length.
ONE_LINE_PATTERN = "^[^\\n\\r]*$"
MAX_LINE = 200

# $defs/note: the note on a sign-up entry, one line.
MAX_NOTE = 500

# $defs/session: the most seats a session can have.
MAX_CAPACITY = 100_000


# $defs/sealed_contact: an e-mail address sealed to the site's key (core/sealed_contact.py),
# standard base64 of a libsodium sealed box. The shortest possible holds the 48 bytes of the box
# and a small payload; 1024 characters leave room for the longest address, login and event id.
SEALED_PATTERN = "^[A-Za-z0-9+/]{80,1024}={0,2}$"
MAX_SEALED = 1026


def inner(pattern: str) -> str:
    """An anchored pattern without its anchors, to be part of a longer one."""
    return pattern.removeprefix("^").removesuffix("$")
