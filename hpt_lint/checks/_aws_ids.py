"""Parsing AWS identifiers found in a request: ARNs, ECR image hosts, S3 URIs and bucket names.

Pure functions of one string; they say what they see and never guess: a value they
cannot read yields None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The service model's RoleArn pattern (botocore), as Python `re` (it is valid in both).
ROLE_ARN = re.compile(r"arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+")
ROLE_ARN_LENGTH = (20, 2048)
_ROLE_CHARS = re.compile(r"[a-zA-Z_0-9+=,.@\-/]")

S3_URI_MAX_LENGTH = 1024  # the model's S3Uri maxLength
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(/*)")
_IP_ADDRESS = re.compile(r"\d{1,3}(\.\d{1,3}){3}")
_BUCKET_CHARS = re.compile(r"[a-z0-9.\-]")

# <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/repo  or  <account>.dkr-ecr.<region>.on.aws
_ECR_HOST = re.compile(
    r"^(?P<account>\d{12})\.(?:dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com"
    r"(?P<cn>\.cn)?|dkr-ecr\.(?P<region2>[a-z0-9-]+)\.on\.aws)(?::\d+)?(?:/|$)")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


@dataclass(frozen=True, slots=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str


def parse_arn(value: str) -> Arn | None:
    """The parts of ``arn:partition:service:region:account:resource``, or None."""
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not parts[1] or not parts[2]:
        return None
    return Arn(parts[1], parts[2], parts[3], parts[4], parts[5])


def partition_of_region(region: str) -> str:
    """The partition a region belongs to (``cn-north-1`` -> ``aws-cn``)."""
    for prefix, partition in (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"),
                              ("us-isob-", "aws-iso-b"), ("us-isof-", "aws-iso-f"),
                              ("eu-isoe-", "aws-iso-e"), ("us-iso-", "aws-iso")):
        if region.startswith(prefix):
            return partition
    return "aws"


def is_region(value: str) -> bool:
    return bool(_REGION.match(value))


def ecr_region(image: str) -> tuple[str, str] | None:
    """(region, partition) of an image in Amazon ECR, from its registry host; None for
    other registries."""
    m = _ECR_HOST.match(image)
    if not m:
        return None
    region = m.group("region") or m.group("region2")
    if not is_region(region):
        return None
    partition = "aws-cn" if m.group("cn") else partition_of_region(region)
    return region, partition


def role_arn_problem(value: str) -> str | None:
    """Why ``value`` is not an IAM role ARN the service accepts (the model's pattern and
    length), or None."""
    low, high = ROLE_ARN_LENGTH
    if ROLE_ARN.fullmatch(value) and low <= len(value) <= high:
        return None
    example = "arn:aws:iam::123456789012:role/SageMakerRole"
    if not value.strip():
        return f"is empty; it must be the ARN of an IAM role, such as {example}"
    arn = parse_arn(value)
    if arn is None:
        if value.startswith("arn:"):
            return f"is not a complete ARN; an IAM role ARN has the form {example}"
        return (f"is not an ARN; RoleArn takes the full ARN of an IAM role, such as {example}, "
                "not a role name")
    if not re.fullmatch(r"aws[a-z\-]*", arn.partition):
        return f"has the partition {arn.partition!r}; it must be aws, aws-cn or aws-us-gov"
    if arn.service == "sts" and arn.resource.startswith("assumed-role/"):
        role = arn.resource.split("/")[1] if arn.resource.count("/") >= 1 else "?"
        return ("is an STS assumed-role session ARN (what get_caller_identity returns inside "
                "a notebook or a job), not the role itself; use the role's IAM ARN, "
                f"arn:{arn.partition}:iam::{arn.account}:role/<path/>{role} (keep the role's "
                "path, such as service-role/, if it has one)")
    if arn.service != "iam":
        return f"is an ARN of the {arn.service!r} service; RoleArn needs an IAM role ARN"
    if arn.region:
        return (f"names the region {arn.region!r}, but IAM is global: an IAM ARN has an "
                f"empty region field (arn:{arn.partition}:iam::{arn.account}:...)")
    if not re.fullmatch(r"\d{12}", arn.account):
        return f"has the account {arn.account!r}; an account id is exactly 12 digits"
    if not arn.resource.startswith("role"):
        kind = arn.resource.split("/", 1)[0] or "?"
        return (f"is the ARN of an IAM {kind}, not of a role; SageMaker assumes a role to run "
                "the training jobs: give the ARN of a role whose trust policy allows "
                "sagemaker.amazonaws.com")
    bad = next((ch for ch in arn.resource if not _ROLE_CHARS.fullmatch(ch)), None)
    if bad is not None:
        return (f"contains {bad!r}; role names and paths allow only letters, digits and "
                "+=,.@_-/")
    if len(value) > high:
        return f"is {len(value)} characters long; the maximum is {high}"
    if len(value) < low:
        return f"is {len(value)} characters long; the minimum is {low}"
    return f"does not match the API's pattern {ROLE_ARN.pattern}"


@dataclass(frozen=True, slots=True)
class S3Problem:
    message: str
    fixed: str | None = None  # a certain replacement for the whole value, if there is one


def s3_uri_problem(value: str) -> S3Problem | None:
    """Why ``value`` is not an S3 URI the service accepts, or None."""
    if not value:
        return S3Problem("is empty; it must be an S3 URI such as s3://bucket-name/prefix/")
    if len(value) > S3_URI_MAX_LENGTH:
        return S3Problem(f"is {len(value)} characters long; the maximum is "
                         f"{S3_URI_MAX_LENGTH}")
    if value != value.lstrip():
        return S3Problem("starts with whitespace", value.lstrip())
    m = _SCHEME.match(value)
    if m is None:
        fixed = f"s3://{value}" if not value.startswith("/") else None
        return S3Problem("has no scheme; SageMaker takes S3 locations as s3://bucket/prefix",
                         fixed)
    scheme, slashes = m.group(1), m.group(2)
    rest = value[m.end():]
    if scheme == "arn":
        return S3Problem("is an ARN; SageMaker takes S3 locations as URIs: "
                         "s3://bucket/prefix")
    if scheme.lower() in ("s3", "s3a", "s3n", "https") and scheme != scheme.lower():
        return S3Problem(f"has the scheme {scheme + '://'!r}; the scheme is case-sensitive: "
                         f"write {scheme.lower() + '://'!r}", f"{scheme.lower()}://{rest}")
    if scheme in ("s3a", "s3n"):
        return S3Problem(f"uses Hadoop's {scheme}:// scheme, which SageMaker does not "
                         "understand", f"s3://{rest}")
    if scheme not in ("s3", "https"):
        return S3Problem(f"has the scheme {scheme}://; SageMaker reads and writes Amazon S3 "
                         "only, as s3://bucket/prefix (the API also accepts https://)")
    if slashes != "//":
        if slashes == "/" or not slashes:
            return S3Problem(f"has {scheme}:{slashes} instead of {scheme}://",
                             f"{scheme}://{rest}" if rest and not rest.startswith("/") else None)
        return S3Problem(f"has {len(slashes)} slashes after {scheme}: and so no bucket name")
    host = rest.split("/", 1)[0]
    if not host:
        return S3Problem("has no bucket name")
    if scheme == "https":
        return None  # the model allows https URLs; their host is not a bucket name
    problem = bucket_problem(host)
    return S3Problem(problem) if problem else None


def bucket_problem(bucket: str) -> str | None:
    """Why ``bucket`` is not a valid S3 bucket name (general purpose, directory or access
    point alias), or None."""
    name = f"names the bucket {bucket!r}, which"
    bad = next((ch for ch in bucket if not _BUCKET_CHARS.fullmatch(ch)), None)
    if bad is not None:
        if bad.isupper():
            what = "uppercase letters"
        elif bad == "_":
            what = ("underscores (some AWS examples write s3://bucket_name/..., but no "
                    "bucket can be named so)")
        else:
            what = repr(bad)
        return (f"{name} contains {what}; bucket names use only lowercase letters, digits, "
                "dots and hyphens")
    if not 3 <= len(bucket) <= 63:
        return f"{name} is {len(bucket)} characters long; bucket names have 3 to 63"
    if not (bucket[0].isalnum() and bucket[-1].isalnum()):
        return f"{name} does not start and end with a letter or digit, as bucket names do"
    if ".." in bucket:
        return f"{name} has two adjacent dots, which bucket names cannot have"
    if _IP_ADDRESS.fullmatch(bucket):
        return f"{name} is formatted as an IP address, which bucket names cannot be"
    return None
