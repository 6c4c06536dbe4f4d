"""Models of the client journey, one module per step; import them from `journey.models`.

- client: ClientProfile, JourneyStep, JourneyStage, EmploymentStatus (the anchor of everything)
- questionnaire: step 1 questionnaire as data and the client's answers
- current_state: step 1's output, CurrentState
- changes: JourneyChange, the "what changed" log
- competence: step 2's records and its output, CompetenceProfile
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
    "KINDS_WITH_OPTIONS",
    "SCALE_VALUES",
    "SKILL_LEVEL_MAX",
    "SKILL_LEVEL_MIN",
    "STAGE_ORDER",
    "STEP_ORDER",
    "Answer",
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
    "Hours",
    "JourneyChange",
    "JourneyStage",
    "JourneyStep",
    "LanguageLevel",
    "LanguageSkill",
    "Openness",
    "Priority",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireResponse",
    "RemoteWish",
    "SuggestedPath",
    "SuggestionStatus",
]
