"""Verdicts, statuses and decisions are spelled out once, in their choices modules.

Anywhere else in the app, two or more of a vocabulary's values written together (a tuple, a set,
a dict's keys, an enum's members) are a copy of it, and comparing with one of them as a bare
string (or passing it by keyword, as to a query) is a copy of one word: both should name the enum
member instead. The sandbox keeps its
own copy on purpose (it must not import the app), and migrations are history.
"""

import ast
import re
from pathlib import Path

import pytest
from django.db.models import Choices

from qualityhub.coupa.statuses import Decision, Status
from qualityhub.verdicts.choices import InspectionVerdict, Verdict

ROOT = Path(__file__).resolve().parents[2]
VOCABULARIES = {
    "qualityhub/verdicts/choices.py": {*Verdict.values, *InspectionVerdict.values},
    "qualityhub/coupa/statuses.py": {*Status.values, *Decision.values},
}
ALL_WORDS = set().union(*VOCABULARIES.values())
# The columns and arguments that hold these words (`value_type="none"` is another vocabulary).
FIELDS = {"verdict", "status", "review_decision", "stage"}
HOME_MODULES = {"qualityhub.verdicts.choices", "qualityhub.coupa.statuses"}


def _app_modules() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "qualityhub").rglob("*.py"))
        if not {"sandbox", "migrations"} & set(path.relative_to(ROOT).parts)
    ]


def _written_together(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return node.elts
    if isinstance(node, ast.Dict):
        return [key for key in node.keys if key is not None]
    if isinstance(node, ast.ClassDef):  # an enum's members: NAME = "value" or ("value", "label")
        values = [s.value for s in node.body if isinstance(s, ast.Assign)]
        return [v.elts[0] if isinstance(v, ast.Tuple) and v.elts else v for v in values]
    return []


def _strings(nodes: list[ast.expr]) -> set[str]:
    return {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def copies(source: str, home: str = "") -> list[str]:
    """Where `source` copies a vocabulary: `line: what` for each copy."""
    found = []
    for node in ast.walk(ast.parse(source)):
        written = _strings(_written_together(node))
        for vocabulary_home, words in VOCABULARIES.items():
            if vocabulary_home != home and len(written & words) >= 2:
                found.append(f"{node.lineno}: {sorted(written & words)}")
        if isinstance(node, ast.Compare):
            compared = _strings([node.left, *node.comparators])
            if compared & ALL_WORDS:
                found.append(f"{node.lineno}: compares with {sorted(compared & ALL_WORDS)}")
        if isinstance(node, ast.Call):  # filter(verdict="fail"), Q(status="Closed")
            passed = _strings(
                [k.value for k in node.keywords if (k.arg or "").split("__")[0] in FIELDS]
            )
            if passed & ALL_WORDS:
                found.append(f"{node.lineno}: passes {sorted(passed & ALL_WORDS)}")
    return found


def test_the_app_spells_each_vocabulary_out_once() -> None:
    found = {}
    for path in _app_modules():
        name = str(path.relative_to(ROOT))
        if where := copies(path.read_text(encoding="utf-8"), home=name):
            found[name] = where
    assert found == {}


_TEMPLATE_COMPARISON = re.compile(r"""(==|!=|\bin)\s*["']([^"']+)["']""")


def _words_of_other_choices() -> set[str]:
    """Values other enums share with ours (an attachment's state is `pending` too): a template
    does not say which enum it compares with, so these words prove nothing there."""
    others, classes = set(), [Choices]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("qualityhub.") and cls.__module__ not in HOME_MODULES:
            others.update(str(value) for value in cls.values)
    return others


def test_templates_compare_with_properties_not_with_words() -> None:
    ours = ALL_WORDS - _words_of_other_choices()
    assert {"fail", "Closed", "Accepted"} <= ours
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for _operator, word in _TEMPLATE_COMPARISON.findall(line):
                if word in ours:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {word!r}")
    assert found == []


@pytest.mark.parametrize(
    "copy",
    [
        'STATUSES = ("Open", "In Progress", "In Buyer Review", "Closed")',
        'LABELS = {"pass": "Pass", "fail": "Fail"}',
        'class Outcome:\n    PASS = "pass"\n    FAIL = "fail", "Fail"',
        'overdue = status != "Closed"',
        'if verdict in ("fail", "marginal"): pass',
        'failing = Inspection.objects.filter(verdict="fail")',
    ],
)
def test_a_copy_is_found(copy: str) -> None:
    assert copies(copy)


def test_other_words_are_not_copies() -> None:
    assert copies('MODES = ("incremental", "full")\nok = outcome == "succeeded"') == []
