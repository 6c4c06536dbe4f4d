"""Models of the client journey, one module per step; import them from `journey.models`.

- client: ClientProfile, JourneyStep, JourneyStage, EmploymentStatus (the anchor of everything)
- questionnaire: step 1 questionnaire as data and the client's answers
- current_state: step 1's output, CurrentState
- changes: JourneyChange, the "what changed" log
- competence: step 2's records and its output, CompetenceProfile
- market: step 3's SearchProfile and MarketPlan (and anonymised TransitionOutcome)
- feed: step 5's FeedSnapshot, HiddenAd, Application (the tracker) and FeedSettings
Later steps add competence.py (step 2), market.py (step 3) and feed.py (step 5).
"""

from .changes import ChangeKind, JourneyChange
from .client import (
    STAGE_ORDER,
    STEP_ORDER,
    ClientProfile,
    EmploymentStatus,
    JourneyStage,
    JourneyStep,
)
from .competence import (
    COMPETENCE_PROFILE_SCHEMA_VERSION,
    SKILL_LEVEL_MAX,
    SKILL_LEVEL_MIN,
    CompetenceInventory,
    CompetenceProfile,
    CompetenceSkill,
    CompetenceSource,
    CvKind,
    CvUpload,
    DrivingLicence,
    Education,
    Experience,
    LanguageLevel,
    LanguageSkill,
    SuggestionStatus,
)
from .current_state import (
    CURRENT_STATE_SCHEMA_VERSION,
    CurrentState,
    Driver,
    EconomicRunway,
    Hours,
    Openness,
    Priority,
    RemoteWish,
    SuggestedPath,
)
from .feed import (
    FEED_SNAPSHOT_SCHEMA_VERSION,
    AlertFrequency,
    Application,
    ApplicationStatus,
    FeedSettings,
    FeedSnapshot,
    HiddenAd,
)
from .market import (
    MARKET_PLAN_SCHEMA_VERSION,
    SEARCH_PROFILE_SCHEMA_VERSION,
    MarketPlan,
    SearchProfile,
    SearchProfileSource,
    TransitionOutcome,
)
from .questionnaire import (
    KINDS_WITH_OPTIONS,
    SCALE_VALUES,
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireResponse,
)

__all__ = [
    "COMPETENCE_PROFILE_SCHEMA_VERSION",
    "CURRENT_STATE_SCHEMA_VERSION",
    "FEED_SNAPSHOT_SCHEMA_VERSION",
    "KINDS_WITH_OPTIONS",
    "MARKET_PLAN_SCHEMA_VERSION",
    "SCALE_VALUES",
    "SEARCH_PROFILE_SCHEMA_VERSION",
    "SKILL_LEVEL_MAX",
    "SKILL_LEVEL_MIN",
    "STAGE_ORDER",
    "STEP_ORDER",
    "AlertFrequency",
    "Answer",
    "Application",
    "ApplicationStatus",
    "ChangeKind",
    "ClientProfile",
    "CompetenceInventory",
    "CompetenceProfile",
    "CompetenceSkill",
    "CompetenceSource",
    "CurrentState",
    "CvKind",
    "CvUpload",
    "Driver",
    "DrivingLicence",
    "EconomicRunway",
    "Education",
    "EmploymentStatus",
    "Experience",
    "FeedSettings",
    "FeedSnapshot",
    "HiddenAd",
    "Hours",
    "JourneyChange",
    "JourneyStage",
    "JourneyStep",
    "LanguageLevel",
    "LanguageSkill",
    "MarketPlan",
    "Openness",
    "Priority",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireResponse",
    "RemoteWish",
    "SearchProfile",
    "SearchProfileSource",
    "SuggestedPath",
    "SuggestionStatus",
    "TransitionOutcome",
]
