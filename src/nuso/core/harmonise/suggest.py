"""A small suggestion model per codebook variable: character n-gram TF-IDF and a logistic
regression, trained on what the codebook knows (labels, synonyms, the words of its rules) and
on review decisions. It ranks codes for a value nobody listed; the cascade lets it decide
only when it is very sure, and otherwise uses its ranking as suggestions for the reviewer.

scikit-learn trains the model; ranking needs only the fitted numbers (vocabulary, IDF
weights, coefficients), applied here with NumPy exactly as scikit-learn's `predict_proba`
would (tests compare the two). Importing scikit-learn takes a second and a half, more than an
import's whole harmonisation, so a trained model is kept in a folder of the installation
(`ModelStore`), keyed by a digest of its training examples: the same codebook and review
decisions give the same file, whichever process trained it, and any change gives a new one.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nuso.core.harmonise.codebook import Variable
from nuso.core.harmonise.normalise import normalise
from nuso.core.whole_files import written_whole

MAX_RULE_PHRASES = 12
# The model's settings; with FORMAT in every stored model's key, a change to them (or to the
# stored form) retrains instead of reading a model made otherwise.
NGRAM_RANGE = (2, 4)
REGULARISATION = 20.0  # scikit-learn's C
MAX_ITERATIONS = 2_000
FOLDS = 5  # cross-validation of the model on spellings it did not train on
TARGET_PRECISION = 0.995  # of the model's own decisions, on those spellings
MIN_VALIDATED = 20  # decisions above a threshold needed to trust it
FALLBACK_THRESHOLD = 0.9  # when too few spellings validate one
NEVER = 1.01  # a threshold no probability reaches: the model only suggests
FORMAT = 2
WHITE_SPACES = re.compile(r"\s\s+")  # what scikit-learn folds before taking n-grams

Floats = npt.NDArray[np.float64]
logger = logging.getLogger(__name__)


def rule_phrases(rule: str) -> list[str]:
    """Example phrases a keyword rule accepts: "psyk foralder|vardnadshavare" gives
    "psyk foralder" and "psyk vardnadshavare"."""
    groups = [group.split("|") for group in rule.split() if not group.startswith("!")]
    return [
        " ".join(words) for words in itertools.islice(itertools.product(*groups), MAX_RULE_PHRASES)
    ]


def training_examples(variable: Variable, learned: dict[str, str]) -> list[tuple[str, str]]:
    examples = []
    for entry in variable.codes:
        texts = [entry.code.replace("_", " "), *entry.spellings[1:]]
        texts += [p for rule in entry.attributes.get("rules", ()) for p in rule_phrases(rule)]
        examples += [(normalise(str(text)), entry.code) for text in texts]
    examples += [(normalise(raw), code) for raw, code in learned.items() if code]
    return [(text, code) for text, code in examples if text]


def char_ngrams(text: str) -> list[str]:
    """The n-grams of each word padded with a space, as scikit-learn's `char_wb` analyser
    takes them (a word shorter than n gives itself once)."""
    low, high = NGRAM_RANGE
    grams = []
    for word in WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams += [padded[i : i + n] for i in range(max(len(padded) - n, 0) + 1)]
            if len(padded) <= n:
                break
    return grams


@dataclass(frozen=True, eq=False)
class SuggestionModel:
    """A trained model as plain numbers: `codes` in the model's order, the n-gram vocabulary,
    IDF weights, and the logistic regression's coefficients and intercepts (one row for two
    codes, one per code for more)."""

    codes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: Floats
    coefficients: Floats
    intercepts: Floats
    threshold: float = NEVER  # decides alone at or above this probability (see calibrated)
    calibration: Floats = field(default_factory=lambda: np.zeros((0, 3)))  # low, n, right

    def rank(self, key: str, top: int = 3) -> list[tuple[str, float]]:
        if len(self.codes) < 2:
            return [(self.codes[0], 1.0)] if self.codes else []
        probabilities = self.probabilities(key)
        order = np.argsort(-probabilities)[:top]
        return [(self.codes[i], round(float(probabilities[i]), 3)) for i in order]

    def probabilities(self, key: str) -> Floats:
        """Each code's probability for the text, as scikit-learn's `predict_proba`: TF-IDF
        with sublinear term frequencies, L2-normalised; softmax over the codes' scores, or
        the logistic function of the one score for two codes."""
        counts = Counter(gram for gram in char_ngrams(key) if gram in self.vocabulary)
        columns = np.fromiter((self.vocabulary[gram] for gram in counts), dtype=np.intp)
        weights = (np.log(np.fromiter(counts.values(), dtype=np.float64)) + 1) * self.idf[columns]
        norm = np.sqrt(weights @ weights)
        if norm > 0:
            weights /= norm
        scores = self.coefficients[:, columns] @ weights + self.intercepts
        if len(self.codes) == 2:
            positive = 1 / (1 + np.exp(-scores[0]))
            return np.array([1 - positive, positive])
        exponentials = np.exp(scores - scores.max())
        return np.asarray(exponentials / exponentials.sum(), dtype=np.float64)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        ngrams = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            buffer,
            codes=np.array(self.codes, dtype=np.str_),
            ngrams=np.array(ngrams, dtype=np.str_),
            idf=self.idf,
            coefficients=self.coefficients,
            intercepts=self.intercepts,
            threshold=np.array([self.threshold]),
            calibration=self.calibration,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SuggestionModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            return cls(
                codes=tuple(str(code) for code in arrays["codes"]),
                vocabulary={str(gram): i for i, gram in enumerate(arrays["ngrams"])},
                idf=arrays["idf"],
                coefficients=arrays["coefficients"],
                intercepts=arrays["intercepts"],
                threshold=float(arrays["threshold"][0]),
                calibration=arrays["calibration"],
            )


def train(examples: list[tuple[str, str]]) -> SuggestionModel:
    """The model fitted on every example, with the threshold at which it may decide alone
    found by cross-validation (see `calibrated`)."""
    model = fit(examples)
    if len(model.codes) < 2:
        return model
    validation = cross_validated(examples)
    return replace(model, threshold=threshold_for(validation), calibration=reliability(validation))


def cross_validated(examples: list[tuple[str, str]]) -> list[tuple[float, bool]]:
    """For each distinct spelling, the model's top probability and whether its top code is
    right, from a model that never saw that spelling: each code's spellings are dealt into
    FOLDS folds, and each fold is predicted by a model fitted on the others. A spelling
    nobody listed is what the model meets in an import, so this is how sure it may be."""
    distinct = sorted(set(examples))
    folds: dict[tuple[str, str], int] = {}
    for code in sorted({code for _, code in distinct}):
        own = [example for example in distinct if example[1] == code]
        for i, example in enumerate(own):
            folds[example] = i % FOLDS
    outcomes = []
    for fold in range(FOLDS):
        held_out = [example for example in distinct if folds[example] == fold]
        rest = [example for example in distinct if folds[example] != fold]
        if not held_out or len({code for _, code in rest}) < 2:
            continue
        model = fit(rest)
        for text, code in held_out:
            (best, probability), *_ = model.rank(text, top=1)
            outcomes.append((probability, best == code))
    return outcomes


def threshold_for(outcomes: list[tuple[float, bool]]) -> float:
    """The lowest probability at which the model's decisions on unseen spellings are still
    TARGET_PRECISION right, counting every decision at or above it; NEVER when even its
    surest are not, and no lower than FALLBACK_THRESHOLD on too little evidence."""
    ranked = sorted(outcomes, key=lambda outcome: -outcome[0])
    threshold, right = NEVER, 0
    for count, (probability, correct) in enumerate(ranked, start=1):
        right += correct
        if right / count >= TARGET_PRECISION and (
            count == len(ranked) or ranked[count][0] < probability
        ):
            threshold = probability
    validated = sum(1 for probability, _ in outcomes if probability >= threshold)
    if threshold < NEVER and validated < MIN_VALIDATED:
        return max(threshold, FALLBACK_THRESHOLD)
    return threshold


def reliability(outcomes: list[tuple[float, bool]]) -> Floats:
    """How often the top code was right, by tenths of probability: rows of the band's lower
    edge, the number of spellings and the number right (for docs/harmonisation.md)."""
    rows = []
    for tenth in range(10):
        low = tenth / 10
        band = [c for p, c in outcomes if low <= p < low + 0.1 or (tenth == 9 and p >= 1)]
        rows.append((low, len(band), sum(band)))
    return np.array(rows, dtype=np.float64)


def fit(examples: list[tuple[str, str]]) -> SuggestionModel:
    """The model fitted by scikit-learn (imported here only: few processes ever train)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    codes = sorted({code for _, code in examples})
    if not examples:  # a codebook variable without words (age groups): nothing to rank by
        return SuggestionModel((), {}, np.zeros(0), np.zeros((0, 0)), np.zeros(0))
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True)
    features = vectorizer.fit_transform([text for text, _ in examples])
    vocabulary = {str(gram): int(i) for gram, i in vectorizer.vocabulary_.items()}
    idf = np.asarray(vectorizer.idf_, dtype=np.float64)
    if len(codes) < 2:  # nothing to choose between: rank() needs no numbers
        empty = np.zeros((0, len(vocabulary)))
        return SuggestionModel(tuple(codes), vocabulary, idf, empty, np.zeros(0))
    model = LogisticRegression(max_iter=MAX_ITERATIONS, C=REGULARISATION)
    # One BLAS thread: the problem is small, and threads fighting over two busy cores made
    # a fit of the reasons twenty times slower (4 s against 0.2 s, measured).
    with threadpool_limits(limits=1):
        model.fit(features, [code for _, code in examples])
    return SuggestionModel(
        codes=tuple(str(code) for code in model.classes_),
        vocabulary=vocabulary,
        idf=idf,
        coefficients=np.asarray(model.coef_, dtype=np.float64),
        intercepts=np.asarray(model.intercept_, dtype=np.float64),
    )


def model_key(variable: str, examples: list[tuple[str, str]]) -> str:
    """The stored model's name: the variable and a digest of everything that shapes it."""
    settings: list[Any] = [FORMAT, NGRAM_RANGE, REGULARISATION, MAX_ITERATIONS]
    text = json.dumps([settings, examples], ensure_ascii=False)
    return f"{variable}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:24]}"


class ModelStore:
    """Trained models by their training examples: kept in memory, and in `folder` (when
    given) for every later process of the installation. A missing or unreadable file is
    trained again and written anew."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.loaded: dict[str, SuggestionModel] = {}

    def model(self, variable: str, examples: list[tuple[str, str]]) -> SuggestionModel:
        key = model_key(variable, examples)
        if key not in self.loaded:
            self.loaded[key] = self.read(key) or self.trained(key, examples)
        return self.loaded[key]

    def has(self, variable: str, examples: list[tuple[str, str]]) -> bool:
        key = model_key(variable, examples)
        return key in self.loaded or (self.folder is not None and self.path(key).is_file())

    def path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{key}.npz"

    def read(self, key: str) -> SuggestionModel | None:
        if self.folder is None:
            return None
        try:
            return SuggestionModel.from_bytes(self.path(key).read_bytes())
        except (OSError, ValueError, KeyError):
            return None  # not trained yet, or a damaged file: trained again

    def trained(self, key: str, examples: list[tuple[str, str]]) -> SuggestionModel:
        model = train(examples)
        if self.folder is not None:
            try:
                self.write(key, model.to_bytes())
            except OSError as error:  # a store that cannot be written only costs time
                logger.warning("Förslagsmodellen kunde inte sparas i %s: %s", self.folder, error)
        return model

    def write(self, key: str, data: bytes) -> None:
        """Written whole or not at all: another process may read the file at any moment."""
        assert self.folder is not None
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with written_whole(self.path(key)) as temporary:
            temporary.write_bytes(data)
