"""SageMaker Python SDK estimators -> the ``TrainingJobDefinition`` a tuner sends.

``Estimator(...)``, the framework estimators (``XGBoost``, ``PyTorch``, ``TensorFlow``,
``SKLearn``, ``HuggingFace``, ``MXNet``) and the first-party algorithm estimators
(``LinearLearner``, ``KMeans``, ...) are read as a reader would: their arguments, plus
``estimator.set_hyperparameters(...)``. ``training_definition`` then rebuilds the members
the SDK derives from them, following ``sagemaker.tuner._TuningJob._prepare_training_config``,
``sagemaker.job._Job._load_config`` and ``Session._map_training_config`` (docs/sdk.md has
the table). What the SDK adds on its own (``fit()`` inputs, its ``sagemaker_*``
hyperparameters, values from the SageMaker config file, the default bucket) is left
unknown: every rebuilt mapping that may gain members is a PartialDict whose ``may_add``
names the members it may gain.

Images: ``image_uris.retrieve("xgboost", region, "1.7-1")`` (and the image a built-in
algorithm estimator retrieves) becomes an Unknown carrying an ImageHint; no image URI is
made up here.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from typing import Any

from hpt_lint.loaders.python_source import Source
from hpt_lint.loaders.python_static import Env, Interpreter, Val
from hpt_lint.request import ImageHint, Span, Unknown

SDK = "the SageMaker SDK"


@dataclass(frozen=True)
class Kind:
    """One estimator class: how the SDK encodes its hyperparameters and which image it
    retrieves."""

    family: str  # "generic", "framework" or "amazon"
    positional: tuple[str, ...]  # constructor parameters we map by position
    image: str | None = None  # the image_uris framework name, when it is a built-in algorithm
    version: str | None = None  # a fixed image version (first-party algorithms: "1")
    renames: tuple[tuple[str, str], ...] = ()  # constructor argument -> hyperparameter name


_AMAZON = ("role", "instance_count", "instance_type")
KINDS: dict[str, Kind] = {
    "Estimator": Kind("generic", ("image_uri", "role", "instance_count", "instance_type")),
    "XGBoost": Kind("framework", ("entry_point", "framework_version"), image="xgboost"),
    "PyTorch": Kind("framework", ("entry_point", "framework_version")),
    "SKLearn": Kind("framework", ("entry_point", "framework_version")),
    "MXNet": Kind("framework", ("entry_point", "framework_version")),
    "TensorFlow": Kind("framework", ()),
    "HuggingFace": Kind("framework", ()),
    # sagemaker/amazon/*.py: repo_name and repo_version of each first-party estimator
    "LinearLearner": Kind("amazon", _AMAZON, "linear-learner", "1"),
    "KMeans": Kind("amazon", _AMAZON, "kmeans", "1", renames=(
        ("max_iterations", "local_lloyd_max_iter"), ("tol", "local_lloyd_tol"),
        ("num_trials", "local_lloyd_num_trials"),
        ("local_init_method", "local_lloyd_init_method"),
        ("center_factor", "extra_center_factor"))),
    "PCA": Kind("amazon", _AMAZON, "pca", "1"),
    "FactorizationMachines": Kind("amazon", _AMAZON, "factorization-machines", "1"),
    "NTM": Kind("amazon", _AMAZON, "ntm", "1"),
    "LDA": Kind("amazon", ("role",), "lda", "1"),
    "RandomCutForest": Kind("amazon", _AMAZON, "randomcutforest", "1"),
    "KNN": Kind("amazon", _AMAZON, "knn", "1"),
    "Object2Vec": Kind("amazon", _AMAZON, "object2vec", "1"),
    "IPInsights": Kind("amazon", _AMAZON, "ipinsights", "1"),
}

# EstimatorBase / Framework arguments (v2 names, and the v1 names v2 still accepts);
# for a first-party estimator every other keyword is a hyperparameter.
V1_NAMES = {"image_name": "image_uri", "train_instance_count": "instance_count",
            "train_instance_type": "instance_type", "train_volume_size": "volume_size",
            "train_volume_kms_key": "volume_kms_key", "train_max_run": "max_run",
            "train_use_spot_instances": "use_spot_instances", "train_max_wait": "max_wait"}
BASE_ARGUMENTS = frozenset({
    "image_uri", "role", "instance_count", "instance_type", "instance_groups", "volume_size",
    "volume_kms_key", "max_run", "input_mode", "output_path", "output_kms_key",
    "base_job_name", "sagemaker_session", "hyperparameters", "tags", "subnets",
    "security_group_ids", "model_uri", "model_channel_name", "metric_definitions",
    "encrypt_inter_container_traffic", "use_spot_instances", "max_wait", "checkpoint_s3_uri",
    "checkpoint_local_path", "rules", "debugger_hook_config", "tensorboard_output_config",
    "enable_sagemaker_metrics", "enable_network_isolation", "profiler_config",
    "disable_profiler", "environment", "max_retry_attempts", "source_dir", "git_config",
    "container_log_level", "code_location", "entry_point", "dependencies",
    "training_repository_access_mode",
    "training_repository_credentials_provider_arn", "disable_output_compression",
    "enable_infra_check", "container_entry_point", "container_arguments",
    "keep_alive_period_in_seconds", "enable_remote_debug", "data_location",
    "framework_version", "py_version", "distribution", "image_scope", "compiler_config",
    "transformers_version", "pytorch_version", "tensorflow_version", "model_dir",
    "mini_batch_size_default", "sagemaker_config", "training_plan", "instance_placement_config",
})
# hyperparameters the SDK adds to a script-mode job (sagemaker.estimator.Framework and
# EstimatorBase._prepare_for_training) or the tuner adds (include_cls_metadata)
SCRIPT_MODE_HYPERPARAMETERS = frozenset({
    "sagemaker_program", "sagemaker_submit_directory", "sagemaker_container_log_level",
    "sagemaker_job_name", "sagemaker_region"})
CLASS_METADATA = frozenset({"sagemaker_estimator_class_name", "sagemaker_estimator_module"})
# members the SageMaker config file (sagemaker.config) may fill in when not given
CONFIG_DEFAULTS = {
    "definition": frozenset({"InputDataConfig", "VpcConfig", "EnableNetworkIsolation",
                             "EnableInterContainerTrafficEncryption", "Environment",
                             "RetryStrategy"}),
    "resource": frozenset({"VolumeKmsKeyId"}),
    "output": frozenset({"KmsKeyId"}),
}
DEFAULT_VOLUME_SIZE = 30  # EstimatorBase(volume_size=30)
DEFAULT_MAX_RUN = 24 * 60 * 60  # EstimatorBase(max_run=24 * 60 * 60)

Members = dict[str, tuple[Span | None, Val]]


def _called(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)


def _callee_span(call: ast.Call, source: Source) -> Span:
    func = call.func
    if isinstance(func, ast.Attribute):
        return source.name_span(func, func.attr, at_end=True)
    return source.span(func)


def estimator_constructor(interp: Interpreter, call: ast.Call, env: Env, source: Source) -> Val:
    """``Estimator(...)`` and friends: a Val holding the arguments by (v2) parameter name,
    tagged with the estimator's Kind. ``partial`` when unseen arguments may set others."""
    name = _called(call) or ""
    kind = KINDS[name]
    args: Members = {}
    result = Val(args, source.span(call))
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred) or i >= len(kind.positional):
            result.partial += (source.segment(arg),)
            continue
        args[kind.positional[i]] = (None, interp.eval(arg, env, source))
    for kw in call.keywords:
        if kw.arg is None:
            spread = interp.eval(kw.value, env, source)
            if spread.is_dict:
                for key, item in spread.value.items():
                    args[V1_NAMES.get(key, key)] = item
                result.partial += spread.partial
            else:
                result.partial += (source.segment(kw.value),)
            continue
        args[V1_NAMES.get(kw.arg, kw.arg)] = (source.name_span(kw, kw.arg),
                                              interp.eval(kw.value, env, source))
    given = args.get("hyperparameters")
    if given is not None and given[1].is_dict:  # the SDK keeps a copy
        hp = given[1]
        args["hyperparameters"] = (given[0], Val(dict(hp.value), hp.span, hp.partial))
    result.sdk_estimator = kind  # type: ignore[attr-defined]
    result.sdk_class = name  # type: ignore[attr-defined]
    result.callee = _callee_span(call, source)  # type: ignore[attr-defined]
    return result


def set_hyperparameters(interp: Interpreter, receiver: Val, call: ast.Call, env: Env,
                        source: Source) -> bool:
    """``estimator.set_hyperparameters(a=1, **more)`` adds to the estimator's
    hyperparameters (later values win)."""
    if getattr(receiver, "sdk_estimator", None) is None:
        return False
    args: Members = receiver.value
    current = args.get("hyperparameters")
    if current is None or not current[1].is_dict:
        hp = Val({}, source.span(call))
        if current is not None:  # an Unknown mapping given to the constructor
            hp.partial += (_text(current[1]),)
        args["hyperparameters"] = (None, hp)
    else:
        hp = current[1]
    if call.args:
        hp.partial += (source.segment(call),)
    for kw in call.keywords:
        interp.keyword_into(hp, kw, env, source)
    # a tuner built before this call sends these too: the SDK reads the hyperparameters
    # when the job starts (fit()), not when the tuner is made
    kind: Kind = receiver.sdk_estimator  # type: ignore[attr-defined]
    for static, tuned in getattr(receiver, "built_statics", ()):
        for key, (kspan, value) in hp.value.items():
            if tuned is None or key not in tuned:
                static.value[key] = (kspan, _encode(kind.family, value))
        if hp.partial:
            static.partial += hp.partial
            static.adds = None
    return True


def image_hint_call(interp: Interpreter, call: ast.Call, env: Env, source: Source) -> Val:
    """``sagemaker.image_uris.retrieve(framework, region, version)`` (also imported
    ``retrieve``, keyword forms) and v1's ``get_image_uri(region, repo, version)``: an
    Unknown image that names its algorithm."""
    text = source.segment(call)
    span = source.span(call)
    called = _called(call)
    names = ("region", "repo_name", "repo_version") if called == "get_image_uri" else (
        "framework", "region", "version")
    given: dict[str, Val] = {}
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            break
        if i < len(names):
            given[names[i]] = interp.eval(arg, env, source)
    for kw in call.keywords:
        if kw.arg is not None:
            given[kw.arg] = interp.eval(kw.value, env, source)
    framework = given.get("repo_name") or given.get("framework")
    version = given.get("repo_version") or given.get("version")
    region = given.get("region") or given.get("region_name")
    if framework is None or not isinstance(framework.value, str):
        return Val(Unknown(text), span)
    return Val(Unknown(text, image=ImageHint(
        framework.value,
        _plain(version.value) if version is not None else None,
        region.value if region is not None and isinstance(region.value, str) else None)), span)


def _plain(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def is_image_call(call: ast.Call) -> bool:
    """``image_uris.retrieve``, ``sagemaker.image_uris.retrieve``, a bare ``retrieve``
    (imported from ``sagemaker.image_uris``) or ``get_image_uri``."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in ("retrieve", "get_image_uri")
    if isinstance(func, ast.Attribute):
        if func.attr == "get_image_uri":
            return True
        base = func.value
        return func.attr == "retrieve" and (
            (isinstance(base, ast.Name) and base.id == "image_uris")
            or (isinstance(base, ast.Attribute) and base.attr == "image_uris"))
    return False


def _text(value: Val) -> str:
    v = value.value
    if isinstance(v, Unknown):
        return v.source
    return "{...}" if value.is_dict else "[...]" if value.is_list else repr(v)


def _truthy(value: Val) -> bool | None:
    v = value.value
    if isinstance(v, Unknown) or value.partial:
        return None
    if value.is_container:
        return bool(value.value)
    return bool(v)


def _encode(family: str, value: Val) -> Val:
    """A static hyperparameter as the SDK sends it: ``str()`` for a generic estimator
    (``sagemaker.utils.to_str``), ``json.dumps`` for a framework estimator
    (``Framework._json_encode_hyperparameters``), and for a first-party algorithm
    ``json.dumps`` of a list, else ``str()`` (``Hyperparameter.serialize_all``)."""
    v = value.value
    if isinstance(v, Unknown):
        return value
    if value.is_container:
        plain = _plain_container(value)
        if plain is None or family == "generic":
            return Val(Unknown(f"{_text(value)} (encoded by {SDK})"), value.span)
        if family == "amazon" and not value.is_list:
            return Val(Unknown(f"{_text(value)} (encoded by {SDK})"), value.span)
        return Val(json.dumps(plain), value.span, derived=True)
    if family == "framework":
        return Val(json.dumps(v), value.span, derived=True)
    if isinstance(v, str):
        return value
    return Val(str(v), value.span, derived=True)


def _plain_container(value: Val, depth: int = 0) -> Any:
    if depth > 20 or value.partial:
        return None
    if value.is_list:
        items = [_plain_container(i, depth + 1) if i.is_container else i.value
                 for i in value.value]
        return None if any(isinstance(i, Unknown) for i in items) else items
    if value.is_dict:
        out = {}
        for k, (_, item) in value.value.items():
            out[k] = _plain_container(item, depth + 1) if item.is_container else item.value
            if isinstance(out[k], Unknown):
                return None
        return out
    return value.value


def _partial(members: Members, span: Span, may_add: frozenset[str] | None,
             sources: tuple[str, ...] = (SDK,)) -> Val:
    val = Val(members, span, sources if may_add is None or may_add else (), derived=True)
    val.adds = may_add  # type: ignore[attr-defined]
    return val


def training_definition(est: Val, tuned: set[str] | None, metrics: Val | None,
                        metrics_key: Span | None) -> Val:
    """The TrainingJobDefinition the SDK sends for estimator ``est`` (a Val made by
    ``estimator_constructor``); ``tuned`` are the tuned hyperparameter names (None: not
    known), ``metrics`` the tuner's ``metric_definitions``."""
    kind: Kind = est.sdk_estimator  # type: ignore[attr-defined]
    name: str = est.sdk_class  # type: ignore[attr-defined]
    callee: Span = est.callee  # type: ignore[attr-defined]
    args: Members = est.value
    is_open = bool(est.partial)

    def get(key: str) -> tuple[Span | None, Val] | None:
        item = args.get(key)
        if item is None or item[1].value is None:
            return None
        return item

    def unknown(what: str) -> tuple[None, Val]:
        return None, Val(Unknown(f"{name}(...).{what} (from arguments not visible here)"
                                 if is_open else f"{name}(...).{what}"), callee)

    def default(value: Any) -> tuple[None, Val]:
        if is_open:
            return None, Val(Unknown(f"{name}(...) default or an argument not visible here"),
                             callee)
        return None, Val(value, callee, derived=True)

    definition: Members = {}
    may_add = set(CONFIG_DEFAULTS["definition"])

    # AlgorithmSpecification: TrainingImage, TrainingInputMode, MetricDefinitions
    algorithm: Members = {}
    image = get("image_uri")
    if image is not None:
        algorithm["TrainingImage"] = image
    else:
        algorithm["TrainingImage"] = (None, _retrieved_image(kind, name, args, callee))
    mode = get("input_mode")
    algorithm["TrainingInputMode"] = mode if mode is not None else unknown(
        "input_mode ('File' unless fit() inputs set another)")
    if metrics is not None:
        algorithm["MetricDefinitions"] = (metrics_key, metrics)
    definition["AlgorithmSpecification"] = (None, _partial(algorithm, callee, frozenset()))

    role = get("role")
    if role is None:
        definition["RoleArn"] = unknown("role (from the SageMaker config)")
    elif isinstance(role[1].value, str) and "/" not in role[1].value:
        # Session.expand_role: a role name becomes the role's ARN at run time
        definition["RoleArn"] = (role[0], Val(Unknown(
            f"the ARN of role {role[1].value!r} (expand_role)"), role[1].span))
    else:
        definition["RoleArn"] = role

    static = _static(kind, name, args, tuned, callee, is_open)
    if kind.family != "amazon":  # later set_hyperparameters calls reach it (see there)
        built = getattr(est, "built_statics", None)
        if built is None:
            built = est.built_statics = []  # type: ignore[attr-defined]
        built.append((static, tuned))
    definition["StaticHyperParameters"] = (None, static)

    output: Members = {}
    path = get("output_path")
    output["S3OutputPath"] = path if path is not None else unknown(
        "output_path (the session's default bucket)")
    for key, member in (("output_kms_key", "KmsKeyId"),):
        item = get(key)
        if item is not None:
            output[member] = item
    compress = get("disable_output_compression")
    if compress is not None and _truthy(compress[1]):
        output["CompressionType"] = (compress[0], Val("NONE", compress[1].span, derived=True))
    definition["OutputDataConfig"] = (None, _partial(
        output, callee, None if is_open else CONFIG_DEFAULTS["output"] - output.keys()))

    resource: Members = {}
    groups = get("instance_groups")
    if groups is not None:
        resource["InstanceGroups"] = (groups[0], Val(Unknown(_text(groups[1])),
                                                     groups[1].span))
    else:
        for key, member in (("instance_count", "InstanceCount"),
                            ("instance_type", "InstanceType")):
            item = get(key)
            resource[member] = item if item is not None else unknown(key)
    volume = get("volume_size")
    resource["VolumeSizeInGB"] = volume if volume is not None else default(DEFAULT_VOLUME_SIZE)
    for key, member in (("volume_kms_key", "VolumeKmsKeyId"),
                        ("keep_alive_period_in_seconds", "KeepAlivePeriodInSeconds")):
        item = get(key)
        if item is not None:
            resource[member] = item
    definition["ResourceConfig"] = (None, _partial(
        resource, callee, None if is_open else CONFIG_DEFAULTS["resource"] - resource.keys()))

    stopping: Members = {}
    run = get("max_run")
    stopping["MaxRuntimeInSeconds"] = run if run is not None else default(DEFAULT_MAX_RUN)
    wait = get("max_wait")
    if wait is not None and _truthy(wait[1]) is not False:
        stopping["MaxWaitTimeInSeconds"] = wait
    definition["StoppingCondition"] = (None, _partial(
        stopping, callee, None if is_open else frozenset()))

    for key, member in (("use_spot_instances", "EnableManagedSpotTraining"),
                        ("enable_network_isolation", "EnableNetworkIsolation"),
                        ("encrypt_inter_container_traffic",
                         "EnableInterContainerTrafficEncryption")):
        item = get(key)
        if item is None:
            continue
        truth = _truthy(item[1])
        if truth is None:
            definition[member] = item
        elif truth:
            definition[member] = (item[0], Val(True, item[1].span, derived=True))
        else:
            may_add.discard(member)

    checkpoint = get("checkpoint_s3_uri")
    if checkpoint is not None and _truthy(checkpoint[1]) is not False:
        members: Members = {"S3Uri": checkpoint}
        local = get("checkpoint_local_path")
        if local is not None:
            members["LocalPath"] = local
        definition["CheckpointConfig"] = (checkpoint[0], Val(members, checkpoint[1].span,
                                                             derived=True))

    environment = get("environment")
    if environment is not None:
        definition["Environment"] = environment
        may_add.discard("Environment")
    subnets, groups_ = get("subnets"), get("security_group_ids")
    if subnets is not None and groups_ is not None:  # EstimatorBase.get_vpc_config
        definition["VpcConfig"] = (None, Val({"Subnets": subnets, "SecurityGroupIds": groups_},
                                             subnets[1].span, derived=True))
    retries = get("max_retry_attempts")
    if retries is not None:
        definition["RetryStrategy"] = (retries[0], Val(
            {"MaximumRetryAttempts": retries}, retries[1].span, derived=True))
    result = _partial(definition, est.span, None if is_open else frozenset(may_add))
    built_definitions = getattr(est, "built_definitions", None)
    if built_definitions is None:
        built_definitions = est.built_definitions = []  # type: ignore[attr-defined]
    built_definitions.append(result)
    return result


def _retrieved_image(kind: Kind, name: str, args: Members, callee: Span) -> Val:
    """The image the estimator retrieves itself: an Unknown with an ImageHint for a
    built-in algorithm (first-party estimators, XGBoost), a plain Unknown otherwise."""
    if kind.image is None:
        return Val(Unknown(f"{name}(...).training_image_uri() (retrieved by {SDK})"), callee)
    version = kind.version
    if version is None:
        given = args.get("framework_version")
        version = _plain(given[1].value) if given is not None else None
    text = f"image_uris.retrieve({kind.image!r}, <region>, {version!r}) (by {SDK})"
    return Val(Unknown(text, image=ImageHint(kind.image, version, None)), callee)


def _static(kind: Kind, name: str, args: Members, tuned: set[str] | None, callee: Span,
            is_open: bool) -> Val:
    """StaticHyperParameters: the estimator's hyperparameters, encoded as the SDK does,
    without the tuned ones (``HyperparameterTuner._prepare_static_hyperparameters``)."""
    members: Members = {}
    sources: tuple[str, ...] = ()
    if kind.family == "amazon":
        renames = dict(kind.renames)
        for key, (kspan, value) in args.items():
            if key in BASE_ARGUMENTS or key in V1_NAMES or value.value is None:
                continue
            members[renames.get(key, key)] = (kspan, _encode("amazon", value))
    else:
        given = args.get("hyperparameters")
        if given is not None:
            hp = given[1]
            if hp.is_dict:
                sources += hp.partial
                for key, (kspan, value) in hp.value.items():
                    members[key] = (kspan, _encode(kind.family, value))
            elif hp.value is not None:
                sources += (_text(hp),)
    if tuned is None:
        sources += ("the tuned hyperparameters",)  # the SDK removes those
    else:
        for key in tuned:
            members.pop(key, None)
    may_add: frozenset[str] | None = CLASS_METADATA
    script = any(args.get(k) is not None for k in ("entry_point", "source_dir"))
    if kind.family != "generic" or is_open or sources:
        may_add = None  # framework, first-party (feature_dim, ...) or unseen arguments
    elif script:
        may_add = CLASS_METADATA | SCRIPT_MODE_HYPERPARAMETERS
    val = _partial(members, callee, may_add, sources or (SDK,))
    return val


# estimator attributes that hold a constructor argument as given (EstimatorBase.__init__)
ATTRIBUTES = frozenset({"metric_definitions", "role", "instance_count", "instance_type",
                        "output_path", "image_uri", "max_run", "max_wait", "volume_size",
                        "use_spot_instances", "checkpoint_s3_uri", "input_mode",
                        "environment"})


def estimator_attribute(owner: Val, name: str) -> Val | None:
    """``estimator.metric_definitions`` and the like: the argument the constructor got
    (None when it is not known, or not an attribute the SDK keeps as given)."""
    if not is_estimator(owner) or name not in ATTRIBUTES or owner.partial:
        return None
    item = owner.value.get(name)
    return item[1] if item is not None else None


def set_estimator_attribute(owner: Val, name: str, value: Val | None, text: str) -> None:
    """``estimator.max_run = 3600``: before a tuner is made, the argument it stands for;
    any other attribute (or after a tuner was made from it) leaves the estimator's members
    unknown, since the SDK reads them when the job starts."""
    if not is_estimator(owner):
        return
    built = getattr(owner, "built_definitions", [])
    if name in ATTRIBUTES and value is not None and not built:
        owner.value[name] = (None, value)
        return
    owner.partial += (text,)
    for definition in built:
        kept = definition.value.get("AlgorithmSpecification")
        definition.value.clear()
        if kept is not None:
            definition.value["AlgorithmSpecification"] = kept
        definition.partial += (text,)
        definition.adds = None


def is_estimator(value: Val | None) -> bool:
    return value is not None and getattr(value, "sdk_estimator", None) is not None
