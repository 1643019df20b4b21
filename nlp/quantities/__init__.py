"""Quantities: the value normaliser (and, once trained, the quantity tagger)."""

from .normalizer import NormalizationError, NormalizedQuantity, governing_qualifier, normalize, parse_number

__all__ = ["NormalizationError", "NormalizedQuantity", "normalize", "parse_number", "governing_qualifier"]
