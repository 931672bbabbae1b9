"""Chinese (CJK) text made searchable by a word-based full-text index.

SQLite FTS5's `unicode61` tokenizer and PostgreSQL's text parser split text on spaces and
punctuation only, so a Chinese sentence is one long "word" and 法律援助 inside it is never
found. Before text reaches the index, each run of CJK characters is rewritten as its
overlapping bigrams followed by its last character::

    为群众提供法律援助服务 → 为群 群众 众提 提供 供法 法律 律援 援助 助服 服务 务

Every character of the run starts exactly one token, in order. So any substring of a run is
found as a *phrase* of consecutive tokens (法律援助 → "法律 律援 援助"), and a single character
as a *prefix* (援 → 援*, which matches 援助 and a final 援). Text outside CJK runs (Latin words,
digits) is left as it was, so English search behaves as before.
"""

import re
import unicodedata
from dataclasses import dataclass

# Han ideographs (with extensions and compatibility forms), kana, and the iteration marks 々〆〇.
CJK_RUN = re.compile(
    "[\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+"
)
# Characters a tokenizer keeps in words: letters and digits (not "_", a separator to FTS5).
WORD_CHAR = re.compile(r"[^\W_]")
# Non-ASCII punctuation and symbols (。、《》“” …). PostgreSQL's parser in a "C" locale counts
# every non-ASCII character as a letter, so these are turned into spaces to keep them out of tokens.
NON_ASCII_NON_WORD = re.compile(r"[^\w\s\x00-\x7f]")


def normalize(text: str) -> str:
    """NFKC folds full-width letters, digits and punctuation (ＡＢＣ１２３，) to ASCII."""
    return NON_ASCII_NON_WORD.sub(" ", unicodedata.normalize("NFKC", text))


def has_cjk(text: str) -> bool:
    return CJK_RUN.search(text) is not None


def run_tokens(run: str) -> list[str]:
    """法律援助 → [法律, 律援, 援助, 助]: one token starting at each character."""
    return [run[i : i + 2] for i in range(len(run))]


def index_text(text: str) -> str:
    """Text as it is handed to the full-text index."""
    return CJK_RUN.sub(lambda m: " " + " ".join(run_tokens(m.group())) + " ", normalize(text))


@dataclass(frozen=True)
class QueryPhrase:
    """What one search term must match: `tokens` consecutively, the last one as a prefix if
    `prefix`."""

    tokens: tuple[str, ...]
    prefix: bool = False


def query_phrase(term: str, *, prefix: bool = False) -> QueryPhrase:
    """The phrase that finds `term` anywhere in text that went through `index_text`.

    A CJK run inside the term is followed by more of the term, so it ended there in the indexed
    text too: all its tokens are required, the final single character included. A run at the end
    of the term may continue in the text: its last character is covered by the preceding bigram,
    or, when the run is one character long, matched as a prefix. Other text is passed through
    whole, for the database to tokenize exactly as it tokenized the indexed text.
    """
    term = normalize(term).replace('"', " ")  # a double quote would end an FTS5 phrase early
    tokens: list[str] = []
    position = 0
    for match in CJK_RUN.finditer(term):
        tokens.extend(_other_text(term[position : match.start()]))
        run, position = match.group(), match.end()
        if WORD_CHAR.search(term, position):  # more words follow: the run ends here
            tokens.extend(run_tokens(run))
        elif len(run) == 1:
            tokens.append(run)
            prefix = True
        else:
            tokens.extend(run_tokens(run)[:-1])
    tokens.extend(_other_text(term[position:]))
    return QueryPhrase(tuple(tokens), prefix)


def _other_text(text: str) -> list[str]:
    text = " ".join(text.split())
    return [text] if WORD_CHAR.search(text) else []
