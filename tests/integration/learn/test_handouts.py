"""Printable scripts, cards and handouts for the four personas."""


def test_the_list_links_every_handout(learner_client, published):
    html = learner_client.get("/learn/handouts").get_data(as_text=True)
    assert "<h1>Printable scripts, cards and handouts</h1>" in html
    for handout in published.handouts:
        assert f'href="/learn/handouts/{handout.id}"' in html
    assert 'href="/learn/handouts"' in learner_client.get("/learn/").get_data(as_text=True)


def test_a_handout_is_a_printable_page(learner_client, published):
    html = learner_client.get("/learn/handouts/kieran-phone-script").get_data(as_text=True)
    assert "Kieran&#39;s phone script" in html or "Kieran's phone script" in html
    assert "For Kieran, and for you" in html
    assert "Use your browser&#39;s print option" in html or "print option" in html
    assert "0300 303 5678" in html
    assert 'class="nhsuk-warning-callout"' in html


def test_an_unknown_handout_is_not_found(learner_client, published):
    assert learner_client.get("/learn/handouts/nope").status_code == 404
