"""CLI for language understanding: ``o2c nlu classify`` (stdin → JSON lines) and ``o2c bench nlu``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

console = Console()
nlu_app = typer.Typer(help="Language understanding with the embedded model (no LLM needed).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(nlu_app, name="nlu")


@nlu_app.command("classify")
def classify() -> None:
    """Read utterances from stdin, one per line; write {"text","intent","confidence","entities"} per line
    (and "intents" when a line makes several requests)."""
    from o2c.adapters.nlp.pipeline import classify_lines

    for result in classify_lines(line.rstrip("\n") for line in sys.stdin):
        typer.echo(json.dumps(result, ensure_ascii=False, default=str))


def _reader(llm: bool) -> Any:
    from o2c.adapters.llm import llm_understanding
    from o2c.config import LlmSettings

    if not llm:
        return None
    reader = llm_understanding(LlmSettings(), None)
    if reader is None:
        raise typer.BadParameter("--llm needs O2C_LLM_BASE_URL (an OpenAI-compatible endpoint)")
    return reader


def bench_nlu(json_out: Path | None, llm: bool = False) -> dict[str, Any]:
    """Macro F1 and per-intent precision/recall on the family-held-out test split, median ms, and
    macro accuracy on messages written by others (when such a set is in ``eval/nlu/external/``)."""
    from o2c.adapters.nlp.evaluate import evaluate_external, evaluate_nlu

    reader = _reader(llm)
    report = evaluate_nlu(reader=reader) | {"external": evaluate_external(reader=reader),
                                            "reader": "llm" if llm else "embedded"}
    table = Table("intent", "precision", "recall", "f1", "support",
                  title=f"NLU ({report['reader']}) on held-out families: macro F1 {report['macro_f1']:.3f}, "
                        f"median {report['median_ms']:.2f} ms per utterance")
    for intent, row in sorted(report["per_intent"].items()):
        table.add_row(intent, f"{row['precision']:.2f}", f"{row['recall']:.2f}", f"{row['f1']:.2f}",
                      str(row["support"]))
    console.print(table)
    external = report["external"]
    if external["available"]:
        console.print(f"Messages written by others ({external['source']}, {external['licence']}, n={external['n']}): "
                      f"macro accuracy {external['macro_accuracy']:.3f}")
    else:
        console.print(f"[yellow]No external figure:[/] {external['reason']}")
    if json_out:
        json_out.write_text(json.dumps(report, indent=2, default=str))
    return report


def bench_command(json_out: Annotated[Path | None, typer.Option("--json")] = None) -> None:
    """Intent classification: macro F1, per-intent precision/recall, median ms."""
    bench_nlu(json_out)
