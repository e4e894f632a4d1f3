"""Demo activity: learners who work through the course through the same services a real
learner's actions use (so their learning records are queued too), for demos and benchmarks."""

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from elearn.auth.models import COMMUNITY_ROLES, User
from elearn.auth.passwords import hash_password
from elearn.auth.service import create_cohort_with_invite
from elearn.content.schema import Course, SurveyTrigger
from elearn.content.store import live
from elearn.db import utcnow
from elearn.events import Learner
from elearn.extensions import db
from elearn.feedback import service as feedback
from elearn.journey import progression
from elearn.quiz import service as quizzes
from elearn.roles import Role
from elearn.unit_of_work import action


def _choose(question, able: bool, rng: random.Random) -> list[str]:
    correct = [o.id for o in question.options if o.correct]
    wrong = [o.id for o in question.options if not o.correct]
    if able or not wrong:
        return correct
    if question.multiple and len(correct) > 1 and rng.random() < 0.5:
        return correct[:-1]  # missed one
    # Skew towards the first wrong option, as real learners share misconceptions.
    return [wrong[0] if rng.random() < 0.6 else rng.choice(wrong)]


def generate_learners(count: int, seed: int = 7, batch: int = 200) -> int:
    """Create `count` demo learners with progress, quiz attempts and (when available) feedback,
    committing once per batch of learners."""
    rng = random.Random(seed)
    revision_id, course = live()
    with action():
        cohort_ids = [
            # Partly random: a second run with the same seed needs new cohort names.
            create_cohort_with_invite(
                f"Demo cohort {name} {seed}-{rng.randrange(10**6)}-{secrets.token_hex(2)}"
            ).cohort_id
            for name in ("Oxfordshire", "Berkshire", "Surrey")
        ]
    run = DemoRun(
        course=course,
        revision_id=revision_id,
        seed=seed,
        rng=rng,
        cohort_ids=cohort_ids,
        # Random, not from the seed: nobody can work out a demo learner's password.
        password_hash=hash_password(secrets.token_urlsafe(24)),
        start=utcnow() - timedelta(days=60),
    )
    # Numbered after the demo learners of earlier runs with this seed, so a second run adds more.
    earlier = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.email.like(f"demo-learner-{seed}-%@example.org"))
    )
    made = 0
    while made < count:
        with action():  # one transaction per batch: fewer disk syncs, same rows and records
            for _ in range(min(batch, count - made)):
                made += 1
                _one_learner(run, (earlier or 0) + made)
    return made


@dataclass(frozen=True)
class DemoRun:
    """What every demo learner of one run shares."""

    course: Course
    revision_id: int
    seed: int
    rng: random.Random
    cohort_ids: list[int]
    password_hash: str  # one hash for all: hashing is slow, and nobody signs in as them
    start: datetime


def _one_learner(run: DemoRun, n: int) -> None:
    course, revision_id, rng = run.course, run.revision_id, run.rng
    stops = random.Random(f"stops-{run.seed}-{n}")
    user = User(
        email=f"demo-learner-{run.seed}-{n}@example.org",
        display_name=f"Demo learner {n}",
        password_hash=run.password_hash,
        role=Role.LEARNER,
        community_role=rng.choice(list(COMMUNITY_ROLES)),
        evaluation_consent=rng.random() < 0.85,
        cohort_id=rng.choice(run.cohort_ids),
    )
    db.session.add(user)
    db.session.flush()
    learner = user.as_learner()
    ability = rng.uniform(0.45, 0.98)
    # How sure the learner feels at the start (1-5), and how much the course helps them.
    confidence = rng.uniform(1.5, 3.5)
    now = run.start + timedelta(minutes=rng.randrange(60 * 24 * 30))
    # Joining the course goes through the service the registration page uses, so the learner's
    # records start with `registered`. (The account itself is made directly, with one shared
    # password hash: hashing a password per demo learner would take most of a large run.)
    progression.joined(user, now=now)
    surveys = {(s.trigger, s.module): s for s in course.surveys}
    baseline = surveys.get((SurveyTrigger.AFTER_REGISTRATION, None))
    if baseline is not None:
        _answer_survey(course, revision_id, learner, baseline, rng, confidence, now)
    passed_all = True
    for module in course.modules:
        if rng.random() > 0.9:  # some stop before each module
            return
        quiz = course.quizzes.get(module.id)
        for number, page in enumerate(module.pages, start=1):
            # A few stop partway through a module, more at module 2's fourth page, so the
            # review's drop-off figures have something to show. A generator of their own keeps
            # every other choice the same as before.
            if number > 1 and stops.random() < (0.12 if (module.id, number) == ("m2", 4) else 0.01):
                return
            now += timedelta(seconds=rng.randrange(60, 400))
            progression.view_page(course, learner, module.id, page.id, now=now)
            if rng.random() < 0.97:
                progression.complete_page(course, learner, module.id, page.id, now=now)
            if rng.random() < 0.08:
                _page_feedback(course, learner, module.id, page.id, rng, now)
        if quiz is None:
            continue
        passed = False
        for _attempt in range(3):
            attempt = quizzes.start_attempt(course, revision_id, user.id, module.id, rng=rng)
            attempt.started_at = now  # the demo's own clock, so the attempt's duration is real
            view = quizzes.load_attempt(course, user.id, attempt.id)
            for question in view.questions:
                able = rng.random() < ability * (0.75 + 0.5 * _difficulty(question.id))
                quizzes.save_answer(view, question, _choose(question, able, rng))
            now += timedelta(minutes=rng.randrange(4, 15))
            result = progression.submit_quiz(course, learner, view, now=now)
            if result is None or result.passed:
                passed = result is not None
                break
            ability = min(ability + 0.1, 0.99)
        passed_all = passed_all and passed
        after_module = surveys.get((SurveyTrigger.AFTER_MODULE, module.id))
        if passed and after_module is not None:
            now += timedelta(minutes=2)
            _answer_survey(course, revision_id, learner, after_module, rng, confidence + 1, now)
    end = surveys.get((SurveyTrigger.AFTER_COURSE, None))
    if passed_all and end is not None:
        now += timedelta(minutes=5)
        gain = rng.uniform(0.3, 1.8) * ability
        _answer_survey(course, revision_id, learner, end, rng, confidence + gain, now)


# Things learners write in free text and page comments. A few are hostile on purpose, so the
# review pages and exports show that typed HTML stays text and formulas are neutralised.
COMMENTS = [
    "The examples from GP practices made it easy to follow.",
    "Clear and well paced. The short quiz helped me check what I had learned.",
    "I would like more about how to explain opt-outs to people who do not use the internet.",
    "Some words were new to me. A glossary would help.",
    "The page on the Five Safes was the most useful part for my group.",
    "Too much reading on a phone. Shorter pages would help.",
    "I liked the real conversations. More of those, please.",
    "The video transcript was missing a few words.",
    "It helped me feel ready to talk to our Patient Participation Group.",
    "Please add something on social care records.",
]
HOSTILE = ['<script>alert("hello")</script> this page was fine', "=SUM(1)+1 was it helpful?"]


def _comment(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return rng.choice(HOSTILE)
    return rng.choice(COMMENTS)


def _likert(rng: random.Random, centre: float) -> str:
    """A point on the 1-5 scale near `centre`."""
    return str(min(5, max(1, round(rng.gauss(centre, 0.9)))))


def _answer_survey(course, revision_id, learner: Learner, survey, rng, centre, now) -> None:
    """Submit (most), skip (some) or ignore (a few) one survey, as a learner would."""
    roll = rng.random()
    if roll < 0.12:
        feedback.skip(course, learner.user_id, survey.id, now=now)
        return
    if roll < 0.2:
        return  # never answered
    answers: dict[str, str | list[str]] = {}  # a list of option ids for "multiple"
    for item in survey.items:
        if item.type == "likert":
            answers[item.id] = _likert(rng, centre if item.outcome else centre + 0.6)
        elif item.type == "rating":
            answers[item.id] = _likert(rng, centre + 0.4)
        elif item.knowledge:  # more right answers as confidence grows (after the course)
            right = next(o.id for o in item.options if o.correct)
            wrong = [o.id for o in item.options if not o.correct]
            knows = rng.random() < min(0.95, 0.15 * centre)
            answers[item.id] = right if knows else rng.choice(wrong)
        elif item.type == "single":
            weights = [3 if n == len(item.options) // 2 or n == 0 else 1
                       for n in range(len(item.options))]  # fmt: skip
            answers[item.id] = rng.choices([o.id for o in item.options], weights)[0]
        elif item.type == "multiple":
            answers[item.id] = [item.options[0].id]
        elif item.required or rng.random() < 0.25:
            answers[item.id] = _comment(rng)
    feedback.save_answers(course, learner.user_id, survey.id, answers, now=now)
    feedback.submit(course, revision_id, learner, survey.id, now=now)


def _page_feedback(course, learner: Learner, module_id, page_id, rng, now) -> None:
    comment = _comment(rng) if rng.random() < 0.3 else None
    feedback.give_page_feedback(
        course, learner, module_id, page_id, rng.random() < 0.8, comment, now=now
    )


def _difficulty(question_id: str) -> float:
    """A stable 0..1 easiness per question, so some questions come out harder than others."""
    return (sum(map(ord, question_id)) * 37 % 100) / 100
