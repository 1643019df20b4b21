"""gongkai (公开): government information disclosure annual reports → structured, checked data."""

__version__ = "0.1.0"

from .readers import Report, ReportError, read, read_reports  # noqa: E402

__all__ = ["Report", "ReportError", "read", "read_reports", "load", "__version__"]


def load(path=None, **kwargs):
    """Load the shipped pipeline (or one from ``path``) as a spaCy ``Language``."""
    from .pipeline import load as _load

    return _load(path, **kwargs)
