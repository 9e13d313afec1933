#!/usr/bin/env python3
"""Write the example cases of two Party cells of Vĩnh Bình Nam commune for the year 2020.

    python3 tools/make_example_cases.py        (from the project root)

cases/vbn1-2020-compliant/  a realistic year in which every measurable target of the plan is met;
cases/vbn1-2020/            the same year with six deliberate, documented gaps (see GAPS below and
                            the README the script writes into that folder), and one meeting ready and
                            one not ready for the pre-meeting review (same good deeds, decisions and
                            assignments as the compliant case);
cases/vbn2-2020/            Vĩnh Bình Nam 2, another school of the same commune (for a commune
                            roll-up): ten gap rules, two of them critical, and three exemptions.

Standard library only, no randomness: running it twice gives byte-identical files. Both folders are
deleted and rewritten on every run, README.md included, so edit this script, not the case files.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import shutil
from pathlib import Path

D = dt.date.fromisoformat
ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
COMPLIANT_DIR = "vbn1-2020-compliant"
GAPS_DIR = "vbn1-2020"

# ============================================================================================
# DATA
# ============================================================================================

CELL = {
    "name": "Chi bộ trường THCS Vĩnh Bình Nam 1",
    "party_committee": "Đảng bộ xã Vĩnh Bình Nam",
    "plan": "vbn1-2020",
    "plan_year": 2020,
    "unit": "Trường THCS Vĩnh Bình Nam 1, huyện Vĩnh Thuận, tỉnh Kiên Giang",
    "secretary": "P03",
    # the header and closing of its Party documents (--format docx, --minutes); vbn2-2020 leaves them out, so
    # its documents show the blanks a secretary fills in by hand
    "place": "Vĩnh Bình Nam",
    "recipients": ["Đảng ủy xã Vĩnh Bình Nam (để báo cáo)", "Các đồng chí chi ủy viên", "Lưu chi bộ"],
    "document_code": "CB",
}

# Column order of every fact file: field names of the kinds the vbn1-2020 plan declares (rules/library/kinds,
# extended by rules/vbn1-2020/kinds); the loader reads columns by header, in any order.
FIELDS = {
    "people": ["ref", "name", "party_member", "group", "position", "qualification", "committee_member",
               "candidate", "mentor", "reduction", "reduction_reason"],
    "resolutions": ["ref", "title", "level", "issued", "brief_by"],
    "briefings": ["resolution", "person", "date"],
    "hcm_registrations": ["person", "year", "registered", "assessment"],
    "hcm_items": ["person", "item", "registered"],
    "meetings": ["ref", "date", "kind", "story", "story_presenter", "commended"],
    "inspections": ["ref", "kind", "date", "person", "topic"],
    "supervisions": ["ref", "person", "date", "topic"],
    "violations": ["ref", "person", "date", "description", "charter"],
    "misconduct": ["ref", "person", "date", "description", "status", "handled_on"],
    "household_tasks": ["person", "task", "done"],
    "movements": ["person", "movement", "date"],
    "ratings": ["person", "year", "rating"],
    "good_teachers": ["person", "school_year", "result"],
    "emulation_titles": ["person", "year", "title"],
    "student_figures": ["school_year", "grade", "enrolled", "attending", "mobilisation_target", "health_insured",
                        "dropouts", "good", "fair", "average", "weak", "poor", "intake_eligible",
                        "intake_enrolled", "graduation_candidates", "graduated"],
    "dropouts": ["ref", "student", "grade", "left_on", "visited_on", "returned"],
    "youth_admissions": ["date", "grade", "admitted"],
    "online_contests": ["school_year", "contest", "grade", "participants"],
    "universal_education": ["year", "cohort_15_18", "completed"],
    "organisation_ratings": ["organisation", "year", "rating"],
    "school_titles": ["title", "year", "result", "date"],
    "mobilisation_models": ["model", "date", "activity"],
    "qccm_checks": ["date", "scope", "result"],
    "disclosures": ["kind", "date", "place"],
    "documents": ["kind", "date", "title"],
    "hcm_awards": ["date", "recipient", "idea"],
    "timesheets": ["person", "week", "hours", "periods"],
    "absences": ["person", "date", "kind", "reason"],
    "good_deeds": ["person", "date", "deed"],
    "decisions": ["ref", "meeting", "task", "owner", "due", "done_on"],
    "exemptions": ["ref", "rules", "person", "start", "end", "reason", "approved_by", "approved_on", "expires"],
    "assignments": ["scope", "person"],
}
# Kinds a case may leave out (no file written): only cases/vbn2-2020 documents exemptions.
OPTIONAL_KINDS = {"exemptions"}

# --- Staff: (ref, name, group, position, party member, qualification, reduction, reduction reason) ----
# 36 people: 2 managers, 26 classroom teachers, the Pioneer leader, 5 administrative staff, 2 guards.
# The school has 13 classes (4 of grade 6, 3 each of grades 7-9), so it is not a class-I school:
# the cell secretary's reduction is 3 periods (4 only at a class-I school).
STAFF = [
    ("P01", "Nguyễn Văn Hùng", "manager", "principal", True, "above_standard", 0, None),
    ("P02", "Trần Thị Thu Hà", "manager", "vice_principal", True, "above_standard", 0, None),
    ("P03", "Đặng Thị Mỹ Trang", "teacher", "teacher", True, "above_standard", 3, "Bí thư chi bộ (trường hạng III)"),
    ("P04", "Lê Minh Tuấn", "teacher", "teacher", True, "above_standard", 3, "Tổ trưởng tổ Khoa học tự nhiên"),
    ("P05", "Huỳnh Thị Kim Loan", "teacher", "teacher", True, "above_standard", 3, "Tổ trưởng tổ Khoa học xã hội"),
    ("P06", "Phạm Thị Ngọc Bích", "teacher", "teacher", True, "above_standard", 3,
     "Tổ trưởng tổ Ngoại ngữ – Năng khiếu"),
    ("P07", "Võ Văn Thành", "teacher", "teacher", True, "above_standard", 3, "Chủ tịch Công đoàn cơ sở"),
    ("P08", "Nguyễn Thị Thanh Thúy", "teacher", "teacher", True, "above_standard", 4, "Chủ nhiệm lớp 9A1"),
    ("P09", "Trương Văn Phúc", "teacher", "teacher", True, "above_standard", 4, "Chủ nhiệm lớp 9A2"),
    ("P10", "Dương Thị Hồng Nhung", "teacher", "teacher", True, "above_standard", 4, "Chủ nhiệm lớp 9A3"),
    ("P11", "Lâm Quốc Khánh", "teacher", "teacher", True, "above_standard", 4, "Chủ nhiệm lớp 8A1"),
    ("P12", "Bùi Thị Diễm Phương", "teacher", "teacher", True, "above_standard", 4, "Chủ nhiệm lớp 8A2"),
    ("P13", "Châu Văn Lợi", "teacher", "teacher", True, "standard", 4, "Chủ nhiệm lớp 8A3"),
    ("P14", "Ngô Thị Cẩm Tú", "teacher", "teacher", True, "above_standard", 4, "Chủ nhiệm lớp 7A1"),
    ("P15", "Danh Hoàng Phong", "teacher", "teacher", True, "above_standard", 4, "Chủ nhiệm lớp 7A2"),
    ("P16", "Trần Ngọc Hân", "teacher", "teacher", False, "above_standard", 4, "Chủ nhiệm lớp 7A3"),
    ("P17", "Lý Thị Bảo Trân", "teacher", "teacher", False, "above_standard", 4, "Chủ nhiệm lớp 6A1"),
    ("P18", "Đoàn Văn Nghĩa", "teacher", "teacher", False, "standard", 4, "Chủ nhiệm lớp 6A2"),
    ("P19", "Hồ Thị Yến Nhi", "teacher", "teacher", False, "above_standard", 4, "Chủ nhiệm lớp 6A3"),
    ("P20", "Phan Thanh Tùng", "teacher", "teacher", False, "above_standard", 4, "Chủ nhiệm lớp 6A4"),
    ("P21", "Mai Thị Thu Thảo", "teacher", "teacher", False, "above_standard", 1, "Tổ phó tổ Khoa học tự nhiên"),
    ("P22", "Nguyễn Hoàng Duy", "teacher", "teacher", False, "above_standard", 1, "Tổ phó tổ Khoa học xã hội"),
    ("P23", "Tô Văn Hiếu", "teacher", "teacher", False, "above_standard", 3, "Phụ trách phòng học bộ môn Tin học"),
    ("P24", "Thạch Thị Ngọc Huyền", "teacher", "teacher", False, "above_standard", 0, None),
    ("P25", "Đinh Công Danh", "teacher", "teacher", False, "standard", 0, None),
    ("P26", "Cao Thị Mai Anh", "teacher", "teacher", False, "above_standard", 0, None),
    ("P27", "Lưu Văn Khoa", "teacher", "teacher", False, "above_standard", 0, None),
    ("P28", "Quách Thị Tuyết Mai", "teacher", "teacher", False, "above_standard", 0, None),
    ("P29", "Nguyễn Văn Toàn", "teacher", "pioneer_leader", True, "above_standard", 0, None),
    ("P30", "Phạm Thị Hồng Nhiên", "administrative", "clerk", False, "standard", 0, None),
    ("P31", "Lê Thị Ngọc Hạnh", "administrative", "accountant", True, "above_standard", 0, None),
    ("P32", "Trần Thị Kim Ngân", "administrative", "librarian", False, "standard", 0, None),
    ("P33", "Huỳnh Văn Út", "administrative", "equipment", False, "standard", 0, None),
    ("P34", "Võ Thị Thùy Dung", "administrative", "medical", False, "standard", 0, None),
    ("P35", "Nguyễn Văn Sang", "support", "security", False, None, 0, None),
    ("P36", "Lê Văn Mười", "support", "security", False, None, 0, None),
]
COMMITTEE = {"P01", "P02", "P03"}          # Ban chi ủy: phó bí thư (hiệu trưởng), chi ủy viên, bí thư
CANDIDATE, MENTOR = "P16", "P02"           # quần chúng ưu tú, kèm cặp bởi chi ủy viên

# (ref, title, level, issued, brief_by, briefing day, {person: make-up day})
RESOLUTIONS = [
    ("NQ-DU-01", ("Nghị quyết Ban Chấp hành Đảng bộ xã Vĩnh Bình Nam về nhiệm vụ phát triển kinh tế – xã hội, "
                  "quốc phòng – an ninh năm 2020"), "commune", "2020-01-03", "2020-01-20", "2020-01-13", {}),
    ("NQ-CB-01", "Nghị quyết Chi bộ trường THCS Vĩnh Bình Nam 1 về thực hiện nhiệm vụ chính trị năm 2020",
     "cell", "2020-01-06", "2020-01-20", "2020-01-13", {}),
    ("NQ-CB-02", "Nghị quyết Chi bộ về lãnh đạo phòng, chống dịch COVID-19 và đón học sinh trở lại trường",
     "cell", "2020-04-28", "2020-05-08", "2020-05-05", {}),
    ("NQ-DU-02", "Nghị quyết Đại hội đại biểu Đảng bộ xã Vĩnh Bình Nam nhiệm kỳ 2020–2025",
     "commune", "2020-06-26", "2020-08-31", "2020-08-12", {"P34": "2020-08-19"}),
    ("NQ-DU-03", "Nghị quyết Đảng ủy xã Vĩnh Bình Nam về nhiệm vụ trọng tâm 6 tháng cuối năm 2020",
     "commune", "2020-07-08", "2020-08-31", "2020-08-12", {"P34": "2020-08-19"}),
    ("NQ-CB-03", "Nghị quyết Chi bộ về lãnh đạo thực hiện nhiệm vụ năm học 2020–2021",
     "cell", "2020-09-04", "2020-09-30", "2020-09-21", {"P21": "2020-09-25"}),
    # Higher-level resolution, studied by party members only: R01 covers commune and cell levels only.
    ("NQ-HU-01", "Nghị quyết Đại hội đại biểu Đảng bộ huyện Vĩnh Thuận nhiệm kỳ 2020–2025",
     "higher", "2020-08-20", "2020-10-30", "2020-10-16", {}),
]

# Regular monthly meetings: (month, date, Uncle Ho story, presenter, commended members)
MEETINGS = [
    (1, "2020-01-03", "Bác Hồ với lời dạy “Mình vì mọi người”", "P05", ["P08", "P12"]),
    (2, "2020-02-04", "Bác Hồ với phong trào vệ sinh phòng bệnh", "P14", ["P31", "P09"]),
    (3, "2020-03-03", "Tấm gương tự học của Bác", "P11", ["P04", "P29"]),
    (4, "2020-04-24", "Bữa cơm đạm bạc của Bác", "P07", ["P02", "P13"]),
    (5, "2020-05-05", "Bác Hồ với các cháu thiếu nhi", "P29", ["P10", "P15"]),
    (6, "2020-06-03", "Chiếc đồng hồ", "P09", ["P06", "P11"]),
    (7, "2020-07-03", "Bác Hồ với thương binh, liệt sĩ", "P13", ["P07", "P14"]),
    (8, "2020-08-04", "Thời gian quý báu lắm", "P04", ["P03", "P05"]),
    (9, "2020-09-03", "Thư Bác gửi học sinh nhân ngày khai trường đầu tiên", "P08", ["P12", "P29"]),
    (10, "2020-10-05", "Giữ lời hứa", "P12", ["P01", "P09", "P31"]),
    (11, "2020-11-03", "Bác Hồ với các thầy, cô giáo", "P06", ["P08", "P10"]),
    (12, "2020-12-03", "Bác Hồ và tinh thần đại đoàn kết toàn dân tộc", "P15", ["P04", "P13"]),
]
THEMATIC_MEETINGS = ["2020-03-20", "2020-06-19", "2020-09-18", "2020-12-18"]

INSPECTIONS = [
    ("KT-01", "compliance", "2020-06-18", "P09", "Việc chấp hành Điều lệ Đảng và Nghị quyết chi bộ"),
    ("KT-02", "compliance", "2020-10-22", "P13", "Việc chấp hành Điều lệ Đảng và Nghị quyết chi bộ"),
    ("KT-03", "thematic", "2020-11-26", None,
     "Chuyên đề: thực hiện Quy định 47-QĐ/TW về những điều đảng viên không được làm"),
]
# 12 supervisions of 11 distinct members (P07 twice).
SUPERVISIONS = [
    ("GS-01", "P04", "2020-03-12", "Thực hiện nhiệm vụ tổ trưởng chuyên môn"),
    ("GS-02", "P05", "2020-03-26", "Thực hiện nhiệm vụ tổ trưởng chuyên môn"),
    ("GS-03", "P06", "2020-05-21", "Thực hiện nhiệm vụ tổ trưởng chuyên môn"),
    ("GS-04", "P07", "2020-06-11", "Lãnh đạo hoạt động Công đoàn cơ sở"),
    ("GS-05", "P08", "2020-07-02", "Công tác chủ nhiệm lớp và vận động học sinh"),
    ("GS-06", "P10", "2020-08-20", "Thực hiện nhiệm vụ đảng viên nơi cư trú"),
    ("GS-07", "P11", "2020-09-24", "Công tác chủ nhiệm lớp và vận động học sinh"),
    ("GS-08", "P12", "2020-10-15", "Thực hiện quy chế chuyên môn"),
    ("GS-09", "P15", "2020-10-29", "Công tác chủ nhiệm lớp và vận động học sinh"),
    ("GS-10", "P29", "2020-11-12", "Lãnh đạo hoạt động Liên đội"),
    ("GS-11", "P07", "2020-11-19", "Sử dụng kinh phí Công đoàn"),
    ("GS-12", "P14", "2020-12-10", "Thực hiện nhiệm vụ đảng viên nơi cư trú"),
]

HCM_ITEMS_BY_POSITION = {
    "principal": "Nêu gương trong lãnh đạo, điều hành; gần dân, lắng nghe ý kiến giáo viên và phụ huynh",
    "vice_principal": "Kiểm tra chuyên môn khách quan, sát sao; hỗ trợ giáo viên đổi mới phương pháp dạy học",
    "teacher": "Tận tụy với học sinh, đổi mới phương pháp dạy học, phụ đạo học sinh yếu",
    "pioneer_leader": "Tổ chức hoạt động Đội gắn với giáo dục đạo đức, làm theo 5 điều Bác Hồ dạy",
    "clerk": "Xử lý văn bản đúng hạn, lưu trữ khoa học, tiết kiệm văn phòng phẩm",
    "accountant": "Công khai, minh bạch thu chi; thực hành tiết kiệm, chống lãng phí",
    "librarian": "Phục vụ bạn đọc tận tình, xây dựng tủ sách Bác Hồ",
    "equipment": "Bảo quản tốt thiết bị, hỗ trợ giáo viên sử dụng đồ dùng dạy học",
    "medical": "Chăm sóc sức khỏe học sinh, tuyên truyền phòng, chống dịch COVID-19",
    "security": "Bảo vệ tài sản cơ quan, giữ gìn trật tự an toàn trường học",
}
HCM_ITEM_DAYS = ["2020-01-10", "2020-01-13", "2020-01-14", "2020-01-15", "2020-01-16", "2020-01-17"]
HCM_MEMBER_ITEM = "Giữ gìn phẩm chất đạo đức, lối sống giản dị, tiết kiệm; gương mẫu nơi cư trú"

MOVEMENTS = [  # (title, date, participants)
    ("Phong trào “Xây dựng trường học thân thiện, học sinh tích cực”", "2020-01-15",
     ["P01", "P02", "P03", "P05", "P07", "P09", "P11", "P13", "P15", "P29", "P31", "P34"]),
    ("Quyên góp ủng hộ phòng, chống dịch COVID-19", "2020-04-10",
     ["P01", "P02", "P03", "P04", "P06", "P08", "P10", "P12", "P14", "P30", "P31", "P33"]),
    ("Hội thi giáo viên dạy giỏi cấp trường năm học 2020–2021", "2020-11-05",
     ["P04", "P06", "P08", "P10", "P12", "P14", "P16", "P17", "P19", "P21", "P22", "P23", "P25", "P27"]),
    ("Hội thao chào mừng ngày Nhà giáo Việt Nam 20/11", "2020-11-14",
     ["P05", "P07", "P09", "P11", "P13", "P15", "P18", "P20", "P25", "P29"]),
]

RATINGS_EXCELLENT = ["P03", "P04", "P06", "P08", "P12", "P21"]       # also the 6 grassroots emulation soldiers
ADVANCED_WORKERS = ["P01", "P02", "P05", "P07", "P09", "P10", "P11", "P13", "P14", "P15", "P17", "P18", "P19",
                    "P20", "P22", "P23", "P29", "P30", "P31"]
GOOD_TEACHER_ENTRANTS = ["P04", "P06", "P08", "P10", "P12", "P14", "P16", "P17", "P19", "P21", "P22", "P23",
                         "P25", "P27"]
GOOD_TEACHER_NOT_WON = ["P27"]

# Student figures, school year 2019-2020 (end of year): grade -> enrolled, dropouts, good, fair, average, weak, poor
FIGURES_2019 = {
    6: (128, 0, 28, 58, 40, 2, 0),
    7: (121, 1, 26, 56, 36, 2, 0),
    8: (112, 1, 24, 52, 33, 2, 0),
    9: (104, 0, 24, 50, 30, 0, 0),
}
# School year 2020-2021 (start of year): grade -> enrolled, attending, mobilisation target, health insured
FIGURES_2020 = {
    6: (126, 126, 126, 126),
    7: (127, 127, 128, 127),
    8: (119, 119, 121, 119),
    9: (110, 110, 111, 110),
}
GRADE6_INTAKE = (126, 126)            # eligible primary-school leavers of the commune, enrolled in grade 6
DROPOUTS = [
    ("BH-01", "Lâm Văn T. (lớp 7A2)", 7, "2020-06-08", "2020-06-10", False),
    ("BH-02", "Danh Thị M. (lớp 8A3)", 8, "2020-05-25", "2020-05-27", False),
]
YOUTH_ADMISSIONS = [("2020-01-09", 9, 38), ("2020-05-19", 9, 45)]
ONLINE_CONTESTS = {"violympic_math": {6: 42, 7: 38, 8: 35, 9: 30}, "ioe_english": {6: 36, 7: 33, 8: 29, 9: 27}}
UNIVERSAL_EDUCATION = (2020, 648, 619)
ORGANISATION_RATINGS = [("trade_union", "excellent"), ("youth_union", "strong"), ("pioneer_team", "excellent")]
SCHOOL_TITLES = [
    ("emulation_rank", "Hạng 3 khối THCS huyện Vĩnh Thuận", "2020-08-25"),
    ("friendly_school", "Xuất sắc", "2020-08-25"),
    ("safe_school", "excellent", "2020-08-25"),
    ("national_standard", "Duy trì trường đạt chuẩn quốc gia mức độ 1", "2020-11-30"),
    ("accreditation", "3", "2020-11-30"),
]
MOBILISATION = [
    ("friendly_sharing_school", "2020-01-15", "Quyên góp áo ấm, tập vở tặng 35 học sinh nghèo trước Tết Canh Tý"),
    ("charity_address", "2020-01-20", "Thăm, tặng quà Tết 12 gia đình chính sách trên địa bàn xã"),
    ("charity_address", "2020-07-24", "Thăm, tặng quà gia đình thương binh, liệt sĩ nhân ngày 27/7"),
    ("friendly_sharing_school", "2020-09-05", "Tặng 50 bộ sách giáo khoa và đồng phục cho học sinh khó khăn"),
    ("charity_address", "2020-12-19", "Dọn vệ sinh, sửa chữa nhà tình nghĩa của mẹ liệt sĩ trên địa bàn xã"),
]
QCCM_DAYS = ["2020-01-17", "2020-02-21", "2020-03-27", "2020-04-29", "2020-05-29", "2020-06-26",
             "2020-07-10", "2020-08-28", "2020-09-25", "2020-10-30", "2020-11-27", "2020-12-25"]
QCCM_SCOPES = {
    2: "Kiểm tra việc trực cơ quan và giao bài ôn tập trực tuyến trong thời gian học sinh nghỉ học",
    3: "Kiểm tra việc trực cơ quan và giao bài ôn tập trực tuyến trong thời gian học sinh nghỉ học",
    4: "Kiểm tra việc trực cơ quan và chuẩn bị đón học sinh trở lại trường",
    8: "Kiểm tra hồ sơ chuyên môn đầu năm học và nội quy cơ quan",
}
QCCM_DEFAULT_SCOPE = "Kiểm tra hồ sơ chuyên môn, việc thực hiện QCCM và nội quy cơ quan"
DISCLOSURE_DAYS = {"cadre_source": ["2020-03-16", "2020-06-15", "2020-09-14", "2020-12-14"],
                   "finance": ["2020-03-31", "2020-06-30", "2020-09-30", "2020-12-28"],
                   "procurement": ["2020-02-14", "2020-05-29", "2020-08-28", "2020-11-27"]}
DISCLOSURE_PLACE = "Phòng sinh hoạt tổ chuyên môn"
DOCUMENTS = [
    ("cadre_source_plan", "2020-03-16", "Kế hoạch rà soát, bổ sung quy hoạch cán bộ quản lý nguồn giai đoạn 2020–2025"),
    ("commendation", "2020-08-20", "Quyết định khen thưởng cá nhân, tập thể năm học 2019–2020"),
    ("staff_evaluation", "2020-12-21", "Biên bản họp nhận xét, đánh giá, xếp loại viên chức năm 2020"),
    ("staff_concerns", "2020-06-26", "Báo cáo tình hình tư tưởng, tâm tư nguyện vọng của cán bộ, giáo viên 6 tháng đầu năm"),
    ("staff_concerns", "2020-12-15", "Báo cáo tình hình tư tưởng, tâm tư nguyện vọng của cán bộ, giáo viên năm 2020"),
    ("ideological_prevention", "2020-05-05",
     "Biên bản sinh hoạt chi bộ: định hướng thông tin về dịch COVID-19, không chia sẻ tin giả trên mạng xã hội"),
    ("anti_bureaucracy", "2020-09-10", "Quy chế thực hiện dân chủ trong hoạt động của nhà trường năm học 2020–2021"),
    ("national_defence", "2020-10-28", "Báo cáo kết quả giáo dục quốc phòng – an ninh và xây dựng lực lượng tự vệ năm 2020"),
]
HCM_AWARDS = [
    ("2020-12-18", "Mai Thị Thu Thảo",
     "Ngân hàng câu hỏi ôn tập trực tuyến cho học sinh trong thời gian nghỉ học phòng dịch COVID-19"),
    ("2020-12-18", "Liên đội trường THCS Vĩnh Bình Nam 1", "Công trình măng non “Tủ sách Bác Hồ” ở mỗi lớp học"),
]
ABSENCES = [
    ("P26", "2020-06-12", "absent", "Việc gia đình, có đơn xin phép được Hiệu trưởng duyệt"),
    ("P34", "2020-08-12", "absent", "Đi công tác: tập huấn y tế trường học tại Trung tâm Y tế huyện Vĩnh Thuận"),
    ("P21", "2020-09-21", "absent", "Tập huấn Chương trình giáo dục phổ thông 2018 tại Phòng GD&ĐT huyện"),
    ("P10", "2020-11-05", "absent", "Nghỉ ốm, có giấy xác nhận của Trạm Y tế xã"),
]

# Calendar (the rules' semantics, R41 and R42)
FIRST_MONDAY, LAST_MONDAY = D("2020-01-06"), D("2020-12-28")
HOLIDAYS = {D(x) for x in ("2020-01-01", "2020-01-23", "2020-01-24", "2020-01-27", "2020-01-28", "2020-01-29",
                           "2020-04-02", "2020-04-30", "2020-05-01", "2020-09-02")}
NO_TEACHING = [(D("2020-01-20"), D("2020-05-03")),     # Tết, then the COVID-19 closure (reopened 04/5/2020)
               (D("2020-07-13"), D("2020-09-06"))]     # summer: 2019-2020 ended 12/7, 2020-2021 began 07/9
NORMS = {"teacher": 19, "principal": 2, "vice_principal": 4}
PIONEER_LEADER_PERIODS = 2
HOURS_PER_DAY = 8

# ============================================================================================
# GAPS of cases/vbn1-2020 (everything else identical to the compliant case)
# ============================================================================================
MISSED_BRIEFING = ("P17", "NQ-DU-02")                  # gap 1 (R01)
MEETING_WITHOUT_STORY = 4                              # gap 2 (R04): April 2020, COVID-19 distancing
UNSUPERVISED = "GS-12"                                 # gap 3 (R14): P14's supervision was not carried out
CLERK = "P30"
CLERK_SHORT_WEEKS = {"2020-03-09": 36, "2020-04-27": 20, "2020-11-16": 38}   # gap 4 (R41): Monday -> hours
GOOD_MOVED_TO_FAIR = {6: 5, 7: 5, 8: 4, 9: 4}          # gap 5 (R28): 102 -> 84 good students (18.06 %)
LATE_ARRIVAL = ("P24", "2020-10-12", "late", "Đi trễ 20 phút do đường ngập sau mưa lớn")  # gap 6 (R43)

# ============================================================================================
# Between the meetings (identical in cases/vbn1-2020 and cases/vbn1-2020-compliant; no `chibo check`
# rule reads them, so the check results of both are unchanged): good deeds, meeting decisions, owners
# ============================================================================================
# Good deeds (date, person, deed). The next regular meeting commends exactly the doers of the deeds
# recorded since the previous one (MEETINGS' commended lists); the last two are for January 2021.
GOOD_DEEDS = [
    ("2020-01-02", "P08", "Nhặt được ví có 2.500.000 đồng và giấy tờ tùy thân trước cổng trường, trả lại cho người mất"),
    ("2020-01-02", "P12", "Vận động quyên góp 20 phần quà Tết tặng học sinh nghèo lớp 8A2"),
    ("2020-01-16", "P31", "Hiến máu tình nguyện tại điểm hiến máu xã Vĩnh Bình Nam"),
    ("2020-01-21", "P09", "Tặng 2 xe đạp cho học sinh nghèo vượt khó lớp 9A2 trước Tết"),
    ("2020-02-12", "P04", "Soạn, chia sẻ bộ bài ôn tập môn Toán trực tuyến cho học sinh nghỉ học phòng dịch COVID-19"),
    ("2020-02-20", "P29", "Cùng Liên đội phát khẩu trang, nước rửa tay miễn phí cho người dân tại chợ xã"),
    ("2020-03-18", "P02", "Hướng dẫn giáo viên lớn tuổi lập lớp học trực tuyến, sử dụng phần mềm dạy học từ xa"),
    ("2020-04-08", "P13", "Mang gạo, mì gói đến tận nhà 5 học sinh lớp 8A3 có hoàn cảnh khó khăn trong mùa dịch"),
    ("2020-04-27", "P10", "Tình nguyện trực chốt kiểm soát dịch COVID-19 tại ấp Vĩnh Phước ngoài giờ làm việc"),
    ("2020-05-02", "P15", "Đến từng nhà vận động 3 học sinh lớp 7A2 trở lại lớp sau thời gian nghỉ dịch"),
    ("2020-05-14", "P06", "Hiến máu tình nguyện lần thứ 5"),
    ("2020-05-26", "P11", "Nhặt được điện thoại di động phụ huynh đánh rơi ở sân trường, trả lại cho người mất"),
    ("2020-06-10", "P07", "Vận động công đoàn viên giúp đỡ gia đình học sinh lớp 6A1 bị cháy nhà"),
    ("2020-06-24", "P14", "Phụ đạo miễn phí cho 6 học sinh yếu lớp 7A1 ôn tập cuối năm"),
    ("2020-07-20", "P03", "Cùng đoàn giáo viên thăm, chăm sóc Mẹ Việt Nam anh hùng trên địa bàn xã nhân ngày 27/7"),
    ("2020-07-28", "P05", "Hiến máu tình nguyện tại Trung tâm Y tế huyện Vĩnh Thuận"),
    ("2020-08-18", "P12", "Tặng sách giáo khoa cũ, dụng cụ học tập cho 10 học sinh nghèo chuẩn bị năm học mới"),
    ("2020-08-27", "P29", "Tổ chức cho đội viên dọn vệ sinh nghĩa trang liệt sĩ xã"),
    ("2020-09-10", "P01", "Vận động nhà hảo tâm tặng 20 xe đạp cho học sinh nghèo"),
    ("2020-09-22", "P09", "Nhặt được 1.200.000 đồng ở hành lang lớp học, trả lại cho học sinh đánh rơi"),
    ("2020-09-29", "P31", "Hiến máu tình nguyện đợt 3 năm 2020"),
    ("2020-10-16", "P08", "Quyên góp áo phao, mì gói ủng hộ đồng bào miền Trung bị bão lũ"),
    ("2020-10-23", "P10", "Kèm cặp miễn phí học sinh nghèo lớp 9A3 ôn luyện ngoài giờ"),
    ("2020-11-18", "P04", "Tự tay sửa chữa 8 bộ bàn ghế hư hỏng cho các lớp học"),
    ("2020-11-25", "P13", "Giúp học sinh khuyết tật lớp 8A3 lên xuống phòng học tầng 2 mỗi ngày"),
    ("2020-12-11", "P15", "Hiến máu tình nguyện tại điểm hiến máu xã Vĩnh Bình Nam"),
    ("2020-12-22", "P14", "Nhặt được giỏ xách có tiền và giấy tờ xe ở bãi giữ xe, trả lại cho phụ huynh"),
]
# What each regular meeting decided: (ref, month of the meeting SH-2020-MM, task, owner, due, done on).
DECISIONS = [
    ("QN-2020-01-1", 1, "Tổ chức học tập, quán triệt Nghị quyết chi bộ năm 2020 cho toàn thể cán bộ, giáo viên",
     "P03", "2020-01-20", "2020-01-13"),
    ("QN-2020-01-2", 1, "Hướng dẫn đảng viên, cán bộ đăng ký học tập và làm theo Bác năm 2020", "P03",
     "2020-01-17", "2020-01-17"),
    ("QN-2020-02-1", 2, "Xây dựng kế hoạch giao bài ôn tập trực tuyến trong thời gian học sinh nghỉ học phòng dịch",
     "P02", "2020-02-14", "2020-02-12"),
    ("QN-2020-02-2", 2, "Phun khử khuẩn toàn bộ phòng học, phòng làm việc", "P33", "2020-02-10", "2020-02-08"),
    ("QN-2020-03-1", 3, "Phân công cán bộ, giáo viên trực cơ quan trong thời gian học sinh nghỉ học", "P02",
     "2020-03-06", "2020-03-05"),
    ("QN-2020-03-2", 3, "Lập danh sách học sinh không có thiết bị học trực tuyến, đề xuất phương án hỗ trợ", "P29",
     "2020-04-10", "2020-04-29"),
    ("QN-2020-03-3", 3, "Niêm yết công khai công tác dự nguồn cán bộ quý I", "P01", "2020-03-20", "2020-03-16"),
    ("QN-2020-04-1", 4, "Tổng vệ sinh, khử khuẩn trường lớp chuẩn bị đón học sinh trở lại trường", "P33",
     "2020-05-02", "2020-04-29"),
    ("QN-2020-04-2", 4, "Xây dựng kế hoạch dạy học, ôn tập học kỳ II theo nội dung tinh giản của Bộ GD&ĐT", "P02",
     "2020-05-03", "2020-05-02"),
    ("QN-2020-04-3", 4, "Quán triệt Nghị quyết chi bộ về phòng, chống dịch và đón học sinh trở lại trường (NQ-CB-02)",
     "P03", "2020-05-08", "2020-05-06"),
    ("QN-2020-05-1", 5, "Tổ chức kết nạp đoàn viên đợt 2 cho học sinh lớp 9", "P29", "2020-05-20", "2020-05-19"),
    ("QN-2020-05-2", 5, "Giám sát việc thực hiện nhiệm vụ tổ trưởng tổ Ngoại ngữ – Năng khiếu (GS-03)", "P02",
     "2020-05-29", "2020-05-21"),
    ("QN-2020-06-1", 6, "Kiểm tra đảng viên chấp hành Điều lệ Đảng và Nghị quyết chi bộ (KT-01)", "P02",
     "2020-06-30", "2020-06-18"),
    ("QN-2020-06-2", 6, "Tổng hợp tình hình tư tưởng, tâm tư nguyện vọng của cán bộ, giáo viên 6 tháng đầu năm",
     "P03", "2020-06-30", "2020-06-26"),
    ("QN-2020-07-1", 7, "Hoàn thành xét công nhận tốt nghiệp THCS năm học 2019–2020", "P01", "2020-07-15",
     "2020-07-10"),
    ("QN-2020-07-2", 7, "Thăm, tặng quà gia đình thương binh, liệt sĩ nhân ngày 27/7", "P07", "2020-07-27",
     "2020-07-24"),
    ("QN-2020-08-1", 8, "Tổ chức học tập Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ 2020–2025 (NQ-DU-02, NQ-DU-03)",
     "P03", "2020-08-31", "2020-08-12"),
    ("QN-2020-08-2", 8, "Chuẩn bị cơ sở vật chất, sách giáo khoa cho năm học 2020–2021", "P33", "2020-08-28",
     "2020-09-01"),
    ("QN-2020-09-1", 9, "Xây dựng Nghị quyết chi bộ lãnh đạo thực hiện nhiệm vụ năm học 2020–2021", "P03",
     "2020-09-04", "2020-09-04"),
    ("QN-2020-09-2", 9, "Rà soát, vận động học sinh trong độ tuổi ra lớp đầu năm học", "P29", "2020-09-30",
     "2020-09-25"),
    ("QN-2020-10-1", 10, "Kiểm tra đảng viên chấp hành Điều lệ Đảng và Nghị quyết chi bộ (KT-02)", "P02",
     "2020-10-30", "2020-10-22"),
    ("QN-2020-10-2", 10, "Quyên góp ủng hộ đồng bào miền Trung bị bão lũ", "P07", "2020-10-25", "2020-10-20"),
    ("QN-2020-11-1", 11, "Tổ chức hội thi giáo viên dạy giỏi cấp trường năm học 2020–2021", "P02", "2020-11-13",
     "2020-11-05"),
    ("QN-2020-11-2", 11, "Kiểm tra chuyên đề thực hiện Quy định 47-QĐ/TW (KT-03)", "P03", "2020-11-30",
     "2020-11-26"),
    ("QN-2020-11-3", 11, "Tổ chức hội thao chào mừng ngày Nhà giáo Việt Nam 20/11", "P07", "2020-11-14",
     "2020-11-14"),
    ("QN-2020-12-1", 12, "Tổ chức nhận xét, đánh giá, xếp loại viên chức năm 2020", "P01", "2020-12-25",
     "2020-12-21"),
    ("QN-2020-12-2", 12, "Dọn vệ sinh, sửa chữa nhà tình nghĩa của mẹ liệt sĩ trên địa bàn xã", "P07", "2020-12-20",
     "2020-12-19"),
]
# Who answers for a plan section or a rule (the owner named beside its gaps; the most specific scope
# wins, else the secretary). Ban chi ủy: P03 bí thư, P01 phó bí thư (hiệu trưởng), P02 chi ủy viên.
ASSIGNMENTS = [
    ("B.I.1", "P03"), ("B.I.2", "P01"), ("B.I.3", "P01"), ("B.I.4", "P02"), ("B.II", "P01"), ("B.III", "P02"),
    ("R11", "P29"), ("R20", "P29"), ("R31", "P04"), ("R38", "P02"), ("R39", "P31"), ("R41", "P01"),
    ("R43", "P01"),
]
# The pre-meeting review (`chibo ready`): one meeting ready on every item, one not ready.
READY_MEETING = "2020-05-05"          # SH-2020-05
NOT_READY_MEETING = "2020-04-24"      # SH-2020-04: no Uncle Ho story, and QN-2020-03-2 overdue


# ============================================================================================
# cases/vbn2-2020: a second school of the same commune (for a commune roll-up), with more and worse
# gaps than vbn1-2020 and three documented exemptions. Same staff structure and refs, other people.
# ============================================================================================
VBN2_DIR = "vbn2-2020"
CELL_VBN2 = {
    "name": "Chi bộ trường THCS Vĩnh Bình Nam 2",
    "party_committee": "Đảng bộ xã Vĩnh Bình Nam",
    "plan": "vbn1-2020",
    "plan_year": 2020,
    "unit": "Trường THCS Vĩnh Bình Nam 2, huyện Vĩnh Thuận, tỉnh Kiên Giang",
    "secretary": "P03",
}
NAMES_VBN2 = {
    "P01": "Lê Hoàng Khải", "P02": "Nguyễn Thị Ngọc Diễm", "P03": "Võ Thanh Tâm", "P04": "Trịnh Minh Đức",
    "P05": "Nguyễn Thị Kiều Oanh", "P06": "Huỳnh Ngọc Sơn", "P07": "Đỗ Thị Hồng Vân", "P08": "Kiên Thị Bích Ngọc",
    "P09": "Lê Văn Nhân", "P10": "Trần Thị Mỹ Linh", "P11": "Danh Chí Thiện", "P12": "Phạm Thị Thanh Hương",
    "P13": "Nguyễn Minh Trí", "P14": "Lâm Thị Kim Chi", "P15": "Tăng Văn Hải", "P16": "Hà Thị Thu Trang",
    "P17": "Nguyễn Thị Hoài Thương", "P18": "Trần Quốc Bảo", "P19": "Võ Thị Ngọc Trinh", "P20": "Đặng Hữu Tài",
    "P21": "Lê Thị Thanh Tuyền", "P22": "Phan Thị Mộng Cầm", "P23": "Huỳnh Tấn Lộc", "P24": "Sơn Thị Kim Hoa",
    "P25": "Trương Công Minh", "P26": "Ngô Thị Bảo Ngọc", "P27": "Dương Văn Hậu", "P28": "Nguyễn Thị Diệu Hiền",
    "P29": "Lý Văn Tiến", "P30": "Trần Thị Bích Vân", "P31": "Nguyễn Thị Thu Sương", "P32": "Lê Thị Cẩm Nhung",
    "P33": "Phạm Văn Được", "P34": "Huỳnh Thị Mai Phương", "P35": "Nguyễn Văn Chín", "P36": "Trần Văn Tư",
}
FIGURES_2019_VBN2 = {            # as FIGURES_2019: 443 students, 96 good (21.67 %), 201 fair (45.37 %)
    6: (118, 0, 26, 54, 36, 2, 0),
    7: (115, 1, 25, 51, 37, 1, 0),
    8: (109, 0, 23, 49, 35, 2, 0),
    9: (101, 1, 22, 47, 31, 0, 0),
}
FIGURES_2020_VBN2 = {6: (120, 120, 120, 120), 7: (117, 117, 118, 117), 8: (114, 114, 115, 114),
                     9: (108, 108, 109, 108)}
GRADE6_INTAKE_VBN2 = (120, 120)
DROPOUTS_VBN2 = [
    ("BH-01", "Thạch Văn P. (lớp 7A1)", 7, "2020-03-02", "2020-03-04", False),
    ("BH-02", "Nguyễn Thị K. (lớp 9A3)", 9, "2020-06-15", "2020-06-17", False),
]
YOUTH_ADMISSIONS_VBN2 = [("2020-01-10", 9, 36), ("2020-05-20", 9, 47)]
# Only ViOlympic: the IOE rounds of 2019-2020 were cancelled (gap R31, covered by exemption MT-03).
ONLINE_CONTESTS_VBN2 = {"violympic_math": {6: 40, 7: 36, 8: 31, 9: 28}}
EMULATION_RANK_VBN2 = "Hạng 6 khối THCS huyện Vĩnh Thuận"
HCM_AWARDS_VBN2 = [
    ("2020-12-18", "Trịnh Minh Đức", "Mô hình “Góc học tập xanh” tận dụng vật liệu tái chế ở mỗi lớp học"),
    ("2020-12-18", "Liên đội trường THCS Vĩnh Bình Nam 2", "Phong trào “Nuôi heo đất giúp bạn nghèo đến trường”"),
]
GOOD_DEEDS_VBN2 = [
    ("2020-01-14", "P06", "Hiến máu tình nguyện tại điểm hiến máu xã Vĩnh Bình Nam"),
    ("2020-01-20", "P12", "Tặng áo ấm, tập vở cho 12 học sinh nghèo lớp 8A2 trước Tết"),
    ("2020-02-18", "P14", "Gọi điện, nhắn tin hướng dẫn từng học sinh lớp 7A1 ôn bài trong thời gian nghỉ dịch"),
    ("2020-03-25", "P29", "Cùng Chi đoàn may 300 khẩu trang vải tặng người dân trong xã"),
    ("2020-04-15", "P07", "Vận động công đoàn viên góp gạo, mì gói tặng 15 hộ nghèo bị ảnh hưởng bởi dịch"),
    ("2020-05-12", "P10", "Nhặt được điện thoại di động ở căng tin, trả lại cho giáo viên trường bạn"),
    ("2020-06-09", "P04", "Phụ đạo miễn phí cho 8 học sinh yếu môn Toán lớp 9 ôn thi tuyển sinh lớp 10"),
    ("2020-06-22", "P31", "Hiến máu tình nguyện lần thứ 4"),
    ("2020-07-21", "P05", "Thăm, chăm sóc Mẹ Việt Nam anh hùng trên địa bàn xã nhân ngày 27/7"),
    ("2020-08-19", "P13", "Sửa chữa miễn phí 10 xe đạp cũ tặng học sinh nghèo trước năm học mới"),
    ("2020-09-16", "P01", "Vận động nhà hảo tâm tặng 30 suất học bổng cho học sinh vượt khó"),
    ("2020-10-14", "P08", "Quyên góp quần áo, sách vở ủng hộ học sinh vùng lũ miền Trung"),
    ("2020-10-27", "P15", "Nhặt được ví có 1.500.000 đồng trên đường đến trường, trả lại cho người mất"),
    ("2020-11-17", "P11", "Đến nhà vận động học sinh lớp 8A1 nghỉ học nhiều ngày trở lại lớp"),
    ("2020-12-09", "P03", "Hiến máu tình nguyện tại Trung tâm Y tế huyện Vĩnh Thuận"),
]
ASSIGNMENTS_VBN2 = [
    ("B.I.1", "P03"), ("B.I.2", "P01"), ("B.I.3", "P01"), ("B.I.4", "P02"), ("B.II", "P01"), ("B.III", "P02"),
    ("R31", "P04"), ("R39", "P31"), ("R40", "P01"), ("R41", "P01"),
]
# --- the gaps of vbn2-2020 ---------------------------------------------------------------------
VBN2_NO_MEETING_MONTH = 2                              # R04: no regular meeting in February
VBN2_MEETING_WITHOUT_STORY = 8                         # R04: SH-2020-08 without an Uncle Ho story
VBN2_COMMENDED = {10: ["P01", "P11", "P31"]}           # (P09 is not commended after his violation)
VBN2_INSPECTION_NOT_DONE = "KT-02"                     # R12: only 1 of 2 compliance inspections
VBN2_VIOLATION = ("VP-01", "P09", "2020-07-03",        # R15 (critical): found by KT-01 (18/6)
                  "Không đóng đảng phí 3 tháng liền (tháng 4, 5 và 6/2020) không có lý do chính đáng", True)
VBN2_RATED_COMPLETED = "P09"                           # R23: rated "hoàn thành", not "hoàn thành tốt"
VBN2_QCCM_MISSING_MONTHS = (2, 8)                      # R38: no QCCM check in February and August
VBN2_DISCLOSURES_MISSING = [("finance", "2020-09-30"), ("cadre_source", "2020-12-14")]   # R39: Q3, Q4
VBN2_MISCONDUCT = [                                    # R40 (critical): VV-02 still open on 31/12
    ("VV-01", "P32", "2020-03-10", "Sử dụng máy photocopy của thư viện vào việc riêng", "handled", "2020-03-25"),
    ("VV-02", "P25", "2020-11-20", "Phụ huynh lớp 8A2 phản ánh giáo viên dạy thêm, thu tiền học thêm trái quy định",
     "open", None),
]
VBN2_SICK = "P33"                                      # R41: equipment officer, surgery in June
VBN2_SICK_WEEKS = {"2020-06-01": None, "2020-06-08": None, "2020-06-15": None, "2020-06-22": 24}  # None: no row
VBN2_CLERK_SHORT_WEEK = ("P30", "2020-10-19", 32)      # R41: not exempted
VBN2_MATERNITY = ("P28", "2020-08-24")                 # R42: no teaching periods from this day (maternity leave)
VBN2_MATERNITY_BRIEFING = ("NQ-CB-03", "2020-09-28")  # make-up briefing during the leave
VBN2_SHORT_PERIODS = ("P17", "2020-10-12", 12)         # R42: 12 periods < 19 - 4; not exempted
VBN2_UNDONE_DECISION = "QN-2020-10-1"                  # the decision to carry out KT-02: never done
EXEMPTIONS_VBN2 = [
    ("MT-01", "R41;R42", "P28", "2020-08-24", "2021-02-23",
     "Nghỉ thai sản 6 tháng (sinh con ngày 24/8/2020), theo quyết định cho nghỉ thai sản của Hiệu trưởng",
     "Hiệu trưởng Lê Hoàng Khải", "2020-08-20", "2021-02-23"),
    ("MT-02", "R41", "P33", "2020-06-01", "2020-06-28",
     "Nghỉ điều trị sau phẫu thuật; miễn tạm thời chờ nộp giấy ra viện và giấy chứng nhận nghỉ việc hưởng BHXH",
     "Hiệu trưởng Lê Hoàng Khải", "2020-06-02", "2020-09-30"),
    ("MT-03", "R31", None, "2020-01-01", "2020-12-31",
     "Ban tổ chức hủy các vòng thi tiếng Anh trên Internet (IOE) năm học 2019–2020 do dịch COVID-19",
     "Đảng ủy xã Vĩnh Bình Nam", "2020-07-20", "2021-06-30"),
]

# ============================================================================================
# BUILDING THE RECORDS
# ============================================================================================

def mondays() -> list[dt.date]:
    out, day = [], FIRST_MONDAY
    while day <= LAST_MONDAY:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def workdays(monday: dt.date) -> int:
    return sum(1 for i in range(5) if monday + dt.timedelta(days=i) not in HOLIDAYS)


def teaching_week(monday: dt.date) -> bool:
    return not any(start <= monday <= end for start, end in NO_TEACHING)


def members() -> list[str]:
    return [s[0] for s in STAFF if s[4]]


def staff_by_ref() -> dict[str, tuple]:
    return {s[0]: s for s in STAFF}


def people() -> list[dict]:
    rows = []
    for ref, name, group, position, member, qual, reduction, reason in STAFF:
        rows.append({
            "ref": ref, "name": name, "party_member": member, "group": group, "position": position,
            "qualification": qual, "committee_member": ref in COMMITTEE, "candidate": ref == CANDIDATE,
            "mentor": MENTOR if ref == CANDIDATE else None, "reduction": reduction, "reduction_reason": reason,
        })
    return rows


def resolutions_and_briefings() -> tuple[list[dict], list[dict]]:
    res, brief = [], []
    member_refs = set(members())
    for ref, title, level, issued, brief_by, day, makeup in RESOLUTIONS:
        res.append({"ref": ref, "title": title, "level": level, "issued": issued, "brief_by": brief_by})
        for person in (s[0] for s in STAFF):
            if level == "higher" and person not in member_refs:
                continue
            brief.append({"resolution": ref, "person": person, "date": makeup.get(person, day)})
    return res, brief


def hcm() -> tuple[list[dict], list[dict]]:
    regs, items = [], []
    for i, (ref, _name, _group, position, member, *_rest) in enumerate(STAFF):
        day = HCM_ITEM_DAYS[i % len(HCM_ITEM_DAYS)]
        items.append({"person": ref, "item": HCM_ITEMS_BY_POSITION[position], "registered": day})
        if member:
            regs.append({"person": ref, "year": 2020, "registered": "2020-01-10", "assessment": "good"})
            items.append({"person": ref, "item": HCM_MEMBER_ITEM, "registered": day})
    return regs, items


def meetings() -> list[dict]:
    rows = []
    for month, day, story, presenter, commended in MEETINGS:
        rows.append({"ref": f"SH-2020-{month:02d}", "date": day, "kind": "regular", "story": story,
                     "story_presenter": presenter, "commended": commended})
    for q, day in enumerate(THEMATIC_MEETINGS, start=1):
        rows.append({"ref": f"SHCD-2020-Q{q}", "date": day, "kind": "thematic"})
    rows.sort(key=lambda r: r["date"])
    return rows


def inspections() -> list[dict]:
    return [{"ref": r, "kind": k, "date": d, "person": p, "topic": t} for r, k, d, p, t in INSPECTIONS]


def supervisions() -> list[dict]:
    return [{"ref": r, "person": p, "date": d, "topic": t} for r, p, d, t in SUPERVISIONS]


def household_tasks() -> list[dict]:
    return [{"person": p, "task": t, "done": True} for p in members() for t in range(1, 16)]


def movements() -> list[dict]:
    rows = [{"person": p, "movement": title, "date": day} for title, day, who in MOVEMENTS for p in who]
    rows.sort(key=lambda r: (r["person"], r["date"]))
    return rows


def ratings_and_titles() -> tuple[list[dict], list[dict], list[dict]]:
    rated = [s[0] for s in STAFF if s[2] in ("manager", "teacher", "administrative")]
    ratings = [{"person": p, "year": 2020, "rating": "excellent" if p in RATINGS_EXCELLENT else "good"}
               for p in rated]
    titles = [{"person": p, "year": 2020, "title": "grassroots_emulation_soldier"} for p in RATINGS_EXCELLENT]
    titles += [{"person": p, "year": 2020, "title": "advanced_worker"} for p in ADVANCED_WORKERS]
    good = [{"person": p, "school_year": "2020-2021",
             "result": "not_won" if p in GOOD_TEACHER_NOT_WON else "won"} for p in GOOD_TEACHER_ENTRANTS]
    return ratings, titles, good


def student_figures(figures_2019: dict = FIGURES_2019, figures_2020: dict = FIGURES_2020,
                    intake: tuple[int, int] = GRADE6_INTAKE) -> list[dict]:
    rows = []
    for grade, (enrolled, drop, good, fair, average, weak, poor) in figures_2019.items():
        row = {"school_year": "2019-2020", "grade": grade, "enrolled": enrolled, "dropouts": drop,
               "good": good, "fair": fair, "average": average, "weak": weak, "poor": poor}
        if grade == 9:
            row["graduation_candidates"] = row["graduated"] = enrolled - drop
        rows.append(row)
    for grade, (enrolled, attending, target, insured) in figures_2020.items():
        row = {"school_year": "2020-2021", "grade": grade, "enrolled": enrolled, "attending": attending,
               "mobilisation_target": target, "health_insured": insured}
        if grade == 6:
            row["intake_eligible"], row["intake_enrolled"] = intake
        rows.append(row)
    return rows


def school_records() -> dict[str, list[dict]]:
    return {
        "dropouts": [dict(zip(FIELDS["dropouts"], d)) for d in DROPOUTS],
        "youth_admissions": [dict(zip(FIELDS["youth_admissions"], y)) for y in YOUTH_ADMISSIONS],
        "online_contests": [{"school_year": "2019-2020", "contest": c, "grade": g, "participants": n}
                            for c, per_grade in ONLINE_CONTESTS.items() for g, n in per_grade.items()],
        "universal_education": [dict(zip(FIELDS["universal_education"], UNIVERSAL_EDUCATION))],
        "organisation_ratings": [{"organisation": o, "year": 2020, "rating": r} for o, r in ORGANISATION_RATINGS],
        "school_titles": [{"title": t, "year": 2020, "result": r, "date": d} for t, r, d in SCHOOL_TITLES],
        "mobilisation_models": [dict(zip(FIELDS["mobilisation_models"], m)) for m in MOBILISATION],
        "qccm_checks": [{"date": d, "scope": QCCM_SCOPES.get(i, QCCM_DEFAULT_SCOPE), "result": "Đạt"}
                        for i, d in enumerate(QCCM_DAYS, start=1)],
        "disclosures": sorted(({"kind": k, "date": d, "place": DISCLOSURE_PLACE}
                               for k, days in DISCLOSURE_DAYS.items() for d in days), key=lambda r: r["date"]),
        "documents": sorted((dict(zip(FIELDS["documents"], d)) for d in DOCUMENTS), key=lambda r: r["date"]),
        "hcm_awards": [dict(zip(FIELDS["hcm_awards"], a)) for a in HCM_AWARDS],
    }


def extra(i: int, w: int, pattern: tuple[int, ...]) -> int:
    """A small deterministic variation (extra hours or periods taught) for person i in week w."""
    return pattern[(i * 3 + w) % len(pattern)]


def timesheets() -> list[dict]:
    rows = []
    weeks = mondays()
    for i, (ref, _name, group, position, _m, _q, reduction, _r) in enumerate(STAFF):
        for w, monday in enumerate(weeks):
            if group == "administrative":
                hours = HOURS_PER_DAY * workdays(monday) + extra(i, w, (0, 0, 1, 0, 2, 0, 0))
                rows.append({"person": ref, "week": monday, "hours": hours})
            elif position in NORMS and teaching_week(monday):
                periods = NORMS[position] - reduction + extra(i, w, (0, 0, 1, 0, 0, 2, 0))
                rows.append({"person": ref, "week": monday, "periods": periods})
            elif position == "pioneer_leader" and teaching_week(monday):
                rows.append({"person": ref, "week": monday, "periods": PIONEER_LEADER_PERIODS})
    return rows


def absences() -> list[dict]:
    return [dict(zip(FIELDS["absences"], a)) for a in ABSENCES]


def good_deeds(deeds: list[tuple] = GOOD_DEEDS) -> list[dict]:
    return [{"person": p, "date": d, "deed": deed} for d, p, deed in deeds]


def decisions() -> list[dict]:
    return [{"ref": ref, "meeting": f"SH-2020-{month:02d}", "task": task, "owner": owner, "due": due,
             "done_on": done} for ref, month, task, owner, due, done in DECISIONS]


def assignments(rows: list[tuple] = ASSIGNMENTS) -> list[dict]:
    return [{"scope": s, "person": p} for s, p in rows]


def compliant_case() -> dict[str, list[dict]]:
    res, brief = resolutions_and_briefings()
    regs, items = hcm()
    ratings, titles, good = ratings_and_titles()
    case = {
        "people": people(), "resolutions": res, "briefings": brief,
        "hcm_registrations": regs, "hcm_items": items, "meetings": meetings(),
        "inspections": inspections(), "supervisions": supervisions(),
        "violations": [], "misconduct": [],
        "household_tasks": household_tasks(), "movements": movements(),
        "ratings": ratings, "good_teachers": good, "emulation_titles": titles,
        "student_figures": student_figures(), "timesheets": timesheets(), "absences": absences(),
        "good_deeds": good_deeds(), "decisions": decisions(), "assignments": assignments(),
    }
    case.update(school_records())
    assert set(case) == set(FIELDS) - OPTIONAL_KINDS, set(FIELDS) ^ set(case)
    return case


def gaps_case(compliant: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The compliant case with the six documented gaps, and nothing else changed."""
    case = copy.deepcopy(compliant)
    person, resolution = MISSED_BRIEFING
    case["briefings"] = [b for b in case["briefings"] if (b["person"], b["resolution"]) != (person, resolution)]
    for m in case["meetings"]:
        if m["ref"] == f"SH-2020-{MEETING_WITHOUT_STORY:02d}":
            m["story"] = m["story_presenter"] = None
    case["supervisions"] = [s for s in case["supervisions"] if s["ref"] != UNSUPERVISED]
    for t in case["timesheets"]:
        if t["person"] == CLERK and t["week"].isoformat() in CLERK_SHORT_WEEKS:
            t["hours"] = CLERK_SHORT_WEEKS[t["week"].isoformat()]
    for f in case["student_figures"]:
        if f["school_year"] == "2019-2020":
            moved = GOOD_MOVED_TO_FAIR[f["grade"]]
            f["good"], f["fair"] = f["good"] - moved, f["fair"] + moved
    case["absences"].append(dict(zip(FIELDS["absences"], LATE_ARRIVAL)))
    case["absences"].sort(key=lambda a: a["date"])
    return case


def vbn2_case(compliant: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Vĩnh Bình Nam 2: the compliant year with other people and figures, then its documented gaps."""
    case = copy.deepcopy(compliant)
    for person in case["people"]:
        person["name"] = NAMES_VBN2[person["ref"]]
    for r in case["resolutions"]:
        r["title"] = r["title"].replace("Vĩnh Bình Nam 1", "Vĩnh Bình Nam 2")
    resolution, day = VBN2_MATERNITY_BRIEFING
    for b in case["briefings"]:
        if (b["person"], b["resolution"]) == (VBN2_MATERNITY[0], resolution):
            b["date"] = day
    # R04
    case["meetings"] = [m for m in case["meetings"] if m["ref"] != f"SH-2020-{VBN2_NO_MEETING_MONTH:02d}"]
    for m in case["meetings"]:
        if m["ref"] == f"SH-2020-{VBN2_MEETING_WITHOUT_STORY:02d}":
            m["story"] = m["story_presenter"] = None
        for month, commended in VBN2_COMMENDED.items():
            if m["ref"] == f"SH-2020-{month:02d}":
                m["commended"] = commended
    # R12, R15, R23, R40
    case["inspections"] = [i for i in case["inspections"] if i["ref"] != VBN2_INSPECTION_NOT_DONE]
    case["violations"] = [dict(zip(FIELDS["violations"], VBN2_VIOLATION))]
    case["misconduct"] = [dict(zip(FIELDS["misconduct"], m)) for m in VBN2_MISCONDUCT]
    for r in case["ratings"]:
        if r["person"] == VBN2_RATED_COMPLETED:
            r["rating"] = "completed"
    case["emulation_titles"] = [t for t in case["emulation_titles"]
                                if not (t["person"] == VBN2_RATED_COMPLETED and t["title"] == "advanced_worker")]
    # the school's own figures; R31: no IOE rows
    case["student_figures"] = student_figures(FIGURES_2019_VBN2, FIGURES_2020_VBN2, GRADE6_INTAKE_VBN2)
    case["dropouts"] = [dict(zip(FIELDS["dropouts"], d)) for d in DROPOUTS_VBN2]
    case["youth_admissions"] = [dict(zip(FIELDS["youth_admissions"], y)) for y in YOUTH_ADMISSIONS_VBN2]
    case["online_contests"] = [{"school_year": "2019-2020", "contest": c, "grade": g, "participants": n}
                               for c, per_grade in ONLINE_CONTESTS_VBN2.items() for g, n in per_grade.items()]
    for s in case["school_titles"]:
        if s["title"] == "emulation_rank":
            s["result"] = EMULATION_RANK_VBN2
    case["hcm_awards"] = [dict(zip(FIELDS["hcm_awards"], a)) for a in HCM_AWARDS_VBN2]
    # R38, R39
    case["qccm_checks"] = [q for q in case["qccm_checks"] if D(q["date"]).month not in VBN2_QCCM_MISSING_MONTHS]
    case["disclosures"] = [d for d in case["disclosures"] if (d["kind"], d["date"]) not in VBN2_DISCLOSURES_MISSING]
    # R41, R42
    short = {(VBN2_CLERK_SHORT_WEEK[0], VBN2_CLERK_SHORT_WEEK[1]): VBN2_CLERK_SHORT_WEEK[2]}
    short.update({(VBN2_SICK, day): hours for day, hours in VBN2_SICK_WEEKS.items()})
    rows = []
    for t in case["timesheets"]:
        key = (t["person"], t["week"].isoformat())
        if key in short:
            if short[key] is None:
                continue
            t["hours"] = short[key]
        if (t["person"], t["week"].isoformat()) == VBN2_SHORT_PERIODS[:2]:
            t["periods"] = VBN2_SHORT_PERIODS[2]
        if t["person"] == VBN2_MATERNITY[0] and t["week"] >= D(VBN2_MATERNITY[1]):
            continue
        rows.append(t)
    case["timesheets"] = rows
    # between the meetings, and the exemptions
    case["good_deeds"] = good_deeds(GOOD_DEEDS_VBN2)
    case["decisions"] = [d for d in case["decisions"] if d["meeting"] != f"SH-2020-{VBN2_NO_MEETING_MONTH:02d}"]
    for d in case["decisions"]:
        if d["ref"] == VBN2_UNDONE_DECISION:
            d["done_on"] = None
    case["assignments"] = assignments(ASSIGNMENTS_VBN2)
    case["exemptions"] = [dict(zip(FIELDS["exemptions"], e)) for e in EXEMPTIONS_VBN2]
    return case


# ============================================================================================
# WRITING
# ============================================================================================

def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            unknown = set(row) - set(fields)
            assert not unknown, (path.name, unknown)
            writer.writerow([cell_text(row.get(f)) for f in fields])


def write_cell_yaml(path: Path, cell: dict) -> None:
    lines = []
    for key, value in cell.items():
        if isinstance(value, list):
            lines += [f"{key}:"] + [f'  - "{item}"' for item in value]
        else:
            lines.append(f"{key}: {value}" if isinstance(value, int) else f'{key}: "{value}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_case(folder: Path, case: dict[str, list[dict]], readme: str, cell: dict = CELL) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    write_cell_yaml(folder / "cell.yaml", cell)
    for kind, fields in FIELDS.items():
        if kind in OPTIONAL_KINDS and kind not in case:
            continue
        write_csv(folder / f"{kind}.csv", fields, case[kind])
    (folder / "README.md").write_text(readme, encoding="utf-8")


# ============================================================================================
# READMEs
# ============================================================================================

def pct(num: int, den: int) -> str:
    return f"{100 * num / den:.2f}"


def week_key(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def shared_description_vi() -> str:
    n_members = len(members())
    return (
        f"Chi bộ trường THCS Vĩnh Bình Nam 1 (Đảng bộ xã Vĩnh Bình Nam, huyện Vĩnh Thuận, tỉnh Kiên Giang), "
        f"năm 2020. Bí thư: Đặng Thị Mỹ Trang (P03). Trường có {len(STAFF)} cán bộ, giáo viên, nhân viên "
        f"(P01–P{len(STAFF):02d}): hiệu trưởng, 1 phó hiệu trưởng, 26 giáo viên đứng lớp, 1 Tổng phụ trách Đội, "
        f"5 nhân viên hành chính (văn thư, kế toán, thư viện, thiết bị, y tế) và 2 bảo vệ; {n_members} đảng viên, "
        f"1 quần chúng ưu tú (P16) do chi ủy viên P02 kèm cặp; 13 lớp, {sum(v[0] for v in FIGURES_2019.values())} "
        f"học sinh năm học 2019–2020. Năm học 2019–2020 kéo dài đến 12/7/2020 vì học sinh nghỉ học phòng dịch "
        f"COVID-19 từ sau Tết đến 03/5/2020."
    )


def shared_description_en() -> str:
    return (
        f"Party cell of Vĩnh Bình Nam 1 lower-secondary school (Vĩnh Bình Nam commune Party committee, Vĩnh Thuận "
        f"district, Kiên Giang province), year 2020. Secretary: Đặng Thị Mỹ Trang (P03). {len(STAFF)} staff "
        f"(P01–P{len(STAFF):02d}): principal, 1 vice-principal, 26 classroom teachers, the Pioneer leader, "
        f"5 administrative staff (clerk, accountant, librarian, equipment, medical) and 2 security guards; "
        f"{len(members())} party members and 1 candidate (P16) mentored by committee member P02; 13 classes, "
        f"{sum(v[0] for v in FIGURES_2019.values())} students in 2019–2020. The 2019–2020 school year ran to "
        f"12/7/2020 because schools were closed for COVID-19 from Tết to 3/5/2020."
    )


def day(value) -> dt.date:
    return value if isinstance(value, dt.date) else D(value)


def readiness(case: dict, meeting_day: str) -> dict:
    """The pre-meeting review of one regular meeting, item by item, as `chibo ready` is specified:
    (a) the meeting recorded with a story and its presenter; (b) good deeds since the previous regular
    meeting; (c) that meeting's decisions done or not yet due; (d) a QCCM check since then."""
    when = D(meeting_day)
    regular = sorted((m for m in case["meetings"] if m["kind"] == "regular"), key=lambda m: day(m["date"]))
    meeting = next(m for m in regular if day(m["date"]) == when)
    previous = [m for m in regular if day(m["date"]) < when][-1]
    since = day(previous["date"])
    decisions_ = [d for d in case["decisions"] if d["meeting"] == previous["ref"]]
    overdue = [d for d in decisions_ if not (d["done_on"] and day(d["done_on"]) <= when)
               and not (d["due"] and day(d["due"]) > when)]
    checks = [q for q in case["qccm_checks"] if since < day(q["date"]) <= when]
    return {
        "meeting": meeting, "previous": previous,
        "a": bool(meeting["story"] and meeting["story_presenter"]),
        "deeds": [g for g in case["good_deeds"] if since < day(g["date"]) <= when],
        "decisions": decisions_, "overdue": overdue, "c": not overdue,
        "checks": checks, "d": bool(checks),
    }


def check_meeting_design(case: dict) -> None:
    """The design the README documents: each regular meeting commends the doers of the good deeds
    recorded since the previous one; SH-2020-04 not ready on (a) and (c) only; SH-2020-05 ready."""
    regular = sorted((m for m in case["meetings"] if m["kind"] == "regular"), key=lambda m: day(m["date"]))
    since = dt.date(2019, 12, 31)
    for m in regular:
        doers = {g["person"] for g in case["good_deeds"] if since < day(g["date"]) <= day(m["date"])}
        assert doers == set(m["commended"]), (m["ref"], doers, m["commended"])
        since = day(m["date"])
    bad, good = readiness(case, NOT_READY_MEETING), readiness(case, READY_MEETING)
    assert (bad["a"], bad["c"], bad["d"]) == (False, False, True), bad
    assert [d["ref"] for d in bad["overdue"]] == ["QN-2020-03-2"]
    assert D(bad["overdue"][0]["done_on"]) > D(NOT_READY_MEETING)
    assert (good["a"], good["c"], good["d"]) == (True, True, True), good
    assert any(D(d["due"]) > D(READY_MEETING) for d in good["decisions"])


def ddmm(value) -> str:
    return day(value).strftime("%d/%m/%Y")


def readiness_readme(case: dict, lang: str) -> str:
    names = {p["ref"]: p["name"] for p in case["people"]}
    vi = lang == "vi"
    out = []
    for meeting_day, ready in ((NOT_READY_MEETING, False), (READY_MEETING, True)):
        r = readiness(case, meeting_day)
        m, prev = r["meeting"], r["previous"]
        verdict = ("SẴN SÀNG" if ready else "CHƯA SẴN SÀNG") if vi else ("READY" if ready else "NOT READY")
        ok, no = ("đạt", "chưa đạt") if vi else ("ready", "not ready")
        if vi:
            out.append(f"**{ddmm(m['date'])} — {m['ref']}: {verdict}** (buổi sinh hoạt định kỳ trước: {prev['ref']} "
                       f"ngày {ddmm(prev['date'])})\n")
        else:
            out.append(f"**{m['date']} — {m['ref']}: {verdict}** (previous regular meeting: {prev['ref']} of "
                       f"{prev['date']})\n")
        if r["a"]:
            who = f"{names[m['story_presenter']]} ({m['story_presenter']})"
            out.append(f"- (a) {ok}: “{m['story']}”, " + (f"người kể {who}." if vi else f"told by {who}."))
        else:
            out.append(f"- (a) {no}: " + (f"{m['ref']} không ghi câu chuyện về Bác và người kể (`story`, "
                                          f"`story_presenter` trống) — cũng là thiếu sót R04 ở trên."
                                          if vi else f"{m['ref']} has no Uncle Ho story and no presenter (`story`, "
                                          f"`story_presenter` empty) — also the R04 gap above."))
        deeds = "; ".join(f"{names[g['person']]} ({g['person']}) {ddmm(g['date']) if vi else g['date']} — "
                          f"“{g['deed']}”" for g in r["deeds"])
        out.append(f"- (b) {len(r['deeds'])} " + (f"việc làm tốt, đề nghị tuyên dương (chỉ để biết): {deeds}."
                                                   if vi else f"good deeds, proposed for commendation "
                                                   f"(information only): {deeds}."))
        parts = []
        for d in r["decisions"]:
            owner = f"{names[d['owner']]}, {d['owner']}"
            if d in r["overdue"]:
                parts.append(f"**{d['ref']}** “{d['task']}” ({owner}) " + (
                    f"hạn {ddmm(d['due'])}, đến ngày họp chưa hoàn thành (hoàn thành {ddmm(d['done_on'])}, "
                    f"sau ngày họp): quá hạn" if vi else
                    f"due {d['due']}, not done by the meeting (done {d['done_on']}, after it): overdue"))
            elif day(d["done_on"]) <= D(meeting_day):
                parts.append(f"{d['ref']} ({owner}) " + (f"hoàn thành {ddmm(d['done_on'])}, hạn {ddmm(d['due'])}"
                                                        if vi else f"done {d['done_on']}, due {d['due']}"))
            else:
                parts.append(f"{d['ref']} ({owner}) " + (
                    f"hạn {ddmm(d['due'])}, sau ngày họp: chưa đến hạn (hoàn thành {ddmm(d['done_on'])})"
                    if vi else f"due {d['due']}, after the meeting: not yet due (done {d['done_on']})"))
        out.append(f"- (c) {ok if r['c'] else no}: " + ("quyết nghị của " if vi else "decisions of ")
                   + f"{prev['ref']}: " + "; ".join(parts) + ".")
        checks = ", ".join(ddmm(q["date"]) if vi else str(q["date"]) for q in r["checks"])
        out.append(f"- (d) {ok}: " + (f"kiểm tra QCCM ngày {checks}." if vi else f"QCCM check of {checks}."))
        out.append("")
    return "\n".join(out)


# The plan section of each rule named in a README (rules/vbn1-2020/*.yaml, `section`).
SECTIONS = {"R01": "B.I.1", "R04": "B.I.1", "R12": "B.I.4", "R14": "B.I.4", "R15": "B.I.4", "R23": "B.II",
            "R28": "B.II", "R31": "B.II", "R38": "B.II", "R39": "B.II", "R40": "B.II", "R41": "B.III",
            "R42": "B.III", "R43": "B.III"}


def owners_readme(case: dict, rules: list[str], lang: str) -> str:
    names = {p["ref"]: p["name"] for p in case["people"]}
    table = {a["scope"] for a in case["assignments"]}
    lines = []
    for rule, owner in owners(case, {r: SECTIONS[r] for r in rules}).items():
        if rule in table:
            why = "dòng riêng của quy tắc" if lang == "vi" else "the rule's own row"
        else:
            why = (f"theo mục {SECTIONS[rule]}" if lang == "vi" else f"by section {SECTIONS[rule]}")
        lines.append(f"{rule} → {names[owner]} ({owner}, {why})")
    return "; ".join(lines) + "."


def owners(case: dict, rules: dict[str, str]) -> dict[str, str]:
    """Rule -> its owner by assignments: the rule's own row, else its section's (or a parent section's),
    else the secretary."""
    table = {a["scope"]: a["person"] for a in case["assignments"]}
    out = {}
    for rule, section in rules.items():
        scopes = [rule] + [".".join(section.split(".")[:i]) for i in range(section.count(".") + 1, 0, -1)]
        out[rule] = next((table[s] for s in scopes if s in table), CELL["secretary"])
    return out


GAP_RULES = ["R01", "R04", "R14", "R28", "R41", "R43"]


def gaps_readme(compliant: dict, gaps: dict) -> str:
    names = {s[0]: s[1] for s in STAFF}
    person, resolution = MISSED_BRIEFING
    res = {r[0]: r for r in RESOLUTIONS}[resolution]
    meeting = f"SH-2020-{MEETING_WITHOUT_STORY:02d}"
    meeting_date = next(m["date"] for m in gaps["meetings"] if m["ref"] == meeting)
    dropped = next(s for s in SUPERVISIONS if s[0] == UNSUPERVISED)
    supervised = sorted({s["person"] for s in gaps["supervisions"]})
    enrolled = sum(f["enrolled"] for f in gaps["student_figures"] if f["school_year"] == "2019-2020")
    good = sum(f["good"] for f in gaps["student_figures"] if f["school_year"] == "2019-2020")
    fair = sum(f["fair"] for f in gaps["student_figures"] if f["school_year"] == "2019-2020")
    good_c = sum(f["good"] for f in compliant["student_figures"] if f["school_year"] == "2019-2020")
    late = LATE_ARRIVAL
    week_rows = []
    for day, hours in CLERK_SHORT_WEEKS.items():
        monday = D(day)
        need = HOURS_PER_DAY * workdays(monday)
        week_rows.append((week_key(monday), monday, hours, need, workdays(monday)))
    weeks_vi = "\n".join(f"   - tuần {k} (thứ Hai {m.isoformat()}): {h} giờ < {n} giờ yêu cầu ({d} ngày làm việc × 8)"
                         for k, m, h, n, d in week_rows)
    weeks_en = "\n".join(f"   - week {k} (Monday {m.isoformat()}): {h} h < {n} h required ({d} working days × 8)"
                         for k, m, h, n, d in week_rows)
    return f"""# Ví dụ: Chi bộ trường THCS Vĩnh Bình Nam 1 — năm 2020 (có thiếu sót)

{shared_description_vi()}

Hồ sơ này giống hệt `cases/vbn1-2020-compliant/` (đạt mọi chỉ tiêu đo được), chỉ khác ở sáu thiếu sót cố ý
dưới đây. Tất cả tệp được sinh bởi `python3 tools/make_example_cases.py`; đừng sửa tay.

## Kết quả mong đợi (kiểm tra tính đến ngày 31/12/2020)

Đúng sáu quy tắc có thiếu sót (gap), mỗi quy tắc đúng các bản ghi sau:

1. **R01** — {names[person]} ({person}) không dự quán triệt nghị quyết {resolution}
   “{res[1]}” (hạn quán triệt {res[4]}; không có dòng nào trong `briefings.csv`). Mọi người × nghị quyết khác đều đạt.
2. **R04** — tháng 2020-04: buổi sinh hoạt định kỳ {meeting} ngày {meeting_date} (rút gọn do giãn cách xã hội
   phòng dịch COVID-19) không ghi chuyện kể về Bác (`story` và `story_presenter` trống); vẫn có tuyên dương. 11 tháng còn lại đạt.
3. **R14** — chỉ giám sát {len(supervised)} đảng viên khác nhau, thiếu 1 so với chỉ tiêu 11: kế hoạch giám sát
   {names[dropped[1]]} ({dropped[1]}), {dropped[0]} tháng 12, không thực hiện. Đã giám sát: {", ".join(supervised)}.
4. **R41** — nhân viên văn thư {names[CLERK]} ({CLERK}) thiếu giờ làm việc trong 3 tuần:
{weeks_vi}
   (tuần 2020-W18 có ngày nghỉ lễ 30/4 và 1/5). Mọi tuần khác và mọi nhân viên hành chính khác đều đạt.
5. **R28** — học sinh giỏi năm học 2019–2020: {good}/{enrolled} = {pct(good, enrolled)}% < 20%.
   (R27 khá + giỏi {good + fair}/{enrolled} = {pct(good + fair, enrolled)}% ≥ 64% và R29 khá
   {fair}/{enrolled} = {pct(fair, enrolled)}% ≥ 44% vẫn đạt.)
6. **R43** — {names[late[0]]} ({late[0]}) đi trễ ngày {late[1]} (dòng `kind = late` trong `absences.csv`,
   lý do “{late[3]}”): đi trễ luôn bị nêu dù có lý do. Các lần vắng khác đều có lý do.

Tất cả các quy tắc khác (R02, R03, R05–R13, R15–R27, R29–R40, R42, R44) đạt (passed). A01–A04 chỉ mang tính
tham khảo (advisory, không bao giờ “đạt”); tài liệu minh chứng nằm trong `documents.csv`.

Người phụ trách (`assignments.csv`; dòng của quy tắc trước, rồi mục kế hoạch, không có thì là bí thư):
{owners_readme(gaps, GAP_RULES, "vi")}

## Họp chi bộ: chuẩn bị

`good_deeds.csv` (việc làm tốt giữa hai buổi họp), `decisions.csv` (quyết nghị của từng buổi sinh hoạt định kỳ:
việc, người thực hiện, hạn, ngày hoàn thành) và `assignments.csv` không được quy tắc nào của `chibo check`
đọc: kết quả kiểm tra ở trên không đổi. Buổi sinh hoạt định kỳ nào cũng tuyên dương (`commended`) đúng những
người có việc làm tốt ghi nhận từ sau buổi định kỳ trước. Rà soát trước buổi họp
(`chibo ready cases/vbn1-2020 --meeting NGÀY`) xét bốn mục: (a) có buổi sinh hoạt định kỳ ghi đúng ngày họp,
có câu chuyện về Bác và người kể; (b) các việc làm tốt ghi nhận từ sau buổi định kỳ trước (danh sách đề nghị
tuyên dương, chỉ để biết); (c) mỗi quyết nghị của buổi định kỳ trước đã hoàn thành (`done_on` không sau ngày
họp) hoặc chưa đến hạn (`due` sau ngày họp) — một quyết nghị quá hạn chưa xong là chưa sẵn sàng; (d) có ít
nhất một lần kiểm tra QCCM sau buổi định kỳ trước và không sau ngày họp.

{readiness_readme(gaps, "vi")}
QN-2020-03-2 hoàn thành ngày 29/04/2020, trước cuối năm; mỗi buổi sau chỉ xét quyết nghị của buổi định kỳ liền
trước nó, nên quyết nghị này không ảnh hưởng buổi nào khác. `cases/vbn1-2020-compliant/` có cùng ba tệp này (buổi 24/04/2020 ở đó có chuyện
kể, nên chỉ chưa sẵn sàng ở mục (c)).

---

# Example: Party cell of Vĩnh Bình Nam 1 lower-secondary school — 2020 (with gaps)

{shared_description_en()}

This case is identical to `cases/vbn1-2020-compliant/` (every measurable target met) except for the six
deliberate gaps below. All files are generated by `python3 tools/make_example_cases.py`; do not edit by hand.

## Expected findings (checked as of 2020-12-31)

Exactly six rules report a gap, each with exactly these records:

1. **R01** — {names[person]} ({person}) missed the briefing of resolution {resolution} (commune level,
   brief by {res[4]}; no row in `briefings.csv`). Every other person × resolution is briefed in time.
2. **R04** — month 2020-04: regular meeting {meeting} of {meeting_date} (shortened under COVID-19 social
   distancing) has no Uncle Ho story recorded (`story` and `story_presenter` empty); commendations are recorded. The other 11 months pass.
3. **R14** — {len(supervised)} distinct members supervised, one short of the target 11: the planned December
   supervision {dropped[0]} of {names[dropped[1]]} ({dropped[1]}) was not carried out. Supervised: {", ".join(supervised)}.
4. **R41** — the clerk {names[CLERK]} ({CLERK}) is under the required hours in 3 weeks:
{weeks_en}
   (week 2020-W18 has the 30/4 and 1/5 holidays). Every other week and every other administrative person passes.
5. **R28** — good students in 2019–2020: {good}/{enrolled} = {pct(good, enrolled)}% < 20% (compliant case:
   {good_c}/{enrolled} = {pct(good_c, enrolled)}%). R27 good + fair {good + fair}/{enrolled} =
   {pct(good + fair, enrolled)}% ≥ 64% and R29 fair {fair}/{enrolled} = {pct(fair, enrolled)}% ≥ 44% still pass.
6. **R43** — {names[late[0]]} ({late[0]}) arrived late on {late[1]} (row `kind = late` in `absences.csv`,
   reason recorded): late arrivals are always flagged, reason or not. The other absences all have reasons.

All other rules (R02, R03, R05–R13, R15–R27, R29–R40, R42, R44) pass. A01–A04 are advisory (never passed);
their evidence is in `documents.csv`.

Owners (`assignments.csv`; the rule's own row first, then its plan section, else the secretary):
{owners_readme(gaps, GAP_RULES, "en")}

## Meeting readiness

`good_deeds.csv` (good deeds between meetings), `decisions.csv` (what each regular meeting decided: task,
owner, due date, date done) and `assignments.csv` are read by no `chibo check` rule: the findings above are
unchanged. Every regular meeting commends (`commended`) exactly the people with a good deed recorded since the
previous regular meeting. The pre-meeting review (`chibo ready cases/vbn1-2020 --meeting DATE`) has four
items: (a) a regular meeting recorded on the meeting date with an Uncle Ho story and its presenter; (b) the
good deeds recorded since the previous regular meeting (proposed for commendation; information only); (c)
each decision of the previous regular meeting done (`done_on` on or before the meeting date) or not yet due
(`due` after it) — an overdue decision not done makes the meeting not ready; (d) at least one QCCM check
after the previous regular meeting and on or before the meeting date.

{readiness_readme(gaps, "en")}
QN-2020-03-2 was done on 2020-04-29, before year end; each later meeting looks only at the decisions of the
regular meeting just before it, so this one affects no other meeting. `cases/vbn1-2020-compliant/` has the same three files (its 2020-04-24 meeting
has a story, so it is not ready on item (c) only).
"""


VBN2_GAP_RULES = ["R04", "R12", "R15", "R23", "R31", "R38", "R39", "R40", "R41", "R42"]


def line_of(case: dict, kind: str, match: dict) -> int:
    """The line of the first row of `kind` with these values, in the written CSV (header = line 1)."""
    for i, row in enumerate(case[kind], start=2):
        if all(cell_text(row.get(k)) == cell_text(v) for k, v in match.items()):
            return i
    raise AssertionError((kind, match))


def weeks_between(first: str, last: str) -> list[dt.date]:
    return [m for m in mondays() if D(first) <= m <= D(last) and teaching_week(m)]


def vbn2_readme(case: dict) -> str:
    names = NAMES_VBN2
    n = lambda ref: f"{names[ref]} ({ref})"  # noqa: E731
    enrolled = sum(f["enrolled"] for f in case["student_figures"] if f["school_year"] == "2019-2020")
    members_ = members()
    inspected = [i for i in case["inspections"] if i["kind"] == "compliance"]
    not_inspected = ", ".join(m for m in members_ if m not in {i["person"] for i in inspected})
    vp = VBN2_VIOLATION
    handled = next(m for m in VBN2_MISCONDUCT if m[4] == "handled")
    open_ = next(m for m in VBN2_MISCONDUCT if m[4] == "open")
    rating_line = line_of(case, "ratings", {"person": VBN2_RATED_COMPLETED})
    sick_rows = []
    for monday, hours in VBN2_SICK_WEEKS.items():
        if hours is None:
            sick_rows.append((week_key(D(monday)), monday, None, None))
        else:
            sick_rows.append((week_key(D(monday)), monday, hours,
                              line_of(case, "timesheets", {"person": VBN2_SICK, "week": D(monday)})))
    clerk, clerk_week, clerk_hours = VBN2_CLERK_SHORT_WEEK
    clerk_line = line_of(case, "timesheets", {"person": clerk, "week": D(clerk_week)})
    short_p, short_week, short_periods = VBN2_SHORT_PERIODS
    short_line = line_of(case, "timesheets", {"person": short_p, "week": D(short_week)})
    short_need = NORMS["teacher"] - staff_by_ref()[short_p][6]
    mat_p, mat_from = VBN2_MATERNITY
    mat_weeks = weeks_between(mat_from, "2020-12-28")          # to W53, which ends 03/01/2021: judged at 31/12
    mat_weeks_0930 = weeks_between(mat_from, "2020-09-24")     # weeks ended by 30/09
    wk = lambda ws: ", ".join(week_key(w) for w in ws)  # noqa: E731
    ex = {e[0]: e for e in EXEMPTIONS_VBN2}
    sick_vi = "; ".join(f"{k} (thứ Hai {m}): " + ("không có dòng chấm công" if h is None else
                                                  f"{h} giờ < 40 giờ (dòng {line})")
                        for k, m, h, line in sick_rows)
    sick_en = "; ".join(f"{k} (Monday {m}): " + ("no timesheet row" if h is None else f"{h} h < 40 h (line {line})")
                        for k, m, h, line in sick_rows)
    sick_keys = ", ".join(k for k, *_ in sick_rows)
    disclosures_vi = {"finance": "thu chi tài chính", "cadre_source": "công tác dự nguồn cán bộ"}
    quarter = lambda d: f"{D(d).year}-Q{(D(d).month - 1) // 3 + 1}"  # noqa: E731
    missing_disc_vi = "; ".join(f"{disclosures_vi[k]} (`{k}`) quý {quarter(d)}" for k, d in VBN2_DISCLOSURES_MISSING)
    missing_disc_en = "; ".join(f"`{k}` in {quarter(d)}" for k, d in VBN2_DISCLOSURES_MISSING)
    months = ", ".join(f"2020-{m:02d}" for m in VBN2_QCCM_MISSING_MONTHS)
    no_meeting = f"2020-{VBN2_NO_MEETING_MONTH:02d}"
    storyless = f"SH-2020-{VBN2_MEETING_WITHOUT_STORY:02d}"
    storyless_day = next(m["date"] for m in case["meetings"] if m["ref"] == storyless)
    kt01 = inspected[0]
    passed = "R01–R03, R05–R11, R13, R14, R16–R22, R24–R30, R32–R37, R43, R44"
    return f"""# Ví dụ: Chi bộ trường THCS Vĩnh Bình Nam 2 — năm 2020 (nhiều thiếu sót, có miễn trừ)

Chi bộ trường THCS Vĩnh Bình Nam 2, cùng Đảng bộ xã Vĩnh Bình Nam (huyện Vĩnh Thuận, tỉnh Kiên Giang) với
`cases/vbn1-2020/`, năm 2020, kiểm tra bằng cùng bộ quy tắc `rules/vbn1-2020/` (kế hoạch của một trường THCS) — hai hồ sơ
dùng cho tổng hợp cấp xã. Bí thư: {n("P03")}. Cơ cấu cán bộ như trường Vĩnh Bình Nam 1 (cùng mã P01–P{len(STAFF):02d},
người khác): hiệu trưởng {n("P01")}, phó hiệu trưởng {n("P02")}, 26 giáo viên đứng lớp, Tổng phụ trách Đội,
5 nhân viên hành chính và 2 bảo vệ; {len(members_)} đảng viên, 1 quần chúng ưu tú (P16) do chi ủy viên P02 kèm cặp;
13 lớp, {enrolled} học sinh năm học 2019–2020. Số liệu phổ cập giáo dục là của cả xã, giống hồ sơ Vĩnh Bình Nam 1.
Tất cả tệp được sinh bởi `python3 tools/make_example_cases.py`; đừng sửa tay.

## Kết quả mong đợi (kiểm tra tính đến ngày 31/12/2020)

`chibo check` báo thiếu sót **không tính miễn trừ** (miễn trừ được áp dụng sau, xem mục dưới). Đúng mười quy
tắc có thiếu sót, mỗi quy tắc đúng các bản ghi sau:

1. **R04** — tháng {no_meeting}: không có buổi sinh hoạt định kỳ nào; tháng 2020-08: buổi định kỳ {storyless}
   ngày {storyless_day} không ghi chuyện kể về Bác (`story`, `story_presenter` trống). 10 tháng còn lại đạt.
2. **R12** — chỉ 1/2 đảng viên được kiểm tra chấp hành: {kt01["ref"]} ngày {kt01["date"]}, {n(kt01["person"])};
   cuộc kiểm tra {VBN2_INSPECTION_NOT_DONE} (quyết nghị {VBN2_UNDONE_DECISION} của buổi tháng 10) không thực hiện. Các đảng
   viên chưa được kiểm tra được liệt kê: {not_inspected}.
3. **R15** (nghiêm trọng) — {vp[0]}: {n(vp[1])}, ngày {vp[2]}, “{vp[3]}” (`charter` = có; phát hiện qua cuộc
   kiểm tra {kt01["ref"]}).
4. **R23** — {n(VBN2_RATED_COMPLETED)} xếp loại năm 2020 là “hoàn thành” (`completed`), không phải hoàn thành
   tốt trở lên (`ratings.csv`, dòng {rating_line}). 33/34 người đạt.
5. **R31** — giải tiếng Anh trên Internet (IOE, `ioe_english`) năm học 2019–2020: không có học sinh khối 6, 7, 8,
   9 (không có dòng nào); giải Toán (ViOlympic) đủ 4 khối. 4/8.
6. **R38** — tháng {months}: không có lần kiểm tra QCCM nào. 10/12 tháng đạt.
7. **R39** — chưa niêm yết: {missing_disc_vi}. 10/12.
8. **R40** (nghiêm trọng) — {open_[0]}: {n(open_[1])}, ngày {open_[2]}, “{open_[3]}”, tình trạng `open`, chưa
   có ngày xử lý. {handled[0]} ({n(handled[1])}, đã xử lý ngày {handled[5]}) đạt.
9. **R41** — năm tuần: nhân viên thiết bị {n(VBN2_SICK)} (nghỉ điều trị tháng 6) tuần {sick_vi}; văn thư
   {n(clerk)} tuần {week_key(D(clerk_week))} (thứ Hai {clerk_week}): {clerk_hours} giờ < 40 giờ (dòng {clerk_line}) —
   số dòng là của `timesheets.csv`.
10. **R42** — giáo viên {n(mat_p)} nghỉ thai sản từ {mat_from}: không có số tiết dạy {len(mat_weeks)} tuần
   {wk(mat_weeks)} (kể cả tuần 2020-W53, thứ Hai 2020-12-28 đến 03/01/2021: tuần cuối của kế hoạch, xét vào ngày 31/12/2020); giáo viên
   {n(short_p)} tuần {week_key(D(short_week))} (thứ Hai {short_week}): {short_periods} tiết < {short_need}
   (19 − {NORMS["teacher"] - short_need} tiết giảm; `timesheets.csv` dòng {short_line}).

Tất cả các quy tắc khác ({passed}) đạt: 34 đạt, 10 chưa đạt, 0 thiếu dữ liệu, 0 chưa đến hạn, 4 tham khảo
(A01–A04).

Người phụ trách (`assignments.csv`; dòng của quy tắc trước, rồi mục kế hoạch, không có thì là bí thư):
{owners_readme(case, VBN2_GAP_RULES, "vi")}

## Miễn trừ (`exemptions.csv`)

Miễn trừ không bao giờ che thiếu sót: thiếu sót được miễn vẫn được nêu, ghi là được miễn, kèm lý do và người
phê duyệt; sau ngày hết hiệu lực (`expires`) miễn trừ không còn áp dụng. Kiểm tra tính đến 30/09/2020 có bảy
quy tắc có thiếu sót: R04 (như trên), R15 (như trên), R31 (như trên), R38 (như trên), R39 (chỉ thu chi tài chính
2020-Q3), R41 (chỉ 4 tuần của {VBN2_SICK}: {sick_keys}) và R42 (chỉ {len(mat_weeks_0930)} tuần của {mat_p}:
{wk(mat_weeks_0930)}).

- **MT-01** — {n(mat_p)}, quy tắc {ex["MT-01"][1]}, từ {ex["MT-01"][3]} đến {ex["MT-01"][4]}, “{ex["MT-01"][5]}”;
  phê duyệt: {ex["MT-01"][6]} ngày {ex["MT-01"][7]}; hết hiệu lực {ex["MT-01"][8]}.
  Tính đến 31/12/2020: miễn {len(mat_weeks)} thiếu sót R42 của {mat_p} (tuần {wk(mat_weeks)}). Tính đến
  30/09/2020: miễn {len(mat_weeks_0930)} thiếu sót R42 của {mat_p} (tuần {wk(mat_weeks_0930)}). Phần R41 không miễn
  thiếu sót nào (R41 chỉ xét nhân viên hành chính; {mat_p} là giáo viên).
- **MT-02** — {n(VBN2_SICK)}, quy tắc {ex["MT-02"][1]}, từ {ex["MT-02"][3]} đến {ex["MT-02"][4]}, “{ex["MT-02"][5]}”;
  phê duyệt: {ex["MT-02"][6]} ngày {ex["MT-02"][7]}; **hết hiệu lực {ex["MT-02"][8]}** (giấy tờ không được nộp bổ
  sung). Tính đến 30/09/2020: miễn 4 thiếu sót R41 của {VBN2_SICK} (tuần {sick_keys}). Tính đến 31/12/2020: đã hết
  hiệu lực, không miễn thiếu sót nào — 4 thiếu sót đó vẫn chưa đạt (báo cáo nêu miễn trừ đã hết hiệu lực).
- **MT-03** — cả chi bộ (không ghi người), quy tắc {ex["MT-03"][1]}, từ {ex["MT-03"][3]} đến {ex["MT-03"][4]},
  “{ex["MT-03"][5]}”; phê duyệt: {ex["MT-03"][6]} ngày {ex["MT-03"][7]}; hết hiệu lực {ex["MT-03"][8]}. Tính đến
  30/09/2020 và 31/12/2020: miễn cả 4 thiếu sót R31 (IOE khối 6, 7, 8, 9).

Không miễn trừ nào áp dụng cho: R41 của {clerk} tuần {week_key(D(clerk_week))}, R42 của {short_p} tuần
{week_key(D(short_week))}, và mọi thiếu sót của R04, R12, R15, R23, R38, R39, R40. Sau khi áp dụng miễn trừ: tính
đến 31/12/2020 R31 không còn thiếu sót chưa được miễn, chín quy tắc còn lại vẫn chưa đạt (R41 vẫn có 5 tuần, R42
còn 1 tuần); tính đến 30/09/2020 R31, R41, R42 không còn thiếu sót chưa được miễn, còn R04, R15, R38, R39.

---

# Example: Party cell of Vĩnh Bình Nam 2 lower-secondary school — 2020 (many gaps, with exemptions)

Party cell of Vĩnh Bình Nam 2 lower-secondary school, in the same Vĩnh Bình Nam commune Party committee (Vĩnh
Thuận district, Kiên Giang province) as `cases/vbn1-2020/`, year 2020, checked with the same `rules/vbn1-2020/` (a
lower-secondary school's plan) — the two cases are for a commune roll-up. Secretary: {n("P03")}. Same staff
structure as Vĩnh Bình Nam 1 (same refs P01–P{len(STAFF):02d}, other people): principal {n("P01")}, vice-principal
{n("P02")}, 26 classroom teachers, the Pioneer leader, 5 administrative staff and 2 security guards;
{len(members_)} party members, 1 candidate (P16) mentored by committee member P02; 13 classes, {enrolled} students in
2019–2020. The universal-education figures are the commune's, the same as Vĩnh Bình Nam 1's. All files are
generated by `python3 tools/make_example_cases.py`; do not edit by hand.

## Expected findings (checked as of 2020-12-31)

`chibo check` reports the gaps **without exemptions** (they are applied afterwards, see below). Exactly ten rules
report a gap, each with exactly these records:

1. **R04** — month {no_meeting}: no regular meeting at all; month 2020-08: regular meeting {storyless} of
   {storyless_day} has no Uncle Ho story (`story`, `story_presenter` empty). The other 10 months pass.
2. **R12** — only 1 of 2 members inspected for compliance: {kt01["ref"]} of {kt01["date"]}, {n(kt01["person"])};
   inspection {VBN2_INSPECTION_NOT_DONE} (decision {VBN2_UNDONE_DECISION} of the October meeting) was not carried
   out. The members not yet inspected are listed: {not_inspected}.
3. **R15** (critical) — {vp[0]}: {n(vp[1])}, {vp[2]}, did not pay Party dues for 3 months running (April–June
   2020) without good reason (`charter` = yes; found by inspection {kt01["ref"]}).
4. **R23** — {n(VBN2_RATED_COMPLETED)} is rated `completed` for 2020, not good or better (`ratings.csv`, line
   {rating_line}). 33 of 34 pass.
5. **R31** — online English contest (IOE, `ioe_english`), 2019–2020: no participants in grades 6, 7, 8, 9 (no
   rows); the maths contest (ViOlympic) has all 4 grades. 4/8.
6. **R38** — months {months}: no QCCM check. 10 of 12 months pass.
7. **R39** — not posted: {missing_disc_en}. 10/12.
8. **R40** (critical) — {open_[0]}: {n(open_[1])}, {open_[2]}, a parent's complaint of paid extra classes against
   the rules, status `open`, no date handled. {handled[0]} ({n(handled[1])}, handled {handled[5]}) passes.
9. **R41** — five weeks: the equipment officer {n(VBN2_SICK)} (sick leave in June) in weeks {sick_en}; the clerk
   {n(clerk)} in week {week_key(D(clerk_week))} (Monday {clerk_week}): {clerk_hours} h < 40 h (line {clerk_line}) —
   lines of `timesheets.csv`.
10. **R42** — the teacher {n(mat_p)}, on maternity leave from {mat_from}: no teaching periods in {len(mat_weeks)}
   weeks {wk(mat_weeks)} (week 2020-W53 included: Monday 2020-12-28 to 2021-01-03, the plan's last week, judged on 2020-12-31); the
   teacher {n(short_p)} in week {week_key(D(short_week))} (Monday {short_week}): {short_periods} periods <
   {short_need} (19 − {NORMS["teacher"] - short_need} reduction; `timesheets.csv` line {short_line}).

All other rules ({passed}) pass: 34 passed, 10 gaps, 0 no data, 0 not due, 4 advisory (A01–A04).

Owners (`assignments.csv`; the rule's own row first, then its plan section, else the secretary):
{owners_readme(case, VBN2_GAP_RULES, "en")}

## Exemptions (`exemptions.csv`)

An exemption never hides a gap: a covered gap is still listed, marked exempted, with the reason and the
approver; after `expires` the exemption no longer applies. Checked as of 2020-09-30, seven rules report a gap:
R04, R15, R31, R38 (as above), R39 (finance 2020-Q3 only), R41 (only {VBN2_SICK}'s 4 weeks: {sick_keys}) and
R42 (only {mat_p}'s {len(mat_weeks_0930)} weeks: {wk(mat_weeks_0930)}).

- **MT-01** — {n(mat_p)}, rules {ex["MT-01"][1]}, {ex["MT-01"][3]} to {ex["MT-01"][4]}, maternity leave (6
  months); approved by the principal ({ex["MT-01"][6]}) on {ex["MT-01"][7]}; expires {ex["MT-01"][8]}.
  As of 2020-12-31 it covers {len(mat_weeks)} R42 gaps of {mat_p} (weeks {wk(mat_weeks)}); as of 2020-09-30,
  {len(mat_weeks_0930)} (weeks {wk(mat_weeks_0930)}). Its R41 part covers nothing (R41 judges administrative staff;
  {mat_p} is a teacher).
- **MT-02** — {n(VBN2_SICK)}, rule {ex["MT-02"][1]}, {ex["MT-02"][3]} to {ex["MT-02"][4]}, sick leave after
  surgery, provisional until the hospital papers are handed in; approved by the principal on {ex["MT-02"][7]};
  **expired {ex["MT-02"][8]}** (the papers never came). As of 2020-09-30 it covers 4 R41 gaps of {VBN2_SICK}
  (weeks {sick_keys}); as of 2020-12-31 it has expired and covers nothing — those 4 gaps stand (the report says
  the exemption expired).
- **MT-03** — the whole cell (no person), rule {ex["MT-03"][1]}, {ex["MT-03"][3]} to {ex["MT-03"][4]}, the IOE
  rounds of 2019–2020 were cancelled because of COVID-19; approved by {ex["MT-03"][6]} on {ex["MT-03"][7]};
  expires {ex["MT-03"][8]}. As of 2020-09-30 and 2020-12-31 it covers all 4 R31 gaps (IOE grades 6, 7, 8, 9).

No exemption covers: R41 of {clerk} week {week_key(D(clerk_week))}, R42 of {short_p} week {week_key(D(short_week))},
and every gap of R04, R12, R15, R23, R38, R39, R40. With exemptions applied: as of 2020-12-31, R31 has no
uncovered gap left and the other nine rules still have gaps (R41 still 5 weeks, R42 1 week); as of 2020-09-30,
R31, R41 and R42 have no uncovered gap left, leaving R04, R15, R38, R39.
"""


def compliant_readme() -> str:
    return f"""# Ví dụ: Chi bộ trường THCS Vĩnh Bình Nam 1 — năm 2020 (đạt mọi chỉ tiêu)

{shared_description_vi()}

Một năm 2020 đầy đủ, đạt mọi chỉ tiêu đo được của kế hoạch: kiểm tra tính đến 31/12/2020, mọi quy tắc
R01–R44 đạt (passed), A01–A04 là tham khảo (advisory). `cases/vbn1-2020/` là cùng chi bộ với sáu thiếu sót
cố ý. Sinh bởi `python3 tools/make_example_cases.py`; đừng sửa tay. Các tệp `good_deeds.csv`, `decisions.csv`,
`assignments.csv` giống hệt ở `cases/vbn1-2020/` (xem mục "Họp chi bộ: chuẩn bị" trong README của hồ sơ đó);
không quy tắc nào của `chibo check` đọc chúng.

---

# Example: Party cell of Vĩnh Bình Nam 1 lower-secondary school — 2020 (fully compliant)

{shared_description_en()}

A complete year 2020 meeting every measurable target of the plan: checked as of 2020-12-31, every rule
R01–R44 passes and A01–A04 are advisory. `cases/vbn1-2020/` is the same cell with six deliberate gaps.
Generated by `python3 tools/make_example_cases.py`; do not edit by hand.

Details worth knowing: violations and misconduct files have a header and no rows (none happened);
NQ-HU-01 is a higher-level resolution briefed to party members only (R01 covers commune and cell levels);
three people attended a make-up briefing before the deadline; timesheets hold hours for administrative
staff in every week and teaching periods for teachers and managers in teaching weeks only (Tết + COVID-19
closure 20/1–3/5 and summer 13/7–6/9 excluded). `good_deeds.csv`, `decisions.csv` and `assignments.csv` are
the same as in `cases/vbn1-2020/` (see its README, "Meeting readiness"); no `chibo check` rule reads them.
"""


def main() -> None:
    compliant = compliant_case()
    gaps = gaps_case(compliant)
    check_meeting_design(gaps)
    write_case(CASES / COMPLIANT_DIR, compliant, compliant_readme())
    write_case(CASES / GAPS_DIR, gaps, gaps_readme(compliant, gaps))
    vbn2 = vbn2_case(compliant)
    write_case(CASES / VBN2_DIR, vbn2, vbn2_readme(vbn2), CELL_VBN2)
    for name, case in ((COMPLIANT_DIR, compliant), (GAPS_DIR, gaps), (VBN2_DIR, vbn2)):
        print(f"wrote cases/{name}/ ({len(case)} fact files, cell.yaml, README.md)")


if __name__ == "__main__":
    main()
