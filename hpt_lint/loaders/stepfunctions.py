"""Step Functions: tuning jobs started by a state machine's Task states.

A Task state whose ``Resource`` is ``arn:<partition>:states:::sagemaker:
createHyperParameterTuningJob`` (plain, ``.sync`` or ``.waitForTaskToken``) carries
the request in ``Parameters`` (JSONPath) or ``Arguments`` (JSONata). States are
found at the top level, inside ``Parallel`` branches and ``Map`` iterators /
item processors, in an Amazon States Language definition (a mapping with
``States``) or in the ``Definition`` of ``AWS::StepFunctions::StateMachine`` /
``AWS::Serverless::StateMachine`` resources of a CloudFormation or SAM template.

What the state machine fills in at run time is Unknown: ``"Key.$": "$.path"``
(the value of ``Key``), JSONata ``{% ... %}`` strings, ``${...}`` placeholders
(``DefinitionSubstitutions``, Terraform templates) and CloudFormation intrinsics
(``Ref``, ``Fn::*``; the YAML loader turns the short forms into Unknown already).
The source map is re-rooted so request paths point inside the state's Parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import yaml

from hpt_lint.loaders.document import Document
from hpt_lint.loaders.embedded import parse_embedded
from hpt_lint.request import DERIVED, JsonPath, Note, PartialDict, Request, SourceMap, Unknown

RESOURCE = re.compile(r"^arn:(?:\$\{[^}]*\}|[^:]*):states:::sagemaker:createHyperParameterTuningJob"
                      r"(?:\.sync(?::2)?|\.waitForTaskToken)?$")
STATE_MACHINE_TYPES = frozenset({"AWS::StepFunctions::StateMachine",
                                 "AWS::Serverless::StateMachine"})
_JSONATA = re.compile(r"^\s*\{%.*%\}\s*$", re.DOTALL)
KIND = "stepfunctions"


def definitions(value: Any, doc: Document | None = None
                ) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, definition) for an ASL document or each state machine of a template. With
    ``doc``, a ``DefinitionString`` written as a string (or an ``Fn::Sub`` of one) is
    parsed, its positions joining ``doc``'s source map."""
    if not isinstance(value, dict):
        return
    if isinstance(value.get("States"), dict):
        yield (), value
    resources = value.get("Resources")
    if isinstance(resources, dict):
        for name, resource in resources.items():
            if not isinstance(resource, dict) or resource.get("Type") not in \
                    STATE_MACHINE_TYPES:
                continue
            props = resource.get("Properties")
            if not isinstance(props, dict):
                continue
            for key in ("Definition", "DefinitionString"):
                body = props.get(key)
                path: JsonPath = ("Resources", name, "Properties", key)
                if doc is not None and key == "DefinitionString":
                    body, path = _embedded(doc, body, path)
                if isinstance(body, dict) and isinstance(body.get("States"), dict):
                    yield path, body


def _embedded(doc: Document, body: Any, path: JsonPath) -> tuple[Any, JsonPath]:
    """A definition written as a JSON string, plain or as the template of ``Fn::Sub``
    (whose ``${...}`` placeholders become Unknown when the states are read)."""
    if isinstance(body, dict) and set(body) == {"Fn::Sub"}:
        sub = body["Fn::Sub"]
        if isinstance(sub, list) and sub:
            body, path = sub[0], (*path, "Fn::Sub", 0)
        else:
            body, path = sub, (*path, "Fn::Sub")
    if isinstance(body, str):
        parsed = parse_embedded(doc, path, body)
        if parsed is not None:
            return parsed, path
    elif isinstance(body, Unknown) and body.source.startswith("!Sub"):
        block = _sub_block(body.source[len("!Sub"):].lstrip(" "))
        parsed = parse_embedded(doc, path, block, style="|") if block else None
        if parsed is not None:
            return parsed, path
    return body, path


def _sub_block(text: str) -> str | None:
    """The string of a YAML ``!Sub |`` literal block, from the tagged node's source."""
    if not text.startswith("|"):
        return None
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return value if isinstance(value, str) else None


def tuning_states(path: JsonPath, definition: dict[str, Any]
                  ) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, state) for every matching Task state, nested ones included."""
    stack = [(path, definition)]
    while stack:
        base, machine = stack.pop(0)
        states = machine.get("States")
        if not isinstance(states, dict):
            continue
        for name, state in states.items():
            if not isinstance(state, dict):
                continue
            spath = (*base, "States", name)
            kind = state.get("Type")
            if kind == "Task" and is_tuning_resource(state.get("Resource")):
                yield spath, state
            elif kind == "Parallel" and isinstance(state.get("Branches"), list):
                stack.extend(((*spath, "Branches", i), b)
                             for i, b in enumerate(state["Branches"]) if isinstance(b, dict))
            elif kind == "Map":
                for key in ("ItemProcessor", "Iterator"):
                    if isinstance(state.get(key), dict):
                        stack.append(((*spath, key), state[key]))


_IN_INTRINSIC = re.compile(r":states:::sagemaker:createHyperParameterTuningJob"
                           r"(?:\.sync(?::2)?|\.waitForTaskToken)?(?![\w.])")


def is_tuning_resource(resource: Any) -> bool:
    """A Task's Resource names createHyperParameterTuningJob, also when it is built by
    ``!Sub`` / ``Fn::Sub`` / ``!Join`` / ``Fn::Join`` around a literal ARN."""
    if isinstance(resource, str):
        return RESOURCE.match(resource) is not None
    if isinstance(resource, Unknown):
        text = resource.source
    elif isinstance(resource, dict) and _intrinsic(resource):
        text = json.dumps(resource, default=repr)
    else:
        return False
    return _IN_INTRINSIC.search(text) is not None


def _intrinsic(value: dict[str, Any]) -> bool:
    if len(value) != 1:
        return False
    (key,) = value
    return key == "Ref" or key.startswith("Fn::")


class Rerooter:
    """Copies a request found inside a larger document (a state's Parameters, a Pipelines
    step's Arguments) to a root of its own, with its source map re-rooted; values the
    service fills in at run time (``dynamic`` mappings, ``.$`` keys) become Unknown."""

    def __init__(self, source: SourceMap, jsonata: bool,
                 dynamic: Callable[[dict[str, Any]], bool] | None = None,
                 dollar_keys: bool = True) -> None:
        self.source = source
        self.out = SourceMap()
        self.jsonata = jsonata
        self.dynamic = dynamic or _intrinsic
        self.dollar_keys = dollar_keys

    def convert(self, value: Any, src: JsonPath, dst: JsonPath) -> Any:
        entry = self.source.get(src)
        if entry is not None:
            self.out.entries[dst] = entry
        if isinstance(value, dict):
            if self.dynamic(value):
                return Unknown(json.dumps(value, sort_keys=True, default=repr))
            result: dict[str, Any] = {}
            for key, child in value.items():
                if self.dollar_keys and key.endswith(".$"):
                    name = key[:-2]
                    result[name] = Unknown(child if isinstance(child, str) else
                                           json.dumps(child, default=repr))
                    child_entry = self.source.get((*src, key))
                    if child_entry is not None:  # no edit may drop the ".$"
                        self.out.entries[(*dst, name)] = replace(child_entry, style=DERIVED)
                else:
                    result[key] = self.convert(child, (*src, key), (*dst, key))
            return result
        if isinstance(value, list):
            return [self.convert(c, (*src, i), (*dst, i)) for i, c in enumerate(value)]
        if isinstance(value, str) and ("${" in value or (self.jsonata
                                                        and _JSONATA.match(value))):
            return Unknown(value)
        return value


def _note_path(path: JsonPath, prefix: JsonPath) -> JsonPath | None:
    if path[:len(prefix)] != prefix:
        return None
    return tuple(p[:-2] if isinstance(p, str) and p.endswith(".$") else p
                 for p in path[len(prefix):])


def state_machine_requests(doc: Document, file: str, kind: str) -> list[Request]:
    requests: list[Request] = []
    for dpath, definition in definitions(doc.value, doc):
        for spath, state in tuning_states(dpath, definition):
            key = "Arguments" if "Arguments" in state and "Parameters" not in state \
                else "Parameters"
            params = state.get(key)
            ppath = (*spath, key)
            rerooter = Rerooter(doc.source_map, key == "Arguments")
            if isinstance(params, dict):
                data = rerooter.convert(params, ppath, ())
                if not isinstance(data, dict):  # a whole-object intrinsic
                    data = _unknown_request(str(data.source))
            else:
                entry = doc.source_map.get(ppath if params is not None else spath)
                if entry is not None:
                    rerooter.out.entries[()] = entry
                data = _unknown_request(str(params)) if params is not None else {}
            notes = [Note(n.rule, p, n.message, n.at) for n in doc.notes
                     if (p := _note_path(n.path, ppath)) is not None]
            requests.append(Request(file, KIND, data, rerooter.out, doc.index, notes))
    return requests


def _unknown_request(source: str) -> PartialDict:
    data = PartialDict()
    data.unknown_sources = (source,)
    return data
