"""The knowledge agent: answers employees' O2C procedure questions from the company's documents.

``documents`` reads a folder of Markdown, HTML and PDF files, ``chunks`` cuts them into sections
with stable ids, ``retrieval`` ranks chunks with BM25 (``bm25``, helped by ``vocabulary``) and
sentence embeddings fused by reciprocal rank (``fusion``), and ``answerer`` composes a short cited
extract or says "I don't know". ``rewriting`` is the optional LLM port; ``evaluation`` measures it
all on ``eval/knowledge/questions.yaml``. The demo handbook ships in ``handbook/``.
"""
