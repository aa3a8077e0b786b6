"""Verdicts, statuses, decisions, characteristic kinds and value types are spelled out once, in
their choices modules.

Anywhere else in the app, two or more of a vocabulary's values written together (a tuple, a set,
a dict's keys, an enum's members) are a copy of it, and comparing with one of them as a bare
string, or giving one to a field that holds it (a keyword argument, a column's default, a dict
entry, an assignment, a dataclass field) is a copy of one word: both should name the enum member
instead. The sandbox keeps its own copy on purpose (it must not import the app), and migrations
are history.
"""

import ast
import re
from pathlib import Path

import pytest
from django.db.models import Choices

from qualityhub.coupa.vocabulary import CharacteristicKind, Decision, Status, ValueType
from qualityhub.verdicts.choices import InspectionVerdict, Verdict

ROOT = Path(__file__).resolve().parents[2]
# (home, words): a characteristic's kind and its value type are vocabularies of their own, so
# one row of sample data that holds one of each (the example import's cells) is no copy.
VOCABULARIES = [
    ("qualityhub/verdicts/choices.py", {*Verdict.values, *InspectionVerdict.values}),
    ("qualityhub/coupa/vocabulary.py", {*Status.values, *Decision.values}),
    ("qualityhub/coupa/vocabulary.py", set(CharacteristicKind.values)),
    ("qualityhub/coupa/vocabulary.py", set(ValueType.values)),
]
ALL_WORDS = set().union(*(words for _home, words in VOCABULARIES))
# The columns, arguments and fields that hold these words (a characteristic's kind is its
# `type`, `kind` in the form, `required` in a request record), and a column's default.
FIELDS = {
    "verdict", "status", "review_decision", "stage", "type", "kind", "required", "value_type",
    "default",
}  # fmt: skip
HOME_MODULES = {"qualityhub.verdicts.choices", "qualityhub.coupa.vocabulary"}


def _app_modules() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "qualityhub").rglob("*.py"))
        if not {"sandbox", "migrations"} & set(path.relative_to(ROOT).parts)
    ]


def _first(value: ast.expr) -> ast.expr:
    """A choice's value: `"value"` or the first of `("value", "label")`."""
    return value.elts[0] if isinstance(value, ast.Tuple) and value.elts else value


def _written_together(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Tuple | ast.List | ast.Set):  # also a list of (value, label) pairs
        return [*node.elts, *(_first(e) for e in node.elts if isinstance(e, ast.Tuple))]
    if isinstance(node, ast.Dict):
        return [key for key in node.keys if key is not None]
    if isinstance(node, ast.ClassDef):  # an enum's members: NAME = "value" or ("value", "label")
        return [_first(s.value) for s in node.body if isinstance(s, ast.Assign)]
    return []


def _strings(nodes: list[ast.expr]) -> set[str]:
    return {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _field_name(target: ast.expr) -> str:
    """The field an assignment's target names: `value_type`, `self.type`, `line["kind"]`."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return str(target.slice.value)
    return ""


def _given_to_fields(node: ast.AST) -> list[ast.expr]:
    """The values `node` gives to the fields that hold vocabulary words."""
    if isinstance(node, ast.Call):  # filter(verdict="fail"), CharField(default="required")
        return [k.value for k in node.keywords if (k.arg or "").split("__")[0] in FIELDS]
    if isinstance(node, ast.Dict):  # {"kind": "required"}; but Coupa's "type" is our "required"
        return [
            value
            for key, value in zip(node.keys, node.values, strict=True)
            if isinstance(key, ast.Constant) and key.value in FIELDS - {"type"}
        ]
    if isinstance(node, ast.Assign):  # line["kind"] = ... or "required"
        return [node.value] if any(_field_name(t) in FIELDS for t in node.targets) else []
    if isinstance(node, ast.AnnAssign) and node.value is not None:  # value_type: str = "numeric"
        return [node.value] if _field_name(node.target) in FIELDS else []
    return []


def _words_in(values: list[ast.expr]) -> set[str]:
    """The words anywhere in the expressions: `x or "numeric"`, `_lower(text, "required")`."""
    return {word for value in values for word in _strings(list(ast.walk(value)))} & ALL_WORDS


def copies(source: str, home: str = "") -> list[str]:
    """Where `source` copies a vocabulary: `line: what` for each copy."""
    found = []
    for node in ast.walk(ast.parse(source)):
        written = _strings(_written_together(node))
        for vocabulary_home, words in VOCABULARIES:
            if vocabulary_home != home and len(written & words) >= 2:
                found.append(f"{node.lineno}: {sorted(written & words)}")
        if isinstance(node, ast.Compare):
            compared = _strings([node.left, *node.comparators])
            if compared & ALL_WORDS:
                found.append(f"{node.lineno}: compares with {sorted(compared & ALL_WORDS)}")
        if given := _words_in(_given_to_fields(node)):
            found.append(f"{node.lineno}: gives {sorted(given)}")
    return list(dict.fromkeys(found))  # a column's default is given by keyword and assignment


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
    assert {"fail", "Closed", "Accepted", "optional", "numeric", "choice"} <= ours
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
        'KINDS = [("required", "Required"), ("optional", "Optional")]',
        'class Kind(TextChoices):\n    REQUIRED = "required"\n    OPTIONAL = "optional"',
        'VALUE_TYPES = [("numeric", "Numeric"), ("choice", "Choice")]',
        'is_required = self.type != "optional"',
        'if kind == "numeric": pass',
        'required = data["kind"] == "required"',
        'lines = Characteristic.objects.exclude(value_type="choice")',
        'type = models.CharField(max_length=20, default="required")',
        'value_type = models.CharField(max_length=20, default="none")',
        'NEW_ROW = {"kind": "required", "quantitative": True}',
        'line["value_type"] = line["value_type"].strip().lower() or "numeric"',
        'required=_text(raw.get("type")).lower() or "required"',
        'record = Characteristic(type=_lower(reader.text("type"), "required"))',
        '@dataclass\nclass Record:\n    value_type: str = "numeric"',
    ],
)
def test_a_copy_is_found(copy: str) -> None:
    assert copies(copy)


def test_other_words_are_not_copies() -> None:
    assert copies('MODES = ("incremental", "full")\nok = outcome == "succeeded"') == []
    # A field's name is no value: Coupa's `type` is our `required` field.
    assert copies('KEY_OF_FIELD = {"required": "type", "value_type": "valueType"}') == []
    assert copies('FIELD_OF_KEY = {"type": "required", "valueType": "value_type"}') == []
    # One kind and one value type in a row of sample data copy neither vocabulary.
    assert copies('ROW = ("Color", "required", "no", "Clear", "choice")') == []
