"""The start page's time estimate comes from the modules themselves, so they always agree."""


def test_the_start_page_gives_the_modules_own_minutes(client, published):
    minutes = [m.estimated_minutes for m in published.modules]
    html = client.get("/").get_data(as_text=True)
    assert f"There are {len(minutes)} modules." in html
    assert f"Each takes between {min(minutes)} and {max(minutes)} minutes" in html


def test_the_start_page_without_a_course_gives_no_numbers(client):
    html = client.get("/").get_data(as_text=True)
    assert "Each module ends with a short quiz." in html
