"""AWS Controllers for Kubernetes (ACK): ``HyperParameterTuningJob`` manifests.

A manifest of ``kind: HyperParameterTuningJob`` with ``apiVersion:
sagemaker.services.k8s.aws/<version>`` holds the request under ``spec:``, with the
API's member names in the controller's lowerCamelCase: ``hyperParameterTuningJobConfig``,
``roleARN``, ``s3URI``, ``kmsKeyID``, ``securityGroupIDs``, and ``type_`` for ``Type``.
The mapping is mechanical and comes from the request schema: at each level, a manifest
key names the schema member it equals ignoring case and a trailing ``_``. Keys of maps
(static hyperparameters, environment, ...) are data and stay as written; a key that
names no member stays as written too, so HPT102 reports it as the manifest spells it.

A string holding a Helm / Go template (``{{ .Values.name }}``) is Unknown: it is rendered
before the manifest is applied. Findings are located at the manifest's own keys and
values; messages use the manifest's spelling (``Request.spelling``). Other kinds in
the same multi-document file (Deployments, ConfigMaps, the operator's older
``sagemaker.aws.amazon.com`` kinds) are not requests.
"""

from __future__ import annotations

import re
from typing import Any

from hpt_lint.loaders.document import Document
from hpt_lint.request import JsonPath, Note, PartialDict, Request, SourceMap, Unknown

KIND = "ack"
GROUP = "sagemaker.services.k8s.aws/"
RESOURCE_KIND = "HyperParameterTuningJob"
_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def is_manifest(value: Any) -> bool:
    return (isinstance(value, dict) and value.get("kind") == RESOURCE_KIND
            and isinstance(value.get("apiVersion"), str)
            and value["apiVersion"].startswith(GROUP))


def _fold(name: str) -> str:
    return name.rstrip("_").lower()


class _Mapper:
    def __init__(self, source: SourceMap) -> None:
        from hpt_lint.structure import load_schema

        self.schema = load_schema()
        self.source = source
        self.out = SourceMap()
        self.spelling: dict[str, str] = {}

    def deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while isinstance(node, dict) and "$ref" in node:
            node = self.schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return node if isinstance(node, dict) else {}

    def convert(self, value: Any, schema: dict[str, Any], src: JsonPath, dst: JsonPath) -> Any:
        entry = self.source.get(src)
        if entry is not None:
            self.out.entries[dst] = entry
        node = self.deref(schema)
        if isinstance(value, dict):
            props = node.get("properties")
            extra = node.get("additionalProperties")
            members = {_fold(p): p for p in props} if isinstance(props, dict) else {}
            result: dict[str, Any] = PartialDict() if isinstance(value, PartialDict) else {}
            for key, child in value.items():
                name = members.get(_fold(key)) if isinstance(key, str) else None
                if name is not None:
                    if name != key:
                        self.spelling[name] = key
                    sub = props[name] if isinstance(props, dict) else {}
                else:
                    name = key
                    sub = extra if isinstance(extra, dict) else {}
                result[name] = self.convert(child, sub, (*src, key), (*dst, name))
            return result
        if isinstance(value, list):
            items = node.get("items")
            sub = items if isinstance(items, dict) else {}
            return [self.convert(c, sub, (*src, i), (*dst, i)) for i, c in enumerate(value)]
        if isinstance(value, str) and _TEMPLATE.search(value):
            return Unknown(value)  # Helm / Go template: rendered before it is applied
        return value


def ack_requests(doc: Document, file: str, kind: str) -> list[Request]:
    if not is_manifest(doc.value):
        return []
    spec = doc.value.get("spec")
    mapper = _Mapper(doc.source_map)
    if not isinstance(spec, dict):
        entry = doc.source_map.get(("spec",) if "spec" in doc.value else ())
        if entry is not None:
            mapper.out.entries[()] = entry
        return [Request(file, KIND, {}, mapper.out, doc.index, [])]
    data = mapper.convert(spec, mapper.schema, ("spec",), ())
    notes = []
    for note in doc.notes:
        if note.path[:1] == ("spec",):
            notes.append(Note(note.rule, _api_path(note.path[1:], mapper), note.message,
                              note.at))
    return [Request(file, KIND, data, mapper.out, doc.index, notes,
                    spelling=mapper.spelling)]


def _api_path(path: JsonPath, mapper: _Mapper) -> JsonPath:
    back = {v: k for k, v in mapper.spelling.items()}
    return tuple(back.get(p, p) if isinstance(p, str) else p for p in path)
