"""When the suggestion models learn committed review decisions: in one background thread at a
time by default, once at the end of a batch of decisions where one asks for it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from nuso.studies import retraining


@pytest.fixture
def trainings(monkeypatch) -> list[int]:
    """Each training's number; every training says it trained two models."""
    done: list[int] = []

    def prepare() -> int:
        done.append(len(done) + 1)
        return 2

    monkeypatch.setattr(retraining, "prepare_suggestion_models", prepare)
    return done


def test_a_batch_of_decisions_is_learned_once_at_its_end(trainings) -> None:
    told: list[int] = []
    with retraining.once_at_the_end(told.append):
        retraining.requested()
        retraining.requested()
        assert trainings == []
    assert trainings == [1]
    assert told == [2]


def test_a_batch_without_a_committed_decision_trains_nothing(trainings) -> None:
    told: list[int] = []
    with retraining.once_at_the_end(told.append):
        pass
    assert (trainings, told) == ([], [])


def test_a_batch_stopped_by_an_error_learns_the_decisions_before_it(trainings) -> None:

    def stopped_by_a_bad_row() -> None:
        with retraining.once_at_the_end(lambda n: None):
            retraining.requested()
            raise LookupError("a bad row")

    with pytest.raises(LookupError, match="a bad row"):
        stopped_by_a_bad_row()
    assert trainings == [1]


def test_in_the_background_decisions_during_a_training_make_one_more(monkeypatch) -> None:
    started, release = threading.Event(), threading.Event()
    done: list[int] = []

    def prepare() -> int:
        started.set()
        release.wait(timeout=10)
        done.append(1)
        return 1

    monkeypatch.setattr(retraining, "prepare_suggestion_models", prepare)
    background = retraining.Background()
    background.start()
    assert started.wait(timeout=10)
    background.start()  # three decisions committed while the first training runs
    background.start()
    background.start()
    release.set()
    background.wait()
    assert len(done) == 2
    background.start()  # a later decision trains again
    background.wait()
    assert len(done) == 3


@pytest.mark.django_db(transaction=True)  # the decisions commit as they do outside tests
def test_nuso_review_trains_once_after_its_decisions_and_says_so(
    nuso, trainings, tmp_path: Path
) -> None:
    nuso("init")
    decisions = tmp_path / "beslut.csv"
    decisions.write_text(
        "rått värde,variabel,kod\nGrooming,orsaker,sexuellt_vald\nKategori 7,orsaker,skolproblem\n",
        "utf-8",
    )
    result = nuso("review", "--decisions", str(decisions))
    assert result.exit_code == 0, result.err
    assert result.out.count("poster omharmoniserade") == 2
    assert trainings == [1]
    assert "Förslagsmodeller omtränade med de nya besluten: 2." in result.out
