"""Facts about instance types and built-in algorithms, read from shipped data files.

The facts live in ``hpt_lint/data/instances.json`` and ``hpt_lint/data/algorithms/``
(each section records its source; ``hpt_lint.algorithms`` owns the algorithm data); this
module only reads them. Every function
answers ``None`` when the data does not know: callers (rules, policies) stay silent
then rather than guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Direction = Literal["Maximize", "Minimize"]


@cache
def _load(name: str) -> dict[str, Any]:
    text = resources.files("hpt_lint").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def family(instance_type: str) -> str | None:
    """``ml.g5.2xlarge`` -> ``g5``; None for anything not shaped ``ml.<family>.<size>``."""
    parts = instance_type.split(".")
    if len(parts) != 3 or parts[0] != "ml" or not parts[1]:
        return None
    return parts[1]


def has_local_storage(instance_type: str) -> bool | None:
    """True for instance types with local NVMe instance storage (no EBS volume, so no
    ``VolumeKmsKeyId``), False for EBS-only ones, None when unknown."""
    fam = family(instance_type)
    if fam is None:
        return None
    data = _load("instances.json")["local_storage"]
    if fam in data["nvme_families"]:
        return True
    if fam in data["ebs_only_families"]:
        return False
    return None


@dataclass(frozen=True, slots=True)
class Accelerators:
    kind: str  # "gpu" or "trainium"
    model: str
    count: int  # devices per instance (GPUs, or Trainium chips)


def accelerator_info(instance_type: str) -> Accelerators | None:
    """The accelerators of one instance, or None if the type has none or is unknown."""
    entry = _load("instances.json")["accelerators"]["types"].get(instance_type)
    if entry is None:
        return None
    return Accelerators(entry["kind"], entry["model"], int(entry["count"]))


def accelerators(instance_type: str) -> int | None:
    """Accelerator devices per instance (NVIDIA GPUs or Trainium chips); 0 for CPU-only
    families; None when unknown."""
    info = accelerator_info(instance_type)
    if info is not None:
        return info.count
    fam = family(instance_type)
    if fam is not None and fam in _load("instances.json")["accelerators"][
            "no_accelerator_families"]:
        return 0
    return None


def gpus(instance_type: str) -> int | None:
    """NVIDIA GPUs per instance; 0 for CPU-only and Trainium instances; None when unknown."""
    info = accelerator_info(instance_type)
    if info is not None:
        return info.count if info.kind == "gpu" else 0
    return accelerators(instance_type)


@dataclass(frozen=True, slots=True)
class BuiltinAlgorithm:
    name: str
    # metric name -> direction; None when the data does not record the algorithm's metrics
    objective_metrics: dict[str, Direction] | None


def image_repository(image_uri: str) -> str:
    """The ECR repository of an image URI: ``<registry>/<repo>[:tag|@digest]`` -> ``repo``."""
    rest = image_uri.split("@", 1)[0]
    registry, slash, path = rest.partition("/")
    if not slash:
        path = registry
    last = path.rsplit("/", 1)[-1]
    if ":" in last:
        path = path[: len(path) - len(last)] + last.split(":", 1)[0]
    return path


def builtin_algorithm(image_uri: str) -> BuiltinAlgorithm | None:
    """The SageMaker built-in algorithm an image URI belongs to, or None for any other
    image (a framework or custom container). Matched by repository name alone, whatever
    the registry: the algorithm rules use the stricter ``algorithms.recognise``."""
    from hpt_lint import algorithms

    repo = image_repository(image_uri.strip())
    for algo in algorithms.all_algorithms().values():
        if any(repo == image.repository for image in algo.images):
            metrics = ({m.name: m.direction for m in algo.metrics}
                       if algo.metrics_complete else None)
            return BuiltinAlgorithm(algo.name, metrics)
    return None
