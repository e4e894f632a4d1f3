"""Pilot feedback: surveys and page-level "was this page helpful?" feedback."""
