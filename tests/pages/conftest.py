# The `world` fixture lives in tests/conftest.py, shared with tests/development.
