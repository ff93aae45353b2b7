"""Parse: Document -> list[Form]. Pure functions, no I/O."""

from etl.parse.forms import parse_document

__all__ = ["parse_document"]
