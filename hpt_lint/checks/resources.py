"""HPT5xx: resources and run time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hpt_lint import facts
from hpt_lint.checks._request_parts import (
    definitions,
    given,
    instance_types,
    known_int,
    known_str,
    may_hold,
    member,
)
from hpt_lint.findings import Severity
from hpt_lint.request import JsonPath, Request, format_path
from hpt_lint.rule import Rule, Violation

MAX_TRAINING_RUNTIME = 2_419_200  # 28 days, §46 (D5)
MAX_ENVIRONMENT = 48  # §51
RESOURCE_KINDS = ("ResourceConfig", "HyperParameterTuningResourceConfig")


def _spot(definition: dict[str, Any]) -> bool | None:
    """True/False when EnableManagedSpotTraining is known (absent means False), None when
    it is not a boolean or cannot be known (an Unknown, or a spread we cannot see)."""
    if "EnableManagedSpotTraining" not in definition:
        return None if may_hold(definition, "EnableManagedSpotTraining") else False
    value = definition["EnableManagedSpotTraining"]
    return value if isinstance(value, bool) else None


class SpotWaitLessThanRuntime(Rule):
    id = "HPT501"
    name = "spot-wait-less-than-runtime"
    severity = Severity.ERROR
    summary = "MaxWaitTimeInSeconds is less than MaxRuntimeInSeconds."
    tags = ("resources", "spot")

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            stopping = definition.get("StoppingCondition")
            if not isinstance(stopping, dict):
                continue
            if _spot(definition) is False:
                continue  # a wait time without spot is HPT502's fault (one fault, one finding)
            wait = known_int(stopping.get("MaxWaitTimeInSeconds"))
            run = known_int(stopping.get("MaxRuntimeInSeconds"))
            if wait is not None and run is not None and wait < run:
                yield Violation(
                    dpath + ("StoppingCondition", "MaxWaitTimeInSeconds"),
                    f"MaxWaitTimeInSeconds ({wait}) is less than MaxRuntimeInSeconds ({run}); "
                    "the wait time includes the run time, so it must be equal to or greater "
                    f"than it: set it to at least {run} (the model says 'equal to or greater'; "
                    "the spot training guide's 'larger than' is stricter than the service)")


class WaitTimeWithoutSpot(Rule):
    id = "HPT502"
    name = "wait-time-without-spot"
    severity = Severity.ERROR
    summary = "MaxWaitTimeInSeconds without EnableManagedSpotTraining: true."
    tags = ("resources", "spot")

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            stopping = definition.get("StoppingCondition")
            if not given(stopping, "MaxWaitTimeInSeconds"):
                continue
            if _spot(definition) is not False:
                continue
            yield Violation(
                dpath + ("StoppingCondition", "MaxWaitTimeInSeconds"),
                "MaxWaitTimeInSeconds is set but managed spot training is not enabled; the "
                "service rejects it (\"Invalid MaxWaitTimeInSeconds. It is only supported when "
                "EnableManagedSpotTraining is set to true\"): remove MaxWaitTimeInSeconds, or "
                "set `EnableManagedSpotTraining: true`", at="key")


class SpotWithoutWaitTime(Rule):
    id = "HPT503"
    name = "spot-without-wait-time"
    severity = Severity.WARNING
    summary = "Managed spot training enabled with no MaxWaitTimeInSeconds."
    tags = ("resources", "spot")

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            stopping = definition.get("StoppingCondition")
            if _spot(definition) is not True or not isinstance(stopping, dict):
                continue
            if "MaxWaitTimeInSeconds" in stopping or may_hold(stopping, "MaxWaitTimeInSeconds"):
                continue
            yield Violation(
                dpath + ("StoppingCondition",),
                "managed spot training is enabled but StoppingCondition has no "
                "MaxWaitTimeInSeconds, the limit on waiting for spot capacity plus running "
                "(the SageMaker SDK asks for it whenever spot is used): set "
                "MaxWaitTimeInSeconds, equal to or greater than MaxRuntimeInSeconds",
                at="key")


class SpotWithoutCheckpoint(Rule):
    id = "HPT504"
    name = "spot-without-checkpoint"
    severity = Severity.WARNING
    summary = "Managed spot training enabled with no CheckpointConfig."
    tags = ("resources", "spot")

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            if _spot(definition) is not True:
                continue
            if "CheckpointConfig" in definition or may_hold(definition, "CheckpointConfig"):
                continue
            yield Violation(
                dpath + ("EnableManagedSpotTraining",),
                "managed spot training is enabled without a CheckpointConfig; when a spot "
                "instance is reclaimed the job restarts from the beginning (and built-in "
                "algorithms that do not checkpoint are limited to a MaxWaitTimeInSeconds of "
                "3600): add CheckpointConfig with an S3Uri and save checkpoints there")


class TrainingRuntimeOver28Days(Rule):
    id = "HPT505"
    name = "training-runtime-over-28-days"
    severity = Severity.ERROR
    summary = "A training job's MaxRuntimeInSeconds above 28 days (2,419,200 seconds)."
    tags = ("resources",)

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            run = known_int(member(definition, "StoppingCondition", "MaxRuntimeInSeconds"))
            if run is None or run <= MAX_TRAINING_RUNTIME:
                continue
            yield Violation(
                dpath + ("StoppingCondition", "MaxRuntimeInSeconds"),
                f"MaxRuntimeInSeconds is {run} ({run / 86400:.1f} days); the service model "
                "documents a maximum of 28 days (2419200 seconds) for a training job (its "
                "constraints set no maximum, so botocore does not catch it): set it to "
                "2419200 or less")


class ResourceConfigConflict(Rule):
    id = "HPT506"
    name = "resource-config-conflict"
    severity = Severity.ERROR
    summary = "Both or neither of ResourceConfig and HyperParameterTuningResourceConfig, or " \
              "InstanceConfigs beside InstanceType, InstanceCount or VolumeSizeInGB."
    tags = ("resources",)

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            has = [k for k in RESOURCE_KINDS if k in definition]
            if all(given(definition, k) for k in RESOURCE_KINDS):
                yield Violation(
                    dpath + ("HyperParameterTuningResourceConfig",),
                    "the definition has both ResourceConfig and "
                    "HyperParameterTuningResourceConfig; give exactly one (use "
                    "HyperParameterTuningResourceConfig for instance type flexibility): "
                    "remove one of them", at="key")
            elif not has and not any(may_hold(definition, k) for k in RESOURCE_KINDS):
                yield Violation(
                    dpath + ("ResourceConfig",),
                    "the definition has neither ResourceConfig nor "
                    "HyperParameterTuningResourceConfig, so no instances are requested: add "
                    "ResourceConfig with InstanceType, InstanceCount and VolumeSizeInGB",
                    at="key")
            hpo = definition.get("HyperParameterTuningResourceConfig")
            if given(hpo, "InstanceConfigs"):
                for key in ("InstanceType", "InstanceCount", "VolumeSizeInGB"):
                    if given(hpo, key):
                        yield Violation(
                            dpath + ("HyperParameterTuningResourceConfig", key),
                            f"{key} is set beside InstanceConfigs; with InstanceConfigs each "
                            "entry gives its own instance type, count and volume size: "
                            f"remove {key}", at="key")


class VolumeKmsOnLocalStorage(Rule):
    id = "HPT507"
    name = "volume-kms-on-local-storage"
    severity = Severity.ERROR
    summary = "VolumeKmsKeyId on an instance type with local NVMe storage."
    tags = ("resources", "security")

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            for kind in RESOURCE_KINDS:
                resource = definition.get(kind)
                if not isinstance(resource, dict) or not given(resource, "VolumeKmsKeyId"):
                    continue
                local = [t for t in instance_types(resource) if facts.has_local_storage(t)]
                if not local:
                    continue
                yield Violation(
                    dpath + (kind, "VolumeKmsKeyId"),
                    f"VolumeKmsKeyId is set but {', '.join(dict.fromkeys(local))} "
                    f"{'has' if len(set(local)) == 1 else 'have'} local NVMe instance "
                    "storage and no EBS volume to encrypt; the service rejects it (\"KMS key "
                    "is not supported for NVMe instance storage\"): remove VolumeKmsKeyId "
                    "(instance storage is encrypted with a hardware module), or pick an "
                    "EBS-backed instance type", at="key")


class ChannelModeConflict(Rule):
    id = "HPT508"
    name = "channel-mode-conflict"
    severity = Severity.ERROR
    summary = "AugmentedManifestFile not in Pipe mode, or Gzip compression outside Pipe mode."
    tags = ("resources", "data")

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            default = known_str(member(definition, "AlgorithmSpecification",
                                       "TrainingInputMode"))
            channels = definition.get("InputDataConfig")
            if not isinstance(channels, list):
                continue
            for i, channel in enumerate(channels):
                if not isinstance(channel, dict):
                    continue
                cpath: JsonPath = dpath + ("InputDataConfig", i)
                own = channel.get("InputMode")
                mode = known_str(own) if "InputMode" in channel else default
                if mode not in ("File", "FastFile"):
                    continue  # Pipe, or not known for sure
                where = "its InputMode" if "InputMode" in channel else "TrainingInputMode"
                name = known_str(channel.get("ChannelName")) or str(i)
                if member(channel, "DataSource", "S3DataSource",
                          "S3DataType") == "AugmentedManifestFile":
                    yield Violation(
                        cpath + ("DataSource", "S3DataSource", "S3DataType"),
                        f"channel `{name}` reads an AugmentedManifestFile in {mode} mode "
                        f"({where}); augmented manifest files can be used only in Pipe "
                        "mode: set the channel's InputMode to Pipe")
                if channel.get("CompressionType") == "Gzip":
                    yield Violation(
                        cpath + ("CompressionType",),
                        f"channel `{name}` sets CompressionType Gzip in {mode} mode "
                        f"({where}); compression is used only in Pipe mode, and in {mode} "
                        "mode it must be unset or None: remove it, or use Pipe mode")


class AlgorithmSourceConflict(Rule):
    id = "HPT509"
    name = "algorithm-source-conflict"
    severity = Severity.ERROR
    summary = "Both or neither of TrainingImage and AlgorithmName."
    tags = ("resources",)

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            spec = definition.get("AlgorithmSpecification")
            if not isinstance(spec, dict):
                continue
            spath = dpath + ("AlgorithmSpecification",)
            image, algorithm = "TrainingImage" in spec, "AlgorithmName" in spec
            if given(spec, "TrainingImage") and given(spec, "AlgorithmName"):
                yield Violation(
                    spath + ("AlgorithmName",),
                    "AlgorithmSpecification has both TrainingImage and AlgorithmName; give "
                    "exactly one: TrainingImage for a container image, AlgorithmName for an "
                    "algorithm resource or Marketplace algorithm", at="key")
            elif not image and not algorithm and not (
                    may_hold(spec, "TrainingImage") or may_hold(spec, "AlgorithmName")):
                yield Violation(
                    spath,
                    "AlgorithmSpecification has neither TrainingImage nor AlgorithmName, so "
                    "there is nothing to run: add the TrainingImage URI (or an "
                    "AlgorithmName)", at="key")


class ZeroInstanceCount(Rule):
    id = "HPT510"
    name = "zero-instance-count"
    severity = Severity.ERROR
    summary = "An instance count of 0 outside instance groups."
    tags = ("resources",)

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            for kind in RESOURCE_KINDS:
                resource = definition.get(kind)
                if not isinstance(resource, dict):
                    continue
                rpath = dpath + (kind,)
                counts: list[tuple[JsonPath, Any]] = []
                if not resource.get("InstanceGroups"):
                    counts.append((rpath + ("InstanceCount",), resource.get("InstanceCount")))
                configs = resource.get("InstanceConfigs")
                if isinstance(configs, list):
                    counts.extend((rpath + ("InstanceConfigs", i, "InstanceCount"),
                                   member(c, "InstanceCount")) for i, c in enumerate(configs))
                for path, value in counts:
                    if known_int(value) == 0:
                        yield Violation(
                            path,
                            "InstanceCount is 0; a training job needs at least one instance "
                            "(the model allows 0, the documentation requires at least 1): "
                            "set it to 1, or more for distributed training")


class TooManyEnvironmentVariables(Rule):
    id = "HPT511"
    name = "too-many-environment-variables"
    severity = Severity.ERROR
    summary = "More than 48 environment variables summed over all training job definitions."
    tags = ("resources",)
    supersedes = ((("TrainingJobDefinition", "Environment"), ("HPT108",)),
                  (("TrainingJobDefinitions", "*", "Environment"), ("HPT108",)))

    def check(self, request: Request) -> Iterator[Violation]:
        total = 0
        parts: list[str] = []
        for dpath, definition in definitions(request):
            env = definition.get("Environment")
            if not isinstance(env, dict):
                continue
            total += len(env)  # a spread map holds at least what we see
            parts.append(f"{len(env)} in {format_path(dpath)}")
            if total > MAX_ENVIRONMENT:
                detail = f" ({', '.join(parts)})" if len(parts) > 1 else ""
                yield Violation(
                    dpath + ("Environment",),
                    f"the training job definitions set {total} environment variables"
                    f"{detail}; the sum over all definitions can be at most "
                    f"{MAX_ENVIRONMENT}: remove {total - MAX_ENVIRONMENT} or more (pass "
                    "settings as hyperparameters or in a config file instead)", at="key")
                return
