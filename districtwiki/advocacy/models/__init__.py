"""The advocacy hub's records, one module per part: surveys (the benchmark survey and its anonymous
answers), funding (programs, their amounts and status history, impact reports) and campaigns."""

from .funding import FundingProgram

__all__ = ["FundingProgram"]
