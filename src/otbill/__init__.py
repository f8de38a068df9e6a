"""otbill: an open-source billing engine for occupational-therapy practices."""

__version__ = "0.1.0"
__all__ = ["__version__"]
