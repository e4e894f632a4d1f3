"""The content editor (admins): a draft of the course, edited in the browser, previewed as a
learner sees it, published with a summary, and every revision kept for the history and rollback.

Each edit form carries the fingerprint of the document it was opened on. A save over someone
else's newer change to the same document is shown to the admin rather than written; edits to
different documents by different admins both land.
"""

from dataclasses import dataclass

import yaml
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from elearn.content import archive, identity, provider, source, store
from elearn.content import diff as content_diff
from elearn.content.lookup import (
    NotInCourse,
    find_decision,
    find_handout,
    find_module,
    find_page,
)
from elearn.content.models import ContentRevision
from elearn.content.problems import ContentInvalid
from elearn.editor import presenters
from elearn.editor import service as editing
from elearn.editor.forms import (
    CourseForm,
    DocumentForm,
    EditForm,
    HandoutForm,
    ModuleForm,
    NewPageForm,
    PageForm,
    PublishForm,
    QuestionForm,
    QuizForm,
    RollbackForm,
    UploadForm,
)
from elearn.forms import choices, error_list
from elearn.learn import presenters as learn_presenters
from elearn.learn.forms import decision_form
from elearn.params import query_choice, query_int
from elearn.quiz import scoring
from elearn.review import service as review
from elearn.roles import Role
from elearn.security import role_required

ID = "id"  # elearn.params.IdConverter: 1 to the largest stored id
WHOLE_DOCUMENTS = ("glossary", "bibliography")  # one document each, edited as YAML

bp = Blueprint("editor", __name__)


def _user_id() -> int:
    return int(current_user.id)


def _names(revisions: list[ContentRevision]) -> dict[int, str]:
    ids = {r.updated_by_id or r.created_by_id for r in revisions}
    return editing.names({i for i in ids if i is not None})


def _draft() -> ContentRevision:
    """The open draft; without one, back to the editor's home page to start one."""
    draft = store.open_draft()
    if draft is None:
        flash("There is no draft open. Start one to make changes.", "warning")
        abort(redirect(url_for("editor.index")))
    return draft


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    """The live revision, the draft (its structure, problems and warnings) and what to do."""
    live_id, live = store.live()
    draft = store.open_draft()
    view = None
    if draft is not None:
        draft_course = store.revision_course(draft.id)
        view = presenters.draft_view(
            draft,
            store.draft_source(draft),
            draft_course,
            store.draft_problems(draft),
            live_moved=draft.base_revision_id != live_id,
            warnings=editing.warnings(draft),
        )
    revisions = store.published_revisions()
    return render_template(
        "editor/index.html",
        live=presenters.revision_row(revisions[0], _names(revisions[:1])),
        draft=view,
        course=live,
    )


@bp.route("/draft", methods=["POST"])
@role_required(Role.ADMIN)
def start_draft():
    if not EditForm().validate_on_submit():
        abort(400)
    draft = editing.start(_user_id())
    flash(f"Draft {draft.number} is open. It is not live until you publish it.", "success")
    return redirect(url_for("editor.index"))


@bp.route("/draft/discard", methods=["POST"])
@role_required(Role.ADMIN)
def discard_draft():
    if not EditForm().validate_on_submit():
        abort(400)
    editing.discard(_draft(), _user_id())
    flash("The draft was discarded. The live course has not changed.", "success")
    return redirect(url_for("editor.index"))


@dataclass(frozen=True)
class Saved:
    """What became of a save: saved, or not (with the other admin's version when theirs won)."""

    saved: bool
    theirs: object = None

    @property
    def status(self) -> int:
        """The status of the form shown again: 409 over someone else's save, else 400."""
        return 409 if self.theirs else 400


def _saved(message: str, to: str):
    """The end of every successful save: say so and go on."""
    flash(message, "success")
    return redirect(to)


def _save(
    draft: ContentRevision,
    form: EditForm,
    current: object,
    edit: editing.Edit,
    path: str,
    what: str,
    field_names: dict[str, str],
) -> Saved:
    """Save an edit to one document unless someone else changed it since the form was opened,
    or it has problems of its own."""
    if form.fingerprint.data != source.fingerprint(current):
        form.fingerprint.data = source.fingerprint(current)
        first = getattr(form, next(iter(field_names.values())))
        first.errors = [
            "Someone else saved this since you opened it. Their version is shown below and"
            " your changes are still in the form: save again to replace theirs."
        ]
        return Saved(False, current)
    checked = editing.check(draft, edit)
    own = checked.about(path)
    if own:
        presenters.attach_problems(form, own, field_names)
        return Saved(False)
    try:
        editing.save(draft, draft.version, checked, _user_id(), what)
    except store.DraftChanged:
        first = getattr(form, next(iter(field_names.values())))
        first.errors = ["The draft changed while you were saving. Save again."]
        return Saved(False)
    return Saved(True)


def _opened(form: EditForm, current: object) -> None:
    form.fingerprint.data = source.fingerprint(current)


def _edit_page(template: str, form, status: int = 200, **values):
    if form.errors or any(f.errors for f in form):
        status = max(status, 400)
    return render_template(template, form=form, error_items=error_list(form), **values), status


@bp.route("/draft/course", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_course():
    draft = _draft()
    current = store.draft_source(draft)["course"]
    form = CourseForm()
    if request.method == "GET":
        form.title.data, form.summary.data = current.get("title"), current.get("summary")
        _opened(form, current)
    elif form.validate_on_submit():
        result = _save(
            draft,
            form,
            current,
            lambda s: source.set_course(s, form.title.data, form.summary.data),
            "course",
            "course details",
            {"title": "title", "summary": "summary"},
        )
        if result.saved:
            return _saved("Course details saved to the draft.", url_for("editor.index"))
        return _edit_page("editor/course.html", form, result.status, theirs=result.theirs)
    return _edit_page("editor/course.html", form, theirs=None)


def _module_or_404(draft_source: source.Source, module_id: str) -> tuple[int, dict]:
    try:
        n = source.module_at(draft_source, module_id)
    except source.NotInSource:
        abort(404)
    return n, draft_source["modules"][n]


@bp.route("/draft/modules/<module_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_module(module_id: str):
    draft = _draft()
    n, entry = _module_or_404(store.draft_source(draft), module_id)
    current = entry["module"]
    form = ModuleForm()
    if request.method == "GET":
        form.title.data = current.get("title")
        form.summary.data = current.get("summary")
        form.estimated_minutes.data = current.get("estimated_minutes")
        form.outcomes.data = presenters.outcome_lines(current.get("outcomes", []))
        _opened(form, current)
    elif form.validate_on_submit():
        outcomes, bad = presenters.parse_outcomes(form.outcomes.data or "")
        if bad:
            form.outcomes.errors = [bad]
        else:
            details = {
                "title": form.title.data,
                "summary": form.summary.data,
                "estimated_minutes": form.estimated_minutes.data,
                "outcomes": outcomes,
            }
            result = _save(
                draft,
                form,
                current,
                lambda s: source.set_module(s, module_id, details),
                f"modules/{n}",
                f"module {module_id}",
                {"title": "title", "summary": "summary", "outcomes": "outcomes"},
            )
            if result.saved:
                return _saved("Module details saved to the draft.", url_for("editor.index"))
            return _edit_page(
                "editor/module.html", form, result.status, module=current, theirs=result.theirs
            )
    return _edit_page("editor/module.html", form, module=current, theirs=None)


@bp.route("/draft/modules/<module_id>/pages/<page_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_page(module_id: str, page_id: str):
    """A page's title, sources and text, with its plain-language checks and pilot feedback."""
    draft = _draft()
    draft_source = store.draft_source(draft)
    try:
        m, p = source.page_at(draft_source, module_id, page_id)
    except source.NotInSource:
        abort(404)
    current = draft_source["modules"][m]["pages"][p]
    form = PageForm()
    if request.method == "GET":
        form.title.data = current.get("title")
        form.sources.data = ", ".join(current.get("sources", []))
        form.markdown.data = current.get("markdown")
        _opened(form, current)
    elif form.validate_on_submit():
        values = {
            "title": form.title.data,
            "sources": presenters.parse_ids(form.sources.data),
            "markdown": (form.markdown.data or "").replace("\r\n", "\n"),
        }
        result = _save(
            draft,
            form,
            current,
            lambda s: source.set_page(s, module_id, page_id, values),
            f"modules/{m}/pages/{p}",
            f"page {page_id}",
            {"markdown": "markdown", "title": "title", "sources": "sources"},
        )
        if result.saved:
            return _saved(
                "Page saved to the draft.",
                url_for("editor.edit_page", module_id=module_id, page_id=page_id),
            )
        return _page_editor(draft, module_id, page_id, form, result.status, result.theirs)
    return _page_editor(draft, module_id, page_id, form, 200, None)


def _page_editor(draft, module_id: str, page_id: str, form: PageForm, status: int, theirs):
    markdown = form.markdown.data or ""
    return _edit_page(
        "editor/page.html",
        form,
        status,
        module_id=module_id,
        page_id=page_id,
        theirs=theirs,
        readability=presenters.readability(
            markdown,
            [
                w
                for w in editing.warnings(draft)
                if w.page == page_id and w.kind not in presenters.MEASURED
            ],
        ),
        feedback=presenters.page_feedback(
            review.page_helpful(review.Filters()).get(page_id),
            review.commenters(review.Filters(), module_id),
            [
                c
                for c in review.page_comments(review.Filters(), module_id, per_page=200).comments
                if c.page_id == page_id
            ],
        ),
    )


@bp.route("/draft/modules/<module_id>/pages/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_page(module_id: str):
    draft = _draft()
    draft_source = store.draft_source(draft)
    _, entry = _module_or_404(draft_source, module_id)
    form = NewPageForm()
    form.after.choices = choices(
        [("", "At the end")]
        + [(page["id"], page.get("title", page["id"])) for page in entry["pages"]]
    )
    if form.validate_on_submit():
        taken = {p.get("id") for e in draft_source["modules"] for p in e["pages"]}
        if form.page_id.data in taken:
            form.page_id.errors = ["That page id is already used: choose another"]
        else:
            checked = editing.check(
                draft,
                lambda s: source.add_page(
                    s,
                    module_id,
                    form.page_id.data or "",
                    form.title.data or "",
                    presenters.NEW_PAGE_TEXT,
                    form.after.data or None,
                ),
            )
            try:
                editing.save(
                    draft, draft.version, checked, _user_id(), f"new page {form.page_id.data}"
                )
            except store.DraftChanged:
                form.page_id.errors = ["The draft changed while you were saving. Save again."]
            else:
                flash("Page added to the draft. Now write its text.", "success")
                return redirect(
                    url_for("editor.edit_page", module_id=module_id, page_id=form.page_id.data)
                )
    return _edit_page("editor/new_page.html", form, module=entry["module"])


@bp.route("/draft/modules/<module_id>/pages/<page_id>/<any(up,down,remove):how>", methods=["POST"])
@role_required(Role.ADMIN)
def change_page(module_id: str, page_id: str, how: str):
    """Move a page up or down, or remove it from the draft."""
    if not EditForm().validate_on_submit():
        abort(400)
    draft = _draft()
    try:
        source.page_at(store.draft_source(draft), module_id, page_id)
    except source.NotInSource:
        abort(404)
    if how == "remove":
        edit = lambda s: source.remove_page(s, module_id, page_id)  # noqa: E731
    else:
        edit = lambda s: source.move_page(s, module_id, page_id, -1 if how == "up" else 1)  # noqa: E731
    try:
        editing.save(
            draft, draft.version, editing.check(draft, edit), _user_id(), f"{how} {page_id}"
        )
    except store.DraftChanged:
        flash("The draft changed while you were saving. Try again.", "warning")
    return redirect(url_for("editor.index") + f"#module-{module_id}")


@bp.route("/draft/modules/<module_id>/quiz", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_quiz(module_id: str):
    draft = _draft()
    draft_source = store.draft_source(draft)
    try:
        q = source.quiz_at(draft_source, module_id)
    except source.NotInSource:
        abort(404)
    current = draft_source["quizzes"][q]
    settings = {k: v for k, v in current.items() if k != "questions"}
    form = QuizForm()
    if request.method == "GET":
        form.pass_mark.data = current.get("pass_mark")
        form.max_attempts.data = current.get("max_attempts")
        form.draw.data = current.get("draw")
        form.shuffle.data = [
            name for name in ("questions", "options") if current.get(f"shuffle_{name}")
        ]
        _opened(form, settings)
    elif form.validate_on_submit():
        values = {
            "pass_mark": form.pass_mark.data,
            "max_attempts": form.max_attempts.data,
            "draw": form.draw.data,
            "shuffle_questions": "questions" in (form.shuffle.data or []),
            "shuffle_options": "options" in (form.shuffle.data or []),
        }
        result = _save(
            draft,
            form,
            settings,
            lambda s: source.set_quiz(s, module_id, values),
            f"quizzes/{q}",
            f"quiz settings {module_id}",
            {"pass_mark": "pass_mark", "draw": "draw", "max_attempts": "max_attempts"},
        )
        if result.saved:
            return _saved(
                "Quiz settings saved to the draft.",
                url_for("editor.edit_quiz", module_id=module_id),
            )
        return _quiz_page(draft, module_id, current, form, result.status, result.theirs)
    return _quiz_page(draft, module_id, current, form, 200, None)


def _quiz_page(draft, module_id: str, quiz: dict, form: QuizForm, status: int, theirs):
    stats = review.item_statistics(review.Filters()).get(module_id, {})
    return _edit_page(
        "editor/quiz.html",
        form,
        status,
        module_id=module_id,
        quiz=quiz,
        theirs=theirs,
        rows=presenters.question_rows(quiz, stats),
    )


@bp.route("/draft/modules/<module_id>/quiz/questions/<question_id>", methods=["GET", "POST"])
@bp.route(
    "/draft/modules/<module_id>/quiz/new-question",
    methods=["GET", "POST"],
    defaults={"question_id": None},
)
@role_required(Role.ADMIN)
def edit_question(module_id: str, question_id: str | None):
    """One question: its text, options with feedback, and how the pilot answered it."""
    draft = _draft()
    draft_source = store.draft_source(draft)
    try:
        q = source.quiz_at(draft_source, module_id)
        current = source.question(draft_source, module_id, question_id) if question_id else {}
    except source.NotInSource:
        abort(404)
    module = draft_source["modules"][source.module_at(draft_source, module_id)]
    form = QuestionForm()
    presenters.question_choices(form, module)
    live_course = store.live()[1]
    if request.method == "GET":
        presenters.fill_question(form, current)
        _opened(form, current)
    elif form.validate_on_submit():
        values, bad = presenters.question_values(form)
        in_quiz = {x.get("id") for x in draft_source["quizzes"][q]["questions"]}
        changes = [] if bad else presenters.meaning_changes(live_course, question_id, values)
        if values["id"] in in_quiz - {question_id}:
            form.question_id.errors = ["That question id is already used in this quiz"]
        elif bad:
            form.text.errors = [bad]
        elif changes and values["id"] == question_id:
            suggested = identity.suggest_question_id(live_course, question_id or "", in_quiz)
            form.question_id.errors = [
                f"This changes what the question means ({'; '.join(changes)}), so give it a new"
                f" id, for example {suggested}. Learners' past answers stay with the old one."
            ]
        else:
            result = _save(
                draft,
                form,
                current,
                lambda s: source.set_question(s, module_id, question_id, values),
                f"quizzes/{q}",
                f"question {values['id']}",
                {"text": "text", "explanation": "explanation"},
            )
            if result.saved:
                return _saved(
                    "Question saved to the draft.", url_for("editor.edit_quiz", module_id=module_id)
                )
            return _question_page(module_id, question_id, form, result.status, result.theirs)
    return _question_page(module_id, question_id, form, 200, None)


def _question_page(module_id: str, question_id: str | None, form, status: int, theirs):
    stats = review.item_statistics(review.Filters()).get(module_id, {}).get(question_id or "")
    return _edit_page(
        "editor/question.html",
        form,
        status,
        module_id=module_id,
        question_id=question_id,
        theirs=theirs,
        stats=presenters.question_feedback(stats, form),
    )


@bp.route("/draft/modules/<module_id>/quiz/questions/<question_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def remove_question(module_id: str, question_id: str):
    if not EditForm().validate_on_submit():
        abort(400)
    draft = _draft()
    try:
        source.question(store.draft_source(draft), module_id, question_id)
    except source.NotInSource:
        abort(404)
    checked = editing.check(draft, lambda s: source.remove_question(s, module_id, question_id))
    try:
        editing.save(draft, draft.version, checked, _user_id(), f"removed {question_id}")
    except store.DraftChanged:
        flash("The draft changed while you were saving. Try again.", "warning")
    return redirect(url_for("editor.edit_quiz", module_id=module_id))


def _document(
    draft_source: source.Source, kind: str, document_id: str
) -> tuple[int | None, object]:
    if kind in WHOLE_DOCUMENTS:
        return None, draft_source.get(kind, {})
    for n, survey in enumerate(draft_source.get("surveys", [])):
        if isinstance(survey, dict) and survey.get("id") == document_id:
            return n, survey
        if isinstance(survey, str) and f"id: {document_id}" in survey:
            return n, survey
    abort(404)


@bp.route("/draft/glossary", methods=["GET", "POST"], defaults={"kind": "glossary", "doc": ""})
@bp.route(
    "/draft/bibliography", methods=["GET", "POST"], defaults={"kind": "bibliography", "doc": ""}
)
@bp.route("/draft/surveys/<doc>", methods=["GET", "POST"], defaults={"kind": "surveys"})
@role_required(Role.ADMIN)
def edit_document(kind: str, doc: str):
    """The glossary, the bibliography or a survey, edited as the YAML of its file."""
    draft = _draft()
    index, current = _document(store.draft_source(draft), kind, doc)
    form = DocumentForm()
    path = kind if index is None else f"surveys/{index}"
    if request.method == "GET":
        form.text.data = presenters.as_yaml(current)
        _opened(form, current)
    elif form.validate_on_submit():
        try:
            document = yaml.safe_load(form.text.data or "")
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f" on line {mark.line + 1}" if mark else ""
            form.text.errors = [f"This is not valid YAML{line}: check the indentation and colons"]
        else:
            result = _save(
                draft,
                form,
                current,
                lambda s: source.set_document(s, kind, index, document),
                path,
                path,
                {"text": "text"},
            )
            if result.saved:
                return _saved("Saved to the draft.", url_for("editor.index"))
            return _edit_page(
                "editor/document.html", form, result.status, kind=kind, theirs=result.theirs
            )
    return _edit_page("editor/document.html", form, kind=kind, theirs=None)


@bp.route("/draft/handouts/<handout_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_handout(handout_id: str):
    """A printable script, card or handout: its title, who it is for, summary and text."""
    draft = _draft()
    draft_source = store.draft_source(draft)
    try:
        n = source.handout_at(draft_source, handout_id)
    except source.NotInSource:
        abort(404)
    current = draft_source["handouts"][n]
    form = HandoutForm()
    if request.method == "GET":
        for name in ("title", "persona", "summary", "markdown"):
            getattr(form, name).data = current.get(name)
        _opened(form, current)
    elif form.validate_on_submit():
        values = {
            "title": form.title.data,
            "persona": form.persona.data,
            "summary": form.summary.data,
            "markdown": (form.markdown.data or "").replace("\r\n", "\n"),
        }
        result = _save(
            draft,
            form,
            current,
            lambda s: source.set_handout(s, handout_id, values),
            f"handouts/{n}",
            f"handout {handout_id}",
            {"markdown": "markdown", "title": "title", "summary": "summary"},
        )
        if result.saved:
            return _saved(
                "Handout saved to the draft.",
                url_for("editor.edit_handout", handout_id=handout_id),
            )
        return _handout_editor(handout_id, form, result.status, result.theirs)
    return _handout_editor(handout_id, form, 200, None)


def _handout_editor(handout_id: str, form: HandoutForm, status: int, theirs):
    return _edit_page(
        "editor/handout.html",
        form,
        status,
        handout_id=handout_id,
        theirs=theirs,
        readability=presenters.readability(form.markdown.data or "", []),
    )


# Preview: the draft exactly as a learner would see it; nothing is recorded or committed.


@bp.route("/draft/preview/modules/<module_id>/pages/<page_id>")
@role_required(Role.ADMIN)
def preview_page(module_id: str, page_id: str):
    course = provider.preview(_draft().id)
    try:
        module, page = find_page(course, module_id, page_id)
    except NotInCourse:
        abort(404)
    ids = [p.id for p in module.pages]
    n = ids.index(page.id)
    answered = query_choice("decision", [d.id for d in page.decisions])
    return render_template(
        "learn/page.html",
        module=module,
        page=page,
        number=n + 1,
        done=False,
        preview=presenters.preview_links(module, n, module_id in course.quizzes),
        decisions=learn_presenters.decision_views(
            module,
            page,
            answered,
            request.args.get("choice") if answered else None,
            answer_endpoint=PREVIEW_ANSWER,
        ),
        sources=[s for s in module.sources if s.id in page.sources],
    )


@bp.route("/draft/preview/handouts/<handout_id>")
@role_required(Role.ADMIN)
def preview_handout(handout_id: str):
    course = provider.preview(_draft().id)
    try:
        handout = find_handout(course, handout_id)
    except NotInCourse:
        abort(404)
    return render_template(
        "learn/handout.html",
        handout=handout,
        editor_href=url_for("editor.edit_handout", handout_id=handout_id),
    )


PREVIEW_ANSWER = "editor.preview_decision"


@bp.route(
    "/draft/preview/modules/<module_id>/pages/<page_id>/decisions/<decision_id>",
    methods=["POST"],
)
@role_required(Role.ADMIN)
def preview_decision(module_id: str, page_id: str, decision_id: str):
    """A decision point answered in preview: its feedback is shown, nothing is recorded."""
    course = provider.preview(_draft().id)
    try:
        module, page, decision = find_decision(course, module_id, page_id, decision_id)
    except NotInCourse:
        abort(404)
    form = decision_form(decision)
    if form.validate_on_submit():
        choice = decision.choice(form.choice.data)
        if choice is None:
            abort(400)
        return redirect(
            learn_presenters.decision_feedback_url(
                module, page, decision, choice, page_endpoint="editor.preview_page"
            )
        )
    view = learn_presenters.decision_view(
        module, page, decision, form, answer_endpoint=PREVIEW_ANSWER
    )
    return render_template(
        "learn/decision.html",
        module=module,
        page=page,
        view=view,
        form=form,
        back_href=url_for("editor.preview_page", module_id=module.id, page_id=page.id),
    ), 400


@bp.route("/draft/preview/modules/<module_id>/quiz", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def preview_quiz(module_id: str):
    """Every question of the draft's quiz on one page; answers are marked, never stored."""
    course = provider.preview(_draft().id)
    quiz = course.quizzes.get(module_id)
    if quiz is None:
        abort(404)
    form = EditForm()
    marked = None
    answers: dict[str, list[str]] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        answers = {q.id: request.form.getlist(q.id) for q in quiz.questions}
        marked = {
            q.id: scoring.is_correct(q, answers[q.id]) if answers[q.id] else None
            for q in quiz.questions
        }
    return render_template(
        "editor/preview_quiz.html",
        module=find_module(course, module_id),
        quiz=quiz,
        form=form,
        marked=marked,
        answers=answers,
    )


# Publish, history, diff and rollback.


@bp.route("/draft/publish", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def publish():
    """Who the draft affects, then publish it with a summary."""
    draft = _draft()
    live_id, live = store.live()
    draft_course = store.revision_course(draft.id)
    problems = store.draft_problems(draft)
    live_moved = draft.base_revision_id != live_id
    form = PublishForm()
    if form.validate_on_submit():
        if problems:
            form.summary.errors = [f"Fix the draft's {len(problems)} problem(s) before publishing"]
        elif store.checksum(draft_course) == store.checksum(live):
            form.summary.errors = ["The draft is the same as the live course: nothing to publish"]
        elif live_moved and not form.overwrite.data:
            form.overwrite.errors = [
                "The live course changed since this draft began. Check the changes, then tick"
                " the box to publish over them"
            ]
        else:
            revision = editing.publish(draft, form.summary.data, _user_id())
            provider.forget()
            flash(f"Revision {revision.number} is live.", "success")
            return redirect(url_for("editor.history"))
    status = 400 if form.errors else 200
    return render_template(
        "editor/publish.html",
        form=form,
        error_items=error_list(form),
        problems=problems,
        live_moved=live_moved,
        base=draft.base_revision_id,
        live_id=live_id,
        impacts=[presenters.impact_view(i) for i in editing.impact(live, draft_course)],
        surveys=editing.course_surveys_changed(live, draft_course),
    ), status


@bp.route("/history")
@role_required(Role.ADMIN)
def history():
    revisions = store.published_revisions()
    names = _names(revisions)
    return render_template(
        "editor/history.html",
        rows=[presenters.revision_row(r, names) for r in revisions],
        live_id=revisions[0].id if revisions else None,
    )


@bp.route(f"/revisions/<{ID}:revision_id>/rollback", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rollback(revision_id: int):
    revision = db_revision(revision_id)
    form = RollbackForm()
    if form.validate_on_submit():
        summary = f"Rolled back to revision {revision.number}: {form.summary.data}"
        try:
            result = editing.rollback(revision_id, summary, _user_id())
        except ContentInvalid as error:
            form.summary.errors = [presenters.rollback_refused(revision.number, error.problems)]
        else:
            provider.forget()
            if result.created:
                flash(
                    f"Revision {result.revision.number} is live: a copy of {revision.number}.",
                    "success",
                )
            else:
                flash(f"Revision {revision.number} is already what learners see.", "success")
            return redirect(url_for("editor.history"))
    status = 400 if form.errors else 200
    return render_template(
        "editor/rollback.html",
        form=form,
        error_items=error_list(form),
        revision=presenters.revision_row(revision, _names([revision])),
    ), status


def db_revision(revision_id: int) -> ContentRevision:
    for revision in store.published_revisions():
        if revision.id == revision_id:
            return revision
    abort(404)


@bp.route("/diff")
@role_required(Role.ADMIN)
def diff():
    """What changed between two revisions (or a revision and the draft): text per page, and
    pages, questions and options added, removed and moved. Unknown revisions: the history."""
    revisions = {r.id: r for r in store.published_revisions()}
    draft = store.open_draft()
    old_id = query_int("old")
    new_id = query_int("new")
    newer_is_draft = query_choice("new", ["draft"]) is not None and draft is not None
    newer = draft if newer_is_draft else revisions.get(new_id or 0)
    if old_id is None or old_id not in revisions or newer is None:
        flash("Choose two revisions to compare.", "warning")
        return redirect(url_for("editor.history"))
    changes = content_diff.diff_courses(
        store.revision_course(old_id), store.revision_course(newer.id)
    )
    return render_template(
        "editor/diff.html",
        old=revisions[old_id].number,
        new="the draft" if newer_is_draft else f"revision {newer.number}",
        changes=changes,
    )


@bp.route("/live.zip")
@role_required(Role.ADMIN)
def download():
    """The live revision as a zip of the content files (the same files `content export`
    writes): uploading it again, or importing its files, creates no new revision."""
    live_id, course = store.live()
    number = next(r.number for r in store.published_revisions() if r.id == live_id)
    response = make_response(archive.course_zip(course))
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="health-data-guides-revision-{number}.zip"'
    )
    return response


@bp.route("/upload", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def upload():
    """A zip of content files becomes the draft, after the same checks as the files; never
    straight to live. Refused while another draft is open, so nobody's work is replaced."""
    form = UploadForm()
    problems: list[str] = []
    if store.open_draft() is not None:
        form.archive.errors = ["A draft is open. Publish or discard it before uploading another."]
    elif form.validate_on_submit():
        upload = form.archive.data
        try:
            course = archive.course_from_zip(upload.read(), name=upload.filename or "upload.zip")
        except ContentInvalid as error:
            problems = [str(p) for p in error.problems]
            form.archive.errors = [
                f"The zip was not taken: {len(problems)} problem(s), listed below"
            ]
        else:
            if store.checksum(course) == store.checksum(store.live()[1]):
                flash("The zip is the same as the live course, so no draft was made.", "success")
                return redirect(url_for("editor.index"))
            draft = editing.upload(course, _user_id())
            flash(f"The zip is now draft {draft.number}. Check it, then publish it.", "success")
            return redirect(url_for("editor.index"))
    status = 400 if form.archive.errors else 200
    return render_template(
        "editor/upload.html", form=form, error_items=error_list(form), problems=problems
    ), status
