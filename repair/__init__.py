"""repair: find and fix the damage machine translation and web scraping leave in text.

The Python API (repair.api): `Checker`, `check_text`, `fix_text`. Imported on first use, so that the command
line's start-up does not pay for it.
"""

__version__ = "0.1.0"
__all__ = ["Checker", "check_text", "fix_text", "__version__"]


def __getattr__(name: str):
    if name in ("Checker", "check_text", "fix_text"):
        from repair import api

        return getattr(api, name)
    raise AttributeError(f"module 'repair' has no attribute {name!r}")
