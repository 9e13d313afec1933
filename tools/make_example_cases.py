#!/usr/bin/env python3
"""Write the two example cases of the Vĩnh Bình Nam 1 Party cell for the year 2020.

    python3 tools/make_example_cases.py        (from the project root)

cases/vbn1-2020-compliant/  a realistic year in which every measurable target of the plan is met;
cases/vbn1-2020/            the same year with six deliberate, documented gaps (see GAPS below and
                            the README the script writes into that folder).

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
    "plan_year": 2020,
    "school": "Trường THCS Vĩnh Bình Nam 1, huyện Vĩnh Thuận, tỉnh Kiên Giang",
    "secretary": "P03",
}

# Column order of every fact file: exactly the field names of the models in chibo_rules/models.py.
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
}

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


def student_figures() -> list[dict]:
    rows = []
    for grade, (enrolled, drop, good, fair, average, weak, poor) in FIGURES_2019.items():
        row = {"school_year": "2019-2020", "grade": grade, "enrolled": enrolled, "dropouts": drop,
               "good": good, "fair": fair, "average": average, "weak": weak, "poor": poor}
        if grade == 9:
            row["graduation_candidates"] = row["graduated"] = enrolled - drop
        rows.append(row)
    for grade, (enrolled, attending, target, insured) in FIGURES_2020.items():
        row = {"school_year": "2020-2021", "grade": grade, "enrolled": enrolled, "attending": attending,
               "mobilisation_target": target, "health_insured": insured}
        if grade == 6:
            row["intake_eligible"], row["intake_enrolled"] = GRADE6_INTAKE
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
    }
    case.update(school_records())
    assert set(case) == set(FIELDS), set(FIELDS) ^ set(case)
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


def write_cell_yaml(path: Path) -> None:
    lines = []
    for key, value in CELL.items():
        lines.append(f"{key}: {value}" if isinstance(value, int) else f'{key}: "{value}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_case(folder: Path, case: dict[str, list[dict]], readme: str) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    write_cell_yaml(folder / "cell.yaml")
    for kind, fields in FIELDS.items():
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
"""


def compliant_readme() -> str:
    return f"""# Ví dụ: Chi bộ trường THCS Vĩnh Bình Nam 1 — năm 2020 (đạt mọi chỉ tiêu)

{shared_description_vi()}

Một năm 2020 đầy đủ, đạt mọi chỉ tiêu đo được của kế hoạch: kiểm tra tính đến 31/12/2020, mọi quy tắc
R01–R44 đạt (passed), A01–A04 là tham khảo (advisory). `cases/vbn1-2020/` là cùng chi bộ với sáu thiếu sót
cố ý. Sinh bởi `python3 tools/make_example_cases.py`; đừng sửa tay.

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
closure 20/1–3/5 and summer 13/7–6/9 excluded).
"""


def main() -> None:
    compliant = compliant_case()
    gaps = gaps_case(compliant)
    write_case(CASES / COMPLIANT_DIR, compliant, compliant_readme())
    write_case(CASES / GAPS_DIR, gaps, gaps_readme(compliant, gaps))
    for name in (COMPLIANT_DIR, GAPS_DIR):
        print(f"wrote cases/{name}/ ({len(FIELDS)} fact files, cell.yaml, README.md)")


if __name__ == "__main__":
    main()
