"""Shipped trained models (installed as ``gongkai.models``); each subdirectory is one model with its card."""
