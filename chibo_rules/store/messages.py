"""The words of the store and of `chibo history`, Vietnamese (default) and English."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # a store that cannot be used (exit 2)
    "store_locked": ("kho lưu trữ {detail} đang bị một tiến trình khác khóa quá lâu: chờ tiến trình đó xong rồi "
                     "chạy lại (hoặc tăng CHIBO_STORE_TIMEOUT, giây)",
                     "the store {detail} is locked by another process for too long: wait for it to finish and run "
                     "again (or raise CHIBO_STORE_TIMEOUT, in seconds)"),
    "store_corrupt": ("tệp {detail} không phải kho lưu trữ đọc được (hỏng hoặc không phải cơ sở dữ liệu SQLite): "
                      "khôi phục từ bản sao lưu (`chibo history import`) hoặc chọn tệp khác bằng --store",
                      "{detail} is not a readable store (damaged, or not an SQLite database): restore it from a "
                      "backup (`chibo history import`) or choose another file with --store"),
    "store_newer": ("kho lưu trữ {detail} do phiên bản chibo mới hơn ghi (lược đồ {revision}; phiên bản này biết "
                    "đến {head}): hãy cập nhật chibo; kho không bị thay đổi",
                    "the store {detail} was written by a newer chibo (schema {revision}; this one knows up to "
                    "{head}): update chibo; the store was not changed"),
    "store_foreign": ("{detail} là một cơ sở dữ liệu khác, không phải kho của chibo: chọn tệp khác bằng --store",
                      "{detail} is some other database, not a chibo store: choose another file with --store"),
    "store_missing": ("chưa có kho lưu trữ {detail}: lưu kết quả vào kho bằng `chibo check … --save` (hoặc chọn kho "
                      "bằng --store)", "there is no store at {detail} yet: save results with `chibo check … --save` "
                      "(or choose the store with --store)"),
    "store_is_folder": ("{detail} là một thư mục: --store cần đường dẫn tới một tệp (vd. chibo.sqlite3)",
                        "{detail} is a folder: --store needs a file path (e.g. chibo.sqlite3)"),
    "store_unreachable": ("không mở được kho lưu trữ: {detail}", "cannot open the store: {detail}"),
    "store_failed": ("kho lưu trữ báo lỗi: {detail}", "the store failed: {detail}"),
    "store_scheme": ("chỉ dùng được kho SQLite (đường dẫn tệp) hoặc PostgreSQL (postgresql://…), không phải "
                     "{detail}://", "only an SQLite file path or a PostgreSQL address (postgresql://…) can be a "
                     "store, not {detail}://"),
    "store_missing_library": ("chưa cài thư viện cho kho lưu trữ ({detail}): pip install 'chibo[postgres]'",
                              "the store's libraries are not installed ({detail}): pip install 'chibo[postgres]'"),
    "saved": ("Đã lưu {new} lần xét vào kho {where}{dup}.", "Saved {new} judged run(s) to the store {where}{dup}."),
    "saved_dup": (" ({n} lần xét đã có sẵn, không lưu lại)", " ({n} already there, not saved twice)"),
    "history_no_cell": ("kho không có chi bộ nào tên hoặc thư mục là “{detail}” (`chibo history --committee …` "
                        "liệt kê các chi bộ)", "the store holds no cell named or read from “{detail}” (`chibo "
                        "history --committee …` lists the cells)"),
    "history_many_cells": ("“{detail}” khớp nhiều chi bộ: {cells}; ghi rõ “đảng bộ / tên chi bộ”",
                           "“{detail}” matches several cells: {cells}; give “committee / cell name”"),
    "history_no_committee": ("kho không có chi bộ nào của “{detail}”", "the store holds no cell of “{detail}”"),
    "history_what": ("cho tên một chi bộ, hoặc --committee TÊN / --folder THƯ_MỤC, hoặc export/import TỆP",
                     "give a cell's name, or --committee NAME / --folder DIR, or export/import FILE"),
    "history_bad_quarter": ("quý không hợp lệ: {detail} (vd. 2020-Q1)", "not a quarter: {detail} (e.g. 2020-Q1)"),
    "history_docx_output": ("--format {detail} cần --output TỆP", "--format {detail} needs --output FILE"),
    "import_bad_line": ("{file}, dòng {line}: không phải một bản ghi của `chibo history export` ({detail})",
                        "{file}, line {line}: not a record written by `chibo history export` ({detail})"),
    "import_missing": ("không có tệp {detail}", "no such file: {detail}"),
    "imported": ("Đã nhập {new} lần xét vào kho {where}{dup}.", "Imported {new} judged run(s) into {where}{dup}."),
    "exported": ("Đã xuất {n} lần xét ra {detail}.", "Exported {n} judged run(s) to {detail}."),
    # history reports
    "history_title": ("Lịch sử rà soát: {cell}", "History: {cell}"),
    "committee_title": ("Tổng hợp theo quý: {name}", "Quarter by quarter: {name}"),
    "m_cell": ("Chi bộ", "Cell"),
    "m_committee": ("Đảng bộ", "Committee"),
    "m_store": ("Kho lưu trữ", "Store"),
    "m_window": ("Khoảng thời gian", "Window"),
    "m_cells": ("Số chi bộ", "Cells"),
    "submissions": ("Các lần nộp số liệu", "Submissions"),
    "col_quarter": ("Quý", "Quarter"),
    "col_as_of": ("Tính đến", "As of"),
    "col_job": ("Việc", "Job"),
    "col_facts": ("Số liệu (mã băm)", "Facts (hash)"),
    "col_received": ("Nhận lúc", "Received"),
    "col_plan": ("Kế hoạch", "Plan"),
    "col_rule": ("Yêu cầu", "Requirement"),
    "col_cell": ("Chi bộ", "Cell"),
    "col_quarters_behind": ("Số quý liền chưa đạt", "Quarters behind in a row"),
    "col_open_latest": ("Yêu cầu chưa đạt (quý gần nhất)", "Open requirements (latest quarter)"),
    "col_cells_latest": ("Số chi bộ chưa đạt (quý gần nhất)", "Cells open (latest quarter)"),
    "col_cell_quarters": ("Số lượt chi bộ × quý chưa đạt", "Cell-quarters open"),
    "col_gaps": ("Thiếu sót", "Gaps"),
    "col_open": ("Yêu cầu chưa đạt", "Open requirements"),
    "col_who": ("Ai / việc gì", "Who / what"),
    "col_period": ("Kỳ", "Period"),
    "col_source": ("Nguồn", "Source"),
    "by_quarter": ("Trạng thái từng yêu cầu theo quý", "Each requirement's status by quarter"),
    "changes_title": ("Thay đổi ở lần nộp {last} so với các lần trước", "What changed in {last} against the earlier "
                      "submissions"),
    "rules_fixed": ("Yêu cầu đã khắc phục", "Requirements fixed"),
    "rules_still_open": ("Yêu cầu vẫn chưa đạt", "Requirements still open"),
    "rules_reopened": ("Yêu cầu tái diễn (đã đạt rồi lại chưa đạt)", "Requirements reopened"),
    "rules_new": ("Yêu cầu mới chưa đạt", "Requirements newly open"),
    "gaps_fixed": ("Thiếu sót đã khắc phục", "Gaps fixed"),
    "gaps_still_open": ("Thiếu sót vẫn còn", "Gaps still open"),
    "gaps_reopened": ("Thiếu sót tái diễn", "Gaps reopened"),
    "gaps_new": ("Thiếu sót mới", "New gaps"),
    "none": ("Không có.", "None."),
    "no_runs": ("Chưa có lần xét nào được lưu trong khoảng này.", "No saved run in this window."),
    "summary_cell": ("{n} lần nộp; quý gần nhất {last}: {open} yêu cầu chưa đạt; khắc phục {fixed}, vẫn còn "
                     "{still}, tái diễn {reopened}, mới {new} thiếu sót.",
                     "{n} submission(s); latest quarter {last}: {open} open requirement(s); gaps fixed {fixed}, "
                     "still open {still}, reopened {reopened}, new {new}."),
    "behind_title": ("Chi bộ chưa đạt từ hai quý liền trở lên", "Cells behind for two quarters or more in a row"),
    "missed_title": ("Yêu cầu bị bỏ lỡ nhiều nhất", "Targets missed most often"),
    "per_quarter_title": ("Thiếu sót theo quý (toàn bộ chi bộ)", "Gaps per quarter (all cells)"),
    "cells_title": ("Từng chi bộ theo quý (yêu cầu chưa đạt / thiếu sót)", "Each cell by quarter (open "
                    "requirements / gaps)"),
    "summary_committee": ("{cells} chi bộ, {quarters} quý; {behind} chi bộ chưa đạt từ hai quý liền trở lên.",
                          "{cells} cell(s), {quarters} quarter(s); {behind} behind for two quarters or more."),
    "chart_gaps": ("Thiếu sót theo quý", "Gaps per quarter"),
    "compared_store": ("So sánh với số liệu chi bộ đã nộp quý {quarter} (nhận {received}, mã {hash}) trong kho "
                       "lưu trữ: {fixed} thiếu sót đã khắc phục, {new} thiếu sót mới.",
                       "Compared with what the cell handed in for {quarter} (received {received}, hash {hash}) in "
                       "the store: {fixed} gap(s) fixed, {new} new."),
    "compared_title": ("So với số liệu đã nộp quý trước", "Against what was handed in last quarter"),
    "footer": ("Lập bởi chibo {version}", "Made by chibo {version}"),
}

HELP: dict[str, tuple[str, str]] = {
    "save": ("Lưu kết quả vào kho lưu trữ (mặc định nếu CHIBO_SAVE=1): chi bộ, kế hoạch, số liệu đã nộp, từng "
             "yêu cầu và thiếu sót.", "Save the judged results in the store (the default with CHIBO_SAVE=1): the "
             "cell, the plan, the submission, every requirement and gap."),
    "store": ("Kho lưu trữ: đường dẫn tệp SQLite hoặc postgresql://… (mặc định: $CHIBO_STORE, hoặc chibo.sqlite3 "
              "trong thư mục dữ liệu của người dùng).", "The store: an SQLite file path or postgresql://… "
              "(default: $CHIBO_STORE, or chibo.sqlite3 in the user's data folder)."),
    "keep_facts": ("Lưu cả các tệp số liệu gốc vào kho (mặc định chỉ lưu mã băm).",
                   "Keep the raw fact files in the store too (by default only their hash)."),
    "history": ("Lịch sử các lần rà soát đã lưu. `chibo history CHI_BỘ`: từng yêu cầu theo quý, đã khắc phục, "
                "vẫn còn, tái diễn. `chibo history --committee TÊN` (hoặc --folder THƯ_MỤC): chi bộ chưa đạt hai "
                "quý liền, yêu cầu bị bỏ lỡ nhiều nhất, thiếu sót theo quý. `chibo history export TỆP.jsonl` / "
                "`chibo history import TỆP.jsonl`: sao lưu, chuyển kho.\n\nVí dụ: chibo check ho-so/ --save; "
                "chibo history \"Chi bộ trường THCS Vĩnh Bình Nam 1\" --since 2020-Q1; chibo history --committee "
                "\"Đảng bộ xã Vĩnh Bình Nam\" --format html -o lich-su.html",
                "The saved history. `chibo history CELL`: each requirement quarter by quarter, what was fixed, "
                "what stayed open, what reopened. `chibo history --committee NAME` (or --folder DIR): cells behind "
                "for two quarters or more, the targets missed most often, gaps per quarter. `chibo history export "
                "FILE.jsonl` / `chibo history import FILE.jsonl`: a backup, a move to another store.\n\nExamples: "
                "chibo check cells/ --save; chibo history \"Chi bộ trường THCS Vĩnh Bình Nam 1\" --since 2020-Q1; "
                "chibo history --committee \"Đảng bộ xã Vĩnh Bình Nam\" --format html -o history.html"),
    "history_what": ("Tên chi bộ (hoặc thư mục/tệp số liệu của nó), hoặc một thư mục chứa nhiều hồ sơ (như "
                     "--folder); hoặc export TỆP / import TỆP.",
                     "A cell's name (or its case folder or workbook), or a folder of cells (as --folder); or export "
                     "FILE / import FILE."),
    "committee": ("Tên đảng bộ (party_committee trong cell.yaml): tổng hợp mọi chi bộ của đảng bộ.",
                  "A committee's name (cell.yaml's party_committee): every cell of it."),
    "folder": ("Thư mục chứa hồ sơ các chi bộ: tổng hợp các chi bộ có số liệu nộp từ thư mục này.",
               "A folder of cells: every cell whose facts were read from under it."),
    "since": ("Từ quý này (vd. 2020-Q1).", "From this quarter (e.g. 2020-Q1)."),
    "until": ("Đến quý này (vd. 2020-Q4).", "Up to this quarter (e.g. 2020-Q4)."),
    "job": ("Chỉ các lần xét của việc này (check, audit, ready; mặc định check và audit).",
            "Only runs of this job (check, audit, ready; default check and audit)."),
}


def m(key: str, lang: str, **values: Any) -> str:
    vi, en = MESSAGES[key]
    return (en if lang == "en" else vi).format(**values)


def hs(key: str) -> str:
    """A help text in the language --help is read in (clihelp.LANG)."""
    from ..clihelp import LANG

    vi, en = HELP[key]
    return en if LANG == "en" else vi
