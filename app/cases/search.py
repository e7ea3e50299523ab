"""Thai text search over cases, the same on PostgreSQL and SQLite.

Thai is written without spaces between words, so neither ``LIKE '% word %'`` nor a space-splitting full-text
parser finds words. We index PyThaiNLP (newmm) tokens of each case in ``case_search_terms`` and cut queries the
same way: a case matches when it holds every term of the query (the last term may be a prefix while typing).

newmm picks the longest dictionary words, so the same words cut differently with their neighbours: a text's
"โรงโม่หิน" is one token while a query "โรงโม่" is "โรง" + "โม่". The index therefore also holds the dictionary
words found inside each compound token, so a query's shorter words still find it.
"""

import re
import unicodedata
from functools import lru_cache

from pythainlp.corpus import thai_stopwords, thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.tokenize.tcc import tcc_pos
from pythainlp.util import Trie, normalize
from sqlalchemy import delete, func, insert, select

from app.cases.models import Case, CaseSearchTerm
from app.extensions import db

MAX_TERM = 60
_WORDLIKE = re.compile(r"[\w\u0e00-\u0e7f]")
_TRACKING = re.compile(r"^\s*(?:ID|1D)?[-\s]*[0-9A-Z]{4}[-\s]*[0-9A-Z]{4}[-\s]*[0-9A-Z]{4}\s*$", re.I)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(thai_stopwords())


@lru_cache(maxsize=1)
def _dictionary() -> Trie:
    return Trie(thai_words())


def _inner_words(token: str) -> list[str]:
    """Dictionary words inside a compound Thai token (not the token itself) that start and end on Thai character
    cluster boundaries, so no word is cut out of the middle of a syllable."""
    trie, found = _dictionary(), []
    bounds = tcc_pos(token) | {0}
    for i in sorted(bounds):
        found.extend(w for w in trie.prefixes(token[i:])
                     if len(w) >= 3 and w != token and (i + len(w)) in bounds)
    return found


def terms(text: str | None, *, inner: bool = False) -> list[str]:
    """Distinct search terms of ``text``, in order: normalised Thai words and lower-case Latin words/numbers;
    with ``inner`` (when indexing) also the dictionary words inside compound tokens."""
    if not text:
        return []
    text = normalize(unicodedata.normalize("NFC", text)).lower()
    seen: dict[str, None] = {}
    for token in word_tokenize(text, engine="newmm", keep_whitespace=False):
        token = token.strip()
        if len(token) < 2 or not _WORDLIKE.search(token) or token in _stopwords():
            continue
        seen.setdefault(token[:MAX_TERM], None)
        if inner and len(token) > 3:
            for word in _inner_words(token):
                if word not in _stopwords():
                    seen.setdefault(word, None)
    return list(seen)


def case_text(case: Case) -> str:
    return " ".join(filter(None, [case.subject, case.description, case.respondent_name, case.address,
                                  case.factory_registration_no]))


def index_case(case: Case, *, new: bool = False) -> int:
    """(Re)write the case's terms in the current transaction; returns how many. ``new``: the case was created
    in this transaction, so it has no terms to delete (intake saves that statement)."""
    rows = [{"term": t, "case_id": case.id} for t in terms(case_text(case), inner=True)]
    if not new:
        db.session.execute(delete(CaseSearchTerm).where(CaseSearchTerm.case_id == case.id))
    if rows:
        db.session.execute(insert(CaseSearchTerm), rows)
    return len(rows)


def looks_like_tracking_code(q: str) -> bool:
    return bool(_TRACKING.match(q))


def matching_ids(q: str):
    """A subquery of case ids matching the Thai/English query ``q`` (``None`` when ``q`` has no terms)."""
    words = terms(q)
    if not words:
        return None
    exact, last = words[:-1], words[-1]
    # the last word may still be being typed: match it as a prefix; earlier words must match exactly
    hit = CaseSearchTerm.term.in_(exact) | CaseSearchTerm.term.like(_escape(last) + "%", escape="\\")
    stmt = select(CaseSearchTerm.case_id).where(hit).group_by(CaseSearchTerm.case_id)
    if exact:
        # every exact word present, and at least one term for the prefix
        stmt = stmt.having(
            func.count(func.distinct(CaseSearchTerm.term)).filter(CaseSearchTerm.term.in_(exact)) == len(exact),
            func.count().filter(CaseSearchTerm.term.like(_escape(last) + "%", escape="\\")) > 0,
        )
    return stmt


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
