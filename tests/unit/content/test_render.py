from elearn.content.render import render_markdown


def _render(source):
    return render_markdown(
        source,
        lambda page: f"/learn/modules/m1/pages/{page}" if page == "m1-p2" else None,
        lambda term: f"/learn/glossary#{term}" if term == "five-safes" else None,
    )


def test_blocks_become_nhs_components():
    html = _render(
        "::: inset\nKey point.\n:::\n\n"
        "::: warning Check first\nCareful.\n:::\n\n"
        "::: case-study Pat at the PPG\nPat speaks.\n:::\n\n"
        "::: myth Researchers take your record home\nThey do not.\n:::\n\n"
        "::: reflect\nWhat would you say?\n:::\n"
    ).html
    assert '<div class="nhsuk-inset-text">' in html
    assert 'class="nhsuk-warning-callout"' in html and "Check first" in html
    assert "nhsuk-card--feature" in html and "Case study: Pat at the PPG" in html
    assert '<details class="nhsuk-details">' in html
    # A real concern, asked in the person's words, not framed as a myth to debunk.
    assert "What people ask: Researchers take your record home" in html
    assert "Myth" not in html and "Fact:" not in html
    assert "Think about it" in html and "What would you say?" in html


def test_internal_links_are_resolved_and_reported():
    result = _render("See [safe](glossary:five-safes), [next](page:m1-p2) and [bad](page:nope).")
    assert 'href="/learn/glossary#five-safes"' in result.html
    assert 'href="/learn/modules/m1/pages/m1-p2"' in result.html
    assert result.page_links == ["m1-p2", "nope"]
    assert result.glossary_links == ["five-safes"]


def test_raw_html_and_script_urls_are_removed():
    html = _render(
        '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror="alert(1)">\n\n'
        "::: case-study <b>Bold</b>\nText\n:::\n"
    ).html
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_tables_are_nhs_tables_that_scroll_on_small_screens():
    html = _render("| a | b |\n| --- | --- |\n| 1 | 2 |\n").html
    assert '<table class="nhsuk-table">' in html
    assert 'class="nhsuk-table-container" tabindex="0" role="region"' in html
    assert '<th class="nhsuk-table__header" scope="col">a</th>' in html


def test_a_sample_answer_after_a_reflection_is_a_details_expander():
    result = _render(
        "::: reflect\nWhat would you say?\n:::\n\n::: sample-answer\nI would say this.\n:::\n"
    )
    assert (
        '<details class="nhsuk-details app-sample-answer"><summary class="nhsuk-details__summary">'
        '<span class="nhsuk-details__summary-text">Compare with a sample answer</span>'
    ) in result.html
    assert "<p>I would say this.</p>\n</div></details>" in result.html
    assert result.stray_sample_answers == []


def test_a_sample_answer_with_no_reflection_before_it_is_reported_with_its_line():
    result = _render("Some text.\n\n::: sample-answer\nAn answer to nothing.\n:::\n")
    assert result.stray_sample_answers == [3]
