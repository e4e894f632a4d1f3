"""The profile document served at the profile IRI (``{H}/xapi/profile/v1``), and each extension
IRI (``{H}/xapi/ext/<name>``): what an analyst who follows an IRI from a statement finds.

A JSON-LD document in the shape of an xAPI Profile (1.0): our extensions as concepts with their
meaning, and the verbs and activity types the catalogue uses (docs/xapi.md) with what each means
here. It is made from the same constants the statement builders use, so it cannot drift from them.
"""

from typing import Any

from elearn.xapi.statements import (
    ACTIVITY_TYPES,
    MASTERY_SCORE_EXTENSION,
    PLATFORM,
    PROGRESS_EXTENSION,
    VERBS,
    extension_iri,
    profile_iri,
)

VERSION_TIME = "2026-12-01T00:00:00Z"

# Our extensions: name -> (kind, label, definition).
EXTENSIONS: dict[str, tuple[str, str, str]] = {
    "attempt-id": (
        "ContextExtension",
        "Quiz attempt",
        "A UUID for one attempt at a module's quiz, the same on every question answered and on "
        "the passed or failed statement of that attempt. Made from the attempt, never a database "
        "key.",
    ),
    "attempt-number": (
        "ContextExtension",
        "Attempt number",
        "The learner's 1st, 2nd, ... attempt at this quiz: a whole number from 1.",
    ),
    "pass-mark": (
        "ContextExtension",
        "Pass mark",
        "The scaled score (0 to 1) needed to pass the quiz when the attempt was taken; the same "
        "as cmi5's masteryscore.",
    ),
}

VERB_MEANINGS = {
    "registered": "joined the course (starts the enrolment named by context.registration)",
    "launched": "signed in to the course",
    "initialized": "opened a module for the first time",
    "experienced": "viewed a page",
    "progressed": "completed a page; the progress extension is the module's percentage done",
    "answered": "answered a quiz question, a survey item or a page's 'was this helpful?' prompt",
    "passed": "passed a module's quiz (one per attempt)",
    "failed": "failed a module's quiz (one per attempt)",
    "completed": "completed a module, the course or a survey",
    "earned": "earned the course certificate",
    "voided": "withdrew an earlier statement (a changed answer, or free text withdrawn)",
    "terminated": "a sign-in session ended (signed out, ended from elsewhere or timed out); "
    "result.duration runs from sign-in to the learner's last activity",
    "exited": "left a page visit (the next action opened a page); result.duration is the "
    "visit's time on task",
}


def document(base_url: str) -> dict[str, Any]:
    """The profile as JSON-LD."""
    profile = profile_iri(base_url)
    concepts: list[dict[str, Any]] = [extension_concept(base_url, name) for name in EXTENSIONS]
    return {
        "@context": "https://w3id.org/xapi/profiles/context",
        "id": profile,
        "type": "Profile",
        "conformsTo": "https://w3id.org/xapi/profiles#1.0",
        "prefLabel": {"en": f"{PLATFORM} learning records"},
        "definition": {
            "en": f"How {PLATFORM} describes learning in xAPI 1.0.3 statements: the verbs, "
            "activity types and extensions it uses and what they mean here."
        },
        "author": {"type": "Organization", "name": PLATFORM},
        "versions": [{"id": profile, "generatedAtTime": VERSION_TIME}],
        "concepts": concepts,
        "seeAlso": {
            "verbs": {name: {"id": VERBS[name], "meaning": VERB_MEANINGS[name]} for name in VERBS},
            "activityTypes": dict(ACTIVITY_TYPES),
            "registeredExtensions": {
                "progress": PROGRESS_EXTENSION,
                "masteryscore": MASTERY_SCORE_EXTENSION,
            },
        },
    }


def extension_concept(base_url: str, name: str) -> dict[str, Any]:
    """One of our extensions as a profile concept (KeyError if we have no such extension)."""
    kind, label, definition = EXTENSIONS[name]
    return {
        "id": extension_iri(base_url, name),
        "type": kind,
        "inScheme": profile_iri(base_url),
        "prefLabel": {"en": label},
        "definition": {"en": definition},
    }
