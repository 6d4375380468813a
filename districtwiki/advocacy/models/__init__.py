"""The advocacy hub's records, one module per part: surveys (the benchmark survey's periods and anonymous
answers), funding (programs, their amounts and status history, impact reports) and campaigns."""

from .campaigns import Campaign, Signature
from .funding import (
    FundingProgram,
    ImpactReport,
    ProgramAlert,
    ProgramAmount,
    ProgramStatusChange,
    ProgramWatch,
)
from .survey_results import PublishedResults
from .surveys import SurveyPeriod, SurveyResponse

__all__ = [
    "Campaign",
    "FundingProgram",
    "ImpactReport",
    "ProgramAlert",
    "ProgramAmount",
    "ProgramStatusChange",
    "ProgramWatch",
    "PublishedResults",
    "Signature",
    "SurveyPeriod",
    "SurveyResponse",
]
