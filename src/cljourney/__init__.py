"""cljourney: customer lifecycle and customer journeys as code."""

__version__ = "0.1.0"
