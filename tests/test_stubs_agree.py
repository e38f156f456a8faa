"""Two sources of truth agree: boto3-stubs' ``CreateHyperParameterTuningJobRequestTypeDef``
(generated from botocore's service model by mypy-boto3-builder) and the committed JSON
Schema (generated from botocore's service model by ``hpt_lint.schema_gen``) describe
the same request: the same key paths, and the same required members.

Paths are tuples of keys, with ``[]`` for a list item and ``{}`` for a map value.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, Required

import pytest

from hpt_lint.structure import load_schema

stubs = pytest.importorskip("mypy_boto3_sagemaker.type_defs",
                            reason="boto3-stubs[sagemaker] (the test extra) is not installed")

Path = tuple[str, ...]
MAX_DEPTH = 12  # the request's deepest path is 7; guards against a recursive shape


def _is_typeddict(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__total__")


def _input_variant(tp: Any) -> Any:
    """``XUnionTypeDef = Union[XTypeDef, XOutputTypeDef]``: a request takes the input
    shape. Any other union (``str | bytes``) is a leaf."""
    members = typing.get_args(tp)
    shapes = [m for m in members if _is_typeddict(m)]
    if shapes and len(shapes) == len(members):
        inputs = [m for m in shapes if not m.__name__.endswith("OutputTypeDef")]
        return (inputs or shapes)[0]
    return tp


def stub_paths(td: Any, prefix: Path = ()) -> tuple[set[Path], set[Path]]:
    """(every key path, the paths of required members) below a TypedDict."""
    paths: set[Path] = set()
    required: set[Path] = set()
    hints = typing.get_type_hints(td, include_extras=True)
    for key, hint in hints.items():
        path = prefix + (key,)
        origin = typing.get_origin(hint)
        # type_defs.py uses `from __future__ import annotations`, so the runtime
        # __required_keys__ cannot see NotRequired[...]: read the wrapper instead.
        if origin is NotRequired:
            (hint,) = typing.get_args(hint)
        elif origin is Required:
            (hint,) = typing.get_args(hint)
            required.add(path)
        elif td.__total__:
            required.add(path)
        paths.add(path)
        _walk_type(hint, path, paths, required)
    return paths, required


def _walk_type(tp: Any, path: Path, paths: set[Path], required: set[Path]) -> None:
    if len(path) > MAX_DEPTH:
        raise AssertionError(f"stub type too deep at {path}")
    tp = _input_variant(tp) if typing.get_origin(tp) in (typing.Union, type(int | str)) else tp
    origin = typing.get_origin(tp)
    if _is_typeddict(tp):
        sub_paths, sub_required = stub_paths(tp, path)
        paths |= sub_paths
        required |= sub_required
    elif origin in (Sequence, list) or (isinstance(origin, type) and issubclass(
            origin, Sequence) and not issubclass(origin, str)):
        item = path + ("[]",)
        paths.add(item)
        _walk_type(typing.get_args(tp)[0], item, paths, required)
    elif origin in (Mapping, dict) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        value = path + ("{}",)
        paths.add(value)
        _walk_type(typing.get_args(tp)[1], value, paths, required)


def schema_paths(node: dict[str, Any], prefix: Path = ()) -> tuple[set[Path], set[Path]]:
    schema = load_schema()
    paths: set[Path] = set()
    required: set[Path] = set()

    def deref(n: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in n:
            n = schema["$defs"][n["$ref"].rsplit("/", 1)[-1]]
        return n

    def walk(n: dict[str, Any], path: Path) -> None:
        if len(path) > MAX_DEPTH:
            raise AssertionError(f"schema too deep at {path}")
        n = deref(n)
        if n.get("type") == "object" and "properties" in n:
            for key, sub in n["properties"].items():
                paths.add(path + (key,))
                if key in n.get("required", ()):
                    required.add(path + (key,))
                walk(sub, path + (key,))
        elif n.get("type") == "object" and isinstance(n.get("additionalProperties"), dict):
            paths.add(path + ("{}",))
            walk(n["additionalProperties"], path + ("{}",))
        elif n.get("type") == "array":
            paths.add(path + ("[]",))
            walk(n.get("items", {}), path + ("[]",))

    walk(node, prefix)
    return paths, required


def _show(paths: set[Path]) -> str:
    return "\n".join("  " + ".".join(p) for p in sorted(paths)) or "  (none)"


def test_stub_request_and_schema_have_the_same_key_paths() -> None:
    in_stubs, _ = stub_paths(stubs.CreateHyperParameterTuningJobRequestTypeDef)
    in_schema, _ = schema_paths(load_schema())
    assert len(in_schema) > 150  # the walk reached the nested structures
    only_stubs, only_schema = in_stubs - in_schema, in_schema - in_stubs
    assert not only_stubs and not only_schema, (
        f"boto3-stubs and schemas/ disagree (schema from botocore "
        f"{load_schema().get('x-botocore-version')}; regenerate it with "
        f"`python -m hpt_lint.schema_gen` if botocore moved on):\n"
        f"only in boto3-stubs:\n{_show(only_stubs)}\nonly in the schema:\n{_show(only_schema)}")


def test_stub_request_and_schema_require_the_same_members() -> None:
    _, req_stubs = stub_paths(stubs.CreateHyperParameterTuningJobRequestTypeDef)
    _, req_schema = schema_paths(load_schema())
    assert ("HyperParameterTuningJobName",) in req_schema
    assert req_stubs == req_schema, (
        f"required members differ:\nrequired only in boto3-stubs:\n"
        f"{_show(req_stubs - req_schema)}\nrequired only in the schema:\n"
        f"{_show(req_schema - req_stubs)}")
