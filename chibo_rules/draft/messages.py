"""The words of `chibo plan draft` / `plan apply` and of the review sheet, Vietnamese and English."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    "draft_missing": ("không có tệp này", "no such file"),
    "draft_folder": ("đây là một thư mục, hãy cho tệp kế hoạch (.docx, .txt hoặc .pdf)",
                     "this is a folder: give the plan file (.docx, .txt or .pdf)"),
    "draft_old_word": ("định dạng {detail} chưa đọc được: hãy mở bằng Word và lưu thành .docx (hoặc .pdf, .txt)",
                       "{detail} files cannot be read: open it in Word and save it as .docx (or .pdf, .txt)"),
    "draft_format": ("chỉ đọc được kế hoạch dạng .docx, .txt hoặc .pdf (tệp này: {detail})",
                     "only .docx, .txt or .pdf plans can be read (this one: {detail})"),
    "draft_empty": ("tệp rỗng: không có chữ nào để đọc", "the file is empty: no text to read"),
    "draft_too_big": ("tệp quá lớn (trên {detail} MB) cho một kế hoạch", "the file is too big (over {detail} MB)"),
    "draft_encoding": ("tệp văn bản không phải UTF-8: hãy lưu lại với mã hóa UTF-8",
                       "the text file is not UTF-8: save it again as UTF-8"),
    "draft_binary": ("tệp không phải văn bản thuần (.txt)", "not a plain text file"),
    "draft_broken_docx": ("không mở được tệp Word (.docx hỏng hoặc không phải .docx)",
                          "cannot open the Word file (broken, or not really a .docx)"),
    "draft_broken_pdf": ("không mở được tệp PDF (hỏng hoặc có mật khẩu)", "cannot open the PDF (broken or encrypted)"),
    "draft_no_text": ("tệp PDF không có lớp chữ (bản quét, ảnh): hãy dùng bản .docx hoặc PDF xuất từ Word",
                      "the PDF has no text layer (a scan or an image): use the .docx or a PDF saved from Word"),
    "draft_garbled": ("chữ trong tệp PDF không đọc được (sai phông, mã hóa lạ): hãy dùng bản .docx",
                      "the PDF's text is garbled (odd fonts or encoding): use the .docx"),
    "draft_out_not_empty": ("thư mục đã có tệp ({detail}); chọn thư mục khác hoặc dùng --force để ghi đè",
                            "the folder already holds files ({detail}); choose another or use --force to overwrite"),
    "draft_nothing_accepted": ("chưa có đề xuất nào được chấp nhận ({detail} chưa quyết định hoặc bỏ): ghi "
                               "\"chấp nhận\" hoặc \"sửa\" vào cột Quyết định rồi chạy lại",
                               "no proposal is accepted ({detail} undecided or rejected): write \"accept\" or "
                               "\"change\" in the Decision column and run it again"),
    "draft_no_targets": ("không tìm thấy chỉ tiêu nào trong văn bản ({detail}): không có con số, xếp loại hay cam "
                         "kết đo được để soạn quy tắc. Hãy kiểm tra đây là kế hoạch hoặc nghị quyết có chỉ tiêu; nếu "
                         "có, hãy gõ đề mục cho phần chỉ tiêu (ví dụ \"B- CHỈ TIÊU\") rồi chạy lại",
                         "no target found in the text ({detail}): no figure, rating or measurable commitment to draft "
                         "a rule from. Check that this is a plan or resolution with targets; if it is, type a heading "
                         "before its targets (e.g. \"B- CHỈ TIÊU\") and run it again"),
    "read_whole": ("đã đọc cả văn bản từ dòng {line}: không thấy đề mục phần nào", "read the whole text from line "
                   "{line}: no part heading was found"),
    "read_parts": ("đã đọc các phần có đề mục, bỏ phần đánh giá, tình hình và phần kết",
                   "read the parts under headings, skipping background, look-back and closing"),
    "whole_text": ("Văn bản không có đề mục phần (A-, I-, 1.): chibo đã đọc cả văn bản từ dòng {line} (từ chỗ nói về "
                   "mục tiêu, chỉ tiêu), bỏ các đoạn nhìn lại nhiệm kỳ trước. Hãy đối chiếu kỹ các đề xuất với "
                   "văn bản.",
                   "The text has no part headings (A-, I-, 1.): chibo read all of it from line {line} (where it "
                   "speaks of goals and targets), skipping paragraphs that look back at the last term. Check the "
                   "proposals against the text with care."),
    "draft_out_not_folder": ("đây là một tệp, không phải thư mục", "this is a file, not a folder"),
    "draft_not_review": ("không phải bảng rà soát do `chibo plan draft` lập (thiếu trang dữ liệu)",
                         "not a review workbook written by `chibo plan draft` (its data sheet is missing)"),
    "draft_decision": ("quyết định không hiểu được: ghi chấp nhận, sửa hoặc bỏ",
                       "unknown decision: write accept, change or reject"),
    "draft_target": ("\"sửa\" cần một chỉ tiêu là số ≥ 0 ở cột Chỉ tiêu (đề xuất này có chỉ tiêu là số không?)",
                     "\"change\" needs a target that is a number ≥ 0 in the Target column (does this proposal "
                     "have a figure?)"),
    "no_targets_table": ("không tìm thấy bảng chỉ tiêu (cột Section, Clause) trong {detail}",
                         "no targets table (columns Section, Clause) in {detail}"),
    "summary": ("{n} đề xuất từ {file}: {high} độ tin cậy cao, {medium} vừa, {low} thấp; trong đó {advisory} "
                "khuyến nghị (không đo được). Đã ghi vào {out}.",
                "{n} proposals from {file}: {high} high confidence, {medium} medium, {low} low; {advisory} of them "
                "advisory (not measurable). Written to {out}."),
    "next_steps": ("Tiếp theo: xem {md}, ghi quyết định vào cột \"Quyết định\" của {xlsx} (chấp nhận / sửa / bỏ), "
                   "rồi chạy `chibo plan apply {xlsx}`.",
                   "Next: read {md}, write a decision in the Decision column of {xlsx} (accept / change / reject), "
                   "then run `chibo plan apply {xlsx}`."),
    "measured": ("Đối chiếu với {file}: tìm đúng {found}/{total} chỉ tiêu (đúng số, chiều và kỳ nếu bảng có cột "
                 "Period; recall {recall:.1%}); {real}/{n} đề xuất là chỉ tiêu thật (precision {precision:.1%}).",
                 "Against {file}: {found}/{total} targets found with the right figure and direction (and period, "
                 "where the table has a Period column; recall {recall:.1%}); {real}/{n} proposals are real targets "
                 "(precision {precision:.1%})."),
    "miss": ("Bỏ sót #{number} ({section}): {clause} — cần {want}{near}",
             "Missed #{number} ({section}): {clause} — wanted {want}{near}"),
    "near": ("; gần đúng: {ids}", "; close: {ids}"),
    "extra": ("Không có trong bảng chỉ tiêu: {id} ({section}) {clause}",
              "Not in the targets: {id} ({section}) {clause}"),
    "unmeasurable": ("Câu \"không đo được\" thành khuyến nghị: {found}/{total}",
                     "Unmeasurable phrases drafted as advisory: {found}/{total}"),
    "applied": ("Đã ghi {n} quy tắc ({changed} có chỉ tiêu sửa) và khung kiểm thử vào {out}; bỏ {rejected}; chưa quyết "
                "định {undecided}{list}.",
                "Wrote {n} rules ({changed} with a changed target) and their test skeletons to {out}; {rejected} "
                "rejected; {undecided} undecided{list}."),
    "apply_next": ("Tiếp theo: `chibo rules test --rules {out}` (các ca \"CẦN VIẾT\" cần bản ghi thật), rồi "
                   "`chibo template ho-so.xlsx --rules {out}`, điền số liệu và `chibo check ho-so.xlsx --rules {out}`.",
                   "Next: `chibo rules test --rules {out}` (cases marked \"TO DO\" need real records), then "
                   "`chibo template case.xlsx --rules {out}`, fill it in and `chibo check case.xlsx --rules {out}`."),
    "review_title": ("Rà soát dự thảo quy tắc", "Review of the drafted rules"),
    "review_intro": ("Mỗi dòng là một đề xuất chibo rút ra từ câu trong kế hoạch. Ghi quyết định trong review.xlsx: "
                     "chấp nhận, sửa (sửa số ở cột Chỉ tiêu) hoặc bỏ.",
                     "Each row is a rule chibo drafted from a sentence of the plan. Decide in review.xlsx: accept, "
                     "change (edit the figure in the Target column) or reject."),
    "review_decisions": ("Quyết định: chấp nhận · sửa · bỏ. Đề xuất để trống không được ghi.",
                         "Decisions: accept · change · reject. A proposal left blank is not written."),
    "footer": ("Lập bởi chibo", "Produced by chibo"),
    "choices": ("chấp nhận,sửa,bỏ", "accept,change,reject"),
    "col_id": ("Mã", "Id"),
    "col_section": ("Mục", "Section"),
    "col_sentence": ("Câu trong kế hoạch", "Sentence of the plan"),
    "col_clause": ("Trích dẫn", "Clause"),
    "col_title": ("Đề xuất", "Proposal"),
    "col_check": ("Loại kiểm tra", "Check"),
    "col_reads": ("Dữ liệu đọc", "Reads"),
    "col_target": ("Chỉ tiêu", "Target"),
    "col_due": ("Hạn", "Due"),
    "col_confidence": ("Độ tin cậy", "Confidence"),
    "col_why": ("Vì sao", "Why"),
    "col_decision": ("Quyết định", "Decision"),
    "col_note": ("Ghi chú", "Note"),
    "col_direction": ("Hướng", "Direction"),
    "col_kind": ("Loại hồ sơ", "Kind"),
    "col_field": ("Trường", "Field"),
    # the review sheet's instructions (its "Hướng dẫn" sheet and the end of review.md)
    "guide_decide": ("Cột Quyết định: chấp nhận · sửa (lấy số ở cột Chỉ tiêu) · bỏ · gộp vào <mã>; để trống là "
                     "chưa quyết định, không được ghi.",
                     "Decision column: accept · change (the figure in the Target column is taken) · reject · "
                     "merge into <code>; a blank row is undecided and not written."),
    "guide_edit": ("Ở dòng được chấp nhận, tên (cột Đề xuất), Hướng và Hạn (danh sách, hoặc một ngày dd/mm/yyyy) "
                   "bạn sửa đều được lấy.",
                   "In an accepted row, a title, direction or due (drop-down, or a date dd/mm/yyyy) you rewrite is "
                   "taken."),
    "guide_kind": ("Cột Loại hồ sơ và Trường (danh sách): loại hồ sơ quy tắc đọc và trường được cộng (số). Đổi "
                   "loại thì loại mới phải có mọi trường quy tắc đọc; trường được cộng phải là số.",
                   "Kind and Field columns (drop-downs): the kind of records the rule reads and the field it sums "
                   "(a number). A new kind must hold every field the rule reads; a summed field must be a number."),
    "guide_split": ("Tách một đề xuất thành hai quy tắc: chép cả dòng xuống cuối bảng, đổi Mã của bản chép thành mã "
                    "cũ thêm một đuôi (D05 → D05b), sửa Chỉ tiêu, Hướng … và ghi quyết định cho từng dòng. Hai dòng "
                    "cùng một mã là lỗi.",
                    "Split a proposal into two rules: copy the whole row below the table, give the copy its code "
                    "plus a suffix (D05 → D05b), change its target, direction … and decide each row. Two rows with "
                    "one code is an error."),
    "guide_merge": ("Gộp hai đề xuất: ở dòng thừa ghi quyết định \"gộp vào D04\" (D04 là dòng giữ lại, phải được "
                    "chấp nhận hoặc sửa): dòng thừa không thành quy tắc, câu của nó được ghi vào D04.",
                    "Merge two proposals: in the row to drop write the decision \"merge into D04\" (D04 is the row "
                    "kept; it must be accepted or changed): the dropped row writes no rule, its clause is noted in "
                    "D04."),
    # the review sheet's plain words for a check, a direction and a due period (read back by `plan apply`)
    "check_coverage": ("đủ từng mục (100%)", "every item (100%)"),
    "check_ratio": ("tỷ lệ", "share"),
    "check_count": ("số lượng", "number"),
    "check_advisory": ("tham khảo, không đo được", "for reference, not measurable"),
    "op_gte": ("từ … trở lên", "at least"),
    "op_lte": ("không quá", "at most"),
    "op_eq": ("đúng bằng", "exactly"),
    "op_gt": ("trên", "more than"),
    "op_lt": ("dưới", "less than"),
    "op_ne": ("khác", "other than"),
    "due_continuous": ("suốt kỳ kế hoạch", "throughout the plan"),
    "due_year_end": ("cuối năm", "at year end"),
    "due_plan_end": ("cuối kế hoạch", "at the plan's end"),
    "due_week": ("mỗi tuần", "every week"),
    "due_month": ("mỗi tháng", "every month"),
    "due_quarter": ("mỗi quý", "every quarter"),
    "due_at": ("đến {detail}", "by {detail}"),
    "due_milestones": ("mốc từng quý", "quarterly milestones"),
    "due_pace": ("đều theo thời gian", "evenly over time"),
    "draft_kind_unknown": ("không có loại hồ sơ này trong thư viện hay kế hoạch; chọn một trong: {detail}",
                           "no kind of that name in the library or the plan; choose one of: {detail}"),
    "draft_field_unknown": ("loại hồ sơ không có trường này; các trường của {detail}",
                            "the kind has no such field; the fields of {detail}"),
    "draft_kind_unfit": ("loại hồ sơ không có các trường quy tắc đọc ({detail}): chọn loại khác hoặc giữ loại cũ",
                         "the kind lacks fields the rule reads ({detail}): choose another kind or keep the old one"),
    "draft_field_unfit": ("trường {detail} không phải là số: quy tắc này cộng trường được chọn (đếm, tỷ lệ)",
                          "the field {detail} is not a number: this rule sums the chosen field (a count, a share)"),
    "draft_kind_none": ("quy tắc này không đọc loại hồ sơ hay trường nào có thể đổi ở đây: để trống ô",
                        "this rule reads no kind or field that can be changed here: leave the cell blank"),
    "draft_split_id": ("mã {detail} không phải mã của dòng nào: bản chép của một dòng mang mã cũ thêm một đuôi "
                       "(D05 → D05b), chỉ gồm chữ, số, . _ -",
                       "the code {detail} is no row's: a copied row takes the original code plus a suffix "
                       "(D05 → D05b), letters, digits, . _ - only"),
    "draft_duplicate_id": ("mã này đã có ở dòng {detail}: đổi mã của bản chép (ví dụ D05 → D05b)",
                           "this code is already on row {detail}: give the copy a new code (e.g. D05 → D05b)"),
    "draft_merge_into": ("không gộp được vào {detail}: đó phải là mã của một dòng khác được chấp nhận hoặc sửa",
                         "cannot merge into {detail}: it must be the code of another row that is accepted or "
                         "changed"),
    "applied_merged": ("Đã gộp: {list}.", "Merged: {list}."),
    "draft_direction": ("hướng không hiểu được: ghi một trong {detail}",
                        "direction not understood: write one of {detail}"),
    "draft_due": ("hạn không hiểu được: ghi một trong {detail}, hoặc một ngày dd/mm/yyyy",
                  "due not understood: write one of {detail}, or a date dd/mm/yyyy"),
    "level_high": ("cao", "high"),
    "level_medium": ("vừa", "medium"),
    "level_low": ("thấp", "low"),
}


def m(key: str, lang: str, **kw: Any) -> str:
    vi, en = MESSAGES[key]
    text = en if lang == "en" else vi
    return text.format(**kw) if kw else text
