"""Thai text normalisation, word tokenisers and the feature pipeline.

Everything stored inside a fitted pipeline is a module-level function or class of this module, so skops can
persist it by name and `model.py` can list it as trusted.  Nothing here downloads anything: newmm's
dictionary ships inside pythainlp, and the nlpo3 fast path is fed that same word list from a local file.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from pythainlp.corpus import provinces, thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import normalize as _pythainlp_normalize
from pythainlp.util import remove_dangling, remove_dup_spaces, remove_spaces_before_marks, remove_zw
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

TOKENIZER_ENV = "IDEE_CLASSIFIER_TOKENIZER"
TOKENIZERS = ("newmm", "nlpo3")
PROVINCE_TOKEN = "จังหวัด"  # a neutral stand-in, so places never become category evidence

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
# Three or more of one non-digit character ("มากกกก", "!!!!", "ๆๆๆ"): emphasis, not a different word.
_REPEAT = re.compile(r"([^\d\s])\1{2,}")
_SPACE = re.compile(r"\s+")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Province names that are also everyday words ("เลย" = at all, "แพร่" = spread, "ตาก" = to dry) are only
# replaced after จ./จังหวัด, the rest anywhere.
_AMBIGUOUS_PROVINCES = {"เลย", "แพร่", "ตาก", "ตรัง", "น่าน", "กระบี่", "ยะลา"}


def _province_pattern() -> re.Pattern[str]:
    names = set(provinces()) | {"กรุงเทพ", "กรุงเทพฯ", "กทม", "กทม."}
    plain = sorted((n for n in names if n not in _AMBIGUOUS_PROVINCES), key=len, reverse=True)
    ambiguous = sorted(_AMBIGUOUS_PROVINCES, key=len, reverse=True)
    return re.compile(
        r"(?:จังหวัด|จ\.)\s*(?:" + "|".join(map(re.escape, ambiguous + plain)) + ")"
        r"|(?:" + "|".join(map(re.escape, plain)) + ")"
    )


_PROVINCE = _province_pattern()
# The labelled address fields of call-centre and app forms ("ซอย: … ถนน: … เขต: …"): a place is not a topic
# (GUIDE.md, mixed complaints rule 4), yet "ถนน" is strong evidence for road complaints.  A field's value runs
# to the next field, a '#' or '*', or the end; landmarks (จุดสังเกต, จุดเกิดเหตุ) stay, they may name the source.
_FIELDS = "ซอย|ถนน|แขวง|เขต|บ้านเลขที่|พิกัด|จุดสังเกต|จุดเกิดเหตุ"
_ADDRESS_FIELD = re.compile(rf"(?:ซอย|ถนน|แขวง|เขต|บ้านเลขที่|พิกัด)\s*:.*?(?=(?:{_FIELDS})\s*:|[#*]|$)", re.S)


# Emoji, pictographs, dingbats, arrows and their modifiers (skin tones, variation selectors, joiners).
_SYMBOLS = re.compile(
    "[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff\u3030\u303d\u3297\u3299"
    "\ufe0e\ufe0f\u200d\U0001f000-\U0001faff]+"
)


_PYTHAINLP_NORM = sys.modules[_pythainlp_normalize.__module__]
# pythainlp's remove_repeat_vowels runs one regex per vowel (22 passes, 80% of normalisation time); a run of one
# repeated vowel never creates a run of another, so one pass over all of them gives the same text.
_REPEAT_VOWEL = re.compile("([" + re.escape(_PYTHAINLP_NORM._NOREPEAT_CHARS) + "])(?:[ ]*\\1)+")


# pythainlp's reorder_vowels, its patterns compiled once; a pair whose pattern needs a rare character (เเ, ํ, ๅ)
# is skipped when the text lacks that character.
_NEEDS = {"เเ": "เเ", "ํ([่้๊๋]*)า": "ํ", "([^ฤฦ])ๅ": "ๅ"}
_REORDER = [(re.compile(pattern), repl, _NEEDS.get(pattern, "")) for pattern, repl in _PYTHAINLP_NORM._REORDER_PAIRS]


def _reorder_vowels(text: str) -> str:
    for pattern, repl, needs in _REORDER:
        if needs in text:
            text = pattern.sub(repl, text)
    return text


def thai_normalize(text: str) -> str:
    """``pythainlp.util.normalize``, same output (tests/classifier checks it on the corpus), about 5× faster."""
    text = remove_spaces_before_marks(remove_dup_spaces(remove_zw(text)))
    text = _REPEAT_VOWEL.sub(r"\1", _reorder_vowels(text))
    text = _PYTHAINLP_NORM._RE_TONEMARKS.sub(_PYTHAINLP_NORM._last_char, text)
    return remove_dangling(text)


def normalize_text(text: str, places: bool = True) -> str:
    """Canonical form of a complaint: the model's input, and (with places=False) the split and duplicate key."""
    text = unicodedata.normalize("NFC", text or "")
    if "://" in text or "www." in text or "@" in text:
        text = _URL.sub(" ", text)
    text = _SYMBOLS.sub(" ", text).translate(_THAI_DIGITS).lower()
    text = thai_normalize(text)
    text = _REPEAT.sub(r"\1", text)
    if places:
        text = _PROVINCE.sub(" " + PROVINCE_TOKEN + " ", text)
        if ":" in text:
            text = _ADDRESS_FIELD.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def normalize_many(texts: Iterable[str]) -> list[str]:
    """Vectorised `normalize_text` for the pipeline's first step."""
    return [normalize_text(t) for t in texts]


_HAS_LETTER = re.compile(r"[^\W\d_]").search  # a letter (as str.isalpha, plus the rare "No" signs such as ½)
_EDGE_PUNCT = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum() and chr(c) != ".") + "“”‘’…–—"


def _clean(tokens: Iterable[str]) -> list[str]:
    # Both engines split Thai identically but attach brackets and digits differently; dropping bare numbers
    # (house numbers, dates, phones: no category signal) and edge punctuation makes their output agree.
    # Dots stay: they mark Thai abbreviations ("ร.ง.", "มอก.", "จ.").
    stripped = (tok.strip().strip(_EDGE_PUNCT) for tok in tokens)
    return [tok for tok in stripped if _HAS_LETTER(tok)]


def tokenize_newmm(text: str) -> list[str]:
    """pythainlp newmm with its built-in dictionary (the default)."""
    return _clean(word_tokenize(text, engine="newmm", keep_whitespace=False))


_NLPO3_DICT = "idee-pythainlp-words"
_nlpo3_loaded = False


def _nlpo3_dict_file() -> Path:
    words = "\n".join(sorted(thai_words()))
    digest = hashlib.sha256(words.encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"idee-classifier-words-{digest}.txt"
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(words, encoding="utf-8")
        tmp.replace(path)  # atomic, so parallel workers never read half a file
    return path


def tokenize_nlpo3(text: str) -> list[str]:
    """newmm in Rust (nlpo3), fed pythainlp's own word list so tokens match `tokenize_newmm`."""
    global _nlpo3_loaded
    import nlpo3  # optional fast path; imported lazily so newmm-only installs work

    if not _nlpo3_loaded:
        nlpo3.load_dict(str(_nlpo3_dict_file()), _NLPO3_DICT)
        _nlpo3_loaded = True
    return _clean(nlpo3.segment(text, _NLPO3_DICT))


def get_tokenizer(name: str | None = None) -> Callable[[str], list[str]]:
    """Tokenizer by name, else from $IDEE_CLASSIFIER_TOKENIZER, else newmm.

    :raises ValueError: for an unknown name.
    """
    name = (name or os.environ.get(TOKENIZER_ENV) or "newmm").strip().lower()
    if name == "newmm":
        return tokenize_newmm
    if name == "nlpo3":
        return tokenize_nlpo3
    raise ValueError(f"unknown tokenizer {name!r}; expected one of {TOKENIZERS}")


def tokenizer_name(func: Callable[[str], list[str]]) -> str:
    return {tokenize_newmm: "newmm", tokenize_nlpo3: "nlpo3"}[func]


class ThaiTfidfVectorizer(TfidfVectorizer):
    """TfidfVectorizer whose vocabulary is stored as one string array.

    skops writes a dict as one JSON node per entry: a 100k-term vocabulary took seconds to save and load and
    tens of MB; as an array (index order) it is a single .npy member.
    """

    def __getstate__(self):
        state = super().__getstate__()
        vocab = state.pop("vocabulary_", None)
        if vocab is not None:
            state["vocabulary_terms_"] = np.array(sorted(vocab, key=vocab.__getitem__), dtype=str)
        return state

    def __setstate__(self, state):
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        super().__setstate__(state)
        if terms is not None:
            self.vocabulary_ = {term: i for i, term in enumerate(terms.tolist())}


#: character n-gram lengths: bigrams added nothing over words in 5-fold CV (0.954 with, 0.956 without) and cost
#: a third of the feature time
CHAR_NGRAMS = (3, 4)


def build_features(tokenizer: str | None = None, min_df: int = 2):
    """Word uni+bigrams over Thai tokens plus character 3-4-grams (`vectorize.ThaiFeatures`).

    Characters catch spelling slips and compounds that newmm splits differently; words catch the
    longer cues ("ไม่มีใบอนุญาต", "เผาอ้อย").  Both take the already-normalised text.
    """
    from .vectorize import ThaiFeatures  # imported here: vectorize needs nothing from this module

    return ThaiFeatures(tokenizer=get_tokenizer(tokenizer), char_ngrams=CHAR_NGRAMS, min_df=min_df,
                        max_char_features=60000)


def build_sklearn_features(tokenizer: str | None = None, min_df: int = 2) -> FeatureUnion:
    """The same features as two scikit-learn TfidfVectorizers: what artifacts before ThaiFeatures hold, kept
    to load them and to compare (about 3× slower per text beyond the tokenizer)."""
    words = ThaiTfidfVectorizer(
        tokenizer=get_tokenizer(tokenizer),
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        min_df=min_df,
        sublinear_tf=True,
        dtype=np.float32,  # halves the artifact; accuracy is unaffected at this scale
    )
    chars = ThaiTfidfVectorizer(
        analyzer="char_wb",
        ngram_range=CHAR_NGRAMS,
        lowercase=False,
        min_df=min_df,
        sublinear_tf=True,
        max_features=60000,
        dtype=np.float32,
    )
    return FeatureUnion([("words", words), ("chars", chars)])

