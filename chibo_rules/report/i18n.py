"""User-facing words in Vietnamese (default) and English. Identifiers stay English everywhere."""

from __future__ import annotations

from typing import Any

from ..facts.values import CHOICES_SEPARATOR

LANGS = ("vi", "en")

STATUS = {
    "passed": {"vi": "Đạt", "en": "Passed"},
    "gap": {"vi": "Chưa đạt", "en": "Gap"},
    "no_data": {"vi": "Thiếu dữ liệu", "en": "No data"},
    "not_due": {"vi": "Chưa đến hạn", "en": "Not due"},
    "advisory": {"vi": "Tham khảo", "en": "Advisory"},
    "behind_pace": {"vi": "Chậm tiến độ", "en": "Behind pace"},
    "on_pace": {"vi": "Đúng tiến độ", "en": "On pace"},
    "exempted": {"vi": "Được miễn trừ", "en": "Exempted"},
    "ready": {"vi": "Sẵn sàng", "en": "Ready"},
    "not_ready": {"vi": "Chưa sẵn sàng", "en": "Not ready"},
    "info": {"vi": "Thông tin", "en": "Info"},
    "error": {"vi": "Lỗi dữ liệu", "en": "Input error"},
    "fixed": {"vi": "Đã khắc phục", "en": "Fixed"},
    "new": {"vi": "Mới phát sinh", "en": "New"},
}

SEVERITY = {
    "critical": {"vi": "rất nghiêm trọng", "en": "critical"},
    "high": {"vi": "cao", "en": "high"},
    "medium": {"vi": "trung bình", "en": "medium"},
    "low": {"vi": "thấp", "en": "low"},
}

MESSAGES: dict[str, tuple[str, str]] = {
    # report
    "report_title": ("Báo cáo rà soát thực hiện kế hoạch", "Plan compliance report"),
    "cell": ("Chi bộ", "Cell"),
    "as_of": ("Tính đến ngày", "As of"),
    "section": ("Mục", "Section"),
    "col_id": ("Mã", "ID"),
    "col_requirement": ("Yêu cầu", "Requirement"),
    "col_status": ("Trạng thái", "Status"),
    "col_target": ("Chỉ tiêu", "Target"),
    "col_observed": ("Thực tế", "Observed"),
    "clause": ("Trích kế hoạch", "Plan clause"),
    "hint": ("Việc cần làm", "What to do"),
    "details": ("Chi tiết các yêu cầu chưa đạt", "Details of the gaps"),
    "summary": (
        "{total} yêu cầu: {passed} đạt, {gap} chưa đạt, {no_data} thiếu dữ liệu, {not_due} chưa đến hạn, "
        "{advisory} tham khảo",
        "{total} requirements: {passed} passed, {gap} gaps, {no_data} no data, {not_due} not due, "
        "{advisory} advisory",
    ),
    "more": ("… và {n} mục khác (xem --format json)", "… and {n} more (see --format json)"),
    "missing_record": ("chưa có {what}", "no {what} recorded"),
    "failed_record": ("{what} không đạt: {detail}", "{what} fails: {detail}"),
    "short": ("còn thiếu {needed} (đạt {value}, chỉ tiêu {sign} {target})",
              "{needed} short ({value} against {sign} {target})"),
    "over": ("có {value}, chỉ tiêu {sign} {target}", "{value} against {sign} {target}"),
    "short_ratio": ("đạt {percent}% ({numerator}/{denominator}), chỉ tiêu {sign} {target}%",
                    "{percent}% ({numerator}/{denominator}) against {sign} {target}%"),
    "not_counted": ("chưa thực hiện", "not yet counted"),
    "counted": ("được tính", "counted"),
    "outside": ("không thuộc tử số", "not in the numerator"),
    "missing_files": ("không có tệp: {files}", "missing file(s): {files}"),
    "not_due_until": ("đến hạn ngày {date}", "due on {date}"),
    "no_period": ("chưa hết kỳ nào", "no period has ended yet"),
    "empty_no_data": ("không có đối tượng để đánh giá", "nothing to judge"),
    "empty_passed": ("không có đối tượng (không áp dụng)", "none recorded (not applicable)"),
    "advisory_note": ("không đo được bằng số liệu; {n} văn bản để người rà soát xem",
                      "not measurable; {n} document(s) for a reviewer"),
    "all_of": ("100% ({total})", "100% ({total})"),
    "week": ("tuần {start}–{end}", "week {start}–{end}"),
    "month": ("tháng {m}/{y}", "{m}/{y}"),
    "quarter": ("quý {q}/{y}", "Q{q} {y}"),
    "line": ("dòng {line}", "line {line}"),
    "recorded": ("có ghi nhận", "recorded"),
    "not_recorded": ("không ghi nhận", "not recorded"),
    "evaluator_oracle": ("(đánh giá bằng bộ kiểm chứng Python, không dùng durable-rules)",
                         "(evaluated by the plain-Python oracle, not durable-rules)"),
    "summary_extra": ("{n} {label}", "{n} {label}"),
    "behind": ("chậm tiến độ: còn thiếu {needed} (đạt {value}, mốc {milestone} đến ngày {by})",
               "behind pace: {needed} short ({value} against the milestone {milestone} by {by})"),
    "milestone_note": ("mốc {milestone} đến ngày {by}", "milestone {milestone} by {by}"),
    "plan": ("Kế hoạch", "Plan"),
    "owner": ("Người phụ trách", "Owner"),
    "unassigned": ("chưa phân công", "not assigned"),
    # exemptions
    "exemptions_title": ("Miễn trừ", "Exemptions"),
    "exempted_gap": ("{text} — miễn trừ {ref}", "{text} — exempted by {ref}"),
    "expired_gap": ("{text} (miễn trừ {ref} đã hết hạn, không còn áp dụng)",
                    "{text} (exemption {ref} has expired and no longer applies)"),
    "exemption_line": ("{ref}: {rules}{person}, từ {start} đến {end}. Lý do: {reason}. Người duyệt: {approver}. "
                       "Hết hạn: {expires}.",
                       "{ref}: {rules}{person}, {start} to {end}. Reason: {reason}. Approved by: {approver}. "
                       "Expires: {expires}."),
    "exemption_active": ("đang áp dụng; miễn trừ {n} thiếu sót", "applies; waives {n} gap(s)"),
    "exemption_expired": ("ĐÃ HẾT HẠN ngày {date}: không còn áp dụng; {n} thiếu sót vẫn tính là chưa đạt",
                          "EXPIRED on {date}: no longer applies; {n} gap(s) still count"),
    "exemption_not_started": ("chưa có hiệu lực (duyệt ngày {date})", "not yet in force (approved {date})"),
    "whole_cell": ("cả chi bộ", "the whole cell"),
    "exempted_items": ("Được miễn trừ", "Exempted"),
    # audit
    "audit_title": ("Báo cáo kiểm tra quý {q}/{y}", "Quarterly audit, Q{q} {y}"),
    "previous_quarter": ("Quý trước (tính đến)", "Previous quarter (as of)"),
    "changes_title": ("Thay đổi so với quý trước", "Changes since the previous quarter"),
    "no_changes": ("Không có thay đổi so với quý trước.", "Nothing changed since the previous quarter."),
    "no_previous": ("Quý đầu năm: không có quý trước để so sánh.", "First quarter: no previous quarter to compare."),
    "col_change": ("Thay đổi", "Change"),
    "col_before_after": ("Trước → nay", "Before → now"),
    "col_items": ("Nội dung", "Items"),
    "todo_title": ("Việc cần làm trước ngày {date}", "To do before {date}"),
    "todo_title_end": ("Việc cần làm", "To do"),
    "todo_milestone": ("cần đạt {expected} trước ngày {date}", "needs {expected} by {date}"),
    "todo_due_soon": ("đến hạn ngày {date}", "falls due on {date}"),
    "more_below": ("… và {n} mục khác (xem phần chi tiết)", "… and {n} more (see the details)"),
    "nothing_to_do": ("Không có việc tồn đọng.", "Nothing outstanding."),
    # readiness
    "ready_title": ("Chuẩn bị sinh hoạt chi bộ ngày {date}", "Readiness for the cell meeting of {date}"),
    "last_meeting": ("Buổi sinh hoạt định kỳ trước", "Previous regular meeting"),
    "none_before": ("chưa có", "none"),
    "verdict": ("Kết luận", "Verdict"),
    "checklist_title": ("Danh mục chuẩn bị", "Checklist"),
    "open_gaps_title": ("Yêu cầu của kế hoạch còn chưa đạt (báo cáo tại buổi họp)",
                        "Plan requirements still open (to report at the meeting)"),
    "no_open_gaps": ("Không có yêu cầu nào chưa đạt.", "No open gaps."),
    "owing_title": ("Những người còn nợ việc", "People who still owe something"),
    "nobody_owing": ("Không ai còn nợ việc.", "Nobody owes anything."),
    "agenda_title": ("Dự thảo chương trình sinh hoạt", "Draft agenda"),
    "agenda_opening": ("Khai mạc, điểm danh đảng viên dự họp", "Opening, attendance of members"),
    "agenda_story": ("Kể chuyện về Bác: “{story}” — người kể: {presenter}",
                     "Uncle Ho story: “{story}” — presenter: {presenter}"),
    "agenda_story_missing": ("Kể chuyện về Bác: CHƯA CHỌN chuyện kể và người kể", "Uncle Ho story: NOT YET CHOSEN"),
    "agenda_review": ("Kiểm điểm việc thực hiện quyết nghị buổi sinh hoạt trước ({date})",
                      "Review of the decisions of the previous meeting ({date})"),
    "agenda_gaps": ("Báo cáo các yêu cầu kế hoạch chưa đạt và người phụ trách", "Open plan gaps and their owners"),
    "agenda_commend": ("Tuyên dương: {names}", "Commendations: {names}"),
    "agenda_commend_none": ("Tuyên dương: chưa có việc tốt nào được ghi nhận", "Commendations: no good deed recorded"),
    "agenda_qccm": ("Kết quả kiểm tra QCCM, nội quy cơ quan", "Result of the QCCM check"),
    "agenda_tasks": ("Phân công nhiệm vụ tháng tới, thông qua quyết nghị",
                     "Next month's tasks; adopting the decisions"),
    "agenda_close": ("Bế mạc", "Closing"),
    "good_deeds_none": ("không có việc tốt nào từ buổi sinh hoạt trước", "no good deed since the last meeting"),
    # roll-up
    "rollup_title": ("Tổng hợp kết quả các chi bộ", "Roll-up of cells"),
    "rollup_audit_title": ("Tổng hợp kiểm tra quý {q}/{y} các chi bộ", "Roll-up of the Q{q} {y} audit"),
    "col_cell_name": ("Chi bộ", "Cell"),
    "col_case": ("Hồ sơ", "Case"),
    "col_worst": ("Thiếu sót nặng nhất", "Worst gaps"),
    "cells_count": ("{n} chi bộ: {ok} đạt hết, {gaps} có thiếu sót, {errors} lỗi dữ liệu",
                    "{n} cells: {ok} without gaps, {gaps} with gaps, {errors} with input errors"),
    "cell_errors": ("{n} lỗi dữ liệu — chi bộ này chưa được kiểm tra",
                    "{n} input problem(s) — this cell was not checked"),
    "full_report_of": ("Báo cáo đầy đủ: {name}", "Full report: {name}"),
    "progress": ("Đang kiểm tra", "Checking"),
    "no_cases": ("Không tìm thấy hồ sơ chi bộ nào trong {detail}", "No case found in {detail}"),
    "bad_quarter": ("Quý không hợp lệ: {detail} (dùng dạng 2020-Q2)",
                    "Invalid quarter: {detail} (use the form 2020-Q2)"),
    "quarter_or_date": ("Cho --quarter hoặc --as-of, không cho cả hai", "Give --quarter or --as-of, not both"),
    "p_unknown_rule_id": ("không có quy tắc mã {detail}", "no rule with id {detail}"),
    "p_unknown_scope": ("không có quy tắc hay mục kế hoạch {detail}", "no rule or plan section {detail}"),
    "generated_by": ("Lập bởi chibo {version} ({evaluator})", "Produced by chibo {version} ({evaluator})"),
    # problems
    "problems_title": ("Dữ liệu đầu vào có lỗi", "Problems in the input"),
    "col_file": ("Tệp", "File"),
    "col_sheet": ("Trang tính", "Sheet"),
    "col_cell": ("Ô", "Cell"),
    "template_written": ("Đã ghi {detail}", "Wrote {detail}"),
    "template_suffix": ("Tên tệp phải có đuôi .xlsx: {detail}", "The file name must end in .xlsx: {detail}"),
    "col_line": ("Dòng", "Line"),
    "col_field": ("Trường", "Field"),
    "col_problem": ("Lỗi", "Problem"),
    "col_value": ("Giá trị", "Value"),
    "problems_count": ("{n} lỗi; chưa có tệp nào bị thay đổi.", "{n} problem(s); no file was changed."),
    "valid": ("Dữ liệu hợp lệ: {n} bản ghi trong {files} tệp.", "Input is valid: {n} records in {files} files."),
    "p_missing_folder": ("không có thư mục này", "no such folder"),
    "p_missing_file": ("thiếu tệp bắt buộc", "required file is missing"),
    "p_unknown_file": ("tệp không thuộc loại dữ liệu nào đã biết (các loại: {detail})",
                       "not a known kind of fact file (kinds: {detail})"),
    "p_two_sources": ("cùng loại dữ liệu với tệp {detail}", "same kind of facts as {detail}"),
    "p_encoding": ("không đọc được dạng UTF-8 ({detail}); hãy lưu tệp dạng CSV UTF-8",
                   "not readable as UTF-8 ({detail}); save the file as CSV UTF-8"),
    "p_empty_file": ("tệp rỗng, không có dòng tiêu đề", "empty file, no header row"),
    "p_csv": ("lỗi định dạng CSV: {detail}", "malformed CSV: {detail}"),
    "p_yaml": ("lỗi cú pháp YAML: {detail}", "YAML syntax error: {detail}"),
    "p_yaml_list": ("tệp YAML phải là một danh sách bản ghi", "a YAML fact file must be a list of records"),
    "p_yaml_mapping": ("bản ghi phải là một bảng khóa: giá trị", "a record must be a key: value mapping"),
    "p_unknown_column": ("cột không có trong mẫu (các cột: {detail})", "unknown column (columns: {detail})"),
    "p_duplicate_column": ("cột bị lặp", "column appears twice"),
    "p_missing_column": ("thiếu cột bắt buộc", "required column is missing"),
    "p_row_length": ("số ô không khớp với tiêu đề ({detail})", "cell count does not match the header ({detail})"),
    "p_missing_value": ("thiếu giá trị bắt buộc", "required value is missing"),
    "p_invalid": ("giá trị không hợp lệ: {detail}", "invalid value: {detail}"),
    "p_duplicate_key": ("mã bị trùng (đã có ở dòng {detail})", "duplicate code (already on line {detail})"),
    "p_duplicate_row": ("bản ghi bị trùng (đã có ở dòng {detail})", "duplicate record (already on line {detail})"),
    "p_unknown_reference": ("mã không có trong {detail}", "code not found in {detail}"),
    "p_missing_reference_file": ("tham chiếu tới {detail} nhưng không có tệp đó",
                                 "refers to {detail}, which is missing"),
    "p_rule": ("tệp quy tắc không hợp lệ: {detail}", "invalid rule file: {detail}"),
    "p_duplicate": ("mã quy tắc bị trùng: {detail}", "duplicate rule id: {detail}"),
    "p_year": ("năm kế hoạch {detail}", "plan year {detail}"),
    "p_outside_year": ("ngày nằm ngoài năm kế hoạch {detail}", "date outside the plan year {detail}"),
    "p_not_in_case": ("tệp nằm ngoài thư mục hồ sơ (liên kết tới {detail})",
                      "file lies outside the case folder (links to {detail})"),
    "p_sheet": ("trang tính không thuộc loại dữ liệu nào đã biết", "not a known kind of sheet"),
    "p_xlsx": ("không đọc được tệp Excel: {detail}", "cannot read the Excel file: {detail}"),
    "p_too_large": ("tệp quá lớn ({detail})", "file too large ({detail})"),
    "engine_missing": (
        "Không nạp được durable-rules ({detail}). durable-rules 2.0.28 chỉ chạy trên Python 3.10–3.12; "
        "hãy tạo môi trường ảo với Python 3.10, 3.11 hoặc 3.12 (xem README).",
        "durable-rules could not be loaded ({detail}). durable-rules 2.0.28 runs on Python 3.10–3.12 only; "
        "create the virtual environment with Python 3.10, 3.11 or 3.12 (see README).",
    ),
    "unknown_rule": ("Không có quy tắc hay mục nào khớp --only {detail}", "No rule or section matches --only {detail}"),
    "evaluated_engine": ("đánh giá bằng {detail}", "evaluated by {detail}"),
    "evaluated_oracle_chosen": ("bộ kiểm chứng Python, chọn bằng --evaluator oracle",
                                "the plain-Python oracle, chosen with --evaluator oracle"),
    "evaluated_oracle_fallback": ("bộ kiểm chứng Python, vì durable-rules không chạy được ở đây: {detail}",
                                  "the plain-Python oracle, because durable-rules does not run here: "
                                  "{detail}"),
    "engine_skipped": ("durable-rules không chạy được ở đây ({detail}): chỉ kiểm thử bằng bộ kiểm chứng Python.",
                       "durable-rules does not run here ({detail}): the cases run with the plain-Python oracle only."),
    "version_evaluator": ("Bộ đánh giá", "Evaluator"),
    "write_is_folder": ("{detail} là một thư mục: hãy cho tên tệp", "{detail} is a folder: give a file name"),
    "write_no_folder": ("Không có thư mục {detail}: hãy tạo thư mục trước", "No such folder: {detail}"),
    "write_in_case": ("Không ghi vào {detail}: tệp này thuộc một hồ sơ (dữ liệu của chi bộ không bao giờ bị ghi đè)",
                      "Will not write {detail}: it is part of a case (a cell's data is never overwritten)"),
    "write_not_a_file": ("{detail} không phải một tệp thông thường", "{detail} is not a regular file"),
    "write_exists": ("{detail} đã có và không phải báo cáo cũ của chibo cùng định dạng; dùng --force nếu muốn ghi đè",
                     "{detail} exists and is not an earlier chibo output of that format; use --force to replace it"),
    "write_disk_full": ("Không ghi được {detail}: ổ đĩa đầy. Tệp cũ (nếu có) vẫn nguyên vẹn",
                        "Could not write {detail}: the disk is full. The old file, if any, is unchanged"),
    "write_read_only": ("Không ghi được {detail}: không có quyền ghi. Tệp cũ (nếu có) vẫn nguyên vẹn",
                        "Could not write {detail}: no permission. The old file, if any, is unchanged"),
    "write_os_error": ("Không ghi được {detail}. Tệp cũ (nếu có) vẫn nguyên vẹn",
                       "Could not write {detail}. The old file, if any, is unchanged"),
    "date_outside_plan": ("{option} {date} nằm ngoài kỳ của kế hoạch {plan} ({start}–{end})",
                          "{option} {date} is outside the plan {plan} ({start}–{end})"),
    "p_as_of_outside": ("ngày xét nằm ngoài kỳ của kế hoạch: {detail}", "the date is outside the plan: {detail}"),
    "p_crash": ("lỗi của chibo khi xét chi bộ này (không phải lỗi dữ liệu); chi tiết: {detail}",
                "an internal error in chibo while judging this cell (not a data problem); details: {detail}"),
    "p_plan": ("tệp kế hoạch (plan.yaml) không hợp lệ: {detail}", "invalid plan file (plan.yaml): {detail}"),
    "rt_expected": ("cần", "expected"),
    "rt_got": ("thực tế", "got"),
    "rt_summary": ("{plan}: {rules} quy tắc, {cases} lượt thử: {passed} đạt, {failed} không đạt",
                   "{plan}: {rules} rules, {cases} case runs: {passed} passed, {failed} failed"),
    "choose_plan": ("Chọn kế hoạch bằng --plan (các kế hoạch có sẵn: {detail}), --rules THƯ_MỤC hoặc --from HỒ_SƠ",
                    "Choose a plan with --plan (bundled plans: {detail}), --rules FOLDER or --from CASE"),
    "p_no_plan": ("hồ sơ không ghi kế hoạch (plan); các kế hoạch có sẵn: {detail} — hoặc dùng --rules",
                  "the case names no plan (plan); bundled plans: {detail} — or use --rules"),
    "p_unknown_plan": ("không có kế hoạch này; các kế hoạch có sẵn: {detail}",
                       "no such plan; bundled plans: {detail}"),
    "p_yml_suffix": ("tệp phải có đuôi .yaml (không phải .yml)", "the file must end in .yaml (not .yml)"),
    "p_kind_decl": ("khai báo loại dữ liệu không hợp lệ: {detail}", "invalid kind declaration: {detail}"),
    "p_rule_test": ("tệp kiểm thử quy tắc không hợp lệ: {detail}", "invalid rule test file: {detail}"),
    "p_unreadable": ("không đọc được tệp: {detail}", "cannot read the file: {detail}"),
    "no_records": ("{period}: không có số liệu", "{period}: no figures recorded"),
    "per_year": ("mỗi năm", "each year"),
    "per_school_year": ("mỗi năm học", "each school year"),
    "period_prefix": ("{period}: {text}", "{period}: {text}"),
    "bad_date": ("Ngày không hợp lệ: {detail} (dùng dd/mm/yyyy hoặc yyyy-mm-dd)",
                 "Invalid date: {detail} (use dd/mm/yyyy or yyyy-mm-dd)"),
}

# pydantic / parser messages (English in code) shown in Vietnamese
VALUE_MESSAGES = {
    "expected a date dd/mm/yyyy or yyyy-mm-dd": "cần ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd",
    "not a real calendar date": "ngày không có thật trên lịch",
    "expected a whole number": "cần số nguyên",
    "expected a number such as 40 or 37,5": "cần số, ví dụ 40 hoặc 37,5",
    "expected a number": "cần số",
    "expected yes/no (có/không)": "cần có/không",
    "expected a list separated by ';'": "cần danh sách ngăn cách bằng ';'",
    "expected a list of codes separated by ';'": "cần danh sách mã ngăn cách bằng ';'",
    "ambiguous number: '.' or ',' could separate thousands":
        "số không rõ nghĩa: dấu '.' hoặc ',' có thể là dấu phân cách hàng nghìn",
    "must be a Monday (the week's first day)": "phải là ngày thứ Hai (ngày đầu tuần)",
    "ambiguous percentage: write 85% or 85,5 (not 0.855)": "tỷ lệ không rõ nghĩa: ghi 85% hoặc 85,5 (không ghi 0,855)",
    "a percentage cannot be over 100": "tỷ lệ phần trăm không thể quá 100",
    "the counts do not add up": "các số liệu không khớp nhau",
    "must not be empty": "không được để trống",
    "Field required": "thiếu giá trị",
}


def t(key: str, lang: str, **kw: Any) -> str:
    vi, en = MESSAGES[key]
    text = vi if lang == "vi" else en
    return text.format(**kw) if kw else text


def status(name: str, lang: str) -> str:
    return STATUS[name][lang]


def value_message(text: str, lang: str) -> str:
    """A parser's message in the user's language; a list of codes is shown as the codes in English and
    as their Vietnamese labels in Vietnamese (values.parse_choice puts both in the message)."""
    codes, _, labels = text.partition(CHOICES_SEPARATOR)
    if lang == "en":
        return codes
    if text.startswith("expected one of: "):
        return "cần một trong: " + (labels or codes.removeprefix("expected one of: "))
    for en, vi in VALUE_MESSAGES.items():
        if text.startswith(en):
            return vi + text[len(en):]
    return text
