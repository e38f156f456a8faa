"""What hpt-lint knows about the built-in algorithms, as text (``hpt-lint algorithms``)."""

from __future__ import annotations

from hpt_lint import algorithms
from hpt_lint.algorithms import Algorithm


def overview() -> str:
    """One line per algorithm: name, coverage, image repositories and versions."""
    rows = [("ALGORITHM", "COVERAGE", "IMAGES (VERSIONS)")]
    for algo in sorted(algorithms.all_algorithms().values(), key=lambda a: a.name):
        images = "; ".join(
            f"{i.repository} ({', '.join(i.versions) or 'versions not recorded'})"
            for i in algo.images)
        rows.append((algo.name, algo.coverage, images))
    width = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"{r[0]:<{width[0]}}  {r[1]:<{width[1]}}  {r[2]}" for r in rows]
    lines.append("")
    lines.append("`hpt-lint algorithms NAME` shows one algorithm's metrics and hyperparameters.")
    return "\n".join(lines) + "\n"


def detail(name: str) -> str | None:
    """Everything recorded about one algorithm (by name, SDK name or image repository)."""
    algo = algorithms.get(name)
    return None if algo is None else _detail(algo)


def _detail(algo: Algorithm) -> str:
    out = [f"{algo.title} ({algo.name})", "",
           f"Coverage: {algo.coverage}: {algo.coverage_note}",
           f"SDK names: {', '.join(algo.sdk_frameworks)}", "", "Images:"]
    for image in algo.images:
        versions = ", ".join(image.versions) or "not recorded"
        registry = (f"{len(algorithms.registries()[image.registry])} regions recorded"
                    if image.registry else "registries not recorded")
        out.append(f"  {image.repository}: versions {versions}; {registry}")
        out.append(f"    source: {image.source}")
    out += ["", "Objective metrics:" if algo.metrics else "Objective metrics: not recorded"]
    for metric in algo.metrics:
        out.append(f"  {metric.name:<40} {metric.direction}")
    tunable = algo.tunable()
    if tunable:
        out += ["", "Tunable hyperparameters (valid values; recommended range):"]
        for hp in tunable:
            rec = (hp.recommended.text() if hp.recommended
                   else ", ".join(hp.recommended_values) or "-")
            out.append(f"  {hp.name:<30} {hp.describe()}; recommended {rec}")
    required = [hp for hp in algo.hyperparameters if hp.required]
    if required:
        out += ["", "Required: " + ", ".join(hp.name for hp in required)]
    others = [hp for hp in algo.hyperparameters if not hp.tunable]
    if others:
        out += ["", "Other hyperparameters (static only):"]
        out += [f"  {hp.name:<30} {hp.describe()}" for hp in others]
    if algo.constraints:
        out += ["", "Combinations checked:"]
        out += [f"  {c['message']}" for c in algo.constraints]
    out += ["", f"Sources: {algo.source}"]
    return "\n".join(out) + "\n"
