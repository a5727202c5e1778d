"""Registrations: the fixtures are in tests/conftest.py (the browser tests use them too)."""

from tests.conftest import identity_number

__all__ = ["identity_number"]
