"""The words of the web pages, Vietnamese (default) and English: one catalogue, read by the templates as w(key)."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    "app_name": ("chibo — rà soát kế hoạch chi bộ", "chibo — checking a Party cell's plan"),
    "skip": ("Bỏ qua, tới nội dung chính", "Skip to the main content"),
    "nav_home": ("Trang đầu", "Home"),
    "nav_cell": ("Chi bộ", "A cell"),
    "nav_plan": ("Kế hoạch", "A plan"),
    "nav_committee": ("Đảng ủy cấp trên", "A committee"),
    "switch_lang": ("English", "Tiếng Việt"),
    "home_intro": ("Nộp sổ theo dõi (tệp Excel) của chi bộ để đối chiếu với kế hoạch: chibo nêu rõ ai, việc gì "
                   "còn thiếu và câu trích kế hoạch tương ứng.",
                   "Hand in your cell's workbook (an Excel file) to check it against its plan: chibo names every "
                   "gap — who or what is missing — and the plan clause it comes from."),
    "cell_hand_in": ("Nộp sổ theo dõi của chi bộ", "Hand in a cell's workbook"),
    "workbook_label": ("Tệp Excel của chi bộ (.xlsx)", "The cell's Excel workbook (.xlsx)"),
    "hand_in": ("Nộp và kiểm tra", "Hand in and check"),
    "earlier": ("Sổ đã nộp trước đây", "Workbooks handed in before"),
    "earlier_none": ("Chưa có sổ nào được nộp.", "No workbook handed in yet."),
    "handed_at": ("nộp lúc {at}", "handed in {at}"),
    "template_blank": ("Tải mẫu sổ trống của kế hoạch", "Download a blank workbook of the plan"),
    "template_plan": ("Kế hoạch", "Plan"),
    "download": ("Tải về", "Download"),
    "cell_title": ("Sổ theo dõi: {name}", "Workbook: {name}"),
    "cell_of": ("{cell} — {committee}", "{cell} — {committee}"),
    "problems_title": ("Sổ có {n} chỗ cần sửa trước khi kiểm tra", "The workbook has {n} problems to fix first"),
    "problems_help": ("Sửa từng chỗ dưới đây trong Excel (theo trang tính, dòng và ô), lưu lại rồi nộp lại.",
                      "Fix each one below in Excel (by sheet, row and cell), save, and hand the workbook in again."),
    "col_file": ("Tệp", "File"), "col_sheet": ("Trang tính", "Sheet"), "col_row": ("Dòng", "Row"),
    "col_cell": ("Ô", "Cell"), "col_field": ("Cột", "Field"), "col_problem": ("Vấn đề", "Problem"),
    "col_value": ("Giá trị", "Value"),
    "jobs_title": ("Chọn việc cần làm", "Choose what to run"),
    "job_check": ("Kiểm tra việc thực hiện kế hoạch", "Check the plan"),
    "job_check_help": ("Đối chiếu mọi yêu cầu của kế hoạch với số liệu trong sổ.",
                       "Every requirement of the plan against the workbook's facts."),
    "job_audit": ("Rà soát theo quý", "Quarterly audit"),
    "job_audit_help": ("Kết quả đến hết quý đã chọn, so với quý trước, và việc cần làm quý tới.",
                       "Results to the end of the chosen quarter, against the quarter before, and what is due next."),
    "job_ready": ("Chuẩn bị sinh hoạt chi bộ", "Ready for the meeting"),
    "job_ready_help": ("Danh mục chuẩn bị trước kỳ họp, dự thảo biên bản và chương trình họp.",
                       "The checklist before a meeting, the draft minutes and the agenda."),
    "quarter_label": ("Quý", "Quarter"),
    "meeting_label": ("Ngày họp", "Meeting date"),
    "run": ("Chạy", "Run"),
    "report_title": ("Báo cáo", "Report"),
    "downloads": ("Tải báo cáo:", "Download the report:"),
    "dl_docx": ("Word (.docx)", "Word (.docx)"), "dl_html": ("HTML (in được)", "HTML (printable)"),
    "dl_md": ("Markdown", "Markdown"), "dl_json": ("JSON", "JSON"),
    "dl_minutes": ("Dự thảo biên bản (Word)", "Draft minutes (Word)"),
    "dl_agenda": ("Chương trình họp (Markdown)", "Agenda (Markdown)"),
    "dl_filled": ("Sổ đã điền (Excel)", "The filled workbook (Excel)"),
    "dl_blank": ("Mẫu sổ trống (Excel)", "A blank workbook (Excel)"),
    "back_cell": ("← Trở lại sổ theo dõi", "← Back to the workbook"),
    "print": ("In (A4)", "Print (A4)"),
    "saved": ("Đã lưu kết quả vào kho lưu trữ.", "The result is saved in the store."),
    "not_found_title": ("Không tìm thấy", "Not found"),
    "not_found": ("Không có trang này, hoặc bạn không có quyền xem.",
                  "There is no such page, or you may not see it."),
    "bad_request_title": ("Không thực hiện được", "Cannot do that"),
    "no_file": ("Chưa chọn tệp: hãy chọn tệp Excel (.xlsx) của chi bộ rồi bấm nộp.",
                "No file chosen: choose the cell's Excel workbook (.xlsx) and hand it in."),
    "wrong_suffix": ("Tệp {name} không phải sổ Excel (.xlsx): chỉ nhận tệp .xlsx do chibo hoặc Excel lưu.",
                     "{name} is not an Excel workbook (.xlsx): only .xlsx files saved by chibo or Excel are taken."),
    "wrong_suffix_any": ("Tệp {name} không thuộc loại được nhận ({allowed}).",
                         "{name} is not a kind of file taken here ({allowed})."),
    "too_big": ("Tệp quá lớn: giới hạn là {limit}.", "The file is too big: the limit is {limit}."),
    "refused": ("Tệp bị từ chối: {detail}", "The file was refused: {detail}"),
    "not_yours": ("Bạn chỉ được nộp sổ của chi bộ mình.", "You may hand in only your own cell's workbook."),
    "unknown_job": ("Không có việc {job}: chọn check, audit hoặc ready.", "There is no job {job}: choose check, "
                    "audit or ready."),
    "need_meeting": ("Hãy chọn ngày họp.", "Choose the meeting date."),
    "unknown_download": ("Không có tệp tải về {name}.", "There is no download {name}."),
    "not_ready_job": ("Dự thảo biên bản và chương trình họp chỉ có ở việc chuẩn bị sinh hoạt (ready).",
                      "The draft minutes and the agenda come only with the meeting readiness job (ready)."),
    "cannot_judge": ("Sổ có lỗi nên chưa kiểm tra được: sửa các lỗi đã liệt kê rồi nộp lại.",
                     "The workbook has problems, so it cannot be checked yet: fix them and hand it in again."),
    # committee
    "committee_title": ("Tổng hợp các chi bộ", "The committee's roll-up"),
    "committee_intro": ("Nộp sổ theo dõi của nhiều chi bộ cùng lúc (chọn nhiều tệp .xlsx, hoặc một tệp .zip).",
                        "Hand in many cells' workbooks at once (several .xlsx files, or one .zip)."),
    "workbooks_label": ("Các tệp Excel (.xlsx) hoặc một tệp .zip", "Excel workbooks (.xlsx) or one .zip"),
    "rollup_title": ("Tổng hợp {n} chi bộ (chi bộ nhiều thiếu sót nhất lên đầu)",
                     "{n} cells, the worst first"),
    "col_cell_name": ("Chi bộ", "Cell"), "col_verdict": ("Kết quả", "Verdict"), "col_gaps": ("Thiếu sót", "Gaps"),
    "col_worst": ("Nặng nhất", "Worst"), "col_open": ("Xem", "Open"),
    "open_report": ("Xem báo cáo", "Open the report"),
    "v_gap": ("có thiếu sót", "gaps"), "v_behind_pace": ("chậm tiến độ", "behind pace"),
    "v_passed": ("đạt", "passed"), "v_error": ("sổ có lỗi", "workbook has problems"),
    "v_no_data": ("thiếu số liệu", "no data"),
    "history_title": ("Lịch sử theo quý (từ kho lưu trữ)", "History by quarter (from the store)"),
    "history_none": ("Kho lưu trữ chưa có lần xét nào của đảng bộ này.", "The store has no runs of this committee yet."),
    "dl_rollup_docx": ("Báo cáo tổng hợp (Word)", "The committee's report (Word)"),
    "no_files": ("Chưa chọn tệp: chọn các tệp .xlsx của các chi bộ (hoặc một tệp .zip).",
                 "No files chosen: choose the cells' .xlsx files (or one .zip)."),
    "zip_unavailable": ("Chưa nhận được tệp .zip ở phiên bản này: hãy chọn từng tệp .xlsx.",
                        "A .zip cannot be taken yet in this version: choose the .xlsx files instead."),
    # plan drafting
    "plan_title": ("Dự thảo quy tắc từ văn bản kế hoạch", "Draft rules from a plan document"),
    "plan_intro": ("Nộp văn bản kế hoạch của chi bộ (Word .docx, .txt hoặc PDF có chữ): chibo đề xuất các yêu cầu "
                   "để bạn duyệt — nhận, sửa chỉ tiêu, chiều, kỳ, loại, hoặc bỏ.",
                   "Hand in the cell's plan document (Word .docx, .txt or a PDF with text): chibo proposes the "
                   "requirements for you to review — accept, change the target, direction, period or kind, or "
                   "reject."),
    "plan_label": ("Văn bản kế hoạch (.docx, .txt, .pdf)", "The plan document (.docx, .txt, .pdf)"),
    "plan_draft": ("Dự thảo", "Draft"),
    "review_title": ("Duyệt {n} yêu cầu dự thảo", "Review {n} drafted requirements"),
    "review_help": ("Với mỗi dòng: chọn nhận, sửa hoặc bỏ; sửa trực tiếp chỉ tiêu, chiều, kỳ, loại nếu cần. "
                    "Xong bấm “Áp dụng”.",
                    "For each row: accept, change or reject; edit the target, direction, period or kind where "
                    "needed. Then press “Apply”."),
    "col_id": ("Mã", "Id"), "col_section": ("Mục", "Section"), "col_clause": ("Câu trong kế hoạch", "Plan clause"),
    "col_decision": ("Quyết định", "Decision"), "col_target": ("Chỉ tiêu", "Target"),
    "col_direction": ("Chiều", "Direction"), "col_period": ("Kỳ", "Period"), "col_kind": ("Loại", "Kind"),
    "col_confidence": ("Độ tin cậy", "Confidence"),
    "apply": ("Áp dụng", "Apply"),
    "applied_title": ("Kế hoạch đã áp dụng: {id}", "Plan applied: {id}"),
    "applied_text": ("{n} yêu cầu được nhận; {rejected} bị bỏ, {undecided} chưa quyết định.",
                     "{n} requirements accepted; {rejected} rejected, {undecided} undecided."),
    "dl_plan_template": ("Tải mẫu sổ theo dõi của kế hoạch (Excel)", "Download the plan's workbook (Excel)"),
    "plan_problems": ("Văn bản kế hoạch có vấn đề", "The plan document has problems"),
    # CLI (chibo serve)
    "serving": ("chibo đang phục vụ tại {url} — bấm Ctrl+C để dừng.", "chibo is serving at {url} — press Ctrl+C to "
                "stop."),
    "host_refused": ("Chỉ phục vụ ra ngoài máy này (--host {host}) khi đã có tài khoản: thêm tài khoản trước bằng "
                     "`chibo serve --add-user TÊN --role secretary|committee|admin [--committee C] [--cell X]`.",
                     "Serving beyond this computer (--host {host}) needs accounts: add one first with "
                     "`chibo serve --add-user NAME --role secretary|committee|admin [--committee C] [--cell X]`."),
    "password": ("Mật khẩu cho {name}", "Password for {name}"),
    "password_again": ("Nhập lại mật khẩu", "The password again"),
    "password_mismatch": ("Hai lần nhập mật khẩu không khớp; không có gì thay đổi.",
                          "The two passwords differ; nothing was changed."),
    "password_empty": ("Mật khẩu không được để trống.", "The password must not be empty."),
    "user_added": ("Đã thêm tài khoản {name} ({role}).", "Account {name} ({role}) added."),
    "accounts_unavailable": ("Chưa thêm được tài khoản ở phiên bản này.", "Accounts cannot be added in this "
                             "version yet."),
    "role_needed": ("--add-user cần --role secretary, committee hoặc admin.",
                    "--add-user needs --role secretary, committee or admin."),
    "port_busy": ("Không mở được cổng {port} trên {host}: {reason}. Chọn cổng khác bằng --port.",
                  "Cannot listen on {host} port {port}: {reason}. Choose another with --port."),
}


def w(key: str, lang: str, **values: Any) -> str:
    """A page's words in `lang` ("vi" unless "en"), with `values` filled in."""
    vi, en = MESSAGES[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text
