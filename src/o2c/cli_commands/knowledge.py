"""CLI for the knowledge agent: ``o2c ask "QUESTION" [--json] [--docs DIR]`` and ``bench_knowledge``.

``ask`` answers from the shipped procedures handbook (or any folder of Markdown, HTML and PDF
files given with ``--docs``) and prints the answer with its sources; ``--json`` prints
``{"answer": ..., "sources": [...], "known": true|false}``. ``bench_knowledge`` (wired by the lead
as ``o2c bench knowledge``) runs ``eval/knowledge/questions.yaml`` and prints hit@3 per split,
the share of correct "I don't know" and the median latency.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def register(app: typer.Typer) -> None:
    """Add ``ask`` to the ``o2c`` app."""
    app.command("ask")(ask)


def ask(
    question: Annotated[str, typer.Argument(help="The question, in your own words")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON: answer, sources, known")] = False,
    docs: Annotated[Path | None, typer.Option("--docs", help="Folder of Markdown/HTML/PDF documents",
                                              exists=True, file_okay=False)] = None,
) -> None:
    """Answer a question about O2C procedures from the handbook, citing the sources."""
    answer = _knowledge_base(docs).ask(question)
    if json_out:
        typer.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
        return
    console.print(answer.answer)
    for source in answer.sources:
        console.print(f"[dim]Source: {source.title} > {source.section} ({source.path})[/]")


def _knowledge_base(docs: Path | None) -> Any:
    from o2c.adapters.llm import answer_writer
    from o2c.knowledge.answerer import KnowledgeBase, default_knowledge_base

    writer = answer_writer()
    if docs is None and writer is None:
        return default_knowledge_base()
    return KnowledgeBase.from_folder(docs, writer=writer) if docs else KnowledgeBase.from_folder(writer=writer)


def bench_knowledge(json_out: Path | None, questions: Path | None = None) -> dict[str, Any]:
    """Run the knowledge evaluation, print its table and optionally write the JSON report."""
    from o2c.knowledge.answerer import default_knowledge_base
    from o2c.knowledge.evaluation import find_questions_file, load_questions, run_evaluation

    report = run_evaluation(default_knowledge_base(), load_questions(questions or find_questions_file()))
    _print_report(report)
    if json_out:
        json_out.write_text(json.dumps(report, indent=2))
        console.print(f"Results written to {json_out}")
    return report


def _print_report(report: dict[str, Any]) -> None:
    table = Table(title=f"Knowledge agent (threshold {report['threshold']:.3f}; "
                        f"median {report['latency']['median_ms']:.1f} ms per question)",
                  caption="ans/unans: answerable/unanswerable questions; answered: share answered (known); "
                          "fact: the expected fact is in the answer; idk: correct \"I don't know\" share")
    for column in ("split", "ans", "hit@1", "hit@3", "bm25@3", "dense@3", "answered", "fact", "unans", "idk"):
        table.add_column(column, justify="left" if column == "split" else "right")
    for split, figures in report["splits"].items():
        modes = figures["hit_at_3_by_mode"]
        table.add_row(split, str(figures["answerable"]), f"{figures['hit_at_1']:.3f}", f"{figures['hit_at_3']:.3f}",
                      f"{modes['bm25']:.3f}", f"{modes['dense']:.3f}", f"{figures['answered_share']:.3f}",
                      f"{figures['fact_in_answer_share']:.3f}", str(figures["unanswerable"]),
                      f"{figures['idk_share']:.3f}")
    console.print(table)
