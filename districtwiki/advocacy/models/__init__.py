"""The advocacy hub's records, one module per part: surveys (the benchmark survey's periods and anonymous
answers), funding (programs, their amounts and status history, impact reports) and campaigns."""

from .campaigns import Campaign, Signature
from .funding import FundingProgram
from .surveys import SurveyPeriod, SurveyResponse

__all__ = ["Campaign", "FundingProgram", "Signature", "SurveyPeriod", "SurveyResponse"]
