"""What hpt-lint knows about SageMaker built-in algorithms, and how a request names one.

The facts live in ``hpt_lint/data/algorithms/<name>.json`` (one file per algorithm, each
entry with its source, checked against ``schemas/algorithm.schema.json``) and
``registries.json`` (the ECR account of each region per image repository). This module
reads them and recognises the algorithm of one training job definition from its
``TrainingImage`` (a string, or an ``Unknown`` whose ``ImageHint`` names the algorithm).
Anything it cannot tell for sure is None: the rules stay silent then.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from hpt_lint.request import ImageHint, Unknown

Direction = Literal["Maximize", "Minimize"]
# the SDK's script mode: the user's entry point reads the hyperparameters, not the algorithm
SCRIPT_MODE_KEYS = ("sagemaker_program", "sagemaker_submit_directory")


@dataclass(frozen=True, slots=True)
class Domain:
    """A numeric interval; a missing bound is unbounded."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    def contains(self, x: float) -> bool:
        if self.low is not None and (x < self.low or (self.low_open and x == self.low)):
            return False
        return not (self.high is not None
                    and (x > self.high or (self.high_open and x == self.high)))

    def text(self) -> str:
        lo = "(" if self.low_open or self.low is None else "["
        hi = ")" if self.high_open or self.high is None else "]"
        low = "-inf" if self.low is None else _num(self.low)
        high = "inf" if self.high is None else _num(self.high)
        return f"{lo}{low}, {high}{hi}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


@dataclass(frozen=True, slots=True)
class Hyperparameter:
    name: str
    type: str  # integer, continuous, categorical, list
    required: bool
    tunable: bool
    source: str
    domain: Domain | None = None
    values: tuple[str, ...] = ()
    special_values: tuple[str, ...] = ()  # words also accepted, e.g. "auto"
    recommended: Domain | None = None
    recommended_values: tuple[str, ...] = ()  # a tuning page's suggestion, not a domain
    set_by_sdk: bool = False  # the SDK's first-party estimators set it at fit time
    aliases: tuple[str, ...] = ()
    note: str | None = None

    def describe(self) -> str:
        """The valid values in words, for messages and hovers."""
        if self.values:
            text = "one of " + ", ".join(self.values)
        elif self.domain is not None:
            kind = "an integer" if self.type == "integer" else "a number"
            text = f"{kind} in {self.domain.text()}"
        else:
            text = f"a {self.type} value"
        if self.special_values:
            text += " or " + " or ".join(f"'{v}'" for v in self.special_values)
        return text


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    direction: Direction
    source: str


@dataclass(frozen=True, slots=True)
class Image:
    repository: str
    source: str
    registry: str | None = None  # a registry set in registries.json
    versions: tuple[str, ...] = ()
    tag_forms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Algorithm:
    name: str
    title: str
    coverage: str  # full | recognised
    coverage_note: str
    source: str
    sdk_frameworks: tuple[str, ...]
    images: tuple[Image, ...]
    metrics: tuple[Metric, ...]
    metrics_complete: bool
    hyperparameters: tuple[Hyperparameter, ...]
    hyperparameters_complete: bool
    constraints: tuple[dict[str, Any], ...]
    tunable_complete: bool = False  # the tunable flags are the service's own list

    def metric(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)

    def hyperparameter(self, name: str) -> Hyperparameter | None:
        """A hyperparameter by its name or one of its aliases."""
        for hp in self.hyperparameters:
            if name == hp.name or name in hp.aliases:
                return hp
        return None

    def tunable(self) -> tuple[Hyperparameter, ...]:
        return tuple(hp for hp in self.hyperparameters if hp.tunable)

    def versions(self) -> tuple[str, ...]:
        return tuple(v for image in self.images for v in image.versions)


def _domain(value: dict[str, Any] | None) -> Domain | None:
    if value is None:
        return None
    return Domain(value.get("min"), value.get("max"), bool(value.get("min_open")),
                  bool(value.get("max_open")))


def _algorithm(data: dict[str, Any]) -> Algorithm:
    hps = tuple(Hyperparameter(
        name=h["name"], type=h["type"], required=h["required"], tunable=h["tunable"],
        source=h["source"], domain=_domain(h.get("domain")), values=tuple(h.get("values", ())),
        special_values=tuple(h.get("special_values", ())),
        recommended=_domain(h.get("recommended")),
        recommended_values=tuple(h.get("recommended_values", ())),
        set_by_sdk="set_by_sdk" in h,
        aliases=tuple(h.get("aliases", ())),
        note=h.get("note")) for h in data["hyperparameters"])
    return Algorithm(
        name=data["name"], title=data["title"], coverage=data["coverage"],
        coverage_note=data["coverage_note"], source=data["source"],
        sdk_frameworks=tuple(data["sdk_frameworks"]),
        images=tuple(Image(i["repository"], i["source"], i.get("registry"),
                           tuple(i.get("versions", ())), tuple(i.get("tag_forms", ())))
                     for i in data["images"]),
        metrics=tuple(Metric(m["name"], m["direction"], m["source"]) for m in data["metrics"]),
        metrics_complete=data["metrics_complete"], hyperparameters=hps,
        hyperparameters_complete=data["hyperparameters_complete"],
        constraints=tuple(data.get("constraints", ())),
        tunable_complete=data["tunable_complete"])


def _data_dir() -> Any:
    return resources.files("hpt_lint").joinpath("data", "algorithms")


@cache
def raw_files() -> dict[str, dict[str, Any]]:
    """file name -> parsed JSON, for every data file (the schema test reads these)."""
    out: dict[str, dict[str, Any]] = {}
    for entry in sorted(_data_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            out[entry.name] = json.loads(entry.read_text(encoding="utf-8"))
    return out


@cache
def all_algorithms() -> dict[str, Algorithm]:
    return {data["name"]: _algorithm(data) for fname, data in raw_files().items()
            if fname != "registries.json"}


def get(name: str) -> Algorithm | None:
    """An algorithm by its name, an SDK name (``image_uris.retrieve`` framework or first-party
    estimator class, any case) or an image repository."""
    key = name.strip().lower()
    for algo in all_algorithms().values():
        if key == algo.name or key in (f.lower() for f in algo.sdk_frameworks) or any(
                key == i.repository for i in algo.images):
            return algo
    return None


@cache
def registries() -> dict[str, dict[str, str]]:
    sets = raw_files()["registries.json"]["sets"]
    return {name: dict(entry["accounts"]) for name, entry in sets.items()}


def registry_source(name: str) -> str:
    return str(raw_files()["registries.json"]["sets"][name]["source"])


def accounts_for_region(region: str) -> frozenset[str]:
    """Every account any recorded registry set gives for ``region`` (the SDK's maps changed
    some regions' accounts between versions, so more than one can be right)."""
    return frozenset(accounts[region] for accounts in registries().values()
                     if region in accounts)


# --- recognising the algorithm of a training image ---------------------------------------

_ECR = re.compile(r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?"
                  r"/(?P<repo>[a-z0-9][a-z0-9._/-]*?)(?::(?P<tag>[A-Za-z0-9._-]+))?"
                  r"(?:@(?P<digest>[A-Za-z0-9:]+))?$")


@dataclass(frozen=True, slots=True)
class Recognised:
    """The built-in algorithm a definition runs, and what its image says."""

    algorithm: Algorithm
    image: Image
    version: str | None  # the image tag, or the SDK's version argument
    region: str | None
    account: str | None  # the registry account in the URI (None from an SDK hint)
    uri: str | None  # the image URI as written (None from an SDK hint)

    def label(self) -> str:
        return f"{self.algorithm.title} {self.version}" if self.version else self.algorithm.title

    def expected_account(self) -> str | None:
        """The registry account of this image's repository in its region, when known."""
        if self.image.registry is None or self.region is None:
            return None
        return registries()[self.image.registry].get(self.region)

    def version_known(self) -> bool | None:
        """Whether the tag is one the algorithm published (None when not recorded)."""
        if self.version is None or not self.image.versions:
            return None
        forms = self.image.tag_forms or ("{version}",)
        return any(self.version == form.format(version=v)
                   for v in self.image.versions for form in forms)


def _image_for_repository(repo: str) -> tuple[Algorithm, Image] | None:
    for algo in all_algorithms().values():
        for image in algo.images:
            if image.repository == repo:
                return algo, image
    return None


def recognise_uri(uri: str) -> Recognised | None:
    """The built-in algorithm of an ECR image URI, or None for any other image.

    An image counts as built-in when its repository is a built-in one and, where the
    registry accounts are recorded, its account is one of them (in any region): a team's
    own image that happens to be called ``xgboost`` is a custom image."""
    m = _ECR.match(uri.strip())
    if m is None:
        return None
    found = _image_for_repository(m["repo"])
    if found is None:
        return None
    algo, image = found
    if image.registry is not None and m["account"] not in registries()[image.registry].values():
        return None
    return Recognised(algo, image, m["tag"], m["region"], m["account"], uri)


def recognise_hint(hint: ImageHint) -> Recognised | None:
    """The built-in algorithm an SDK call names (``image_uris.retrieve("xgboost", ...)`` or a
    first-party estimator class)."""
    algo = get(hint.framework)
    if algo is None or not algo.images:
        return None
    image = algo.images[0]
    if hint.version is not None:
        image = next((i for i in algo.images if hint.version in i.versions), image)
    return Recognised(algo, image, hint.version, hint.region, None, None)


def recognise(training_image: object) -> Recognised | None:
    """The built-in algorithm of a ``TrainingImage`` value: a URI string, or an Unknown that
    carries an ImageHint. None for any other image or value."""
    if isinstance(training_image, str):
        return recognise_uri(training_image)
    if isinstance(training_image, Unknown) and training_image.image is not None:
        return recognise_hint(training_image.image)
    return None


def script_mode(static: object) -> bool:
    """The SDK's script mode (an entry point reads the hyperparameters), or unknowable."""
    return isinstance(static, dict) and any(k in static for k in SCRIPT_MODE_KEYS)
