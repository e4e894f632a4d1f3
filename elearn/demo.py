"""Demo activity: learners who work through the course through the same services a real
learner's actions use (so their learning records are queued too), for demos and benchmarks."""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from elearn.auth.models import COMMUNITY_ROLES, User
from elearn.auth.passwords import hash_password
from elearn.auth.service import create_cohort_with_invite
from elearn.content.store import live_course, live_revision_id
from elearn.db import utcnow
from elearn.extensions import db
from elearn.learn import service as learn
from elearn.quiz import service as quizzes

DEMO_PASSWORD_NOTE = "Demo learners cannot sign in: their password is random and not shown."


@contextmanager
def batched_commits() -> Iterator[None]:
    """Let each service's commit flush instead, and commit once at the end.

    The services still run exactly as for a real learner (same rows, same statements); only the
    number of disk syncs drops, which makes 10,000 learners take minutes rather than hours.
    """
    session = db.session()
    real_commit = session.commit
    session.commit = session.flush
    try:
        yield
        real_commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.commit = real_commit


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
    """Create `count` demo learners with progress, quiz attempts and (when available) feedback."""
    rng = random.Random(seed)
    course = live_course()
    revision_id = live_revision_id()
    cohort_ids = [
        create_cohort_with_invite(f"Demo cohort {name} {seed}-{rng.randrange(10**6)}").cohort_id
        for name in ("Oxfordshire", "Berkshire", "Surrey")
    ]
    password_hash = hash_password(rng.randbytes(16).hex())
    roles = list(COMMUNITY_ROLES)
    made = 0
    start = utcnow() - timedelta(days=60)
    while made < count:
        with batched_commits():
            for _ in range(min(batch, count - made)):
                made += 1
                _one_learner(course, revision_id, made, seed, rng, cohort_ids, roles,
                             password_hash, start)  # fmt: skip
    return made


def _one_learner(course, revision_id, n, seed, rng, cohort_ids, roles, password_hash, start):
    user = User(
        email=f"demo-learner-{seed}-{n}@example.org",
        display_name=f"Demo learner {n}",
        password_hash=password_hash,
        role="learner",
        community_role=rng.choice(roles),
        evaluation_consent=rng.random() < 0.85,
        cohort_id=rng.choice(cohort_ids),
    )
    db.session.add(user)
    db.session.flush()
    ability = rng.uniform(0.45, 0.98)
    now = start + timedelta(minutes=rng.randrange(60 * 24 * 30))
    for module in course.modules:
        if rng.random() > 0.9:  # some stop before each module
            return
        quiz = course.quizzes.get(module.id)
        for page in module.pages:
            now += timedelta(seconds=rng.randrange(60, 400))
            learn.view_page(course, user.id, module.id, page.id, now=now)
            if rng.random() < 0.97:
                learn.complete_page(course, user.id, module.id, page.id, now=now)
        if quiz is None:
            continue
        for _attempt in range(3):
            attempt = quizzes.start_attempt(course, revision_id, user.id, module.id, rng=rng)
            view = quizzes.load_attempt(course, user.id, attempt.id)
            for question in view.questions:
                able = rng.random() < ability * (0.75 + 0.5 * _difficulty(question.id))
                quizzes.save_answer(view, question, _choose(question, able, rng))
            now += timedelta(minutes=rng.randrange(4, 15))
            result = quizzes.submit(view, course, now=now)
            if result is None or result.passed:
                break
            ability = min(ability + 0.1, 0.99)


def _difficulty(question_id: str) -> float:
    """A stable 0..1 easiness per question, so some questions come out harder than others."""
    return (sum(map(ord, question_id)) * 37 % 100) / 100
