"""Scoring, on the server only, as a pure function.

The rule: every question is worth one mark. A single-answer question scores when the chosen
option is the correct one. A select-all-that-apply question scores only when the chosen options
are exactly the correct ones: one missed or one extra option scores nothing. A question left
unanswered scores nothing. The learner passes when their marks are at least the pass mark as a
percentage of the questions asked.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from elearn.content.schema import Question


@dataclass(frozen=True)
class Score:
    correct: dict[str, bool]
    raw: int
    maximum: int
    pass_mark: int

    @property
    def percent(self) -> int:
        return round(100 * self.raw / self.maximum) if self.maximum else 0

    @property
    def passed(self) -> bool:
        # Whole-number arithmetic, so 4 of 5 against a pass mark of 80 is a pass.
        return self.raw * 100 >= self.pass_mark * self.maximum


def is_correct(question: Question, chosen: Iterable[str]) -> bool:
    return set(chosen) == {o.id for o in question.options if o.correct}


def score(questions: list[Question], answers: Mapping[str, Iterable[str]], pass_mark: int) -> Score:
    correct = {q.id: bool(answers.get(q.id)) and is_correct(q, answers[q.id]) for q in questions}
    return Score(correct, sum(correct.values()), len(questions), pass_mark)
