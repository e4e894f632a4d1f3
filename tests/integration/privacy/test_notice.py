"""The privacy notice: real content for this service, with each right linked to where it is
carried out."""


def test_the_notice_covers_what_why_who_records_retention_and_rights(app, client, published):
    html = client.get("/privacy-notice").get_data(as_text=True)
    for heading in (
        "What we hold and why",
        "Our lawful basis",
        "Who sees your information",
        "Learning records",
        "How long we keep it",
        "Your rights and how to use them here",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "To be confirmed by the programme" in html  # the lawful basis is for them to confirm
    assert "public task" in html and "only if you say yes" in html
    assert "never your name or email address" in html and "smaller than 5" in html
    assert "It never holds your name, email address, organisation or your certificate's" in html
    assert f"removed {app.config['OUTBOX_SENT_RETENTION_DAYS']} days after" in html
    for href in ("/account/your-data", "/account/delete", "/account/evaluation-consent"):
        assert f'href="{href}"' in html
    assert "ico.org.uk" in html
