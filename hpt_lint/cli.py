"""The command line: ``hpt-lint check|rules|explain|lsp``.

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
    _skip_unused_format_checkers()


# Optional packages ``import jsonschema`` loads when they are installed, to check string
# formats; hpt-lint's schemas use no ``format``. rfc3987-syntax (which Jupyter's
# ``jsonschema[format-nongpl]`` brings along) compiles a grammar at import: 1.3 s of
# every run that explains a structural fault or reads a config, measured.
UNUSED_FORMAT_MODULES = ("rfc3987_syntax",)


def _skip_unused_format_checkers() -> None:
    """The CLI (and the language server it starts) owns its process: a module that is
    None in ``sys.modules`` is one jsonschema finds not installed. Not done for the
    Python API, which runs in the user's process."""
    for name in UNUSED_FORMAT_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None,
              help="Output format (default: text; github when GITHUB_ACTIONS=true).")
@click.option("--output", "--output-file", "-o", "output",
              type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the report to this file instead of stdout.")
@click.option("--stdin-filename", metavar="PATH", default=None,
              help="Read the request from stdin (PATH `-`, or no PATH) and treat it as this "
              "file: its suffix picks the loader, its folder the config, and findings name it.")
@click.option("--statistics", is_flag=True,
              help="Print how many findings each rule has instead of the findings.")
@click.option("--quiet", "-q", is_flag=True,
              help="Print the findings only: no summary line.")
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
              "(default: on a terminal; NO_COLOR, FORCE_COLOR and CLICOLOR_FORCE are honoured).")
@click.option("--no-source", is_flag=True, help="Do not print source lines in text output.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Lint with at most N processes (default: all cores from 24 files on; "
              "also HPT_LINT_JOBS). The output is the same either way.")
@click.option("--policy", "policy_files", multiple=True, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="A policy file to enforce (repeatable); see docs/policies.md.")
@click.option("--fix", "fix", is_flag=True,
              help="Apply the certain fixes in place, then report what is left.")
@click.option("--diff", is_flag=True,
              help="Show the fixes as a unified diff without writing; exit 1 if any.")
def check(paths: tuple[Path, ...], fmt: str | None, output: Path | None,
          stdin_filename: str | None, statistics: bool, quiet: bool, fail_on: str | None,
          select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          config_file: Path | None, isolated: bool, force_exclude: bool, baseline: Path | None,
          update_baseline: bool, exit_zero: bool, color: bool | None, no_source: bool,
          jobs: int | None, policy_files: tuple[Path, ...], fix: bool, diff: bool) -> None:
    """Lint the requests in PATHS (files or directories; default: the current directory)."""
    from hpt_lint.config import Config, ConfigError
    from hpt_lint.findings import Severity
    from hpt_lint.lint import lint_paths
    from hpt_lint.reporters import Options, render

    if update_baseline and baseline is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    if config_file is not None and isolated:
        raise click.UsageError("--config and --isolated exclude each other")
    from_stdin = paths == (Path("-"),) or (stdin_filename is not None and not paths)
    if Path("-") in paths and not from_stdin:
        raise click.UsageError("`-` (stdin) cannot be mixed with other paths")
    if from_stdin and (fix or diff):
        raise click.UsageError("--fix and --diff work on files, not on stdin")
    if stdin_filename is not None and not from_stdin:
        raise click.UsageError("--stdin-filename needs `-` (or no PATH) to read stdin")
    if statistics and fmt in ("sarif", "github"):
        raise click.UsageError("--statistics prints text or json")
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
    config = _with_policies(Config(isolated=isolated, explicit=explicit).with_(**changes),
                            policy_files)
    if not from_stdin:
        paths = _named_paths(paths)
    try:
        from hpt_lint.selection import check_selectors

        check_selectors(config)  # the command line's own selectors, before any file
        if diff:
            sys.exit(1 if _fix(paths or (Path("."),), config, write=False, quiet=quiet)
                     else 0)
        if fix and _fix(paths or (Path("."),), config, write=True, quiet=quiet) < 0:
            sys.exit(2)  # a write failed (said why); the file is intact
        if from_stdin:
            results = _lint_stdin(stdin_filename, config)
        else:
            results = lint_paths(paths or (Path("."),), config, jobs=jobs)
    except ConfigError as exc:
        click.echo(f"hpt-lint: error: {_scrub(exc)}", err=True)
        sys.exit(2)
    except _policy_error() as exc:
        _policy_exit(exc)
    crashed = any(r.internal_error for r in results)
    if baseline is not None:
        from hpt_lint import baseline as baseline_file

        if update_baseline:
            try:
                count = baseline_file.write(baseline, results)
            except baseline_file.BaselineError as exc:
                click.echo(f"hpt-lint: error: {exc}", err=True)
                sys.exit(2)
            click.echo(f"hpt-lint: wrote {count} finding{'s' if count != 1 else ''} to "
                       f"{baseline}", err=True)
            sys.exit(2 if crashed else 0)
        try:
            known = baseline_file.load(baseline)
        except baseline_file.BaselineError as exc:
            click.echo(f"hpt-lint: error: {_scrub(exc)}", err=True)
            sys.exit(2)
        results = baseline_file.hide(results, known)
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" and not statistics \
            else "text"
    from hpt_lint.terminal import use_color as color_wanted

    use_color = color_wanted(color, output is not None, sys.stdout.isatty(), os.environ)
    rules = _enabled_rules(results, config) if fmt == "sarif" else ()
    if statistics:
        from hpt_lint.reporters import statistics as stats

        report = stats.render(results, fmt, quiet)
    else:
        report = render(fmt, results, Options(color=use_color, show_source=not no_source,
                                              rules=rules, quiet=quiet,
                                              docs_url=_docs_url(results, config)))
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


def _named_paths(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """The paths to lint (default: the current directory). A path that does not exist
    or is not a file or directory is a usage error (exit 2, as ruff does); a named file
    of a kind hpt-lint does not read is skipped with a warning."""
    from hpt_lint.discover import named_path_error
    from hpt_lint.loaders import LOADERS, supported

    kept = []
    for path in paths:
        error = named_path_error(path)
        if error is not None:
            click.echo(f"hpt-lint: error: {_escape(error)}", err=True)
            sys.exit(2)
        if not path.is_dir() and not supported(path):
            click.echo(f"hpt-lint: warning: {_escape(str(path))}: not a kind of file "
                       f"hpt-lint reads ({', '.join(LOADERS)}); skipped", err=True)
            continue
        kept.append(path)
    if paths and not kept:
        sys.exit(0)
    return tuple(kept) or (Path("."),)


def _escape(text: str) -> str:
    from hpt_lint.reporters.escape import escape_controls

    return escape_controls(text)


def _lint_stdin(filename: str | None, config: Config) -> list[FileResult]:
    from hpt_lint.stdin import StdinError, lint_stdin

    try:
        return lint_stdin(sys.stdin.buffer, filename, config)
    except StdinError as exc:
        click.echo(f"hpt-lint: error: {exc}", err=True)
        sys.exit(2)


def _scrub(error: Exception) -> str:
    """An error's text with anything that looks like a token masked."""
    from hpt_lint.redact import scrub_tokens

    return scrub_tokens(str(error))


def _policy_error() -> type[Exception]:
    from hpt_lint.policy.model import PolicyError

    return PolicyError


def _policy_exit(exc: Exception) -> None:
    click.echo(f"hpt-lint: invalid policy:\n{_scrub(exc)}", err=True)
    sys.exit(2)


def _with_policies(config: Config, files: tuple[Path, ...]) -> Config:
    """``config`` with the ``--policy`` files added; exit 2 if any policy is unusable."""
    if files:
        extra = dict(config.extra)
        extra["cli-policy-files"] = [*extra.get("cli-policy-files", ()),
                                     *(str(f.resolve()) for f in files)]
        config = config.with_(extra=extra)
    from hpt_lint.engine import POLICY_KEYS

    if not any(config.extra.get(k) for k in POLICY_KEYS):
        return config
    from hpt_lint.policy.rules import load_policies

    try:
        load_policies(config)
    except _policy_error() as exc:
        _policy_exit(exc)
    return config


def _fix(paths: tuple[Path, ...], config: Config, write: bool, quiet: bool = False) -> int:
    """Fix every file (``write``) or print the diff; the number of files changed, or -1
    if a write failed. What was fixed goes to stderr, so stdout stays the report (or the
    diff). A fix is reported only once it is written."""
    from hpt_lint.atomic_write import FileChanged, WriteError
    from hpt_lint.fix import fix_file, write_fixed
    from hpt_lint.lint import select_files
    from hpt_lint.redact import unified_diff

    files = fixed = 0
    failed = False
    for path, _ in select_files(paths, config):
        outcome = fix_file(path, config)
        if outcome is None:
            continue
        if outcome.refused:
            click.echo(f"{path}: {outcome.refused}", err=True)
        if not outcome.changed:
            continue
        if write:
            try:
                write_fixed(path, outcome)
            except FileChanged:
                click.echo(f"{path}: changed while hpt-lint was fixing it; not written "
                           "(run --fix again)", err=True)
                continue
            except WriteError as exc:
                click.echo(f"hpt-lint: error: {exc}", err=True)
                failed = True
                continue
            for f in outcome.applied if not quiet else ():
                title = f.fix.title if f.fix else ""
                click.echo(f"{path}:{f.line}:{f.column}: fixed {f.rule} ({title})", err=True)
        else:
            _write(unified_diff(str(path), outcome.before, outcome.after,
                                config.max_file_size))
        files += 1
        fixed += len(outcome.applied)
    verb = "Fixed" if write else "Would fix"
    if (files or not write) and not quiet:
        click.echo(f"{verb} {fixed} finding{'s' if fixed != 1 else ''} in {files} "
                   f"file{'s' if files != 1 else ''}.", err=True)
    return -1 if failed else files


def _enabled_rules(results: list[FileResult], config: Config) -> tuple[object, ...]:
    """Every rule enabled for at least one linted file (or by the base settings)."""
    from hpt_lint.config import for_file
    from hpt_lint.engine import enabled_rules

    found: dict[str, object] = {}
    for cfg in [config, *(for_file(r.file, config) for r in results)]:
        for rule in enabled_rules(cfg):
            found.setdefault(rule.id, rule)
    return tuple(found[k] for k in sorted(found))


def _docs_url(results: list[FileResult], config: Config) -> str | None:
    """The ``docs-url`` of the run: the command line's config, else the first linted
    file's config that sets one."""
    from hpt_lint.config import for_file

    for cfg in (config, *(for_file(r.file, config) for r in results)):
        if cfg.docs_url:
            return cfg.docs_url
    return None


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
@click.option("--policy", "policy_files", multiple=True, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Also list the policies of this policy file (repeatable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Read policies from this config file instead of the one "
              "discovered from the current directory.")
@click.option("--isolated", is_flag=True, help="Ignore all config files.")
def rules(fmt: str, policy_files: tuple[Path, ...], config_file: Path | None,
          isolated: bool) -> None:
    """List every rule with its severity and summary, then the active policies (from the
    config discovered for the current directory, and --policy files)."""
    from hpt_lint.config import Config, ConfigError, for_file
    from hpt_lint.engine import all_rules
    from hpt_lint.policy.rules import policy_rule_classes

    base = Config(isolated=isolated)
    if config_file is not None:
        base = base.with_(config_file=config_file.resolve())
    try:
        config = _with_policies(for_file(Path.cwd() / "hpt-lint-rules.yaml", base),
                                policy_files)
        table = [*all_rules().values(), *policy_rule_classes(config)]
    except ConfigError as exc:
        click.echo(f"hpt-lint: error: {_scrub(exc)}", err=True)
        sys.exit(2)
    except _policy_error() as exc:
        _policy_exit(exc)
    if fmt == "json":
        import json

        _write(json.dumps([{"id": c.id, "name": c.name, "severity": c.severity.value,
                            "enabled_by_default": c.default_enabled, "summary": c.summary,
                            "url": c.doc_url()} for c in table], indent=2) + "\n")
        return
    lines = []
    for cls in table:
        off = "" if cls.default_enabled else " (off by default)"
        kind = " (policy)" if "policy" in cls.tags else ""
        lines.append(f"{cls.id}  {cls.severity.value:<7}  {cls.name:<36} {cls.summary}{off}"
                     f"{kind}")
    _write("\n".join(lines) + "\n")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print the documentation of RULE (an id such as HPT304 or SEC001, or its name)."""
    from hpt_lint.docs import doc_path
    from hpt_lint.engine import INTERNAL_ERROR, INTERNAL_ERROR_DOC, all_rules

    table = all_rules()
    wanted = rule.strip()
    if wanted.upper() in (INTERNAL_ERROR, "INTERNAL-ERROR"):
        _write(INTERNAL_ERROR_DOC)
        return
    cls = table.get(wanted.upper()) or next(
        (c for c in table.values() if c.name == wanted.lower()), None)
    if cls is None:
        from hpt_lint.policy.packs import explain as explain_policy

        text = explain_policy(wanted)
        if text is None:
            from hpt_lint.algorithm_report import detail

            text = detail(wanted)
        if text is None:
            raise click.UsageError(f"no rule {rule!r}; `hpt-lint rules` lists them")
        _write(text)
        return
    path = doc_path(cls.id)
    _write(path.read_text(encoding="utf-8") if path.exists()
           else f"{cls.id} {cls.name} [{cls.severity.value}]\n\n{cls.summary}\n")


@main.command()
@click.argument("name", required=False)
def algorithms(name: str | None) -> None:
    """List the SageMaker built-in algorithms hpt-lint knows, or show what it knows about
    NAME (an algorithm, SDK or image repository name such as xgboost): metrics and their
    directions, hyperparameters with valid and recommended values, images and sources."""
    from hpt_lint.algorithm_report import detail, overview

    text = overview() if name is None else detail(name)
    if text is None:
        raise click.UsageError(f"no built-in algorithm {name!r}; `hpt-lint algorithms` "
                               "lists them")
    _write(text)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Output format (default: text).")
def cost(paths: tuple[Path, ...], fmt: str) -> None:
    """Show what each request in PATHS can spend, worst case: training jobs,
    instance-hours, GPU-hours and peak concurrent instances."""
    from hpt_lint.config import Config
    from hpt_lint.discover import discover
    from hpt_lint.loaders import LoadError, load_text, read_text, supported
    from hpt_lint.loaders.limits import Limits
    from hpt_lint.policy.report import render_json, render_text, rows
    from hpt_lint.redact import scrub_tokens

    limits = Limits(max_bytes=Config().max_file_size)
    requests = []
    errors: list[tuple[str, str]] = []
    for path in discover(paths or (Path("."),)):
        if not supported(path):
            continue
        try:
            requests.extend(load_text(read_text(path, limits), str(path), None, limits))
        except LoadError as exc:
            errors.append((str(path), scrub_tokens(exc.message)))
        except RecursionError:
            errors.append((str(path), "nesting too deep to load safely"))
    table = rows(requests)
    _write(render_json(table, errors) if fmt == "json" else render_text(table, errors))
    if errors:
        sys.exit(2)


@main.command(context_settings={"ignore_unknown_options": True})
@click.option("--wrap", is_flag=True,
              help="Wrap another language server: `hpt-lint lsp --wrap -- pylsp`. Its "
                   "messages pass unchanged; hpt-lint's diagnostics are added to its own.")
@click.option("--debounce", type=click.FloatRange(min=0), default=None,
              help="With --wrap: seconds to wait after a change before linting (0.3).")
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def lsp(wrap: bool, debounce: float | None, command: tuple[str, ...]) -> None:
    """Run the language server over stdio (for editors; see docs/editors.md)."""
    if wrap:
        if not command:
            raise click.UsageError("--wrap needs a language server's command after `--`")
        from hpt_lint.lsp.wrap import wrap as run_wrapped

        sys.exit(run_wrapped(list(command), debounce))
    if command or debounce is not None:
        raise click.UsageError("a command (and --debounce) is given only with --wrap")
    from hpt_lint.lsp import serve

    serve()


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
