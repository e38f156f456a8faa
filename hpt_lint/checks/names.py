"""HPT2xx: names and identifiers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from hpt_lint.checks._aws_ids import (
    ecr_region,
    is_region,
    parse_arn,
    role_arn_problem,
    s3_uri_problem,
)
from hpt_lint.checks._request_parts import (
    S3_URI_PATTERNS,
    definitions,
    may_hold,
    s3_uri_fields,
    under_definitions,
)
from hpt_lint.findings import Severity
from hpt_lint.request import JsonPath, Request, format_path, walk
from hpt_lint.rule import FixSpec, Rule, Violation

_NAME_CHARS = re.compile(r"[A-Za-z0-9-]")
_JOB_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}")
DOCS_NOTE = ("(the API reference prose also lists : + = @ _ %, but the service model's pattern "
             "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31} does not allow them, and the service follows "
             "the model)")


def name_problem(value: str, max_len: int) -> str | None:
    """Why ``value`` is not a valid SageMaker resource name of 1..max_len characters."""
    if not value:
        return "is empty"
    bad = next((ch for ch in value if not _NAME_CHARS.fullmatch(ch)), None)
    if bad is not None:
        return f"contains {bad!r} at position {value.index(bad) + 1}; only letters, digits " \
               f"and hyphens are allowed"
    if len(value) > max_len:
        return f"is {len(value)} characters long; the maximum is {max_len}"
    if value.startswith("-") or value.endswith("-"):
        return "must start and end with a letter or digit"
    return None


class InvalidTuningJobName(Rule):
    id = "HPT201"
    name = "invalid-tuning-job-name"
    severity = Severity.ERROR
    summary = "The tuning job name is not 1-32 letters, digits and hyphens, starting and " \
              "ending alphanumeric."
    tags = ("names",)
    supersedes = ((("HyperParameterTuningJobName",), ("HPT105", "HPT106")),)

    def check(self, request: Request) -> Iterator[Violation]:
        value = request.data.get("HyperParameterTuningJobName")
        if not isinstance(value, str) or (len(value) <= 32 and _JOB_NAME.fullmatch(value)):
            return
        problem = name_problem(value, 32)
        if problem is None:  # pragma: no cover - the pattern and name_problem agree
            problem = "does not match [a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}"
        message = f"tuning job name {value!r} {problem}"
        if any(ch in value for ch in ":+=@_%"):
            message += f" {DOCS_NOTE}"
        yield Violation(("HyperParameterTuningJobName",), message)


_DEFINITION_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}")


class InvalidDefinitionName(Rule):
    id = "HPT202"
    name = "invalid-definition-name"
    severity = Severity.ERROR
    summary = "A training job definition's DefinitionName is missing in a multi-definition " \
              "job, or is not 1-64 letters, digits and hyphens."
    tags = ("names",)
    supersedes = tuple((p, ("HPT105", "HPT106")) for p in under_definitions("DefinitionName"))

    def check(self, request: Request) -> Iterator[Violation]:
        multi = request.data.get("TrainingJobDefinitions")
        for dpath, definition in definitions(request):
            if "DefinitionName" not in definition:
                if dpath[0] == "TrainingJobDefinitions" \
                        and not may_hold(definition, "DefinitionName"):
                    yield Violation(
                        dpath + ("DefinitionName",),
                        f"`{format_path(dpath)}` has no DefinitionName; in a job with "
                        f"TrainingJobDefinitions ({len(multi)} definition"
                        f"{'s' if len(multi) != 1 else ''}) each definition needs a unique "
                        "name, which the service uses to tell the definitions' training "
                        "jobs and objectives apart: add `DefinitionName: <name>` (letters, "
                        "digits and hyphens)", at="key")
                continue
            value = definition["DefinitionName"]
            if not isinstance(value, str) or _DEFINITION_NAME.fullmatch(value):
                continue
            problem = name_problem(value, 64)
            if problem is None:  # pragma: no cover - the pattern and name_problem agree
                problem = "does not match [a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}"
            message = (f"DefinitionName {value!r} {problem}; the service model's pattern is "
                       "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}")
            if "_" in value:
                fixed = value.replace("_", "-")
                message += (" (the SageMaker Python SDK copies estimator names such as "
                            f"'estimator_1' straight into DefinitionName): try {fixed!r}")
            yield Violation(dpath + ("DefinitionName",), message)


class DuplicateDefinitionName(Rule):
    id = "HPT203"
    name = "duplicate-definition-name"
    severity = Severity.ERROR
    summary = "Two training job definitions share a DefinitionName."
    tags = ("names",)

    def check(self, request: Request) -> Iterator[Violation]:
        seen: dict[str, JsonPath] = {}
        for dpath, definition in definitions(request):
            value = definition.get("DefinitionName")
            if dpath[0] != "TrainingJobDefinitions" or not isinstance(value, str):
                continue
            first = seen.setdefault(value, dpath)
            if first != dpath:
                yield Violation(
                    dpath + ("DefinitionName",),
                    f"DefinitionName {value!r} is also the name of `{format_path(first)}`; "
                    "each training job definition needs a unique name (the service reports "
                    "training jobs and the best job per definition by it): rename one")


class InvalidRoleArn(Rule):
    id = "HPT204"
    name = "invalid-role-arn"
    severity = Severity.ERROR
    summary = "RoleArn is not the ARN of an IAM role."
    tags = ("names", "iam")
    supersedes = tuple((p, ("HPT105", "HPT106")) for p in under_definitions("RoleArn"))

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            value = definition.get("RoleArn")
            if not isinstance(value, str):
                continue
            problem = role_arn_problem(value)
            if problem is not None:
                yield Violation(dpath + ("RoleArn",),
                                f"RoleArn {value!r} {problem}; SageMaker assumes this role to "
                                "run every training job of the tuning job")


class InvalidS3Uri(Rule):
    id = "HPT205"
    name = "invalid-s3-uri"
    severity = Severity.ERROR
    summary = "An S3 URI has an invalid scheme or bucket name."
    tags = ("names", "s3")
    supersedes = tuple((p, ("HPT105", "HPT106")) for p in S3_URI_PATTERNS)

    def check(self, request: Request) -> Iterator[Violation]:
        for path, value in s3_uri_fields(request):
            if not isinstance(value, str):
                continue
            problem = s3_uri_problem(value)
            if problem is None:
                continue
            fix = None
            message = f"`{path[-1]}` {value!r} {problem.message}"
            if problem.fixed is not None:
                fix = FixSpec(f"Change to {problem.fixed!r}", path, problem.fixed)
                message += f": write {problem.fixed!r}"
            yield Violation(path, message, fix=fix)


# Fields holding ARNs that name a region; values elsewhere (hyperparameters, environment,
# tags) are user data and are not compared.
_NOT_RESOURCES = frozenset({"StaticHyperParameters", "Environment", "Tags",
                            "HyperParameterRanges", "ParameterRanges"})


_SERVICES = {"kms": "KMS key", "iam": "IAM role", "sagemaker": "SageMaker"}


def _places(request: Request) -> Iterator[tuple[JsonPath, str, str | None, str]]:
    """(path, partition, region or None, what) for every value that names a partition."""
    for path, value in walk(request.data):
        if not isinstance(value, str) or any(p in _NOT_RESOURCES for p in path):
            continue
        if path and path[-1] == "TrainingImage":
            found = ecr_region(value)
            if found is not None:
                yield path, found[1], found[0], "the training image"
            continue
        arn = parse_arn(value)
        if arn is None or not arn.partition.startswith("aws"):
            continue
        if arn.region and not is_region(arn.region):
            continue
        what = f"the {_SERVICES.get(arn.service, arn.service)} ARN"
        yield path, arn.partition, arn.region or None, what


class RegionMismatch(Rule):
    id = "HPT206"
    name = "region-mismatch"
    severity = Severity.WARNING
    summary = "The training image, KMS keys and other ARNs name different regions or " \
              "partitions."
    tags = ("names", "region")

    def check(self, request: Request) -> Iterator[Violation]:
        places = list(_places(request))
        regional = [p for p in places if p[2] is not None]
        if regional:
            counts = Counter(p[2] for p in regional)
            best = max(counts.values())
            ref = next(p for p in regional if counts[p[2]] == best)
        elif places:
            counts = Counter(p[1] for p in places)
            best = max(counts.values())
            ref = next(p for p in places if counts[p[1]] == best)
        else:
            return
        ref_path, ref_partition, ref_region, ref_what = ref
        ref_label = f"{ref_what} (`{format_path(ref_path)}`)"
        for path, partition, region, what in places:
            if path == ref_path:
                continue
            if region is not None and ref_region is not None and region != ref_region:
                detail = f"names the region {region}, but {ref_label} is in {ref_region}"
                if partition != ref_partition:
                    detail += f" (and in another partition: {partition} vs {ref_partition})"
                yield Violation(path, f"{what} `{format_path(path)}` {detail}; a tuning "
                                "job runs in one region, and its training jobs can use only "
                                "an image, KMS keys and other resources of that region: use "
                                "resources of one region")
            elif partition != ref_partition:
                where = f"{ref_region} ({ref_partition})" if ref_region else ref_partition
                yield Violation(path, f"{what} `{format_path(path)}` is in the partition "
                                f"{partition}, but "
                                f"{ref_label} is in {where}; a request cannot mix AWS "
                                "partitions (aws, aws-cn, aws-us-gov): use ARNs of the "
                                "partition the job runs in")


class DuplicateChannelName(Rule):
    id = "HPT207"
    name = "duplicate-channel-name"
    severity = Severity.ERROR
    summary = "Two input channels of a training job definition share a name."
    tags = ("names", "data")

    def check(self, request: Request) -> Iterator[Violation]:
        for dpath, definition in definitions(request):
            channels = definition.get("InputDataConfig")
            if not isinstance(channels, list):
                continue
            seen: dict[str, int] = {}
            for i, channel in enumerate(channels):
                name = channel.get("ChannelName") if isinstance(channel, dict) else None
                if not isinstance(name, str):
                    continue
                first = seen.setdefault(name, i)
                if first != i:
                    yield Violation(
                        dpath + ("InputDataConfig", i, "ChannelName"),
                        f"channel name {name!r} is also used by InputDataConfig[{first}]; "
                        "each channel is a named input that the container sees as "
                        f"/opt/ml/input/data/{name} (and SM_CHANNEL_{name.upper()}), so two "
                        "channels cannot share a name: rename one, or put both locations "
                        "under one S3 prefix")
