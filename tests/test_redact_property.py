"""Property: a flagged secret, however the file spells it, reaches no output.

hypothesis draws a secret of a real format, a place for it (hyperparameters or
environment), a file kind (YAML, JSON, Python) and a spelling (escapes, a quoted
scalar continued on the next line, implicit concatenation, a run-time expression
around the literal), then renders every output: the text report with source
excerpts, JSON, SARIF, GitHub annotations, the baseline file, ``extract``, the
language server's diagnostics (its own builder) and the ``--diff`` of the file's
fixes. No piece of the secret's random part of ``MIN_PIECE`` characters may appear,
as printed or once the output's escapes are undone (``tests.test_redact.decoded``).

A piece that the same outputs show for a *reference* secret of the same kind and
spelling (static text: rule documentation, numbers of the request, fingerprints that
do not depend on the secret) carries nothing about the secret and is not a leak.
"""

from __future__ import annotations

import json
from functools import cache

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lsprotocol import types as t

from hpt_lint.baseline import dumps as baseline_dumps
from hpt_lint.config import Config
from hpt_lint.extract import describe
from hpt_lint.fix import fix_text
from hpt_lint.lint import lint_text
from hpt_lint.loaders import load_text
from hpt_lint.lsp.positions import split_lines
from hpt_lint.redact import MIN_PIECE, unified_diff
from hpt_lint.reporters import FORMATS, Options, render
from hpt_lint.secret_scan import classify
from tests.test_redact import PY_HEAD, decoded
from tests.test_secrets import HEAD

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# kind -> (name it is stored under, public prefix, body alphabet, body length, reference)
KINDS = {
    "github": ("github_token", "ghp_", ALNUM, 36, "Q7" * 18),
    "huggingface": ("hub", "hf_", ALNUM, 34, "Q7x" * 11 + "Q"),
    "aws-key-id": ("key_id", "AKIA", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, "Q7" * 8),
    "aws-secret": ("aws_secret_access_key", "", ALNUM + "/+", 40, "Q7x/" * 10),
    "password": ("db_password", "", ALNUM + "!#%&*-=?@^_~", 16, "Q7x!Z9y#" * 2),
}
SPELLINGS = {
    "yaml": ("double-quoted", "single-quoted", "continued"),
    "json": ("escaped",),
    "python": ("escaped", "concatenated", "method-call", "plus-unknown", "or-default"),
}
# judged by the name they are stored under: a piece of a value (``"..." + x``) is not
NAME_KINDS = frozenset({"aws-secret", "password"})


@st.composite
def secrets(draw: st.DrawFn) -> tuple[str, str, str]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    name, prefix, alphabet, length, _ref = KINDS[kind]
    body = draw(st.text(alphabet, min_size=length, max_size=length))
    value = prefix + body
    assume(classify(name, value) is not None)  # the detector's recall is tested elsewhere
    return kind, value, body


def _escape(value: str, marks: list[bool], style: str) -> str:
    out = []
    for ch, escape in zip(value, marks, strict=False):
        if not escape:
            out.append(ch)
        elif style == "json":
            out.append("\\/" if ch == "/" else f"\\u{ord(ch):04x}")
        else:  # YAML and Python double quotes both read \xNN
            out.append(f"\\x{ord(ch):02x}")
    return "".join(out) + value[len(marks):]


def spelled(value: str, file_kind: str, spelling: str, marks: list[bool], cut: int) -> str:
    """``value`` as a literal of ``file_kind`` written the ``spelling`` way."""
    cut = max(1, min(cut, len(value) - 1))
    if file_kind == "yaml":
        if spelling == "single-quoted":
            return f"'{value}'"
        if spelling == "continued":  # an escaped line break joins the lines without a space
            return f'"{value[:cut]}\\\n      {value[cut:]}"'
        return f'"{_escape(value, marks, "yaml")}"'
    if file_kind == "json":
        return f'"{_escape(value, marks, "json")}"'
    literal = f'"{_escape(value, marks, "python")}"'
    if spelling == "concatenated":
        return f'"{_escape(value[:cut], marks, "python")}" "{value[cut:]}"'
    if spelling == "method-call":
        return f"{literal}.strip()"
    if spelling == "plus-unknown":
        return f"{literal} + suffix"
    if spelling == "or-default":
        return f'os.environ.get("X") or {literal}'
    return literal


def request_text(file_kind: str, section: str, name: str, literal: str) -> str:
    """A request with one fixable fault (``random`` for ``Random``) and the secret."""
    if file_kind == "yaml":
        return HEAD.replace("Strategy: Random", "Strategy: random") + (
            f"  {section}:\n    {name}: {literal}\n")
    if file_kind == "json":
        data = yaml.safe_load(HEAD)
        data["HyperParameterTuningJobConfig"]["Strategy"] = "random"
        data["TrainingJobDefinition"][section] = {name: "@@SECRET@@"}
        return json.dumps(data, indent=2).replace('"@@SECRET@@"', literal)
    head = PY_HEAD.replace('"Random"', '"random"').replace('"StaticHyperParameters"',
                                                           f'"{section}"')
    return head + f'            "{name}": {literal},\n        }},\n    }},\n)\n'


SUFFIX = {"yaml": ".yaml", "json": ".json", "python": ".py"}


def every_output(text: str, suffix: str) -> str:
    file = f"job{suffix}"
    config = Config()
    result = lint_text(text, file, config, suffix)
    assert result.requests == 1 and {f.rule for f in result.findings} & {"HPT601", "HPT602"}
    shown = [render(fmt, [result], Options(show_source=True)) for fmt in sorted(FORMATS)]
    shown.append(baseline_dumps([result]))
    shown.append(json.dumps([describe(r) for r in load_text(text, file, suffix)]))
    shown.append(json.dumps([d.message for d in _diagnostics(text, result.findings)]))
    outcome = fix_text(text, file, config, suffix)
    assert outcome.changed  # the diff holds lines of the file
    shown.append(unified_diff(file, outcome.before, outcome.after))
    return "\n".join(shown)


@cache
def _server() -> object:
    from hpt_lint.lsp.server import HptLanguageServer

    server = HptLanguageServer()
    next(server.protocol.lsp_initialize(t.InitializeParams(
        capabilities=t.ClientCapabilities())), None)
    return server


def _diagnostics(text: str, findings: list) -> list[t.Diagnostic]:  # type: ignore[type-arg]
    server = _server()
    lines = split_lines(text)
    return [server.diagnostic(lines, f) for f in findings]  # type: ignore[attr-defined]


@cache
def reference_output(kind: str, file_kind: str, spelling: str, section: str,
                     marks: tuple[bool, ...], cut: int) -> str:
    name, prefix, _alphabet, _length, body = KINDS[kind]
    return every_output(request_text(file_kind, section, name, spelled(
        prefix + body, file_kind, spelling, list(marks), cut)), SUFFIX[file_kind])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                 HealthCheck.too_slow])
@given(secret=secrets(), file_kind=st.sampled_from(sorted(SPELLINGS)), data=st.data(),
       section=st.sampled_from(["StaticHyperParameters", "Environment"]))
def test_no_piece_of_a_secret_reaches_any_output(secret: tuple[str, str, str], file_kind: str,
                                                 data: st.DataObject, section: str) -> None:
    kind, value, body = secret
    spelling = data.draw(st.sampled_from(SPELLINGS[file_kind]), label="spelling")
    if kind in NAME_KINDS and spelling == "plus-unknown":
        spelling = "or-default"
    marks = tuple(data.draw(st.lists(st.booleans(), min_size=len(value), max_size=len(value)),
                            label="escaped"))
    cut = data.draw(st.integers(1, len(value) - 1), label="cut")
    name = KINDS[kind][0].upper() if section == "Environment" else KINDS[kind][0]
    text = request_text(file_kind, section, name, spelled(value, file_kind, spelling,
                                                          list(marks), cut))
    output = every_output(text, SUFFIX[file_kind])
    static = reference_output(kind, file_kind, spelling, section, marks, cut)
    pieces = {body[i:i + MIN_PIECE] for i in range(len(body) - MIN_PIECE + 1)}
    plain, static_plain = decoded(output), decoded(static)
    leaked = sorted(p for p in pieces if (p in output and p not in static)
                    or (p in plain and p not in static_plain))
    assert leaked == [], f"pieces of the secret in the output: {leaked}"
