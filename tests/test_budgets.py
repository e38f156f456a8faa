"""Every stage that grows with its input has a budget (hpt_lint/loaders/limits.py); past it
the file gets an HPT001 (or the run exits 2 for settings files) that names the limit.

Each hostile case runs the real CLI in a subprocess with a wall-clock timeout and an
address-space limit, so a regression fails the test instead of hanging or swapping the
machine."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hpt_lint.loaders.limits import DEFAULT_LIMITS
from hpt_lint.loaders.python_source import Source

TIMEOUT = 60  # seconds per case on a loaded 2-core box; each takes a few seconds
MEMORY = 1536 * 1024 * 1024  # address space: today's worst cases needed 1.0-2.5 GB

REQUEST_HEAD = "HyperParameterTuningJobName: xgb-1\n"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def hpt_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``hpt-lint ARGS`` in ``cwd``, bounded in time and memory; never a traceback."""
    env = {**os.environ, "HPT_LINT_JOBS": "1", "PYTHONUTF8": "1"}
    proc = subprocess.run([sys.executable, "-m", "hpt_lint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT,
                          preexec_fn=_limit_memory)
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return proc


def billion_laughs(levels: int = 9) -> str:
    out = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        out.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(out) + "\n"


# ---- policy regex: linear time -------------------------------------------------------

def test_catastrophic_policy_regex_runs_in_linear_time(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(
        "policies:\n  - id: ORG1\n    severity: error\n    message: names are all a\n"
        "    check:\n      - {path: HyperParameterTuningJobName, matches: '^(a+)+$'}\n")
    (tmp_path / "job.yaml").write_text(
        f"HyperParameterTuningJobName: {'a' * 30_000}b\n")
    proc = hpt_lint("check", "--isolated", "--policy", "team.yaml", "--select", "ORG",
                    "--format", "json", "job.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert '"rule": "ORG1"' in proc.stdout  # evaluated, not skipped


@pytest.mark.parametrize("pattern", ["(?=a)b", "(a)\\\\1", "(?<!x)y"])
def test_policy_patterns_that_need_backtracking_are_refused_at_load(tmp_path: Path,
                                                                    pattern: str) -> None:
    (tmp_path / "team.yaml").write_text(
        "policies:\n  - id: ORG1\n    severity: error\n    message: m\n"
        f"    check:\n      - {{path: HyperParameterTuningJobName, matches: \"{pattern}\"}}\n")
    (tmp_path / "job.yaml").write_text(REQUEST_HEAD)
    proc = hpt_lint("check", "--isolated", "--policy", "team.yaml", "job.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert "is not a valid regular expression" in proc.stderr
    assert "RE2 syntax" in proc.stderr and "linear time" in proc.stderr


# ---- Python evaluation: one work budget ------------------------------------------------

def _call(kwargs: str) -> str:
    return f"boto3.client('sagemaker').create_hyper_parameter_tuning_job({kwargs})\n"


def test_doubling_spread_chain_stays_small(tmp_path: Path) -> None:
    lines = ["import boto3", "a0 = {**cfg, 'HyperParameterTuningJobName': 'x'}"]
    lines += [f"a{i} = {{**a{i - 1}, **a{i - 1}}}" for i in range(1, 29)]
    (tmp_path / "chain.py").write_text("\n".join(lines) + "\n" + _call("**a28"))
    proc = hpt_lint("check", "--isolated", "--format", "json", "chain.py", cwd=tmp_path)
    assert proc.returncode in (0, 1)  # 1 GB at n=26 before, doubling; now a normal lint
    assert '"requests": 1' in proc.stdout


def test_a_big_local_function_called_2000_times_hits_the_step_budget(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {{'a': x0, 'b': [1, 2, 3]}}" for i in range(1, 5000))
    calls = "\n".join(f"r{i} = f()" for i in range(2000))
    reads = "print(" + ", ".join(f"r{i}" for i in range(2000)) + ")"
    (tmp_path / "fn.py").write_text(
        f"import boto3\ndef f():\n    x0 = {{}}\n{body}\n"
        f"    return {{'HyperParameterTuningJobName': 'x', 'Tags': x4999}}\n{calls}\n{reads}\n"
        + _call("**r1999"))
    proc = hpt_lint("check", "--isolated", "fn.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert (f"HPT001 [error] reading the Python code takes more than "
            f"{DEFAULT_LIMITS.max_eval_steps:,} evaluation steps") in proc.stdout


def test_a_one_line_list_of_a_million_constants_is_refused_before_parsing(
        tmp_path: Path) -> None:
    (tmp_path / "million.py").write_text(
        "import boto3\nx = [" + ",".join(["0"] * 1_000_000) + "]\n"
        + _call("HyperParameterTuningJobName='x', Tags=x"))
    proc = hpt_lint("check", "--isolated", "million.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert (f"million.py:1:1: HPT001 [error] the code has more than "
            f"{DEFAULT_LIMITS.max_python_tokens:,} tokens") in proc.stdout


def test_many_values_on_one_non_ascii_line_are_located_in_linear_time(tmp_path: Path) -> None:
    values = ", ".join(f"'é{i}'" for i in range(40_000))  # within the token budget
    (tmp_path / "wide.py").write_text(
        f"import boto3\nx = [{values}]\n" + _call("HyperParameterTuningJobName='é', Tags=x"))
    proc = hpt_lint("check", "--isolated", "--format", "json", "wide.py", cwd=tmp_path)
    assert proc.returncode == 1 and '"rule": "HPT103"' in proc.stdout


@given(st.text(alphabet=st.sampled_from(["a", "é", "€", "😀", " ", "\t"]), max_size=40))
def test_positions_are_the_code_points_before_the_byte_offset(line: str) -> None:
    source = Source(line + "\nx = 1\n")
    raw = line.encode("utf-8")
    for offset in range(len(raw) + 1):
        if offset < len(raw) and raw[offset] & 0xC0 == 0x80:
            continue  # ast offsets are always at a character boundary
        assert source.pos(1, offset) == (1, len(raw[:offset].decode("utf-8")) + 1)
    assert source.pos(1, len(raw) + 5) == (1, len(line) + 1)


# ---- YAML: counted while composing -----------------------------------------------------

def test_a_5mb_flow_list_is_refused_while_composing(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        REQUEST_HEAD + "Tags: [" + ",".join(["1"] * 2_600_000) + "]\n")
    proc = hpt_lint("check", "--isolated", "flow.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert (f"flow.yaml:2:199998: HPT001 [error] the file holds more than "
            f"{DEFAULT_LIMITS.max_nodes:,} values") in proc.stdout


# ---- settings files use the same guarded loader ----------------------------------------

def test_an_alias_bomb_in_the_config_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".hpt-lint.yaml").write_text(billion_laughs())
    (tmp_path / "job.yaml").write_text(REQUEST_HEAD)
    proc = hpt_lint("check", "job.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert "more than 100,000 values once its aliases are expanded" in proc.stderr


def test_an_alias_bomb_in_a_policy_file_is_a_policy_error(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(billion_laughs())
    (tmp_path / "job.yaml").write_text(REQUEST_HEAD)
    proc = hpt_lint("check", "--isolated", "--policy", "team.yaml", "job.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert "team.yaml: the file holds more than 100,000 values once its aliases" \
        in proc.stderr


# ---- regular files only ------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifos_and_devices_are_never_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    (tmp_path / "job.yaml").write_text(REQUEST_HEAD)
    walked = hpt_lint("check", "--isolated", "--format", "json", ".", cwd=tmp_path)
    assert walked.returncode == 1 and '"file": "job.yaml"' in walked.stdout
    assert "pipe.yaml" not in walked.stdout and "zero.json" not in walked.stdout
    for name in ("pipe.yaml", "zero.json"):
        named = hpt_lint("check", "--isolated", name, cwd=tmp_path)
        assert named.returncode == 2
        assert f"{name}: not a regular file or directory" in named.stderr


def test_a_file_growing_past_the_limit_is_read_only_up_to_it(tmp_path: Path) -> None:
    from hpt_lint.loaders import LoadError, read_text
    from hpt_lint.loaders.limits import Limits

    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: b\n" * 1000)
    with pytest.raises(LoadError, match="over the 100-byte limit"):
        read_text(path, Limits(max_bytes=100))


def _nodes(text: str) -> int:
    import yaml
    from yaml.nodes import MappingNode, SequenceNode

    total = 0
    for doc in yaml.compose_all(text, Loader=yaml.CSafeLoader):
        stack = [doc] if doc is not None else []
        while stack:
            node = stack.pop()
            total += 1
            if isinstance(node, SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, MappingNode):
                stack.extend(x for pair in node.value for x in pair)
    return total


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
_DATA = st.recursive(_SCALARS, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
    st.text(max_size=3), kids, max_size=4), max_leaves=20)


@pytest.mark.parametrize("text", [
    "a", "- - - - a", "- - a: b", "{a, b, c}", "{a}", "[a: b, c: d]", "? a\n: b",
    "--- a\n--- b\n--- c", "a: !!str", "[{a, b}, {c}]", "a: &x [1,2]\nb: *x", "a:\n b:\n  c:",
    "", "---\n...\n---\n", "[[[[]]]]", "{? a : b}", "- ? a\n  : b", "- [a, b]\n- {c: d}"])
def test_the_fast_path_node_bound_holds(text: str) -> None:
    from hpt_lint.loaders.yaml_loader import node_bound

    assert _nodes(text) <= node_bound(text)


@given(st.lists(_DATA, min_size=1, max_size=3), st.sampled_from([None, True, False]))
def test_the_fast_path_node_bound_holds_for_any_dumped_yaml(data: list[object],
                                                             flow: bool | None) -> None:
    import yaml

    from hpt_lint.loaders.yaml_loader import node_bound

    text = yaml.dump_all(data, default_flow_style=flow, Dumper=yaml.CSafeDumper)
    assert _nodes(text) <= node_bound(text)
