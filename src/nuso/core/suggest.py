"""A small suggestion model per codebook variable: character n-gram TF-IDF and a logistic
regression, trained on what the codebook knows (labels, synonyms, the words of its rules) and
on review decisions. It ranks codes for a value nobody listed; the cascade lets it decide
only when it is very sure, and otherwise uses its ranking as suggestions for the reviewer."""

from __future__ import annotations

import itertools

import numpy as np

from nuso.core.codebook import Variable
from nuso.core.normalise import normalise

MAX_RULE_PHRASES = 12
# What the model imports: worker processes load them ahead (nuso.core.import_workers).
MODEL_MODULES = ("sklearn.feature_extraction.text", "sklearn.linear_model")


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
        texts = [entry.code.replace("_", " "), entry.label, *entry.attributes.get("synonyms", ())]
        texts += [p for rule in entry.attributes.get("rules", ()) for p in rule_phrases(rule)]
        examples += [(normalise(str(text)), entry.code) for text in texts]
    examples += [(normalise(raw), code) for raw, code in learned.items() if code]
    return [(text, code) for text, code in examples if text]


class SuggestionModel:
    def __init__(self, examples: list[tuple[str, str]]) -> None:
        # scikit-learn takes a second to import: only when a value needs the model, not in
        # every command and web worker that merely loads the harmoniser.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.codes = sorted({code for _, code in examples})
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        features = self.vectorizer.fit_transform([text for text, _ in examples])
        self.model = LogisticRegression(max_iter=2_000, C=20.0)
        if len(self.codes) > 1:
            self.model.fit(features, [code for _, code in examples])

    def rank(self, key: str, top: int = 3) -> list[tuple[str, float]]:
        if len(self.codes) < 2:
            return [(self.codes[0], 1.0)] if self.codes else []
        probabilities = self.model.predict_proba(self.vectorizer.transform([key]))[0]
        order = np.argsort(-probabilities)[:top]
        return [(str(self.model.classes_[i]), round(float(probabilities[i]), 3)) for i in order]
