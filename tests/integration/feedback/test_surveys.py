"""Answering surveys end to end: list, one page of questions, check answers, send once, skip."""

import re
import threading

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.content import provider
from elearn.content.lookup import ordered_surveys
from elearn.content.store import publish
from elearn.extensions import db
from elearn.feedback import service
from elearn.feedback.models import SurveyAnswer, SurveyResponse
from elearn.journey import state as states
from elearn.journey import surveys
from elearn.unit_of_work import action
from tests.factories import learner
from tests.helpers import post_survey


def _survey(course, survey_id):
    return next(s for s in course.surveys if s.id == survey_id)


def _form(survey, text: str = "It was fine", skip_optional: bool = False) -> dict:
    """Form data answering every item (optional ones too, unless skip_optional)."""
    data = {}
    for item in survey.items:
        if skip_optional and not item.required:
            continue
        name = f"item-{item.id}"
        if item.type == "likert":
            data[name] = "4"
        elif item.type == "rating":
            data[name] = "5"
        elif item.type == "single":
            data[name] = item.options[1].id
        elif item.type == "multiple":
            data[name] = [item.options[0].id]
        else:
            data[name] = text
    return data


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _response(user_id, survey_id) -> SurveyResponse | None:
    return db.session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.user_id == user_id, SurveyResponse.survey_id == survey_id
        )
    )


def test_survey_list_shows_every_survey_and_when_it_opens(learner_client, published):
    response = learner_client.get("/learn/surveys")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Feedback surveys</h1>" in html
    for survey in published.surveys:
        assert str(escape(survey.title)) in html
    assert 'href="/learn/surveys/baseline"' in html
    assert 'href="/learn/surveys/after-m1"' not in html
    assert "You can answer this after you finish module 1." in html
    assert "You can answer this when you have finished all the modules." in html
    assert "Cannot start yet" in html and "Not started" in html
    # The order a learner meets them: baseline, modules 1 to 4, end of course.
    order = [html.index(str(escape(s.title))) for s in ordered_surveys(published)]
    assert order == sorted(order)
    assert [s.id for s in ordered_surveys(published)] == [
        "baseline", "after-m1", "after-m2", "after-m3", "after-m4", "what-got-in-the-way",
        "end-of-course", "follow-up",
    ]  # fmt: skip
    assert 'href="/account/evaluation-consent"' in html


def test_answer_check_and_send_the_baseline(app, learner_client, learner_id, published):
    survey = _survey(published, "baseline")
    page = learner_client.get("/learn/surveys/baseline")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Before you start</h1>" in html
    assert "Feedback survey, page 1 of 2" in html
    assert "What you know now" in html
    assert 'href="/learn/surveys"' in html  # back from the first page: the survey list
    second = learner_client.get("/learn/surveys/baseline?page=2").get_data(as_text=True)
    assert "Feedback survey, page 2 of 2" in second
    assert "For each sentence, choose how much you agree." in second
    assert "Not sure" in second
    assert 'class="nhsuk-back-link" href="/learn/surveys/baseline"' in re.sub(r"\s+", " ", second)
    html += second
    for number, module in enumerate(published.modules, start=1):
        assert str(escape(f"Module {number}: {module.title}")) in html
    for item in survey.items:
        assert str(escape(item.text)) in html
        assert f'id="item-{item.id}"' in html
    assert "Strongly disagree" in html and "Neither agree nor disagree" in html

    response = post_survey(learner_client, published, "baseline", _form(survey))
    assert response.status_code == 302
    assert response.headers["Location"] == "/learn/surveys/baseline/check"
    check = learner_client.get("/learn/surveys/baseline/check").get_data(as_text=True)
    assert "<h1>Check your answers</h1>" in check
    likert = [i for i in survey.items if i.type == "likert"]
    assert len(re.findall(r'summary-list__value">\s*Agree\s*</dd>', check)) == len(likert)
    assert (
        check.count('href="/learn/surveys/baseline?page=2&amp;check=1#item-confidence-m1-lo5"') == 1
    )
    assert check.count('href="/learn/surveys/baseline?check=1#item-know-type-1"') == 1
    back = 'class="nhsuk-back-link" href="/learn/surveys/baseline?page=2"'
    assert back in re.sub(r"\s+", " ", check)  # back to the last page of questions
    assert "Send answers" in check
    with app.app_context():
        draft = _response(learner_id, "baseline")
        assert draft.status == "draft" and draft.submitted_at is None

    sent = learner_client.post("/learn/surveys/baseline/check")
    assert sent.status_code == 302 and sent.headers["Location"] == "/learn/"
    dashboard = learner_client.get("/learn/").get_data(as_text=True)
    assert "Thank you. We have your answers." in dashboard
    with app.app_context():
        row = _response(learner_id, "baseline")
        assert row.status == "submitted"
        assert row.submitted_at >= row.started_at
        assert row.revision_id is not None
        assert {a.item_id: a.value for a in row.answers} == {
            i.id: "4" if i.type == "likert" else i.options[1].id for i in survey.items
        }
    listing = learner_client.get("/learn/surveys").get_data(as_text=True)
    assert "Completed" in listing and 'href="/learn/surveys/baseline"' not in listing


def test_draft_answers_fill_the_form_again(learner_client, published):
    survey = _survey(published, "baseline")
    data = _form(survey)
    data["item-confidence-m2-lo2"] = "2"
    post_survey(learner_client, published, "baseline", data)
    html = learner_client.get("/learn/surveys/baseline?page=2").get_data(as_text=True)
    radio = 'id="item-confidence-m2-lo2-2" name="item-confidence-m2-lo2" type="radio" value="2"'
    assert re.search(re.escape(radio) + r"\s+checked", html)
    check = learner_client.get("/learn/surveys/baseline/check").get_data(as_text=True)
    assert re.search(r'summary-list__value">\s*Disagree\s*</dd>', check)


@pytest.mark.parametrize(
    ("item_id", "message"),
    [
        ("clarity", "Select how much you agree that the module used words you understood"),
        (
            "balance",
            "Select how much you agree that the module was fair about the risks as well as the "
            "benefits",
        ),
        ("relevance", "Select how much you agree that the module was useful for your role"),
        ("length", "Select how long the module was"),
        (
            "confidence",
            "Select how much you agree that after this module, you feel confident talking with "
            "people about what it covers",
        ),
    ],
)
def test_a_required_item_left_empty_is_named(
    app, learner_client, learner_id, pass_quiz, published, item_id, message
):
    pass_quiz(learner_id, "m1")
    data = _form(_survey(published, "after-m1"))
    del data[f"item-{item_id}"]
    response = post_survey(learner_client, published, "after-m1", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "<title>Error: " in html
    assert html.count(message) == 2  # in the error summary and on the field
    assert f'href="#item-{item_id}"' in html
    with app.app_context():
        assert _count(SurveyResponse) == 0


def test_optional_items_can_be_left_empty(app, learner_client, learner_id, pass_quiz, published):
    pass_quiz(learner_id, "m1")
    survey = _survey(published, "after-m1")
    response = post_survey(learner_client, published, "after-m1", _form(survey, skip_optional=True))
    assert response.status_code == 302
    check = learner_client.get("/learn/surveys/after-m1/check").get_data(as_text=True)
    assert check.count("Not answered") == 2
    assert "Now send your answers" in check
    assert learner_client.post("/learn/surveys/after-m1/check").status_code == 302
    with app.app_context():
        row = _response(learner_id, "after-m1")
        assert row.status == "submitted"
        assert {a.item_id for a in row.answers} == {
            "clarity", "easy-to-follow", "balance", "relevance", "length", "confidence"
        }  # fmt: skip
        assert {a.item_id: a.value for a in row.answers}["length"] == "about-right"


def test_free_text_over_the_limit_is_refused_not_cut(
    app, learner_client, learner_id, pass_quiz, published
):
    pass_quiz(learner_id, "m1")
    survey = _survey(published, "after-m1")
    data = _form(survey)
    too_long = "word " * 200 + "x"  # 1,001 characters
    data["item-what-worked"] = too_long
    response = post_survey(learner_client, published, "after-m1", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    message = (
        "Your answer to “What worked well for you in this module?” must be 1,000 characters "
        "or fewer. You entered 1,001."
    )
    assert html.count(str(escape(message))) == 2
    assert too_long in html  # given back whole, to shorten
    assert "You can enter up to 1,000 characters" in html
    with app.app_context():  # the first page was kept as a draft; nothing from this one
        assert not db.session.scalar(
            select(func.count()).where(SurveyAnswer.item_id.in_(["what-worked", "what-to-change"]))
        )

    data["item-what-worked"] = "a" * 999 + "\r\nb"[:2]  # CRLF counts as one character
    assert post_survey(learner_client, published, "after-m1", data).status_code == 302
    with app.app_context():
        stored = db.session.scalar(
            select(SurveyAnswer.value).where(SurveyAnswer.item_id == "what-worked")
        )
        assert stored == "a" * 999  # trailing white space trimmed, nothing cut


def test_the_service_refuses_over_long_text_too(app, learner_id, published):
    with app.test_request_context():
        course = provider.course()
        with pytest.raises(service.AnswerProblems) as raised:
            service.save_answers(course, learner_id, "end-of-course", {"anything-else": "é" * 1001})
        assert raised.value.problems == {
            "anything-else": "Your answer to “Is there anything else you want to tell us about "
            "the course?” must be 1,000 characters or fewer. You entered 1,001."
        }
        assert _count(SurveyResponse) == 0


def test_html_typed_into_free_text_is_stored_as_typed_and_shown_as_text(
    app, learner_client, learner_id, pass_quiz, published
):
    pass_quiz(learner_id, "m1")
    typed = "<script>alert('hi')</script> <b>bold</b> & =SUM(A1)\nsecond line"
    data = _form(_survey(published, "after-m1"), text=typed)
    assert post_survey(learner_client, published, "after-m1", data).status_code == 302
    check = learner_client.get("/learn/surveys/after-m1/check").get_data(as_text=True)
    assert "<script>alert" not in check and "<b>bold" not in check
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; &amp;" in check
    assert "=SUM(A1)<br>second line" in check
    form = learner_client.get("/learn/surveys/after-m1?page=2").get_data(as_text=True)
    assert "<script>alert" not in form and "&lt;script&gt;alert" in form
    with app.app_context():
        values = db.session.scalars(
            select(SurveyAnswer.value).where(SurveyAnswer.item_id == "what-worked")
        )
        assert list(values) == [typed]


def test_sending_twice_records_one_response(app, learner_client, learner_id, published):
    survey = _survey(published, "baseline")
    post_survey(learner_client, published, "baseline", _form(survey))
    first = learner_client.post("/learn/surveys/baseline/check")
    replay = learner_client.post("/learn/surveys/baseline/check")
    assert first.headers["Location"] == "/learn/"
    assert replay.status_code == 302 and replay.headers["Location"] == "/learn/surveys"
    listing = learner_client.get("/learn/surveys").get_data(as_text=True)
    assert "You have already sent your answers to this survey. Thank you." in listing
    # The questions cannot be answered again either.
    again = post_survey(learner_client, published, "baseline", _form(survey))
    assert again.headers["Location"] == "/learn/surveys"
    assert learner_client.get("/learn/surveys/baseline").status_code == 302
    with app.app_context():
        assert _count(SurveyResponse) == 1
        assert _count(SurveyAnswer) == len(survey.items)
        assert _response(learner_id, "baseline").status == "submitted"


def test_two_concurrent_submissions_record_one_response(app, learner_client, learner_id, published):
    post_survey(learner_client, published, "baseline", _form(_survey(published, "baseline")))
    results, barrier = [], threading.Barrier(2)

    def submit():
        with app.test_request_context(), action():
            course = provider.course()
            barrier.wait()
            results.append(
                service.submit(course, provider.revision_id(), learner(learner_id), "baseline")
            )
        with app.app_context():
            db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    with app.app_context():
        assert _count(SurveyResponse) == 1


def test_skip_records_no_answers_and_is_not_offered_again(
    app, learner_client, learner_id, published
):
    learner_client.post(
        "/learn/surveys/baseline", data={"item-confidence-m1-lo1": "3"}
    )  # a half-answered form is refused, so nothing is kept
    post_survey(learner_client, published, "baseline", _form(_survey(published, "baseline")))
    response = learner_client.post("/learn/surveys/baseline/skip")
    assert response.status_code == 302 and response.headers["Location"] == "/learn/"
    dashboard = learner_client.get("/learn/").get_data(as_text=True)
    assert "You skipped “Before you start”." in dashboard
    with app.app_context():
        row = _response(learner_id, "baseline")
        assert row.status == "skipped" and row.answers == [] and row.submitted_at is None
        assert _count(SurveyAnswer) == 0
        assert surveys.after_registration(provider.course(), learner_id) is None
    listing = learner_client.get("/learn/surveys").get_data(as_text=True)
    assert "Skipped" in listing and 'href="/learn/surveys/baseline"' in listing
    # A skipped survey can still be answered later.
    assert learner_client.get("/learn/surveys/baseline/check").headers["Location"] == (
        "/learn/surveys/baseline"
    )
    post_survey(learner_client, published, "baseline", _form(_survey(published, "baseline")))
    learner_client.post("/learn/surveys/baseline/check")
    with app.app_context():
        assert _response(learner_id, "baseline").status == "submitted"
    # Skipping after sending changes nothing.
    learner_client.post("/learn/surveys/baseline/skip")
    with app.app_context():
        assert _response(learner_id, "baseline").status == "submitted"
        assert _count(SurveyAnswer) == len(_survey(published, "baseline").items)


def test_the_survey_offered_after_each_step(app, learner_id, pass_quiz, complete_course, published):
    with app.test_request_context():
        course = provider.course()
        assert surveys.after_registration(course, learner_id).id == "baseline"
        state = states.load(course, learner_id)
        assert surveys.after_module(state, learner_id, "m3") is None  # not open yet
    pass_quiz(learner_id, "m3")
    with app.test_request_context():
        course = provider.course()
        state = states.load(course, learner_id)
        assert surveys.after_module(state, learner_id, "m3").id == "after-m3"
        assert surveys.after_module(state, learner_id, "m9") is None
        assert surveys.after_survey(state, learner_id) is None  # the course is not complete
        # A draft is still offered; a skipped or sent survey is not.
        service.save_answers(course, learner_id, "after-m3", {"clarity": "5"})
        assert surveys.after_module(state, learner_id, "m3").id == "after-m3"
        service.skip(course, learner_id, "after-m3")
        assert surveys.after_module(state, learner_id, "m3") is None
        db.session.commit()
    complete_course(learner_id)
    with app.test_request_context():
        course = provider.course()
        state = states.load(course, learner_id)
        # Finishing module 4 offers module 4's survey first, then the end-of-course survey.
        assert surveys.after_module(state, learner_id, "m4").id == "after-m4"
        service.skip(course, learner_id, "after-m4")
        assert surveys.after_module(state, learner_id, "m4").id == "end-of-course"
        assert surveys.after_survey(state, learner_id).id == "end-of-course"
        end = _survey(course, "end-of-course")
        answers = {item.id: "4" if item.type == "likert" else "" for item in end.items}
        answers.update({item.id: "not-sure" for item in end.items if item.knowledge})
        answers.update({"usefulness": "5", "recommend": "yes"})
        answers.update({"most-useful": "The Five Safes", "anything-else": ""})
        service.save_answers(course, learner_id, "end-of-course", answers)
        assert service.submit(course, provider.revision_id(), learner(learner_id), "end-of-course")
        assert surveys.after_survey(state, learner_id) is None


def test_surveys_open_after_their_module_and_the_course(
    app, learner_client, learner_id, pass_quiz, complete_course, published
):
    response = learner_client.get("/learn/surveys/after-m2")
    assert response.headers["Location"] == "/learn/surveys"
    listing = learner_client.get("/learn/surveys").get_data(as_text=True)
    assert "You can answer this after you finish module 2." in listing
    assert post_survey(learner_client, published, "after-m2", {}).status_code == 302
    pass_quiz(learner_id, "m2")
    assert learner_client.get("/learn/surveys/after-m2").status_code == 200
    assert learner_client.get("/learn/surveys/end-of-course").status_code == 302
    complete_course(learner_id)
    page = learner_client.get("/learn/surveys/end-of-course?page=3")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "About the course" in html and "1 (lowest)" in html and "nhsuk-radios--inline" in html
    assert "Is there anything else you want to tell us about the course? (optional)" in html


def test_unknown_survey_is_404_and_writes_nothing(app, learner_client, published):
    assert learner_client.get("/learn/surveys/nope").status_code == 404
    assert learner_client.post("/learn/surveys/nope", data={}).status_code == 404
    assert learner_client.get("/learn/surveys/nope/check").status_code == 404
    assert learner_client.post("/learn/surveys/nope/check").status_code == 404
    assert learner_client.post("/learn/surveys/nope/skip").status_code == 404
    with app.app_context():
        assert _count(SurveyResponse) == 0


def test_an_option_not_in_the_item_is_a_400(app, learner_client, published):
    data = _form(_survey(published, "baseline"))
    data["item-know-type-1"] = "7"
    response = post_survey(learner_client, published, "baseline", data)
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.get_data(as_text=True)
    with app.app_context():
        assert _count(SurveyResponse) == 0


def test_someone_elses_answers_are_never_shown(
    app, learner_client, learner_id, other_client, pass_quiz, published
):
    pass_quiz(learner_id, "m1")
    data = _form(_survey(published, "after-m1"), text="Only the first learner wrote this")
    post_survey(learner_client, published, "after-m1", data)
    post_survey(learner_client, published, "baseline", _form(_survey(published, "baseline")))
    learner_client.post("/learn/surveys/baseline/check")
    # The other learner starts with nothing: no draft, no answers, nothing sent.
    assert other_client.get("/learn/surveys/baseline/check").headers["Location"] == (
        "/learn/surveys/baseline"
    )
    html = other_client.get("/learn/surveys/baseline").get_data(as_text=True)
    assert not re.search(r'type="radio" value="[^"]*"\s+checked', html)
    listing = other_client.get("/learn/surveys").get_data(as_text=True)
    assert "Completed" not in listing and "Not started" in listing
    assert "Only the first learner wrote this" not in other_client.get(
        "/learn/surveys/after-m1"
    ).get_data(as_text=True)
    # Sending theirs leaves the first learner's response as it was.
    post_survey(other_client, published, "baseline", _form(_survey(published, "baseline")))
    assert other_client.post("/learn/surveys/baseline/check").headers["Location"] == "/learn/"
    with app.app_context():
        assert _count(SurveyResponse) == 3
        mine = _response(learner_id, "after-m1")
        assert mine.status == "draft"
        assert {a.item_id: a.value for a in mine.answers}["what-worked"] == (
            "Only the first learner wrote this"
        )


def test_a_required_item_added_after_the_draft_must_be_answered(
    app, learner_client, learner_id, published
):
    survey = _survey(published, "baseline")
    post_survey(learner_client, published, "baseline", _form(survey))
    extra = survey.items[0].model_copy(update={"id": "confidence-extra", "outcome": None})
    changed = survey.model_copy(update={"items": [*survey.items[1:], extra]})
    with app.app_context(), action():
        publish(
            published.model_copy(
                update={
                    "surveys": [changed if s.id == "baseline" else s for s in published.surveys]
                }
            ),
            "a new baseline item",
        )
    check = learner_client.get("/learn/surveys/baseline/check").get_data(as_text=True)
    assert "You have not answered “" in check
    assert 'href="/learn/surveys/baseline?page=2&amp;check=1#item-confidence-extra"' in check
    response = learner_client.post("/learn/surveys/baseline/check")
    assert response.headers["Location"] == (
        "/learn/surveys/baseline?page=2&check=1#item-confidence-extra"
    )
    post_survey(learner_client, published, "baseline", _form(changed))
    assert learner_client.post("/learn/surveys/baseline/check").headers["Location"] == "/learn/"
    with app.app_context():
        row = _response(learner_id, "baseline")
        assert row.status == "submitted"
        # The answer to the item that left the survey is not kept.
        assert "know-type-1" not in {a.item_id for a in row.answers}
        assert len(row.answers) == len(changed.items)


def test_the_survey_says_how_answers_are_used(app, learner_client, learner_id, published):
    html = learner_client.get("/learn/surveys/baseline").get_data(as_text=True)
    assert "You said no to the pilot evaluation, so we leave your answers out of it." in html
    with app.app_context():
        db.session.get(User, learner_id).evaluation_consent = True
        db.session.commit()
    html = learner_client.get("/learn/surveys/baseline").get_data(as_text=True)
    assert "They see your answers next to a code, never your name or email address." in html
    assert 'href="/account"' in html
