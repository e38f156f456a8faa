"""The command line: ``hpt-lint check|rules|explain``.

Exit codes: 0 nothing at or above the fail level; 1 findings; 2 usage or internal
error. Heavy modules load only inside the command that needs them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hpt_lint import __version__

SEVERITIES = ["error", "warning", "info"]


def _ids(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select HPT3,HPT501 --select HPT6`` -> ("HPT3", "HPT501", "HPT6")."""
    return tuple(p.strip().upper() for v in values for p in v.split(",") if p.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="hpt-lint")
def main() -> None:
    """Lint SageMaker CreateHyperParameterTuningJob requests before they reach AWS."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default=None,
              help="Output format (default: text).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--select", multiple=True, metavar="IDS",
              help="Rule ids or prefixes to run instead of the default set (e.g. HPT3,HPT501).")
@click.option("--extend-select", multiple=True, metavar="IDS",
              help="Rule ids or prefixes to add to the selection (e.g. HPT003).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Rule ids or prefixes to skip.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--color/--no-color", default=None, help="Colour the text output "
              "(default: when writing to a terminal).")
@click.option("--no-source", is_flag=True, help="Do not print source lines in text output.")
def check(paths: tuple[Path, ...], fmt: str | None, fail_on: str | None,
          select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          exit_zero: bool, color: bool | None, no_source: bool) -> None:
    """Lint the requests in PATHS (files or directories; default: the current directory)."""
    from hpt_lint.config import Config
    from hpt_lint.findings import Severity
    from hpt_lint.lint import fails, lint_paths
    from hpt_lint.reporters import Options, render

    config = Config()
    changes: dict[str, object] = {}
    if select:
        changes["select"] = _ids(select)
    if extend_select:
        changes["extend_select"] = _ids(extend_select)
    if ignore:
        changes["ignore"] = _ids(ignore)
    if fail_on:
        changes["fail_on"] = Severity(fail_on)
    config = config.with_(**changes)
    results = lint_paths(paths or (Path("."),), config)
    use_color = sys.stdout.isatty() if color is None else color
    output = render(fmt or "text", results, Options(color=use_color, show_source=not no_source))
    _write(output)
    if any(r.internal_error for r in results):
        click.echo("hpt-lint: internal error: a rule crashed (see HPT000 findings above)",
                   err=True)
        sys.exit(2)
    if not exit_zero and fails(results, config.fail_on):
        sys.exit(1)


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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def extract(paths: tuple[Path, ...]) -> None:
    """Print every request found in PATHS as JSON (unknown values as {"$unknown": ...})."""
    from hpt_lint.extract import extract as run_extract
    from hpt_lint.extract import render as render_extract

    result = run_extract(paths or (Path("."),))
    _write(render_extract(result))
    if result["errors"]:
        sys.exit(1)
