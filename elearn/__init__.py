"""Health Data Guides: e-learning for the TVS Secure Data Environment's local guides."""

from elearn.app import create_app

__all__ = ["create_app"]
