"""A runtime guard for boto3 SageMaker clients: lint every
``create_hyper_parameter_tuning_job`` call before botocore builds the request.

``guard(client)`` registers a handler on the client's own event emitter for
``before-parameter-build.sagemaker.CreateHyperParameterTuningJob``. botocore emits it
with the final parameters (after any ``provide-client-params`` handler replaced them)
and before it validates, serializes, signs or sends anything. Findings at or above
``fail_on`` raise ``HptLintError``, so nothing reaches the network; findings below it
are logged on the ``hpt_lint`` logger. Each boto3 client has its own emitter, so
guarding one client does not guard others.

This module imports neither boto3 nor botocore: it only calls the client's
``meta.events.register``/``unregister``.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from hpt_lint.config import Config
from hpt_lint.findings import Finding, Severity

EVENT = "before-parameter-build.sagemaker.CreateHyperParameterTuningJob"
_UNIQUE_ID = "hpt-lint-guard"
logger = logging.getLogger("hpt_lint")

_LOG_LEVEL = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING,
              Severity.INFO: logging.INFO}


class HptLintError(ValueError):
    """A request has findings at or above the guard's ``fail_on`` severity. The
    message lists them; secret values are masked, as in every hpt-lint output."""

    def __init__(self, findings: Sequence[Finding], fail_on: Severity) -> None:
        self.findings: list[Finding] = list(findings)
        self.fail_on = fail_on
        count = len(self.findings)
        lines = [f"hpt-lint: CreateHyperParameterTuningJob request not sent: {count} "
                 f"finding{'s' if count != 1 else ''} at or above {fail_on.value}"]
        lines += [f"  {_describe(f)}" for f in self.findings]
        super().__init__("\n".join(lines))


def _describe(f: Finding) -> str:
    where = f.json_path or "(request)"
    return f"{f.rule} [{f.severity.value}] {where}: {f.message} ({f.name})"


class _EventEmitter(Protocol):
    def register(self, event_name: str, handler: Any, unique_id: Any = ...,
                 unique_id_uses_count: bool = ...) -> None: ...

    def unregister(self, event_name: str, handler: Any = ..., unique_id: Any = ...,
                   unique_id_uses_count: bool = ...) -> None: ...


class _ClientMeta(Protocol):
    @property
    def events(self) -> _EventEmitter: ...

    @property
    def service_model(self) -> Any: ...


class SageMakerClient(Protocol):
    """What the guard needs of a client: ``boto3.client("sagemaker")`` has it."""

    @property
    def meta(self) -> _ClientMeta: ...


class Guard:
    """The handle ``guard`` returns: ``remove()`` (or leaving a ``with`` block)
    takes the guard off the client."""

    def __init__(self, client: SageMakerClient, fail_on: Severity, config: Config | None,
                 ) -> None:
        self._client = weakref.ref(client)
        self.fail_on = fail_on
        self.config = config

    def __call__(self, params: Mapping[str, Any], **_kwargs: Any) -> None:
        from hpt_lint.api import lint_request

        findings = lint_request(params, config=self.config)
        failing = [f for f in findings if f.severity.rank >= self.fail_on.rank]
        if failing:
            raise HptLintError(failing, self.fail_on)
        for f in findings:
            logger.log(_LOG_LEVEL[f.severity], "%s", _describe(f))

    @property
    def active(self) -> bool:
        client = self._client()
        return client is not None and _GUARDS.get(client) is self

    def remove(self) -> None:
        client = self._client()
        if client is not None and _GUARDS.get(client) is self:
            unguard(client)

    def __enter__(self) -> Guard:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.remove()


_GUARDS: weakref.WeakKeyDictionary[Any, Guard] = weakref.WeakKeyDictionary()


def guard(client: SageMakerClient, *, fail_on: Severity | str = "error",
          config: Config | None = None) -> Guard:
    """Lint every ``create_hyper_parameter_tuning_job`` call made with ``client``.

    Findings at or above ``fail_on`` (``"error"``, ``"warning"`` or ``"info"``) raise
    ``HptLintError`` before anything is sent; the others are logged on the
    ``hpt_lint`` logger. ``config`` selects rules and severities as on the command line
    (its own ``fail_on``, the CLI's exit-code threshold, is not used here). Guarding a
    client twice keeps one guard, with the latest settings. Returns a handle whose
    ``remove()`` undoes it (as does ``unguard(client)``).
    """
    severity = Severity(fail_on)
    service = getattr(getattr(client.meta, "service_model", None), "service_name", None)
    if service != "sagemaker":
        raise TypeError(f"hpt_lint.guard needs a SageMaker client (boto3.client('sagemaker')),"
                        f" not a {service or type(client).__name__!r} client")
    unguard(client)
    handle = Guard(client, severity, config)
    client.meta.events.register(EVENT, handle, unique_id=_UNIQUE_ID)
    _GUARDS[client] = handle
    return handle


def unguard(client: SageMakerClient) -> bool:
    """Take the guard off ``client``; False if it had none."""
    handle = _GUARDS.pop(client, None)
    if handle is None:
        return False
    client.meta.events.unregister(EVENT, unique_id=_UNIQUE_ID)
    return True
