"""What the privacy fixtures' learner typed, so tests can look for it after a deletion."""

SURVEY_TEXT = "The scenario about the pharmacy was the clearest part"
PAGE_COMMENT = "Loved the example about ethnicity recording"
