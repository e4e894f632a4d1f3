"""diff_courses: what changed between two versions of the course, by id."""

from elearn.content.diff import Change, Line, LineTag, Listing, diff_courses, text_hunks
from elearn.content.schema import GlossaryTerm
from tests.helpers import with_module, with_page, with_question, with_quiz


def test_the_same_course_has_no_changes(shipped_course):
    diff = diff_courses(shipped_course, shipped_course.model_copy())
    assert diff.is_empty
    assert diff.summary() == "No changes."


def test_course_details(shipped_course):
    new = shipped_course.model_copy(update={"title": "Data Guides"})
    diff = diff_courses(shipped_course, new)
    assert diff.details == (Change("title", shipped_course.title, "Data Guides"),)
    assert not diff.is_empty
    assert diff.summary() == "Course title changed."


def test_module_details(shipped_course):
    module = shipped_course.modules[0]
    outcomes = [module.outcomes[0].model_copy(update={"text": "say what a GP record holds"})]
    new = with_module(shipped_course, "m1", estimated_minutes=45, outcomes=outcomes)
    [changed] = diff_courses(shipped_course, new).changed_modules
    assert changed.id == "m1"
    minutes, outcome_change = changed.details
    assert minutes == Change("estimated_minutes", "40", "45")
    assert outcome_change.field == "outcomes"
    assert outcome_change.new == "m1-lo1: say what a GP record holds"
    assert "m1-lo2:" in outcome_change.old


def test_pages_added_removed_and_moved(shipped_course):
    pages = list(shipped_course.modules[0].pages)
    new_page = pages[0].model_copy(update={"id": "m1-p9", "title": "New"})
    last = pages.pop()  # the recap moves to the front
    del pages[2]  # m1-p3 goes
    new = with_module(shipped_course, "m1", pages=[last, *pages, new_page])
    diff = diff_courses(shipped_course, new)
    [module] = diff.changed_modules
    assert module.pages == Listing(added=("m1-p9",), removed=("m1-p3",), moved=("m1-p8",))
    assert module.changed_pages == ()
    assert diff.summary() == "Module m1: 1 page added, 1 page removed, 1 page moved."


def test_a_page_text_change_is_tagged_line_by_line(shipped_course):
    page = shipped_course.modules[0].pages[1]
    old_line = "## Your GP record"
    assert old_line in page.markdown.splitlines()
    markdown = page.markdown.replace(old_line, "## Your GP practice record")
    new = with_page(shipped_course, page.id, markdown=markdown, title="What a record holds")
    diff = diff_courses(shipped_course, new)
    [module] = diff.changed_modules
    [changed] = module.changed_pages
    assert changed.id == page.id
    assert changed.title == Change("title", page.title, "What a record holds")
    assert changed.sources is None
    [hunk] = changed.hunks
    number = page.markdown.splitlines().index(old_line) + 1
    assert [line for line in hunk if line.tag != LineTag.UNCHANGED] == [
        Line(LineTag.REMOVED, old_line, number, None),
        Line(LineTag.ADDED, "## Your GP practice record", None, number),
    ]
    context = [line for line in hunk if line.tag == LineTag.UNCHANGED]
    assert len(context) == 4  # two lines either side
    assert diff.summary() == "Module m1: 1 page changed."


def test_text_hunks_keep_changes_apart_and_number_lines():
    old = "\n".join(f"line {n}" for n in range(1, 21))
    new = old.replace("line 2\n", "").replace("line 18", "line eighteen") + "\nline 21"
    first, second = text_hunks(old, new, context=1)
    assert [(x.tag, x.text) for x in first] == [
        (LineTag.UNCHANGED, "line 1"),
        (LineTag.REMOVED, "line 2"),
        (LineTag.UNCHANGED, "line 3"),
    ]
    assert second[0] == Line(LineTag.UNCHANGED, "line 17", 17, 16)
    assert second[-1] == Line(LineTag.ADDED, "line 21", None, 20)
    assert text_hunks(old, old) == ()


def test_quiz_questions_added_removed_moved_and_settings(shipped_course):
    quiz = shipped_course.quizzes["m1"]
    questions = list(quiz.questions)
    questions[0], questions[1] = questions[1], questions[0]
    added = questions[2].model_copy(update={"id": "m1-q3-r2"})
    questions[2] = added  # m1-q3 replaced by a new id
    new = with_quiz(shipped_course, "m1", questions=questions, draw=9, pass_mark=70)
    diff = diff_courses(shipped_course, new)
    [changed] = diff.changed_quizzes
    assert changed.module_id == "m1"
    assert changed.settings == (Change("pass_mark", "80", "70"), Change("draw", "10", "9"))
    assert changed.questions.added == ("m1-q3-r2",)
    assert changed.questions.removed == ("m1-q3",)
    assert len(changed.questions.moved) == 1  # one of the two swapped questions
    assert changed.changed_questions == ()
    assert diff.summary() == (
        "Quiz for module m1: 2 settings changed, 1 question added, 1 question removed, "
        "1 question moved."
    )


def test_question_text_and_options(shipped_course):
    question = shipped_course.quizzes["m1"].questions[2]  # m1-q3, single answer
    right = next(o for o in question.options if o.correct)
    wrong = next(o for o in question.options if not o.correct)
    new = with_question(
        shipped_course,
        question.id,
        text="Which is confidential?",
        option_updates={
            right.id: {"correct": False},
            wrong.id: {"correct": True, "feedback": "Now right."},
        },
    )
    [quiz] = diff_courses(shipped_course, new).changed_quizzes
    [changed] = quiz.changed_questions
    assert changed.details == (Change("text", question.text, "Which is confidential?"),)
    assert changed.correct_changed
    by_id = {o.id: o.changes for o in changed.changed_options}
    assert by_id[right.id] == (Change("correct", "yes", "no"),)
    assert by_id[wrong.id] == (
        Change("correct", "no", "yes"),
        Change("feedback", wrong.feedback, "Now right."),
    )
    assert changed.options.is_empty


def test_options_added_and_removed(shipped_course):
    question = shipped_course.quizzes["m1"].questions[0]  # m1-q1, four options
    extra = question.options[0].model_copy(update={"id": "e", "text": "Your blood group"})
    options = [*question.options[1:], extra]
    new = with_question(shipped_course, question.id, options=options)
    [quiz] = diff_courses(shipped_course, new).changed_quizzes
    [changed] = quiz.changed_questions
    assert changed.options == Listing(added=("e",), removed=("a",))
    assert not changed.correct_changed


def test_survey_items(shipped_course):
    surveys = list(shipped_course.surveys)
    survey = surveys[0]
    items = [survey.items[0].model_copy(update={"text": "It was clear."}), *survey.items[2:]]
    items.append(survey.items[3].model_copy(update={"id": "pace"}))
    surveys[0] = survey.model_copy(update={"items": items, "title": "Module 1 feedback"})
    diff = diff_courses(shipped_course, shipped_course.model_copy(update={"surveys": surveys}))
    [changed] = diff.changed_surveys
    assert changed.id == survey.id
    assert changed.details == (Change("title", survey.title, "Module 1 feedback"),)
    assert changed.items == Listing(added=("pace",), removed=(survey.items[1].id,))
    [item] = changed.changed_items
    assert item.id == survey.items[0].id
    assert item.changes == (Change("text", survey.items[0].text, "It was clear."),)
    assert diff.summary() == (
        f"Survey {survey.id}: 1 detail changed, 1 item changed, 1 item added, 1 item removed."
    )


def test_glossary_terms(shipped_course):
    terms = list(reversed(shipped_course.glossary))  # order alone is no change
    first = terms.pop()
    terms[0] = terms[0].model_copy(update={"definition": "Changed."})
    terms.append(GlossaryTerm(id="new-term", term="New term", definition="A new term."))
    diff = diff_courses(shipped_course, shipped_course.model_copy(update={"glossary": terms}))
    assert diff.glossary == Listing(added=("new-term",), removed=(first.id,))
    [changed] = diff.changed_terms
    assert changed.id == shipped_course.glossary[-1].id
    assert changed.changes[0].field == "definition"
    assert diff.summary() == "Glossary: 1 term changed, 1 term added, 1 term removed."


def test_modules_and_quizzes_added_and_removed(shipped_course):
    quizzes = dict(shipped_course.quizzes)
    del quizzes["m4"]
    new = shipped_course.model_copy(
        update={"modules": shipped_course.modules[:3], "quizzes": quizzes}
    )
    diff = diff_courses(shipped_course, new)
    assert diff.modules == Listing(removed=("m4",))
    assert diff.quizzes == Listing(removed=("m4",))
    assert diff.summary() == "Modules: 1 module removed. Quizzes: 1 quiz removed."
