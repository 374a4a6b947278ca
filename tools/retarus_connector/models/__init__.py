"""Typed source models of the Retarus SMS API v1 and of the connector built on it.

`CONNECTOR` is the single source of truth the emitters turn into the package files.
See ARCHITECTURE.md for the layers.
"""

from .connector import CONNECTOR

__all__ = ["CONNECTOR"]
