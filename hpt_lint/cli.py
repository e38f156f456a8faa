"""The command line: ``hpt-lint check|rules|explain``.

Exit codes: 0 nothing at or above the fail level; 1 findings; 2 usage or internal
error. Heavy modules load only inside the command that needs them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hpt_lint import __version__

if TYPE_CHECKING:
    from hpt_lint.config import Config
    from hpt_lint.lint import FileResult

SEVERITIES = ["error", "warning", "info"]
FORMAT_NAMES = ["text", "json", "sarif", "github"]  # keep in step with reporters.FORMATS


def _ids(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select HPT3,HPT501 --select HPT6`` -> ("HPT3", "HPT501", "HPT6")."""
    return tuple(p.strip().upper() for v in values for p in v.split(",") if p.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="hpt-lint")
def main() -> None:
    """Lint SageMaker CreateHyperParameterTuningJob requests before they reach AWS."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None,
              help="Output format (default: text; github when GITHUB_ACTIONS=true).")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the report to this file instead of stdout.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--select", multiple=True, metavar="IDS",
              help="Rule ids or prefixes to run instead of the default set (e.g. HPT3,HPT501).")
@click.option("--extend-select", multiple=True, metavar="IDS",
              help="Rule ids or prefixes to add to the selection (e.g. HPT003).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Rule ids or prefixes to skip.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Use this config file (.hpt-lint.yaml or pyproject.toml) "
              "for every file instead of discovering one.")
@click.option("--isolated", is_flag=True, help="Ignore all config files.")
@click.option("--force-exclude", is_flag=True, help="Apply the config's exclude to files "
              "named on the command line too (as pre-commit passes them).")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Hide the findings recorded in this baseline file.")
@click.option("--update-baseline", is_flag=True, help="Write the current findings to the "
              "--baseline file (and report nothing).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--color/--no-color", default=None, help="Colour the text output "
              "(default: when writing to a terminal).")
@click.option("--no-source", is_flag=True, help="Do not print source lines in text output.")
def check(paths: tuple[Path, ...], fmt: str | None, output: Path | None, fail_on: str | None,
          select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          config_file: Path | None, isolated: bool, force_exclude: bool, baseline: Path | None,
          update_baseline: bool, exit_zero: bool, color: bool | None, no_source: bool) -> None:
    """Lint the requests in PATHS (files or directories; default: the current directory)."""
    from hpt_lint.config import Config, ConfigError
    from hpt_lint.findings import Severity
    from hpt_lint.lint import lint_paths
    from hpt_lint.reporters import Options, render

    if update_baseline and baseline is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    if config_file is not None and isolated:
        raise click.UsageError("--config and --isolated exclude each other")
    changes: dict[str, object] = {}
    if select:
        changes["select"] = _ids(select)
    if extend_select:
        changes["extend_select"] = _ids(extend_select)
    if ignore:
        changes["ignore"] = _ids(ignore)
    if fail_on:
        changes["fail_on"] = Severity(fail_on)
    if force_exclude:
        changes["force_exclude"] = True
    explicit = frozenset(changes)
    if config_file is not None:
        if not config_file.is_file():
            raise click.BadParameter(f"{config_file} is not a file", param_hint="--config")
        changes["config_file"] = config_file.resolve()
    config = Config(isolated=isolated, explicit=explicit).with_(**changes)
    try:
        results = lint_paths(paths or (Path("."),), config)
    except ConfigError as exc:
        click.echo(f"hpt-lint: error: {exc}", err=True)
        sys.exit(2)
    crashed = any(r.internal_error for r in results)
    if baseline is not None:
        from hpt_lint import baseline as baseline_file

        if update_baseline:
            count = baseline_file.write(baseline, results)
            click.echo(f"hpt-lint: wrote {count} finding{'s' if count != 1 else ''} to "
                       f"{baseline}", err=True)
            sys.exit(2 if crashed else 0)
        try:
            known = baseline_file.load(baseline)
        except baseline_file.BaselineError as exc:
            click.echo(f"hpt-lint: error: {exc}", err=True)
            sys.exit(2)
        results = baseline_file.hide(results, known)
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    use_color = (output is None and sys.stdout.isatty()) if color is None else color
    rules = _enabled_rules(results, config) if fmt == "sarif" else ()
    report = render(fmt, results, Options(color=use_color, show_source=not no_source,
                                          rules=rules))
    if output is not None:
        try:
            output.write_bytes(report.encode("utf-8", "backslashreplace"))
        except OSError as exc:
            click.echo(f"hpt-lint: error: cannot write {output}: {exc.strerror or exc}",
                       err=True)
            sys.exit(2)
    else:
        _write(report)
    if crashed:
        click.echo("hpt-lint: internal error: a rule crashed (see HPT000 findings above)",
                   err=True)
        sys.exit(2)
    if not exit_zero and _fails(results, config):
        sys.exit(1)


def _enabled_rules(results: list[FileResult], config: Config) -> tuple[object, ...]:
    """Every rule enabled for at least one linted file (or by the base settings)."""
    from hpt_lint.config import for_file
    from hpt_lint.engine import enabled_rules

    found: dict[str, object] = {}
    for cfg in [config, *(for_file(r.file, config) for r in results)]:
        for rule in enabled_rules(cfg):
            found.setdefault(rule.id, rule)
    return tuple(found[k] for k in sorted(found))


def _fails(results: list[FileResult], config: Config) -> bool:
    """Each file fails at its own config's ``fail-on`` (the command line's when given)."""
    from hpt_lint.lint import fails

    return any(fails([r], r.fail_on or config.fail_on) for r in results)


def _write(text: str) -> None:
    data = text.encode("utf-8", "backslashreplace")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules(fmt: str) -> None:
    """List every rule with its severity and summary."""
    from hpt_lint.engine import all_rules

    table = all_rules()
    if fmt == "json":
        import json

        _write(json.dumps([{"id": c.id, "name": c.name, "severity": c.severity.value,
                            "enabled_by_default": c.default_enabled, "summary": c.summary,
                            "url": c.doc_url()} for c in table.values()], indent=2) + "\n")
        return
    lines = []
    for cls in table.values():
        off = "" if cls.default_enabled else " (off by default)"
        lines.append(f"{cls.id}  {cls.severity.value:<7}  {cls.name:<36} {cls.summary}{off}")
    _write("\n".join(lines) + "\n")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print the documentation of RULE (an id such as HPT304, or its name)."""
    from hpt_lint.docs import doc_path
    from hpt_lint.engine import all_rules

    table = all_rules()
    wanted = rule.strip()
    cls = table.get(wanted.upper()) or next(
        (c for c in table.values() if c.name == wanted.lower()), None)
    if cls is None:
        raise click.UsageError(f"no rule {rule!r}; `hpt-lint rules` lists them")
    path = doc_path(cls.id)
    _write(path.read_text(encoding="utf-8") if path.exists()
           else f"{cls.id} {cls.name} [{cls.severity.value}]\n\n{cls.summary}\n")
