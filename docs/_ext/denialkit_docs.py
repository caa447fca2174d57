"""Sphinx extension: generate one docs page per denial category from the shipped data.

The pages are written when the build starts, from ``denialkit.default_table()``, so what the
docs say about each category is exactly what the package ships: they cannot drift.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import denialkit
from denialkit import Category, CodeSystem

HEADER = "<!-- generated from the code tables by docs/_ext/denialkit_docs.py: do not edit -->\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def category_pages() -> dict[str, str]:
    """File name -> Markdown for ``docs/categories/``: one page per category and an index."""
    table = denialkit.default_table()
    pages: dict[str, str] = {}
    index = [
        HEADER,
        "# Denials by category\n",
        (
            "Every CARC, RARC and extension code carries one category from this fixed taxonomy. "
            "Each page lists the category's codes with what they mean and what to do next.\n"
        ),
        "```{toctree}\n:maxdepth: 1\n",
    ]
    for cat in Category:
        codes = list(table.filter(category=cat))
        index.append(f"{cat.value}\n")
        actions = Counter(c.action for c in codes if c.status.value == "current")
        lines = [HEADER, f"# {cat.label}\n"]
        lines.append(
            f"{len(codes)} codes ({sum(1 for c in codes if c.status.value == 'current')} current) "
            f"carry the category `{cat.value}`.\n"
        )
        if actions:
            lines.append("What to do, for the current codes in this category:\n")
            for action, n in actions.most_common():
                lines.append(f"- {action.label}: {n} code{'s' if n != 1 else ''}")
            lines.append("")
        common = [c for c in codes if c.knowledge is not None]
        if common:
            lines.append("## Codes teams meet most\n")
            for c in common:
                k = c.knowledge
                assert k is not None
                lines.append(f"### {c.system.value} {c.code}\n")
                lines.append(f"{c.summary}\n")
                lines.append(f"**Next step:** {c.action.label}. {c.action_reason}\n")
                lines.append(f"**Appeal:** {k.how_to_appeal}\n")
                lines.append("Common causes:\n")
                lines.extend(f"- {x}" for x in k.causes)
                lines.append("\nEvidence that wins an appeal:\n")
                lines.extend(f"- {x}" for x in k.evidence)
                lines.append("")
        lines.append("## Every code in this category\n")
        lines.append("| code | system | status | summary | next step | appeal |")
        lines.append("| --- | --- | --- | --- | --- | --- |")
        for c in codes:
            system = c.system.value if c.system is not CodeSystem.EXTENSION else c.code_set
            lines.append(
                f"| {c.code} | {system} | {c.status.value} | {_md_cell(c.summary)} | "
                f"{c.action.label} | {c.appealable.value} |"
            )
        pages[f"{cat.value}.md"] = "\n".join(lines) + "\n"
    index.append("```\n")
    pages["index.md"] = "\n".join(index)
    return pages


def write_category_pages(folder: Path) -> list[Path]:
    """Write the pages (only when their text changed, so rebuilds stay incremental)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in category_pages().items():
        path = folder / name
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
        written.append(path)
    return written


def write_summary_chart(path: Path) -> Path:
    """Draw ``Summary.plot()`` of the sample remittance into a PNG (rewritten only when its
    bytes change). Uses a bare ``Figure``, so no display or pyplot state is involved."""
    import io

    from matplotlib.figure import Figure

    from denialkit import remit

    summary = remit.summary(remit.sample())
    fig = Figure(figsize=(7, 0.5 * len(summary.by_category) + 1.2))
    summary.plot(ax=fig.subplots())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight", metadata={"Software": None})
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != buf.getvalue():
        path.write_bytes(buf.getvalue())
    return path


def _on_init(app: Any) -> None:
    write_category_pages(Path(app.srcdir) / "categories")
    write_summary_chart(Path(app.srcdir) / "_generated" / "denied-by-category.png")


def _public_home(name: str) -> str | None:
    """``denialkit.lookup`` -> ``denialkit.codes.lookup`` (where the API docs put it)."""
    if not name.startswith("denialkit.") or name.count(".") != 1:
        return None
    short = name.split(".", 1)[1]
    obj = getattr(denialkit, short, None)
    module = getattr(obj, "__module__", None)
    if module is None or module == "denialkit":
        return None
    return f"{module}.{short}"


def _resolve_reexport(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Let ``{func}`denialkit.lookup``` resolve to its documented home."""
    if node.get("refdomain") != "py":
        return None
    target = _public_home(node.get("reftarget", ""))
    if target is None:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], target, node, contnode
    )


def _skip_namedtuple_fields(
    app: Any, what: str, name: str, obj: Any, skip: bool, options: Any
) -> bool | None:
    """NamedTuple fields are documented in their class's "Attributes" section already."""
    doc = getattr(obj, "__doc__", None) or ""
    if doc.startswith("Alias for field number"):
        return True
    return None


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _on_init)
    app.connect("autodoc-skip-member", _skip_namedtuple_fields)
    app.connect("missing-reference", _resolve_reexport)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
