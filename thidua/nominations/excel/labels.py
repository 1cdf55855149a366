"""The sheet's vocabulary: the key of each column, its label, the header texts it answers to, and
the words of the drop-down lists (Loại, Đối tượng, Giới tính, Đối tượng thi đua).

All Vietnamese whatever the interface language: the sheets are Vietnamese administrative documents.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation

from thidua.core.text import fold
from thidua.movements.choices import ParticipantKind
from thidua.nominations.choices import CollectiveKind, Gender, IndividualCategory, NomineeKind

STT = "stt"
NAME = "name"
BIRTH = "birth"
MALE = "birth_male"
FEMALE = "birth_female"
GENDER = "gender"
GENDER_MALE = "gender_male"  # "x" marks under a "Giới tính" header split into Nam | Nữ
GENDER_FEMALE = "gender_female"
ETHNICITY = "ethnicity"
POSITION_UNIT = "position_unit"
POSITION = "position"
UNIT = "unit"
SUMMARY = "summary"
AWARD = "award"
NOTE = "note"
KIND = "kind"
CATEGORY = "category"
CITATION = "citation"
LEADER = "leader"
CONTENT_AREA = "content_area"
PARTICIPANT_KIND = "participant_kind"
AWARD_NAME = "award_name"
DECISION_NUMBER = "decision_number"
DECISION_DATE = "decision_date"
ISSUER = "issuer"
ERRORS = "errors"

# A column's label names it in error messages and in the "Lỗi" column.
LABELS = {
    STT: "STT",
    NAME: "Họ và tên",
    BIRTH: "Năm sinh",
    MALE: "Nam",
    FEMALE: "Nữ",
    GENDER: "Giới tính",
    GENDER_MALE: "Giới tính",
    GENDER_FEMALE: "Giới tính",
    ETHNICITY: "Dân tộc",
    POSITION_UNIT: "Chức vụ – Đơn vị công tác",
    POSITION: "Chức vụ",
    UNIT: "Đơn vị công tác",
    SUMMARY: "Tóm tắt thành tích",
    AWARD: "Hình thức đề nghị",
    NOTE: "Ghi chú",
    KIND: "Loại",
    CATEGORY: "Đối tượng",
    CITATION: "Trích lời khen",
    LEADER: "Người đứng đầu",
    CONTENT_AREA: "Nội dung thi đua",
    PARTICIPANT_KIND: "Đối tượng thi đua",
    AWARD_NAME: "Hình thức khen thưởng",
    DECISION_NUMBER: "Số quyết định",
    DECISION_DATE: "Ngày quyết định",
    ISSUER: "Cơ quan quyết định",
    ERRORS: "Lỗi",
}
REGISTER_LABELS = {**LABELS, UNIT: "Đơn vị"}

# Aliases are folded header texts (see sheet.header_key). One-word aliases match exactly; longer ones
# also match as a prefix ("ho va ten" matches "ho va ten ca nhan ten tap the"); the longest wins.
_COMMON_ALIASES = {
    STT: ["stt", "tt", "so tt", "so thu tu"],
    NAME: [
        "ho va ten",
        "ho ten",
        "ten tap the",
        "ten ca nhan tap the",
        "ten ca nhan",
        "ho va ten ten tap the",
    ],
    BIRTH: ["nam sinh", "ngay sinh", "ngay thang nam sinh", "sinh ngay"],
    MALE: ["nam", "nam sinh nam"],
    FEMALE: ["nu", "nam sinh nu"],
    GENDER: ["gioi tinh", "gioi"],
    NOTE: ["ghi chu"],
    ERRORS: ["loi"],
}
NOMINEE_ALIASES = {
    **_COMMON_ALIASES,
    ETHNICITY: ["dan toc"],
    POSITION_UNIT: [
        "chuc vu don vi",
        "chuc vu va don vi",
        "chuc vu noi cong tac",
        "chuc vu co quan",
        "chuc danh don vi",
        "chuc vu chuc danh don vi",
        "chuc vu chuc danh noi cong tac",
    ],
    POSITION: ["chuc vu", "chuc danh", "chuc vu chuc danh"],
    UNIT: ["don vi", "don vi cong tac", "noi cong tac", "co quan don vi", "co quan don vi cong tac"],
    SUMMARY: ["tom tat thanh tich", "thanh tich", "thanh tich dat duoc", "tom tat thanh tich dat duoc"],
    AWARD: [
        "hinh thuc de nghi",
        "hinh thuc khen thuong",
        "hinh thuc khen thuong de nghi",
        "hinh thuc de nghi khen thuong",
        "de nghi hinh thuc",
        "de nghi khen thuong",
    ],
    KIND: ["loai", "loai ca nhan tap the", "ca nhan tap the", "ca nhan hay tap the"],
    CATEGORY: ["doi tuong", "phan loai doi tuong"],
    CITATION: ["trich loi khen", "loi khen", "noi dung trich loi khen", "loi trich"],
    LEADER: ["nguoi dung dau", "thu truong", "thu truong don vi", "ho ten thu truong"],
    # Optional. "Đối tượng thi đua" is the plan's participant kind, not the "Đối tượng" column
    # (the longer alias wins).
    CONTENT_AREA: ["noi dung thi dua", "thuoc noi dung thi dua", "linh vuc thi dua"],
    PARTICIPANT_KIND: ["doi tuong thi dua", "nhom doi tuong thi dua"],
}
REGISTER_ALIASES = {
    **_COMMON_ALIASES,
    UNIT: [
        "don vi",
        "don vi cong tac",
        "noi cong tac",
        "co quan don vi",
        "chuc vu don vi",
        "chuc vu va don vi",
        "chuc vu noi cong tac",
    ],
    AWARD_NAME: [
        "hinh thuc khen thuong",
        "hinh thuc",
        "hinh thuc danh hieu",
        "danh hieu",
        "danh hieu hinh thuc",
        "danh hieu thi dua",
    ],
    DECISION_NUMBER: ["so quyet dinh", "so qd", "quyet dinh so", "so ky hieu", "so ky hieu quyet dinh"],
    DECISION_DATE: ["ngay quyet dinh", "ngay qd", "ngay ky", "ngay ban hanh", "ngay ky quyet dinh"],
    ISSUER: ["co quan quyet dinh", "co quan ban hanh", "cap quyet dinh", "co quan khen thuong", "cap khen"],
}


# Labels of earlier templates → the value they are read as.
LEGACY_CATEGORIES = {
    "Lãnh đạo cấp tỉnh, cấp sở": IndividualCategory.LEADER_PROVINCE.value,
}


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """Folded label/code → value for the sheet's drop-downs, and the labels, in Vietnamese."""
    with translation.override("vi"):
        kinds = {fold(str(c.label)): c.value for c in NomineeKind} | {c.value: c.value for c in NomineeKind}
        categories = {fold(str(c.label)): c.value for c in IndividualCategory}
        categories |= {c.value: c.value for c in IndividualCategory}
        # Before the two leader levels were split (form 0602/0603 rows 10 and 11), the template
        # offered one "Lãnh đạo cấp tỉnh, cấp sở": an old sheet still imports, as the province
        # level, the value it was stored under.
        categories |= {fold(label): value for label, value in LEGACY_CATEGORIES.items()}
        collective = {fold(str(c.label)): c.value for c in CollectiveKind}
        collective |= {c.value: c.value for c in CollectiveKind}
        genders = {fold(str(c.label)): c.value for c in Gender} | {c.value: c.value for c in Gender}
        participants = {fold(str(c.label)): c.value for c in ParticipantKind}
        participants |= {c.value: c.value for c in ParticipantKind}
        labels = {
            "kind": {c.value: str(c.label) for c in NomineeKind},
            "category": {c.value: str(c.label) for c in IndividualCategory},
            "collective": {c.value: str(c.label) for c in CollectiveKind},
            "participant_kind": {c.value: str(c.label) for c in ParticipantKind},
        }
    return {
        "kind": kinds,
        "category": categories,
        "collective": collective,
        "gender": genders,
        "participant_kind": participants,
        "labels": labels,
    }
