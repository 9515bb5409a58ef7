"""Names as people type them: the words of a name, compared without case, punctuation, stop words, titles or
abbreviations, and how well a name matches a thing's labels (:func:`match_tier`)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ecmgraph.errors import InputError
from ecmgraph.namespaces import PREFIXES

_PREFIXED_NAME = re.compile(r"^([A-Za-z][\w-]*):([^\s<>\"{}|^`\\]*)$")
_ABSOLUTE_IRI = re.compile(r"^(?:https?|urn|file|tag|mailto):\S+$", re.I)


@functools.lru_cache(maxsize=1 << 17)
def normalise_label(text: str) -> str:
    """A label as compared: Unicode-normalised, curly quotes straightened, case-folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.casefold().split())


# --- Names as people type them ---------------------------------------------------------------------------------

#: Abbreviations people write for words of labels, each read as the words it stands for (on both sides).
ABBREVIATIONS: dict[str, str] = {
    "cc": "county council",
    "dc": "district council",
    "bc": "borough council",
    "mbc": "metropolitan borough council",
    "cllr": "councillor",
    "lscb": "local safeguarding children board",
    "dcs": "director of children's services",
    "dass": "director of adult social services",
    "lm": "lead member",
    "ce": "chief executive",
    "ceo": "chief executive",
    # counties as they are shortened in writing
    "beds": "bedfordshire",
    "berks": "berkshire",
    "bucks": "buckinghamshire",
    "cambs": "cambridgeshire",
    "derbys": "derbyshire",
    "glos": "gloucestershire",
    "hants": "hampshire",
    "herts": "hertfordshire",
    "lancs": "lancashire",
    "leics": "leicestershire",
    "lincs": "lincolnshire",
    "northants": "northamptonshire",
    "notts": "nottinghamshire",
    "oxon": "oxfordshire",
    "staffs": "staffordshire",
    "warks": "warwickshire",
    "wilts": "wiltshire",
    "worcs": "worcestershire",
}
#: Words that tell nothing apart, left out when names are compared ("Council of Rochford" is "Rochford").
STOP_WORDS = frozenset({"the", "of", "and", "council", "for"})
#: Titles a person's name may start with ("Mr Paul Warren" is "Paul Warren").
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev", "revd"}
    | {"reverend", "councillor"}
)

_APOSTROPHE = "['\u2019\u2018\u02bc`]"


def _stem(word: str) -> str:
    """A word without a plural ``s`` ("services" is "service", "childrens" "children"), so either form matches."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@functools.lru_cache(maxsize=1 << 17)
def name_words(text: str) -> tuple[str, ...]:
    """The words of a name as they are compared: case-folded, without punctuation or possessives, abbreviations
    written out (``DC`` is ``district council``), a plural ``s`` left off."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(_APOSTROPHE + r"s\b", "", text)
    text = re.sub(_APOSTROPHE, "", text)
    words: list[str] = []
    for word in re.findall(r"[^\W_]+", text):
        expansion = ABBREVIATIONS.get(word)
        if expansion is None:
            words.append(_stem(word))
        else:
            words.extend(_stem(part) for part in name_words(expansion))
    return tuple(words)


@dataclass(frozen=True)
class NameKey:
    """A name's words as a set, without stop words (``words``), and without the titles it starts with (``core``)."""

    words: frozenset[str]
    core: frozenset[str]


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> NameKey:
    """The :class:`NameKey` of a label or of what a user typed. A name of nothing but stop words (or titles) keeps
    them: "the Council" is compared as it is."""
    every = name_words(text)
    words = [w for w in every if w not in STOP_WORDS] or list(every)
    first = 0
    while first < len(words) and words[first] in TITLES:
        first += 1
    return NameKey(frozenset(words), frozenset(words[first:] or words))


#: How well a name matches a thing, best first: a label as given; the same words (in any order, any case,
#: abbreviated or not, without stop words or a person's title); every word given inside a label; every word given
#: in a label and the name of the authority the thing belongs to ("Chief Executive of Rochford").
EXACT, SAME_WORDS, WORDS_INSIDE, WITH_AUTHORITY = 0, 1, 2, 3
TIERS = {EXACT: "exact", SAME_WORDS: "same words", WORDS_INSIDE: "words inside", WITH_AUTHORITY: "with authority"}


def match_tier(
    value: str, labels: Sequence[str], scope_words: Sequence[frozenset[str]] = (), *, key: NameKey | None = None
) -> int | None:
    """How well ``value`` matches a thing with ``labels`` (and authorities whose names have ``scope_words``): one of
    EXACT, SAME_WORDS, WORDS_INSIDE, WITH_AUTHORITY, or None."""
    needle = normalise_label(value)
    wanted = key or name_key(value)
    if not wanted.core:  # no word at all ("?!"): only a label written the same matches
        return EXACT if any(normalise_label(label) == needle for label in labels) else None
    best: int | None = None
    keys = []
    for label in labels:
        if normalise_label(label) == needle:
            return EXACT
        label_key = name_key(label)
        keys.append(label_key)
        if wanted.core == label_key.core:
            best = SAME_WORDS
        elif best is None and wanted.core <= label_key.words:
            best = WORDS_INSIDE
    if best is None and scope_words:
        for label_key in keys:
            if any(wanted.core <= label_key.words | words for words in scope_words):
                return WITH_AUTHORITY
    return best


def _filter_word(value: str) -> str | None:
    """The longest plain word of ``value`` that every label it matches must contain, to narrow the candidates
    read: ASCII letters and digits, three or more, not an abbreviation, a stop word or a title; None if none."""
    words = [
        w
        for w in re.findall(r"[a-z0-9]+", value.lower())
        if len(w) >= 3 and w not in ABBREVIATIONS and w not in STOP_WORDS and w not in TITLES
    ]
    return _stem(max(words, key=len)) if words else None


def expand_iri(value: str) -> str | None:
    """``value`` as an absolute IRI if it is one (``<…>``, ``https://…``) or a known prefixed name, else None.

    Raises InputError for something written as an IRI that is not a valid one (``http://a>}``).
    """
    text = value.strip()
    iri = None
    if text.startswith("<") and text.endswith(">") and _ABSOLUTE_IRI.match(text[1:-1]):
        iri = text[1:-1]
    elif _ABSOLUTE_IRI.match(text):
        iri = text
    elif (match := _PREFIXED_NAME.match(text)) and match.group(1) in PREFIXES:
        iri = PREFIXES[match.group(1)] + match.group(2)
    if iri is not None:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise InputError(f"{value!r} is not a valid IRI: {exc}", hint="check the IRI, or give a name") from None
    return iri


#: A rule's id, as ``ecmgraph rules`` gives it: a rule is not a name in the data.
RULE_ID = re.compile(r"\s*ECM\d{3}\s*", re.IGNORECASE)


def rule_hint(value: str) -> str | None:
    """Where to look instead, when ``value`` is a rule's id (ECM001) rather than a name in the data."""
    if RULE_ID.fullmatch(value):
        rule = value.strip().upper()
        return f"{rule} is one of ecmgraph's rules, not a name in the data: 'ecmgraph rules {rule}' shows its text, sources and in-force dates"
    return None
