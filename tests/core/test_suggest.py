"""The suggestion model ranks as scikit-learn's own model would, and is trained once per
installation: the store keeps it by its training examples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from nuso.core.harmonise import suggest
from nuso.core.harmonise.cascade import Harmoniser, VariableMatcher
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.suggest import (
    ModelStore,
    SuggestionModel,
    char_ngrams,
    model_key,
    training_examples,
)

CODEBOOK = shipped_codebook()
TEXTS = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzåäöé -/,.0123456789\t\n"), max_size=40
)


def fitted_by_scikit_learn(examples: list[tuple[str, str]]) -> tuple[TfidfVectorizer, object]:
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=suggest.NGRAM_RANGE, sublinear_tf=True
    )
    model = LogisticRegression(max_iter=suggest.MAX_ITERATIONS, C=suggest.REGULARISATION)
    model.fit(vectorizer.fit_transform([t for t, _ in examples]), [c for _, c in examples])
    return vectorizer, model


# Reasons (22 codes, softmax) and sex (two codes, the logistic function).
REASONS = training_examples(CODEBOOK.variables["orsak"], {"grooming": "sexuellt_vald"})
SEX = training_examples(CODEBOOK.variables["kon"], {})
FITTED = {
    "orsak": (suggest.train(REASONS), *fitted_by_scikit_learn(REASONS)),
    "kon": (suggest.train(SEX), *fitted_by_scikit_learn(SEX)),
}


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_n_grams_are_scikit_learns(text: str) -> None:
    analyser = TfidfVectorizer(analyzer="char_wb", ngram_range=suggest.NGRAM_RANGE)
    assert char_ngrams(text) == analyser.build_analyzer()(text)


@pytest.mark.parametrize("variable", ["orsak", "kon"])
@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_probabilities_are_scikit_learns(variable: str, text: str) -> None:
    ours, vectorizer, model = FITTED[variable]
    expected = model.predict_proba(vectorizer.transform([text]))[0]  # type: ignore[attr-defined]
    assert ours.codes == tuple(model.classes_)  # type: ignore[attr-defined]
    np.testing.assert_allclose(ours.probabilities(text), expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "text", ["missbruk hos pappa", "grooming pa natet", "vald", "", "xq", "p", "flicka 12 ar"]
)
def test_rankings_are_scikit_learns(text: str) -> None:
    for ours, vectorizer, model in FITTED.values():
        probabilities = model.predict_proba(vectorizer.transform([text]))[0]  # type: ignore[attr-defined]
        order = np.argsort(-probabilities)[:3]
        expected = [(str(model.classes_[i]), round(float(probabilities[i]), 3)) for i in order]  # type: ignore[attr-defined]
        assert ours.rank(text) == expected


def test_a_stored_model_is_read_back_whole() -> None:
    model = FITTED["orsak"][0]
    again = SuggestionModel.from_bytes(model.to_bytes())
    assert again.codes == model.codes
    assert again.vocabulary == model.vocabulary
    for text in ("misshandel", "skolk och snatteri", ""):
        assert again.rank(text) == model.rank(text)


def test_the_store_trains_once_per_installation(tmp_path: Path, monkeypatch) -> None:
    first = ModelStore(tmp_path).model("kon", SEX)
    assert [p.suffix for p in tmp_path.iterdir()] == [".npz"]

    def no_training(examples: object) -> None:
        raise AssertionError("a stored model was trained again")

    monkeypatch.setattr(suggest, "train", no_training)
    later = ModelStore(tmp_path)  # another process of the installation
    assert later.has("kon", SEX)
    assert later.model("kon", SEX).rank("tjej") == first.rank("tjej")


def test_new_decisions_make_a_new_model_and_a_damaged_file_is_trained_again(
    tmp_path: Path,
) -> None:
    store = ModelStore(tmp_path)
    store.model("kon", SEX)
    learned = training_examples(CODEBOOK.variables["kon"], {"hen": "flicka"})
    assert not store.has("kon", learned)
    store.model("kon", learned)
    assert len(list(tmp_path.glob("kon-*.npz"))) == 2

    for path in tmp_path.glob("kon-*.npz"):
        path.write_bytes(b"not a model")
    fresh = ModelStore(tmp_path)
    assert fresh.model("kon", SEX).rank("tjej")[0][0] == "flicka"
    rewritten = fresh.path(model_key("kon", SEX)).read_bytes()
    assert SuggestionModel.from_bytes(rewritten).codes == ("flicka", "pojke")


def test_a_store_that_cannot_be_written_still_gives_the_model(tmp_path: Path, caplog) -> None:
    """The folder is a cache: an installation whose data directory is read-only trains in
    memory and says so, rather than failing the import or `nuso init`."""
    folder = tmp_path / "modeller"
    folder.write_text("a file where the folder should be")
    model = ModelStore(folder).model("kon", SEX)
    assert model.rank("tjej")[0][0] == "flicka"
    assert "kunde inte sparas" in caplog.text


def test_the_threshold_keeps_the_models_own_decisions_right_on_unseen_spellings() -> None:
    # 30 sure and right, then one wrong at 0.7 among right ones below it
    outcomes = [(0.99 - i / 1000, True) for i in range(30)] + [(0.7, False), (0.65, True)]
    threshold = suggest.threshold_for(outcomes)
    decided = [correct for probability, correct in outcomes if probability >= threshold]
    assert threshold > 0.7
    assert sum(decided) / len(decided) >= suggest.TARGET_PRECISION


def test_a_model_wrong_even_when_surest_never_decides() -> None:
    assert suggest.threshold_for([(0.99, False)] + [(0.9, True)] * 30) == suggest.NEVER


def test_too_little_evidence_keeps_the_threshold_high() -> None:
    assert suggest.threshold_for([(0.6, True)] * 5) == suggest.FALLBACK_THRESHOLD


@pytest.mark.parametrize("variable", ["kon", "aktualiseringstyp", "orsak", "atgard"])
def test_the_shipped_models_are_calibrated_on_spellings_they_did_not_train_on(
    variable: str,
) -> None:
    examples = VariableMatcher(shipped_codebook().variables[variable]).training_examples()
    model = suggest.train(examples)
    validation = suggest.cross_validated(examples)
    decided = [correct for probability, correct in validation if probability >= model.threshold]
    assert len(validation) == len(set(examples))  # every distinct spelling held out once
    assert not decided or sum(decided) / len(decided) >= suggest.TARGET_PRECISION
    assert model.calibration[:, 1].sum() == len(validation)


@pytest.mark.parametrize("variable", ["kon", "aktualiseringstyp", "orsak", "atgard"])
def test_text_that_looks_like_no_category_is_never_decided_by_the_model(variable: str) -> None:
    harmoniser = Harmoniser(shipped_codebook())
    for junk in ("'; DROP TABLE records;--", "Kategori 7", "<script>alert(1)</script>", "12345"):
        assert harmoniser.decide(variable, junk).method != "model", junk
