"""The review's words (`chibo review`), Vietnamese and English: its own catalogue beside i18n.py's, so the
review's many lines stay together. The level names themselves are data (rules/library/review/rating.yaml)."""

from __future__ import annotations

from typing import Any

WORDS: dict[str, tuple[str, str]] = {
    "title": ("Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể", "The collective's review, self-assessment "
              "and proposed quality rating"),
    "subject_year": ("Kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể chi bộ năm {y}",
                     "Review, self-assessment and quality rating of the Party cell, {y}"),
    "subject_quarter": ("Kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể chi bộ quý {q} năm {y}",
                        "Review, self-assessment and quality rating of the Party cell, quarter {q} of {y}"),
    "review_date": ("Ngày kiểm điểm", "Review date"),
    "period": ("Kỳ kiểm điểm", "Period reviewed"),
    "period_year": ("năm {y}", "the year {y}"),
    "period_quarter": ("quý {q} năm {y}", "quarter {q} of {y}"),
    "scoring": ("Cách tính điểm", "Scoring"),
    "scoring_default": ("mặc định của thư viện ({file}): kế hoạch không có tệp scoring.yaml, {total} điểm chia đều "
                        "cho các mục của kế hoạch", "the library's default ({file}): the plan has no scoring.yaml, "
                        "{total} points spread equally over the plan's sections"),
    "scoring_own": ("theo tệp {file} của kế hoạch", "the plan's own {file}"),
    "summary": ("Đề xuất xếp loại: {level} ({points} điểm)", "Proposed rating: {level} ({points} points)"),
    "summary_none": ("Chưa đề xuất được xếp loại: không có yêu cầu nào đến hạn và có số liệu để tính",
                     "No rating can be proposed: no requirement was due and had data to count"),
    "proposal_note": ("Đây là mức chi bộ tự đề xuất; cấp ủy cấp trên xem xét, quyết định.",
                      "This is the cell's own proposal; the committee above decides."),
    # I. results
    "results": ("I. Kết quả thực hiện nhiệm vụ", "I. Results"),
    "section": ("Mục {s}", "Section {s}"),
    "section_line": ("{done}/{counted} yêu cầu hoàn thành; đạt {earned}/{points} điểm",
                     "{done} of {counted} requirements done; {earned} of {points} points"),
    "section_no_data": ("Mục này không có số liệu: không tính điểm ({points} điểm không được nhận).",
                        "This section has no data: no points are claimed ({points} points not earned)."),
    "section_not_due": ("Chưa đến hạn: {ids} — không tính ở kỳ kiểm điểm này.",
                        "Not yet due: {ids} — not counted in this review."),
    "col_target": ("Chỉ tiêu", "Target"),
    "col_measured": ("Kết quả đo được", "Measured"),
    "col_points": ("Điểm", "Points"),
    "col_note": ("Ghi chú", "Note"),
    "note_exceeded": ("vượt chỉ tiêu", "exceeded"),
    "note_late": ("hoàn thành chậm (chưa đạt ở hạn {date})", "done late (not met by {date})"),
    "note_behind": ("chậm tiến độ", "behind schedule"),
    "note_no_data": ("không có số liệu: không tính điểm", "no data: no points claimed"),
    "note_not_due": ("chưa đến hạn: không tính", "not yet due: not counted"),
    "note_partial": ("tính một phần theo tỷ lệ đạt", "partly scored, in proportion"),
    "exceeded_title": ("Những chỉ tiêu vượt yêu cầu", "Targets exceeded"),
    "exceeded_line": ("{id} {title}: {measured} (chỉ tiêu {target}; vượt khi tốt hơn chỉ tiêu từ {margin}% trở lên)",
                      "{id} {title}: {measured} (target {target}; exceeded when better than it by {margin}% or more)"),
    "exceeded_none": ("Không có chỉ tiêu nào vượt yêu cầu từ {margin}% trở lên.",
                      "No target was exceeded by {margin}% or more."),
    # II. limitations
    "limits": ("II. Hạn chế, khuyết điểm và nguyên nhân", "II. Limitations, shortcomings and their causes"),
    "limits_none": ("Không có yêu cầu nào chưa đạt tại ngày kiểm điểm.", "No requirement was missed at the review "
                    "date."),
    "owner": ("Người phụ trách", "Owner"),
    "causes": ("Nguyên nhân (chi bộ ghi)", "Causes (for the cell to write)"),
    "cause_objective": ("Nguyên nhân khách quan: {blank}", "Objective causes: {blank}"),
    "cause_subjective": ("Nguyên nhân chủ quan: {blank}", "Subjective causes: {blank}"),
    "more": ("… và {n} mục khác (xem báo cáo rà soát)", "… and {n} more (see the check's report)"),
    # III. last year's shortcomings
    "remedy": ("III. Kết quả khắc phục hạn chế, khuyết điểm năm trước", "III. Remedy of last year's shortcomings"),
    "remedy_none": ("Kho lưu trữ không có báo cáo nào của chi bộ cho năm {y}: chưa đối chiếu được.",
                    "The store holds no submission of this cell for {y}: nothing to compare with."),
    "remedy_no_store": ("Chưa có kho lưu trữ (--store) để đối chiếu với năm {y}.",
                        "No store (--store) to compare with {y}."),
    "remedy_from": ("Đối chiếu với báo cáo đã nộp ngày {date} ({quarter}).",
                    "Compared with the submission of {date} ({quarter})."),
    "remedy_fixed": ("Đã khắc phục ({n})", "Remedied ({n})"),
    "remedy_still": ("Chưa khắc phục ({n})", "Not yet remedied ({n})"),
    # IV. directions
    "directions": ("IV. Phương hướng, biện pháp khắc phục", "IV. Directions and remedies"),
    "directions_none": ("Duy trì kết quả đã đạt.", "Keep up the results achieved."),
    # V. rating
    "rating": ("V. Tự đánh giá, xếp loại chất lượng (đề xuất)", "V. Self-assessment and proposed quality rating"),
    "col_term": ("Thành phần", "Term"),
    "col_value": ("Giá trị", "Value"),
    "term_earned": ("Điểm đạt được trên các yêu cầu được tính", "Points earned on the requirements counted"),
    "term_available": ("Điểm tối đa của các yêu cầu được tính", "Points of the requirements counted"),
    "term_points": ("Điểm quy đổi (đạt ÷ tối đa × {total})", "Points scaled (earned ÷ counted × {total})"),
    "term_counted": ("Số yêu cầu được tính", "Requirements counted"),
    "term_done": ("Hoàn thành", "Done"),
    "term_on_time": ("Hoàn thành đúng hạn", "Done on time"),
    "term_late": ("Chậm tiến độ (hoàn thành chậm hoặc chậm so với mốc)", "Behind schedule (done late or behind "
                  "their milestone)"),
    "term_exceeded": ("Vượt yêu cầu", "Exceeded"),
    "term_not_due": ("Chưa đến hạn (không tính)", "Not yet due (not counted)"),
    "term_no_data": ("Không có số liệu (không tính điểm)", "No data (no points claimed)"),
    "term_disciplined": ("Có cá nhân bị kỷ luật", "Someone disciplined"),
    "disciplined_yes": ("có (theo {rules})", "yes (from {rules})"),
    "disciplined_no": ("không (theo {rules})", "no (from {rules})"),
    "disciplined_unknown": ("không xác định được (theo {rules})", "not known (from {rules})"),
    "disciplined_undeclared": ("không xác định: kế hoạch không khai báo (scoring.yaml: disciplined)",
                               "not known: the plan declares no source (scoring.yaml: disciplined)"),
    "share": ("{n}/{of} = {pct}%", "{n} of {of} = {pct}%"),
    "levels_tried": ("Đối chiếu các mức (Quy định 366-QĐ/TW, Điều 11)", "The levels tried (Regulation 366-QĐ/TW, "
                     "art. 11)"),
    "cond_min_points": ("điểm ≥ {wanted}: {actual}", "points ≥ {wanted}: {actual}"),
    "cond_min_done_share": ("hoàn thành ≥ {wanted}%: {actual}%", "done ≥ {wanted}%: {actual}%"),
    "cond_min_on_time_share": ("đúng hạn ≥ {wanted}%: {actual}%", "on time ≥ {wanted}%: {actual}%"),
    "cond_min_exceeded_share": ("vượt yêu cầu ≥ {wanted}%: {actual}%", "exceeded ≥ {wanted}%: {actual}%"),
    "cond_max_late_share": ("chậm tiến độ ≤ {wanted}%: {actual}%", "behind schedule ≤ {wanted}%: {actual}%"),
    "cond_no_discipline": ("không có cá nhân bị kỷ luật: {actual}", "nobody disciplined: {actual}"),
    "met": ("đạt", "met"),
    "not_met": ("không đạt", "not met"),
    "level_proposed": ("→ đề xuất mức này", "→ proposed"),
    "level_otherwise": ("mức còn lại khi không đạt các mức trên", "what is left when no level above is met"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "unknown": ("không xác định", "not known"),
    # roll-up
    "rollup_title": ("Tổng hợp đề xuất xếp loại chất lượng các chi bộ", "The cells' proposed quality ratings"),
    "rollup_subject": ("Tổng hợp đề xuất xếp loại chất lượng tổ chức đảng năm {y}",
                       "The Party cells' proposed quality ratings, {y}"),
    "col_cell": ("Chi bộ (hồ sơ)", "Cell (case)"),
    "col_plan": ("Kế hoạch", "Plan"),
    "col_level": ("Đề xuất xếp loại", "Proposed rating"),
    "col_count": ("Số chi bộ", "Cells"),
    "col_share": ("Tỷ lệ", "Share"),
    "per_level": ("Số chi bộ theo từng mức", "Cells per level"),
    "no_level": ("Chưa xếp loại được", "Not rated"),
    "cell_error": ("Lỗi dữ liệu: {n} lỗi", "Input error: {n} problem(s)"),
    "cap_exceeded": ("Cảnh báo: {n}/{of} chi bộ ({pct}%) được đề xuất “{level}”, vượt tỷ lệ tối đa {cap}% do "
                     "{file} quy định.", "Warning: {n} of {of} cells ({pct}%) are proposed “{level}”, more than the "
                     "cap of {cap}% set in {file}."),
    "cap_ok": ("{n}/{of} chi bộ ({pct}%) được đề xuất “{level}”, trong tỷ lệ tối đa {cap}% ({file}).",
               "{n} of {of} cells ({pct}%) are proposed “{level}”, within the cap of {cap}% ({file})."),
    "as_of_outside": ("Ngày {date} (--as-of) không thuộc năm {year}.", "The date {date} (--as-of) is not in {year}."),
    "quarter_and_as_of": ("Chỉ dùng một trong --quarter và --as-of.", "Give --quarter or --as-of, not both."),
    "members_one_cell": ("--members lập bản kiểm điểm của đảng viên một chi bộ: hãy chỉ ra một chi bộ.",
                         "--members drafts the members' self-reviews of one cell: give one cell."),
}


def w(key: str, lang: str, **values: Any) -> str:
    vi, en = WORDS[key]
    text = vi if lang == "vi" else en
    return text.format(**values) if values else text
