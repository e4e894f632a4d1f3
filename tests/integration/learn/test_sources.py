"""One course bibliography on the sources page; each page lists its own sources at its foot."""


def test_the_sources_page_lists_the_bibliography_without_unrecorded_checks(
    learner_client, published
):
    html = learner_client.get("/learn/sources").get_data(as_text=True)
    checked = [s for s in published.bibliography if s.checked_by]
    for source in published.bibliography:
        assert f'id="source-{source.id}"' in html
    for source in checked:
        assert f"Checked by {source.checked_by} on {source.checked_on.day} " in html
    assert html.count("Checked by") == len(checked)
    assert "(checked" not in html


def test_a_page_lists_its_sources_at_the_foot(learner_client, published):
    module = published.modules[1]
    page = module.pages[4]
    html = learner_client.get(f"/learn/modules/{module.id}/pages/{page.id}").get_data(as_text=True)
    assert "Sources for this page" in html
    cited = [s for s in published.bibliography if s.id in page.sources]
    assert cited
    for source in cited:
        assert f'href="{source.url}"' in html
        assert source.publisher.replace("'", "&#39;") in html
