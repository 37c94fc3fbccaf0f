"""ORM entities by aggregate; importing this package registers every table on ``Base``."""

from fuanjian_desktop.models.audit import AuditEvent, OutboxEntry
from fuanjian_desktop.models.case import (
    Case,
    CaseDeadlineRow,
    CaseDocument,
    CaseEvent,
    CaseHandler,
    CaseLink,
    CaseRemedy,
    CaseViolation,
)
from fuanjian_desktop.models.dossier import CaseDossier, CaseMedia, CasePhoto, DocumentScan
from fuanjian_desktop.models.evidence import EvidenceFile, InspectionPhoto
from fuanjian_desktop.models.inspection import (
    ChecklistVersion,
    Hazard,
    Inspection,
    InspectionAnswer,
    InspectionInspector,
    RecheckFinding,
)
from fuanjian_desktop.models.journal import DraftJournal
from fuanjian_desktop.models.numbering import IssuedNumber, NumberBlock
from fuanjian_desktop.models.org import Squad, User, UserRole
from fuanjian_desktop.models.registry import Enterprise, EnterpriseCategory
from fuanjian_desktop.models.settings import LocalSetting
from fuanjian_desktop.models.sync import (
    ReferenceFile,
    SyncBase,
    SyncBatch,
    SyncConflict,
    SyncState,
)

__all__ = [
    "AuditEvent",
    "Case",
    "CaseDeadlineRow",
    "CaseDocument",
    "CaseDossier",
    "CaseEvent",
    "CaseHandler",
    "CaseLink",
    "CaseMedia",
    "CasePhoto",
    "CaseRemedy",
    "CaseViolation",
    "ChecklistVersion",
    "DocumentScan",
    "DraftJournal",
    "Enterprise",
    "EnterpriseCategory",
    "EvidenceFile",
    "Hazard",
    "Inspection",
    "InspectionAnswer",
    "InspectionInspector",
    "InspectionPhoto",
    "IssuedNumber",
    "LocalSetting",
    "NumberBlock",
    "OutboxEntry",
    "RecheckFinding",
    "ReferenceFile",
    "Squad",
    "SyncBase",
    "SyncBatch",
    "SyncConflict",
    "SyncState",
    "User",
    "UserRole",
]
