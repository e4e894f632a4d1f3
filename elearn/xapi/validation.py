"""Checks a statement against the catalogue's rules before it goes into the outbox.

``validate_statement(statement, base_url)`` returns a list of problems, each "path: message";
an empty list means the statement may be enqueued. It checks what the rules in
``docs/xapi.md`` asks for: lowercase UUIDv4 ids, millisecond UTC timestamps not in the future,
an account actor with no name or mailbox, catalogue verbs and activity types, IRIs, ``en-GB``
language maps, score ranges, our duration format, interaction components and that responses use
their ids, platform/language/registration/profile in the context, extension keys, and no
``version``. With ``base_url`` it also checks that the actor's home page, activity ids and
extension keys are ours.

It complements, and does not replace, a full xAPI schema check: the tests also run every built
statement through Ralph's ``BaseXapiStatement`` model.
"""

import math
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from elearn.xapi.statements import (
    ACTIVITY_TYPES,
    FREE_TEXT_LIMIT,
    LANGUAGE,
    MASTERY_SCORE_EXTENSION,
    PLATFORM,
    PROGRESS_EXTENSION,
    RESPONSE_SEPARATOR,
    SESSION_ID_EXTENSION,
    VERBS,
)

_UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
_DURATION = re.compile(r"^PT(0|[1-9]\d*)(\.\d{1,2})?S$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_COMPONENT_ID = re.compile(r"^[^\s\[\],]+$")

STATEMENT_KEYS = {"id", "timestamp", "actor", "verb", "object", "result", "context"}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
CONTEXT_KEYS = {
    "registration",
    "contextActivities",
    "platform",
    "language",
    "extensions",
    "revision",
}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
REGISTERED_EXTENSIONS = {PROGRESS_EXTENSION, MASTERY_SCORE_EXTENSION, SESSION_ID_EXTENSION}
# Verbs whose result must carry a duration.
DURATION_VERBS = {"terminated", "exited"}
INTERACTION_TYPES = {"choice", "true-false", "likert", "long-fill-in"}
COMPONENT_LISTS = {"choices", "scale", "source", "target", "steps"}
COMPONENTS_FOR = {"choice": "choices", "likert": "scale"}

_VERB_NAMES = {iri: name for name, iri in VERBS.items()}
_TYPE_NAMES = {iri: name for name, iri in ACTIVITY_TYPES.items()}
# Which kinds of object each verb may have, from the catalogue.
VERB_OBJECTS = {
    "registered": {"course"},
    "launched": {"course"},
    "initialized": {"module"},
    "experienced": {"page"},
    "progressed": {"module"},
    "answered": {"interaction"},
    "passed": {"quiz"},
    "failed": {"quiz"},
    "completed": {"module", "survey", "course"},
    "earned": {"certificate"},
    "terminated": {"course"},
    "exited": {"page"},
}
# Context extensions the catalogue requires for a verb and object kind.
REQUIRED_EXTENSIONS = {
    ("answered", "question"): ("attempt-id",),
    ("passed", "quiz"): ("attempt-id", "pass-mark"),
    ("failed", "quiz"): ("attempt-id", "pass-mark"),
}


def is_iri(value) -> bool:
    """An absolute IRI with a scheme; http(s) ones need a host."""
    if not isinstance(value, str) or not _IRI.match(value):
        return False
    parts = urlsplit(value)
    return parts.scheme not in ("http", "https") or bool(parts.netloc)


def _is_number(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (not isinstance(value, float) or math.isfinite(value))
    )


class _Checker:
    def __init__(self, base_url: str | None, now: datetime):
        self.base = base_url.rstrip("/") if base_url else None
        self.now = now
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    # -- shared shapes --------------------------------------------------------------------------

    def no_empty_values(self, value, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else str(key)
                if item is None or item == "" or item == {} or item == []:
                    self.fail(where, "empty values are not allowed")
                elif key != "extensions":
                    self.no_empty_values(item, where)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.no_empty_values(item, f"{path}[{index}]")

    def language_map(self, value, path: str) -> None:
        if not isinstance(value, dict) or not value:
            self.fail(path, "must be a language map such as {'en-GB': '...'}")
            return
        for tag, text in value.items():
            if not isinstance(tag, str) or not _LANGUAGE_TAG.match(tag):
                self.fail(path, f"{tag!r} is not a language tag")
            if not isinstance(text, str) or not text.strip():
                self.fail(f"{path}.{tag}", "must be non-empty text")
        if LANGUAGE not in value:
            self.fail(path, f"must have an {LANGUAGE!r} entry")

    def iri(self, value, path: str) -> bool:
        if not is_iri(value):
            self.fail(path, f"{value!r} is not an absolute IRI")
            return False
        return True

    def ours(self, value: str, prefix: str, path: str) -> None:
        if self.base and isinstance(value, str) and not value.startswith(f"{self.base}{prefix}"):
            self.fail(path, f"must start with {self.base}{prefix}")

    def extensions(self, value, path: str) -> None:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return
        for key in value:
            where = f"{path}[{key!r}]"
            if not self.iri(key, where):
                continue
            if key in REGISTERED_EXTENSIONS:
                continue
            if self.base and not key.startswith(f"{self.base}/xapi/ext/"):
                self.fail(where, f"extension keys must be under {self.base}/xapi/ext/")

    def keys(self, value: dict, allowed: set, path: str) -> None:
        for key in sorted(set(value) - allowed, key=str):
            self.fail(f"{path}.{key}" if path else str(key), "is not allowed here")

    # -- the statement --------------------------------------------------------------------------

    def statement(self, statement) -> None:
        if not isinstance(statement, dict):
            self.fail("statement", "must be a JSON object")
            return
        if "version" in statement:
            self.fail("version", "must not be sent (rule 13)")
        self.keys(statement, STATEMENT_KEYS | {"version"}, "")
        for key in ("id", "timestamp", "actor", "verb", "object"):
            if key not in statement:
                self.fail(key, "is required")
        self.no_empty_values(statement, "")
        self.statement_id(statement.get("id"))
        self.timestamp(statement.get("timestamp"))
        self.actor(statement.get("actor"))
        verb = self.verb(statement.get("verb"))
        kind, definition = self.object(statement.get("object"), verb)
        self.result(statement.get("result"), verb, kind, definition)
        self.context(statement.get("context"), verb, kind)

    def statement_id(self, value) -> None:
        if value is not None and (not isinstance(value, str) or not _UUID4.match(value)):
            self.fail("id", "must be a lowercase UUIDv4")

    def timestamp(self, value) -> None:
        if value is None:
            return
        if not isinstance(value, str) or not _TIMESTAMP.match(value):
            self.fail("timestamp", "must be UTC with milliseconds, like 2026-03-01T10:15:30.123Z")
            return
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.fail("timestamp", f"{value!r} is not a real date and time")
            return
        if when > self.now:
            self.fail("timestamp", "must not be in the future")

    def actor(self, actor) -> None:
        if actor is None:
            return
        if not isinstance(actor, dict):
            self.fail("actor", "must be an object")
            return
        for key in ("name", "mbox", "mbox_sha1sum", "openid"):
            if key in actor:
                self.fail(f"actor.{key}", "must not be sent: the actor is an opaque account")
        self.keys(
            actor, {"objectType", "account", "name", "mbox", "mbox_sha1sum", "openid"}, "actor"
        )
        if actor.get("objectType") != "Agent":
            self.fail("actor.objectType", "must be 'Agent'")
        account = actor.get("account")
        if not isinstance(account, dict):
            self.fail("actor.account", "is required: the learner's account")
            return
        self.keys(account, {"homePage", "name"}, "actor.account")
        home = account.get("homePage")
        if self.iri(home, "actor.account.homePage") and self.base and home != self.base:
            self.fail("actor.account.homePage", f"must be {self.base}")
        name = account.get("name")
        if not isinstance(name, str) or not _UUID.match(name):
            self.fail("actor.account.name", "must be the learner's opaque lowercase UUID")

    def verb(self, verb) -> str | None:
        if verb is None:
            return None
        if not isinstance(verb, dict):
            self.fail("verb", "must be an object")
            return None
        self.keys(verb, {"id", "display"}, "verb")
        verb_id = verb.get("id")
        name = _VERB_NAMES.get(verb_id) if isinstance(verb_id, str) else None
        if name is None:
            self.fail("verb.id", f"{verb.get('id')!r} is not a verb in the catalogue")
        if "display" not in verb:
            self.fail("verb.display", "is required")
        else:
            self.language_map(verb["display"], "verb.display")
        return name

    def object(self, obj, verb: str | None) -> tuple[str | None, dict]:
        if obj is None:
            return None, {}
        if not isinstance(obj, dict):
            self.fail("object", "must be an object")
            return None, {}
        object_type = obj.get("objectType", "Activity")
        if object_type == "StatementRef":
            self.keys(obj, {"objectType", "id"}, "object")
            if not isinstance(obj.get("id"), str) or not _UUID.match(obj["id"]):
                self.fail("object.id", "must be the lowercase UUID of the statement referred to")
            if verb is not None and verb != "voided":
                self.fail("object", f"a StatementRef is only the object of 'voided', not {verb!r}")
            return "statement-ref", {}
        if object_type != "Activity":
            self.fail("object.objectType", "must be 'Activity' or 'StatementRef'")
            return None, {}
        if verb == "voided":
            self.fail("object", "'voided' needs a StatementRef object")
        self.keys(obj, {"objectType", "id", "definition"}, "object")
        if self.iri(obj.get("id"), "object.id"):
            self.ours(obj["id"], "/xapi/activities/", "object.id")
        definition = obj.get("definition")
        if not isinstance(definition, dict):
            self.fail("object.definition", "is required, with type, name and description")
            return None, {}
        kind = self.definition(definition, "object.definition", required=True)
        if kind == "profile":
            self.fail("object.definition.type", "the profile is a category, not an object")
        if verb in VERB_OBJECTS and kind is not None and kind not in VERB_OBJECTS[verb]:
            self.fail("object", f"{verb!r} is not used with a {kind} in the catalogue")
        if kind == "interaction":
            self.interaction(definition, "object.definition")
        else:
            for key in ("interactionType", "correctResponsesPattern", *COMPONENT_LISTS):
                if key in definition:
                    self.fail(f"object.definition.{key}", "only interactions have this")
        if kind == "interaction" and verb == "answered":
            path = obj.get("id", "")
            kind = "question" if "/quiz/question/" in path else "interaction"
        return kind, definition

    def definition(self, definition: dict, path: str, required: bool) -> str | None:
        self.keys(
            definition,
            {
                "type",
                "name",
                "description",
                "interactionType",
                "correctResponsesPattern",
                *COMPONENT_LISTS,
            },
            path,
        )
        for key in ("type", "name", "description") if required else ():
            if key not in definition:
                self.fail(f"{path}.{key}", "is required")
        for key in ("name", "description"):
            if key in definition:
                self.language_map(definition[key], f"{path}.{key}")
        activity_type = definition.get("type")
        if activity_type is None:
            return None
        if activity_type not in _TYPE_NAMES:
            self.fail(f"{path}.type", f"{activity_type!r} is not an activity type we use")
            return None
        return _TYPE_NAMES[activity_type]

    def interaction(self, definition: dict, path: str) -> None:
        interaction_type = definition.get("interactionType")
        if interaction_type not in INTERACTION_TYPES:
            self.fail(f"{path}.interactionType", f"must be one of {sorted(INTERACTION_TYPES)}")
            return
        wanted = COMPONENTS_FOR.get(interaction_type)
        for key in COMPONENT_LISTS:
            if key in definition and key != wanted:
                self.fail(f"{path}.{key}", f"a {interaction_type} interaction has no {key}")
        ids: set[str] = set()
        if wanted:
            ids = self.components(definition.get(wanted), f"{path}.{wanted}")
        pattern = definition.get("correctResponsesPattern")
        if pattern is None:
            return
        if interaction_type in ("likert", "long-fill-in"):
            self.fail(f"{path}.correctResponsesPattern", f"a {interaction_type} item has none")
            return
        if not isinstance(pattern, list) or not pattern:
            self.fail(f"{path}.correctResponsesPattern", "must be a non-empty list")
            return
        for index, entry in enumerate(pattern):
            where = f"{path}.correctResponsesPattern[{index}]"
            if not isinstance(entry, str):
                self.fail(where, "must be text")
            elif interaction_type == "true-false" and entry not in ("true", "false"):
                self.fail(where, "must be 'true' or 'false'")
            elif interaction_type == "choice":
                self.response_ids(entry, ids, where)

    def components(self, components, path: str) -> set[str]:
        if not isinstance(components, list) or not components:
            self.fail(path, "must be a non-empty list of components")
            return set()
        ids: list[str] = []
        for index, component in enumerate(components):
            where = f"{path}[{index}]"
            if not isinstance(component, dict):
                self.fail(where, "must be an object with id and description")
                continue
            self.keys(component, {"id", "description"}, where)
            component_id = component.get("id")
            if not isinstance(component_id, str) or not _COMPONENT_ID.match(component_id):
                self.fail(f"{where}.id", "must be text without spaces, brackets or commas")
            else:
                ids.append(component_id)
            if "description" not in component:
                self.fail(f"{where}.description", "is required")
            else:
                self.language_map(component["description"], f"{where}.description")
        if len(set(ids)) != len(ids):
            self.fail(path, "component ids must be unique")
        return set(ids)

    def response_ids(self, response: str, ids: set[str], path: str) -> None:
        chosen = response.split(RESPONSE_SEPARATOR)
        unknown = [item for item in chosen if item not in ids]
        if unknown:
            self.fail(path, f"{unknown} are not component ids")
        if len(set(chosen)) != len(chosen):
            self.fail(path, "repeats a component id")
        if chosen != sorted(chosen):
            self.fail(path, "component ids must be sorted")

    def result(self, result, verb: str | None, kind: str | None, definition: dict) -> None:
        interaction = kind in ("interaction", "question")
        if result is None:
            required = {"answered", "passed", "failed", "completed", "progressed"}
            if verb in required | DURATION_VERBS:
                self.fail("result", f"is required for {verb!r}")
            return
        if not isinstance(result, dict):
            self.fail("result", "must be an object")
            return
        self.keys(result, RESULT_KEYS, "result")
        for key in ("success", "completion"):
            if key in result and not isinstance(result[key], bool):
                self.fail(f"result.{key}", "must be true or false")
        if "score" in result:
            self.score(result["score"])
            if verb == "progressed":
                self.fail("result.score", "never use a score for progress")
        if "duration" in result:
            duration = result["duration"]
            if not isinstance(duration, str) or not _DURATION.match(duration):
                self.fail("result.duration", "must be like PT390S or PT12.35S (0.01 s, >= 0)")
        if "extensions" in result:
            self.extensions(result["extensions"], "result.extensions")
            extensions = result["extensions"] if isinstance(result["extensions"], dict) else {}
            if PROGRESS_EXTENSION in extensions:
                progress = extensions[PROGRESS_EXTENSION]
                if isinstance(progress, bool) or not isinstance(progress, int):
                    self.fail("result.extensions.progress", "must be a whole number")
                elif not 0 <= progress <= 100:
                    self.fail("result.extensions.progress", "must be from 0 to 100")
        if verb == "progressed" and PROGRESS_EXTENSION not in result.get("extensions", {}):
            self.fail("result.extensions", "progressed needs the progress extension")
        if verb in ("passed", "failed"):
            if result.get("success") is not (verb == "passed"):
                self.fail("result.success", f"must be {str(verb == 'passed').lower()}")
            if result.get("completion") is not True:
                self.fail("result.completion", "must be true")
            score = result.get("score")
            if not isinstance(score, dict) or not {"scaled", "raw", "min", "max"} <= set(score):
                self.fail("result.score", "needs scaled, raw, min and max")
        if verb in DURATION_VERBS and "duration" not in result:
            self.fail("result.duration", f"is required for {verb!r}")
        if verb == "completed" and result.get("completion") is not True:
            self.fail("result.completion", "must be true")
        if "response" in result:
            self.response(result["response"], definition if interaction else None)
        elif verb == "answered":
            self.fail("result.response", "is required for 'answered'")
        if interaction and verb == "answered":
            has_pattern = "correctResponsesPattern" in definition
            if has_pattern and "success" not in result:
                self.fail("result.success", "is required for a question with a correct answer")
            if not has_pattern and "success" in result:
                self.fail("result.success", "an item with no correct answer has no success")

    def score(self, score) -> None:
        if not isinstance(score, dict):
            self.fail("result.score", "must be an object")
            return
        self.keys(score, {"scaled", "raw", "min", "max"}, "result.score")
        for key, value in score.items():
            if not _is_number(value):
                self.fail(f"result.score.{key}", "must be a number")
                return
        scaled, raw = score.get("scaled"), score.get("raw")
        low, high = score.get("min"), score.get("max")
        if scaled is not None and not 0 <= scaled <= 1:
            self.fail("result.score.scaled", "must be from 0 to 1")
        if low is not None and high is not None and not low < high:
            self.fail("result.score", "min must be less than max")
        if raw is not None and (
            (low is not None and raw < low) or (high is not None and raw > high)
        ):
            self.fail("result.score.raw", "must be within min and max")
        if scaled is not None and raw is not None and low is not None and high is not None:
            if low < high and not math.isclose(scaled, (raw - low) / (high - low), abs_tol=1e-3):
                self.fail("result.score.scaled", "does not agree with raw, min and max")

    def response(self, response, definition: dict | None) -> None:
        if not isinstance(response, str) or not response:
            self.fail("result.response", "must be non-empty text")
            return
        if len(response) > FREE_TEXT_LIMIT:
            self.fail("result.response", f"must be at most {FREE_TEXT_LIMIT} characters")
        if not definition:
            return
        interaction_type = definition.get("interactionType")
        if interaction_type == "true-false" and response not in ("true", "false"):
            self.fail("result.response", "must be 'true' or 'false'")
        elif interaction_type in COMPONENTS_FOR:
            components = definition.get(COMPONENTS_FOR[interaction_type])
            # Only text ids can match the response's; others are the definition's problem.
            ids = {
                c["id"]
                for c in components or []
                if isinstance(c, dict) and isinstance(c.get("id"), str)
            }
            if interaction_type == "likert" and response not in ids:
                self.fail("result.response", f"{response!r} is not a scale id")
            elif interaction_type == "choice":
                self.response_ids(response, ids, "result.response")

    def context(self, context, verb: str | None, kind: str | None) -> None:
        if not isinstance(context, dict):
            self.fail("context", "is required: registration, platform, language and profile")
            return
        self.keys(context, CONTEXT_KEYS, "context")
        registration = context.get("registration")
        if not isinstance(registration, str) or not _UUID.match(registration):
            self.fail("context.registration", "must be the enrolment's lowercase UUID")
        if context.get("language") != LANGUAGE:
            self.fail("context.language", f"must be {LANGUAGE!r}")
        if kind == "statement-ref":
            if "platform" in context:
                self.fail("context.platform", "xAPI allows it only when the object is an Activity")
            if "revision" in context:
                self.fail("context.revision", "xAPI allows it only when the object is an Activity")
        elif context.get("platform") != PLATFORM:
            self.fail("context.platform", f"must be {PLATFORM!r}")
        if "revision" in context and (
            not isinstance(context["revision"], str) or not context["revision"].strip()
        ):
            self.fail("context.revision", "must be the content revision, a non-empty string")
        self.context_activities(context.get("contextActivities"))
        extensions = context.get("extensions", {})
        if "extensions" in context:
            self.extensions(extensions, "context.extensions")
        if self.base and isinstance(extensions, dict):
            # Every rule names a verb and an object kind: a statement missing either has none.
            required = REQUIRED_EXTENSIONS.get((verb, kind), ()) if verb and kind else ()
            for name in required:
                if f"{self.base}/xapi/ext/{name}" not in extensions:
                    self.fail("context.extensions", f"needs {self.base}/xapi/ext/{name}")
            pass_mark = extensions.get(f"{self.base}/xapi/ext/pass-mark")
            if pass_mark is not None and (not _is_number(pass_mark) or not 0 <= pass_mark <= 1):
                self.fail("context.extensions.pass-mark", "must be a number from 0 to 1")
            number = extensions.get(f"{self.base}/xapi/ext/attempt-number")
            if number is not None and (
                isinstance(number, bool) or not isinstance(number, int) or number < 1
            ):
                self.fail("context.extensions.attempt-number", "must be a whole number from 1")
        session = extensions.get(SESSION_ID_EXTENSION) if isinstance(extensions, dict) else None
        if session is not None and (not isinstance(session, str) or not _UUID.match(session)):
            self.fail("context.extensions.sessionid", "must be the session's lowercase UUID")
        if verb == "terminated" and session is None:
            self.fail("context.extensions", f"terminated needs {SESSION_ID_EXTENSION}")
        if isinstance(extensions, dict) and MASTERY_SCORE_EXTENSION in extensions:
            mastery = extensions[MASTERY_SCORE_EXTENSION]
            if not _is_number(mastery) or not 0 <= mastery <= 1:
                self.fail("context.extensions.masteryscore", "must be a number from 0 to 1")

    def context_activities(self, activities) -> None:
        path = "context.contextActivities"
        if not isinstance(activities, dict):
            self.fail(path, "is required, with our profile as its category")
            return
        self.keys(activities, CONTEXT_ACTIVITY_KEYS, path)
        for key, value in activities.items():
            if not isinstance(value, list):
                self.fail(f"{path}.{key}", "must be an array (rule 10)")
                continue
            for index, activity in enumerate(value):
                where = f"{path}.{key}[{index}]"
                if not isinstance(activity, dict):
                    self.fail(where, "must be an activity")
                    continue
                self.keys(activity, {"id", "objectType", "definition"}, where)
                if activity.get("objectType", "Activity") != "Activity":
                    self.fail(f"{where}.objectType", "must be 'Activity'")
                if self.iri(activity.get("id"), f"{where}.id") and key != "category":
                    self.ours(activity["id"], "/xapi/activities/", f"{where}.id")
                if isinstance(activity.get("definition"), dict):
                    self.definition(activity["definition"], f"{where}.definition", required=False)
        category = activities.get("category")
        profile_type = ACTIVITY_TYPES["profile"]
        profiles = [
            activity
            for activity in category or []
            if isinstance(activity, dict)
            and isinstance(activity.get("id"), str)
            and (
                activity["id"] == f"{self.base}/xapi/profile/v1"
                if self.base
                else activity["id"].endswith("/xapi/profile/v1")
            )
        ]
        if not profiles:
            self.fail(f"{path}.category", "must include our profile, {H}/xapi/profile/v1")
        elif (profiles[0].get("definition") or {}).get("type") != profile_type:
            self.fail(f"{path}.category", f"the profile's type must be {profile_type}")


def validate_statement(
    statement: dict, base_url: str | None = None, now: datetime | None = None
) -> list[str]:
    """Problems with the statement under the catalogue's rules; empty when it is valid."""
    checker = _Checker(base_url, now or datetime.now(UTC))
    checker.statement(statement)
    return checker.errors
