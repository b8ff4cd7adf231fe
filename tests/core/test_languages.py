"""Languages by name on event pages; codes the table does not know stay as written."""

from __future__ import annotations

from signupsheet.core.languages import NAMES, language_name, language_names


def test_codes_become_names_in_the_files_order() -> None:
    assert language_names(["en", "de", "pt-BR"]) == "English, German, Brazilian Portuguese"
    assert language_name("PT-br") == NAMES["pt-br"]


def test_unknown_codes_are_shown_as_written() -> None:
    assert language_names(["gsw", "en"]) == "gsw, English"


def test_table_keys_are_lower_case_tags() -> None:
    assert all(code == code.lower() and code.strip() for code in NAMES)
