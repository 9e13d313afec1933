"""Vietnamese names for a case kept as an Excel workbook: sheet names, column headers and help texts.

Plain data for `xlsx.py`: one sheet per kind of fact (`SHEETS`), one column per field (`HEADERS`),
the cell's own fields on a two-column key/value sheet (`CELL_SHEET`, `CELL_HEADERS`) and an
instruction sheet (`INSTRUCTIONS_SHEET`, `HELP`, `FIELD_HELP`). The wording follows the "ý nghĩa"
column of docs/case-format.md.

A header or sheet name is matched loosely, as secretaries type it: the English field (kind) name or
the Vietnamese name, compared after `values.fold()` (any case, NFC or NFD, with or without
diacritics), with surrounding spaces ignored and `_`, `-` and runs of spaces read alike.
"""

from __future__ import annotations

from .models import FACT_MODELS, Cell
from .values import fold

INSTRUCTIONS_SHEET = "Hướng dẫn"
CELL_SHEET = "Chi bộ"

# Excel: at most 31 characters, none of []:*?/\ ; names are compared ignoring case (here: after fold()).
SHEETS: dict[str, str] = {
    "people": "Nhân sự",
    "resolutions": "Nghị quyết",
    "briefings": "Quán triệt NQ",
    "hcm_registrations": "Đăng ký làm theo Bác",
    "hcm_items": "Nội dung làm theo Bác",
    "meetings": "Sinh hoạt chi bộ",
    "inspections": "Kiểm tra của chi bộ",
    "supervisions": "Giám sát",
    "violations": "Vi phạm",
    "misconduct": "Vụ việc tiêu cực",
    "household_tasks": "Phần việc gia đình",
    "movements": "Phong trào, hội thi",
    "ratings": "Xếp loại viên chức",
    "good_teachers": "Giáo viên dạy giỏi",
    "emulation_titles": "Danh hiệu thi đua",
    "student_figures": "Số liệu học sinh",
    "dropouts": "Học sinh bỏ học",
    "youth_admissions": "Kết nạp đoàn viên",
    "online_contests": "Thi trên Internet",
    "universal_education": "Phổ cập giáo dục",
    "organisation_ratings": "Xếp loại đoàn thể",
    "school_titles": "Danh hiệu nhà trường",
    "mobilisation_models": "Dân vận khéo",
    "qccm_checks": "Kiểm tra QCCM",
    "disclosures": "Công khai",
    "documents": "Văn bản",
    "hcm_awards": "Khen thưởng ý tưởng sáng tạo",
    "timesheets": "Chấm công",
    "absences": "Vắng mặt, đi trễ, về sớm",
    "good_deeds": "Việc làm tốt",
    "decisions": "Quyết nghị của chi bộ",
    "exemptions": "Miễn trừ",
    "assignments": "Phân công phụ trách",
}

CELL_HEADERS: dict[str, str] = {
    "name": "Tên chi bộ",
    "party_committee": "Đảng bộ cấp trên",
    "plan_year": "Năm kế hoạch",
    "school": "Tên trường",
    "secretary": "Mã bí thư chi bộ",
}

HEADERS: dict[str, dict[str, str]] = {
    "people": {
        "ref": "Mã",
        "name": "Họ và tên",
        "party_member": "Đảng viên",
        "group": "Nhóm",
        "position": "Chức vụ",
        "qualification": "Trình độ so với chuẩn",
        "committee_member": "Chi ủy viên",
        "candidate": "Quần chúng ưu tú",
        "mentor": "Mã người giúp đỡ",
        "reduction": "Số tiết được giảm",
        "reduction_reason": "Lý do giảm tiết",
    },
    "resolutions": {
        "ref": "Mã nghị quyết",
        "title": "Tên nghị quyết",
        "level": "Cấp ban hành",
        "issued": "Ngày ban hành",
        "brief_by": "Hạn quán triệt",
    },
    "briefings": {
        "resolution": "Mã nghị quyết",
        "person": "Mã người dự",
        "date": "Ngày dự quán triệt",
    },
    "hcm_registrations": {
        "person": "Mã người đăng ký",
        "year": "Năm",
        "registered": "Ngày đăng ký",
        "assessment": "Kết quả đánh giá",
    },
    "hcm_items": {
        "person": "Mã người đăng ký",
        "item": "Nội dung đăng ký",
        "registered": "Ngày đăng ký",
    },
    "meetings": {
        "ref": "Mã buổi sinh hoạt",
        "date": "Ngày họp",
        "kind": "Loại sinh hoạt",
        "story": "Câu chuyện về Bác",
        "story_presenter": "Mã người kể chuyện",
        "commended": "Mã người được tuyên dương",
    },
    "inspections": {
        "ref": "Mã cuộc kiểm tra",
        "kind": "Loại kiểm tra",
        "date": "Ngày kiểm tra",
        "person": "Mã đảng viên được kiểm tra",
        "topic": "Nội dung kiểm tra",
    },
    "supervisions": {
        "ref": "Mã cuộc giám sát",
        "person": "Mã đảng viên được giám sát",
        "date": "Ngày giám sát",
        "topic": "Nội dung giám sát",
    },
    "violations": {
        "ref": "Mã vụ vi phạm",
        "person": "Mã người vi phạm",
        "date": "Ngày vi phạm",
        "description": "Mô tả vi phạm",
        "charter": "Vi phạm Điều lệ Đảng",
    },
    "misconduct": {
        "ref": "Mã vụ việc",
        "person": "Mã người liên quan",
        "date": "Ngày phát hiện",
        "description": "Mô tả vụ việc",
        "status": "Tình trạng xử lý",
        "handled_on": "Ngày xử lý xong",
    },
    "household_tasks": {
        "person": "Mã người thực hiện",
        "task": "Phần việc số",
        "done": "Đã thực hiện tốt",
    },
    "movements": {
        "person": "Mã người tham gia",
        "movement": "Tên phong trào, hội thi",
        "date": "Ngày tham gia",
    },
    "ratings": {
        "person": "Mã người được xếp loại",
        "year": "Năm đánh giá",
        "rating": "Mức xếp loại",
    },
    "good_teachers": {
        "person": "Mã giáo viên dự thi",
        "school_year": "Năm học",
        "result": "Kết quả",
    },
    "emulation_titles": {
        "person": "Mã người đạt danh hiệu",
        "year": "Năm",
        "title": "Danh hiệu",
    },
    "student_figures": {
        "school_year": "Năm học",
        "grade": "Khối lớp",
        "enrolled": "Sĩ số",
        "attending": "Số HS ra lớp",
        "mobilisation_target": "Chỉ tiêu huy động ra lớp",
        "health_insured": "Số HS có BHYT",
        "dropouts": "Số HS bỏ học",
        "good": "Số HS giỏi",
        "fair": "Số HS khá",
        "average": "Số HS trung bình",
        "weak": "Số HS yếu",
        "poor": "Số HS kém",
        "intake_eligible": "Số trẻ đủ điều kiện vào lớp 6",
        "intake_enrolled": "Số trẻ đã vào lớp 6",
        "graduation_candidates": "Số HS được xét tốt nghiệp",
        "graduated": "Số HS tốt nghiệp",
    },
    "dropouts": {
        "ref": "Mã trường hợp",
        "student": "Họ tên, lớp của học sinh",
        "grade": "Khối lớp",
        "left_on": "Ngày bỏ học",
        "visited_on": "Ngày đến nhà vận động",
        "returned": "Đã trở lại lớp",
    },
    "youth_admissions": {
        "date": "Ngày kết nạp",
        "grade": "Khối lớp",
        "admitted": "Số HS được kết nạp",
    },
    "online_contests": {
        "school_year": "Năm học",
        "contest": "Cuộc thi",
        "grade": "Khối lớp",
        "participants": "Số HS tham gia",
    },
    "universal_education": {
        "year": "Năm",
        "cohort_15_18": "Số thanh thiếu niên 15-18 tuổi",
        "completed": "Số đã tốt nghiệp THCS",
        "rate": "Tỷ lệ tốt nghiệp THCS (%)",
    },
    "organisation_ratings": {
        "organisation": "Đoàn thể",
        "year": "Năm",
        "rating": "Xếp loại",
    },
    "school_titles": {
        "title": "Danh hiệu",
        "year": "Năm",
        "result": "Kết quả",
        "date": "Ngày công nhận",
    },
    "mobilisation_models": {
        "model": "Mã mô hình",
        "date": "Ngày hoạt động",
        "activity": "Nội dung hoạt động",
    },
    "qccm_checks": {
        "date": "Ngày kiểm tra",
        "scope": "Nội dung kiểm tra",
        "result": "Kết quả",
    },
    "disclosures": {
        "kind": "Nội dung công khai",
        "date": "Ngày công khai",
        "place": "Nơi công khai",
    },
    "documents": {
        "kind": "Loại văn bản",
        "date": "Ngày văn bản",
        "title": "Trích yếu văn bản",
    },
    "hcm_awards": {
        "date": "Ngày khen thưởng",
        "recipient": "Cá nhân, tập thể được khen",
        "idea": "Ý tưởng được khen",
    },
    "timesheets": {
        "person": "Mã cán bộ",
        "week": "Tuần (thứ Hai)",
        "hours": "Số giờ làm việc",
        "periods": "Số tiết dạy",
    },
    "absences": {
        "person": "Mã cán bộ",
        "date": "Ngày",
        "kind": "Loại",
        "reason": "Lý do",
    },
    "good_deeds": {
        "person": "Mã người làm việc tốt",
        "date": "Ngày làm việc tốt",
        "deed": "Việc làm tốt",
    },
    "decisions": {
        "ref": "Mã quyết nghị",
        "meeting": "Mã buổi sinh hoạt",
        "task": "Nội dung công việc",
        "owner": "Mã người thực hiện",
        "due": "Hạn hoàn thành",
        "done_on": "Ngày hoàn thành",
    },
    "exemptions": {
        "ref": "Mã miễn trừ",
        "rules": "Mã các yêu cầu được miễn",
        "person": "Mã người được miễn",
        "start": "Miễn từ ngày",
        "end": "Miễn đến ngày",
        "reason": "Lý do miễn",
        "approved_by": "Người, cấp phê duyệt",
        "approved_on": "Ngày phê duyệt",
        "expires": "Ngày hết hiệu lực",
    },
    "assignments": {
        "scope": "Yêu cầu hoặc mục kế hoạch",
        "person": "Mã người phụ trách",
    },
}

# What one row of each sheet is, for the instruction sheet.
HELP: dict[str, str] = {
    "people": "Mỗi dòng là một cán bộ, giáo viên, nhân viên của trường, đảng viên hay không.",
    "resolutions": "Mỗi dòng là một nghị quyết phải quán triệt cho cán bộ, đảng viên.",
    "briefings": "Mỗi dòng là một người đã dự học tập, quán triệt một nghị quyết.",
    "hcm_registrations": "Mỗi dòng là bản đăng ký học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
                         "của một người trong một năm, kèm kết quả đánh giá.",
    "hcm_items": "Mỗi dòng là một nội dung học tập, làm theo Bác mà một người chọn đăng ký.",
    "meetings": "Mỗi dòng là một buổi sinh hoạt chi bộ.",
    "inspections": "Mỗi dòng là một cuộc kiểm tra của chi bộ (chấp hành hoặc chuyên đề).",
    "supervisions": "Mỗi dòng là một lần chi bộ giám sát một đảng viên.",
    "violations": "Mỗi dòng là một vi phạm của một người.",
    "misconduct": "Mỗi dòng là một vụ việc tiêu cực phát hiện trong đơn vị.",
    "household_tasks": "Mỗi dòng là kết quả một phần việc gia đình (trong 15 phần việc xây dựng nông thôn mới) "
                       "của một người.",
    "movements": "Mỗi dòng là một người tham gia một phong trào hay hội thi.",
    "ratings": "Mỗi dòng là kết quả đánh giá, xếp loại cuối năm của một người.",
    "good_teachers": "Mỗi dòng là một giáo viên dự thi giáo viên dạy giỏi trong một năm học, và kết quả.",
    "emulation_titles": "Mỗi dòng là một danh hiệu thi đua một người đạt trong một năm.",
    "student_figures": "Mỗi dòng là số liệu tổng hợp học sinh của một khối lớp trong một năm học; "
                       "ô trống là chưa có số liệu (khác với 0).",
    "dropouts": "Mỗi dòng là một học sinh bỏ học giữa chừng.",
    "youth_admissions": "Mỗi dòng là một đợt kết nạp học sinh một khối vào Đoàn TNCS Hồ Chí Minh; "
                        "một ngày, một khối chỉ một dòng.",
    "online_contests": "Mỗi dòng là số học sinh một khối tham gia một cuộc thi trên Internet trong một năm học.",
    "universal_education": "Mỗi dòng là số liệu phổ cập giáo dục THCS trên địa bàn trong một năm.",
    "organisation_ratings": "Mỗi dòng là kết quả xếp loại một đoàn thể trong trường trong một năm.",
    "school_titles": "Mỗi dòng là một danh hiệu hay kết quả đánh giá của nhà trường trong một năm; "
                     "mỗi danh hiệu mỗi năm chỉ một dòng.",
    "mobilisation_models": "Mỗi dòng là một hoạt động của một mô hình dân vận khéo.",
    "qccm_checks": "Mỗi dòng là một lần kiểm tra việc thực hiện quy chế chuyên môn (QCCM), nội quy cơ quan.",
    "disclosures": "Mỗi dòng là một lần công khai một nội dung.",
    "documents": "Mỗi dòng là một văn bản (kế hoạch, báo cáo, biên bản…) làm minh chứng.",
    "hcm_awards": "Mỗi dòng là một khen thưởng cho cá nhân hoặc tập thể có ý tưởng sáng tạo về học tập "
                  "và làm theo Bác.",
    "timesheets": "Mỗi dòng là số giờ làm việc và/hoặc số tiết dạy của một người trong một tuần.",
    "absences": "Mỗi dòng là một lượt vắng mặt, đi trễ hoặc về sớm của một người.",
    "good_deeds": "Mỗi dòng là một việc làm tốt của một người, ghi nhận giữa hai buổi sinh hoạt chi bộ; "
                  "buổi sinh hoạt định kỳ kế tiếp đề nghị tuyên dương người đó.",
    "decisions": "Mỗi dòng là một việc một buổi sinh hoạt chi bộ quyết nghị giao: nội dung, người thực hiện, "
                 "hạn và ngày hoàn thành.",
    "exemptions": "Mỗi dòng là một miễn trừ có văn bản: các yêu cầu của kế hoạch không áp dụng cho một người "
                  "(hoặc cả chi bộ) trong một khoảng thời gian, kèm lý do, người phê duyệt và ngày hết hiệu lực.",
    "assignments": "Mỗi dòng là người chịu trách nhiệm một yêu cầu (vd. R41) hoặc một mục kế hoạch (vd. B.I.4); "
                   "báo cáo ghi tên người này bên cạnh các thiếu sót của yêu cầu, mục đó.",
}

_DATE = "Ngày dd/mm/yyyy, vd. 05/09/2020"
_YES_NO = "có hoặc không"
_COUNT = "Số nguyên, không có phần thập phân"
_YEAR = "Năm, vd. 2020"
_SCHOOL_YEAR = "Năm học yyyy-yyyy, vd. 2020-2021"
_GRADE = "Khối lớp 1–12"
_PERSON = f"Một mã trong cột Mã của trang {SHEETS['people']}"
_PEOPLE = f"Các mã trong trang {SHEETS['people']}, ngăn cách bằng dấu ';', vd. P08;P12"

# Short hints, only where the format matters.
FIELD_HELP: dict[str, dict[str, str]] = {
    "cell": {"plan_year": _YEAR, "secretary": _PERSON},
    "people": {
        "ref": "Mã duy nhất của mỗi người, vd. P01",
        "party_member": _YES_NO,
        "committee_member": _YES_NO,
        "candidate": _YES_NO,
        "mentor": _PERSON,
        "reduction": "Số tiết được giảm mỗi tuần so với định mức; số nguyên, để trống là 0",
    },
    "resolutions": {"ref": "Mã duy nhất, vd. NQ-DU-01", "issued": _DATE, "brief_by": _DATE},
    "briefings": {"resolution": f"Một mã trong trang {SHEETS['resolutions']}", "person": _PERSON, "date": _DATE},
    "hcm_registrations": {"person": _PERSON, "year": _YEAR, "registered": _DATE},
    "hcm_items": {"person": _PERSON, "registered": _DATE},
    "meetings": {"date": _DATE, "story_presenter": _PERSON, "commended": _PEOPLE},
    "inspections": {"date": _DATE, "person": _PERSON + "; để trống với kiểm tra chuyên đề"},
    "supervisions": {"person": _PERSON, "date": _DATE},
    "violations": {"person": _PERSON, "date": _DATE, "charter": _YES_NO},
    "misconduct": {"person": _PERSON, "date": _DATE, "handled_on": _DATE},
    "household_tasks": {"person": _PERSON, "task": "Số thứ tự phần việc, số nguyên 1–99", "done": _YES_NO},
    "movements": {"person": _PERSON, "date": _DATE},
    "ratings": {"person": _PERSON, "year": _YEAR},
    "good_teachers": {"person": _PERSON, "school_year": _SCHOOL_YEAR},
    "emulation_titles": {"person": _PERSON, "year": _YEAR},
    "student_figures": {
        "school_year": _SCHOOL_YEAR,
        "grade": _GRADE,
        **{name: _COUNT for name in (
            "enrolled", "attending", "mobilisation_target", "health_insured", "dropouts", "good", "fair",
            "average", "weak", "poor", "intake_eligible", "intake_enrolled", "graduation_candidates", "graduated",
        )},
    },
    "dropouts": {"grade": _GRADE, "left_on": _DATE, "visited_on": _DATE, "returned": _YES_NO},
    "youth_admissions": {"date": _DATE, "grade": _GRADE, "admitted": _COUNT},
    "online_contests": {"school_year": _SCHOOL_YEAR, "grade": _GRADE, "participants": _COUNT},
    "universal_education": {
        "year": _YEAR,
        "cohort_15_18": _COUNT,
        "completed": _COUNT,
        "rate": "Tỷ lệ phần trăm, vd. 95,5% (không ghi 0,955)",
    },
    "organisation_ratings": {"year": _YEAR},
    "school_titles": {"year": _YEAR, "date": _DATE},
    "mobilisation_models": {"date": _DATE},
    "qccm_checks": {"date": _DATE},
    "disclosures": {"date": _DATE},
    "documents": {"date": _DATE},
    "hcm_awards": {"date": _DATE},
    "timesheets": {
        "person": _PERSON,
        "week": "Ngày thứ Hai đầu tuần, dd/mm/yyyy",
        "hours": "Số giờ trong tuần, vd. 40 hoặc 37,5",
        "periods": _COUNT,
    },
    "absences": {"person": _PERSON, "date": _DATE},
    "good_deeds": {"person": _PERSON, "date": _DATE},
    "decisions": {
        "ref": "Mã duy nhất, vd. QN-2020-03-1",
        "meeting": f"Một mã trong cột Mã buổi sinh hoạt của trang {SHEETS['meetings']}",
        "owner": _PERSON,
        "due": _DATE,
        "done_on": _DATE + "; để trống khi chưa hoàn thành",
    },
    "exemptions": {
        "ref": "Mã duy nhất, vd. MT-01",
        "rules": "Các mã yêu cầu, ngăn cách bằng dấu ';', vd. R41;R42",
        "person": _PERSON + "; để trống khi miễn cho cả chi bộ",
        "start": _DATE,
        "end": _DATE + "; không trước ngày bắt đầu",
        "approved_by": "Chức vụ, họ tên người phê duyệt hoặc tên cấp ủy, cơ quan phê duyệt",
        "approved_on": _DATE,
        "expires": _DATE + "; từ sau ngày này miễn trừ không còn áp dụng",
    },
    "assignments": {
        "scope": "Mã yêu cầu (vd. R41) hoặc mục kế hoạch (vd. B.I.4); mỗi mã chỉ một dòng",
        "person": _PERSON,
    },
}


def _key(text: str) -> str:
    """fold(), with '_', '-' and runs of spaces read as one space."""
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


def _field_keys() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    for kind, names, headers in [("cell", list(Cell.model_fields), CELL_HEADERS)] + [
        (k, list(m.model_fields), HEADERS.get(k, {})) for k, m in FACT_MODELS.items()
    ]:
        table = {_key(header): name for name, header in headers.items()}
        table.update({_key(name): name for name in names})  # an English field name always wins
        tables[kind] = table
    return tables


_FIELDS = _field_keys()
_KINDS = {
    **{_key(name): kind for kind, name in SHEETS.items()},
    **{_key(kind): kind for kind in FACT_MODELS},
    _key(CELL_SHEET): "cell",
    _key("cell"): "cell",
}


def header_to_field(kind: str, header: str) -> str | None:
    """The field a column header of `kind` ("cell" for the cell sheet) names, or None."""
    return _FIELDS.get(kind, {}).get(_key(header))


def sheet_to_kind(name: str) -> str | None:
    """The kind a sheet holds ("cell" for the cell sheet), or None (also for the instruction sheet)."""
    return _KINDS.get(_key(name))
