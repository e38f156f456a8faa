"""Generate the request JSON Schema from botocore's SageMaker service model.

Run ``python -m hpt_lint.schema_gen`` (needs the ``test`` extra: botocore) to
rewrite ``schemas/create-hyper-parameter-tuning-job.schema.json``. The CLI never
imports this module: it reads the committed schema.

Mapping (botocore shape -> JSON Schema 2020-12):

* structure -> object with ``properties``, ``required``, ``additionalProperties: false``
* list      -> array with ``items``, ``minItems``/``maxItems``
* map       -> object with ``additionalProperties`` (value), ``propertyNames`` (key)
* string    -> string with ``minLength``/``maxLength``/``pattern``/``enum``
* integer/long -> integer with ``minimum``/``maximum``; float/double -> number
* boolean, timestamp (string or number), blob (string)

``x-describe-output-only`` lists the members of ``DescribeHyperParameterTuningJob``'s
response that the request does not have: the loaders skip documents holding one.

botocore patterns are whole-value matches on the service side, but JSON Schema's
``pattern`` is a search, so every pattern is anchored as ``^(?:...)$``. Patterns
are ECMA-262 regular expressions (``\\p{L}`` in tag keys); hpt-lint evaluates them
with an ECMA engine (``regress``), never with Python's ``re``.
"""

from __future__ import annotations

import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

OPERATION = "CreateHyperParameterTuningJob"
DESCRIBE = "DescribeHyperParameterTuningJob"
SCHEMA_FILE = "create-hyper-parameter-tuning-job.schema.json"
SCHEMA_ID = "https://hpt-lint.dev/schemas/create-hyper-parameter-tuning-job.schema.json"


class _TextExtractor(HTMLParser):
    """Turns botocore's HTML documentation into plain text editors can show."""

    _BLOCK = frozenset({"p", "li", "ul", "ol", "note", "important", "br", "div"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.parts.append("\n- ")
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCK and tag != "li":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def strip_html(doc: str) -> str:
    parser = _TextExtractor()
    parser.feed(doc)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = re.sub(r"\n- \n", "\n- ", text)
    return text.strip()


def anchor(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _shape_schema(shape: Any, refs: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of one named shape (members are ``$ref``s to other named shapes)."""
    meta = shape.metadata
    kind = shape.type_name
    out: dict[str, Any] = {}
    if kind == "structure":
        out["type"] = "object"
        props: dict[str, Any] = {}
        for name, member in shape.members.items():
            prop: dict[str, Any] = {"$ref": _ref(member, refs, defs)}
            doc = strip_html(member.documentation or "")
            if doc:
                prop["description"] = doc
            props[name] = prop
        out["properties"] = props
        if shape.required_members:
            out["required"] = list(shape.required_members)
        out["additionalProperties"] = False
        if meta.get("union"):
            out["minProperties"] = 1
            out["maxProperties"] = 1
    elif kind == "list":
        out["type"] = "array"
        out["items"] = {"$ref": _ref(shape.member, refs, defs)}
        if "min" in meta:
            out["minItems"] = int(meta["min"])
        if "max" in meta:
            out["maxItems"] = int(meta["max"])
    elif kind == "map":
        out["type"] = "object"
        out["propertyNames"] = {"$ref": _ref(shape.key, refs, defs)}
        out["additionalProperties"] = {"$ref": _ref(shape.value, refs, defs)}
        if "min" in meta:
            out["minProperties"] = int(meta["min"])
        if "max" in meta:
            out["maxProperties"] = int(meta["max"])
    elif kind == "string":
        out["type"] = "string"
        if "enum" in meta:
            out["enum"] = list(meta["enum"])
        if "min" in meta:
            out["minLength"] = int(meta["min"])
        if "max" in meta:
            out["maxLength"] = int(meta["max"])
        if "pattern" in meta:
            out["pattern"] = anchor(meta["pattern"])
    elif kind in ("integer", "long"):
        out["type"] = "integer"
        if "min" in meta:
            out["minimum"] = int(meta["min"])
        if "max" in meta:
            out["maximum"] = int(meta["max"])
    elif kind in ("float", "double"):
        out["type"] = "number"
        if "min" in meta:
            out["minimum"] = meta["min"]
        if "max" in meta:
            out["maximum"] = meta["max"]
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind == "timestamp":
        out["type"] = ["string", "number"]
    elif kind == "blob":
        out["type"] = "string"
    else:  # pragma: no cover - botocore has no other kinds today
        raise ValueError(f"unsupported botocore shape type {kind!r} ({shape.name})")
    doc = strip_html(shape.documentation or "")
    if doc and kind in ("structure", "list", "map"):
        out["description"] = doc
    return out


def _ref(shape: Any, refs: dict[str, Any], defs: dict[str, Any]) -> str:
    if shape.name not in refs:
        refs[shape.name] = None  # reserve: breaks cycles
        defs[shape.name] = _shape_schema(shape, refs, defs)
    return f"#/$defs/{shape.name}"


def generate() -> dict[str, Any]:
    """Build the schema from the installed botocore."""
    import botocore
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    shape = model.operation_model(OPERATION).input_shape
    refs: dict[str, Any] = {}
    defs: dict[str, Any] = {}
    root = _shape_schema(shape, refs, defs)
    # Members only a DescribeHyperParameterTuningJob response has (its ARN, status,
    # times, best job...): a document holding one is saved state, not a request.
    response = model.operation_model(DESCRIBE).output_shape
    output_only = sorted(set(response.members) - set(shape.members))
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"{OPERATION} request",
        "description": strip_html(model.operation_model(OPERATION).documentation or ""),
        "x-botocore-version": botocore.__version__,
        "x-pattern-dialect": "ECMA-262 (unicode mode); every pattern is anchored ^(?:...)$",
        "x-describe-output-only": output_only,
        **{k: v for k, v in root.items() if k != "description"},
        "$defs": {name: defs[name] for name in sorted(defs)},
    }
    return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m hpt_lint.schema_gen [--check] [TARGET]``.

    ``--check`` is the maintainer's drift detector: it compares the committed schema with
    the one the installed botocore gives, prints a unified diff and exits 1 on drift,
    writing nothing. Without it the schema is (re)written.
    """
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    default = Path(__file__).resolve().parent.parent / "schemas" / SCHEMA_FILE
    target = Path(rest[0]) if rest else default
    fresh = render(generate())
    if check:
        import difflib

        committed = target.read_text(encoding="utf-8") if target.exists() else ""
        if committed == fresh:
            print(f"{target} matches the installed botocore")
            return 0
        sys.stdout.writelines(difflib.unified_diff(
            committed.splitlines(keepends=True), fresh.splitlines(keepends=True),
            str(target), "installed botocore"))
        print(f"\n{target} drifted from the installed botocore: review the diff, then run "
              "`python -m hpt_lint.schema_gen` and bump the botocore/boto3 pins in "
              "pyproject.toml to the new x-botocore-version")
        return 1
    target.write_text(fresh, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
