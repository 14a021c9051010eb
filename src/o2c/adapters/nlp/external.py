"""Messages written by others, mapped onto o2c's intents: the second figure of ``o2c bench nlu``.

A folder (``eval/nlu/external/`` by default) holds ``source.yaml`` (where the messages come from and
under which licence), ``mapping.yaml`` (each source label -> an o2c intent, or null for a label
with no o2c counterpart, whose messages are left out) and ``messages.csv`` (``text,label``). Without
``messages.csv`` there is no external figure, and `load_external` says why.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml

from o2c.adapters.nlp.dataset import DEFAULT_DATA, INTENTS

DEFAULT_EXTERNAL = DEFAULT_DATA.parent / "external"


@dataclass(frozen=True)
class ExternalSet:
    """(text, o2c intent) pairs and their provenance, or None and the reason there are none."""

    messages: list[tuple[str, str]] | None
    source: str = ""
    licence: str = ""
    reason: str = ""


def load_external(folder: Path = DEFAULT_EXTERNAL) -> ExternalSet:
    """Read the mapped external messages; raise ValueError naming the file and label on a bad mapping."""
    messages_file = folder / "messages.csv"
    if not messages_file.exists():
        readme = folder / "README.md"
        reason = readme.read_text(encoding="utf-8").split("\n\n")[1].strip() if readme.exists() else ""
        return ExternalSet(None, reason=reason or f"no {messages_file}")
    source = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8"))
    mapping: dict[str, str | None] = yaml.safe_load((folder / "mapping.yaml").read_text(encoding="utf-8"))
    for label, intent in mapping.items():
        if intent is not None and intent not in INTENTS:
            raise ValueError(f"{folder / 'mapping.yaml'}: label {label!r} maps to unknown intent {intent!r}")
    with messages_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    unmapped = sorted({row["label"] for row in rows} - set(mapping))
    if unmapped:
        raise ValueError(f"{messages_file}: labels without a mapping: {', '.join(unmapped)}")
    pairs = [(row["text"], intent) for row in rows if (intent := mapping[row["label"]]) is not None]
    return ExternalSet(pairs, str(source.get("source", "")), str(source.get("licence", "")))
