"""Coupa's wire format lives in `qualityhub/coupa/` only (and in the sandbox, which plays Coupa).

Every other Python file under `qualityhub/` is tokenized, and a camelCase key of Coupa's
(`WIRE_KEYS`) in an identifier or a string literal (docstrings included) fails the test with its
file and line. Comments are prose and may name Coupa's fields; code may not.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from qualityhub.coupa.wire_keys import WIRE_KEYS

PACKAGE = Path(__file__).resolve().parents[2] / "qualityhub"
ALLOWED = (PACKAGE / "coupa", PACKAGE / "sandbox")
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CAMEL_CASE = re.compile(r"[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+")
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def wire_keys_in(source: str) -> list[tuple[int, str]]:
    """(line, key) for each of Coupa's keys named in the code of `source`."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME and token.string in WIRE_KEYS:
            found.append((token.start[0], token.string))
        elif token.type in STRING_TOKENS:
            text = _string_value(token)
            found += [(token.start[0], w) for w in WORD.findall(text) if w in WIRE_KEYS]
    return found


def _string_value(token: tokenize.TokenInfo) -> str:
    """A literal's text with its escapes read (`"\\ndueDate"` holds `dueDate`)."""
    if token.type != tokenize.STRING:
        return token.string
    try:
        value = ast.literal_eval(token.string)
    except (SyntaxError, ValueError):
        return token.string
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _checked_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if not path.is_relative_to(ALLOWED[0])
        and not path.is_relative_to(ALLOWED[1])
        and "migrations" not in path.parts
    )


def test_no_coupa_wire_key_appears_outside_coupa() -> None:
    files = _checked_files()
    assert len(files) > 50  # the walk found the package
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {key}"
        for path in files
        for line, key in wire_keys_in(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "Coupa's wire format belongs in qualityhub/coupa/:\n" + "\n".join(found)


def test_the_wire_keys_include_the_ones_the_issue_names() -> None:
    assert {"supplierId", "dueDate", "itemQuantity", "valuePrecision"} <= WIRE_KEYS


def test_every_camel_case_key_spelled_out_in_coupa_is_a_wire_key() -> None:
    """WIRE_KEYS cannot fall behind the modules that read and write the format."""
    spelled = set()
    for path in (PACKAGE / "coupa").glob("*.py"):
        for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
            if token.type == tokenize.STRING:
                value = _string_value(token)
                if CAMEL_CASE.fullmatch(value):
                    spelled.add(value)
    assert spelled - WIRE_KEYS == set()
    assert len(spelled) > 40


@pytest.mark.parametrize(
    "source",
    [
        'body = {"dueDate": due}\n',
        "def f():\n    '''Reads valuePrecision.'''\n",
        'path = f"characteristics[{i}].expectedLimits"\n',
        "value = record.itemQuantity\n",
        'key = "\\nsupplierId"\n',
        "text = b'refDocumentId'\n",
    ],
)
def test_the_scan_catches_a_planted_key(source: str) -> None:
    assert len(wire_keys_in(source)) == 1


def test_the_scan_names_the_line_and_leaves_comments_and_our_names_alone() -> None:
    source = 'due_date = 1  # Coupa calls it dueDate\nx = {"supplier_id": 2}\ny = "itemId"\n'
    assert wire_keys_in(source) == [(3, "itemId")]
