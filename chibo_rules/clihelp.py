"""The command line's help in Vietnamese (default) and English.

`--help` is read before any option is parsed, so the language is chosen from what is already known:
`--lang en` (or `--lang=en`) on the command line, else $CHIBO_LANG, else an English locale ($LC_ALL,
$LC_MESSAGES or $LANG starting with "en"); anything else gives Vietnamese, the users' language.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer



class Lang(str, Enum):
    """--lang's choices, for every command and group."""
    vi = "vi"
    en = "en"


EXIT_CODES = {
    "vi": "Mã thoát (cho script): 0 không có thiếu sót · 1 có thiếu sót · 2 dữ liệu đầu vào hoặc cách gọi sai · "
          "3 lỗi của chibo (chi tiết ghi vào một tệp nhật ký).",
    "en": "Exit codes (for scripts): 0 no gaps · 1 gaps found · 2 bad input or usage · 3 a bug in chibo "
          "(details written to a log file).",
}

TEXTS: dict[str, tuple[str, str]] = {
    "app": (
        "chibo — rà soát việc thực hiện kế hoạch của chi bộ: đối chiếu số liệu ghi nhận với từng yêu cầu của kế "
        "hoạch, nêu rõ ai, việc gì còn thiếu và câu trích kế hoạch tương ứng.",
        "chibo — checks a Party cell's facts against its plan and names every gap: who or what is missing, and "
        "the plan clause it comes from.",
    ),
    "rules_app": ("Xem, kiểm thử các quy tắc (yêu cầu) của kế hoạch.", "List, show and test a plan's rules."),
    "docs_app": ("Tài liệu sinh từ khai báo của kế hoạch.", "Documents generated from the plans' declarations."),
    "version": ("In phiên bản chibo, bộ đánh giá, Python và các kế hoạch có sẵn rồi thoát.",
                "Print chibo's version, its evaluator, Python and the bundled plans, then exit."),
    "lang": ("Ngôn ngữ báo cáo và trợ giúp: vi (mặc định) hoặc en.", "Language of the report and help: vi (default) "
             "or en."),
    "rules": ("Thư mục kế hoạch dùng để xét mọi hồ sơ (mặc định: kế hoạch ghi trong cell.yaml của từng hồ sơ, trong "
              "các kế hoạch có sẵn; hoặc biến $CHIBO_RULES).",
              "A plan folder judging every case (default: the plan each case names in cell.yaml, among the bundled "
              "plans; or $CHIBO_RULES)."),
    "plans": ("Thư mục chứa các kế hoạch của chi bộ (mỗi kế hoạch một thư mục con, tên thư mục là mã kế hoạch); "
              "ghi nhiều lần được. Kế hoạch ghi trong cell.yaml được tìm lần lượt ở: --plans, $CHIBO_PLANS, thư "
              "mục plans/ cạnh hồ sơ hoặc cạnh thư mục cha của hồ sơ, thư mục dữ liệu của người dùng, rồi các kế "
              "hoạch có sẵn.",
              "A folder of a cell's plans (one subfolder per plan, named by its id); may be given more than once. "
              "The plan cell.yaml names is looked up in: --plans, $CHIBO_PLANS, a plans/ folder beside the case or "
              "beside its parent, the user's data folder, then the bundled plans."),
    "cases": ("Một hoặc nhiều hồ sơ: thư mục hồ sơ (cell.yaml và mỗi loại dữ liệu một tệp CSV/YAML), một tệp Excel "
              ".xlsx (xem `chibo template`), hoặc thư mục chứa nhiều hồ sơ. Nhiều hồ sơ cho bảng tổng hợp: mỗi chi bộ "
              "một dòng, chi bộ nhiều thiếu sót nhất lên đầu.",
              "One or more cases: a case folder (cell.yaml plus one CSV/YAML file per kind of fact), a .xlsx "
              "workbook (see `chibo template`), or a folder of cases. Several cases give a roll-up: one row per cell, "
              "worst first."),
    "case": ("Thư mục hồ sơ hoặc tệp Excel .xlsx của chi bộ.", "The cell's case folder or .xlsx workbook."),
    "format_short": ("table hoặc json.", "table or json."),
    "output": ("Ghi báo cáo vào tệp này thay vì in ra màn hình (không bao giờ ghi vào tệp của hồ sơ).",
               "Write the report to this file instead of the terminal (never one of the case's own files)."),
    "only": ("Chỉ xét các mã yêu cầu hoặc mục kế hoạch này; lặp lại hoặc ngăn cách bằng dấu phẩy (vd. --only R14 "
             "--only B.III).", "Rule id or plan section, repeatable or comma-separated (e.g. --only R14 --only "
             "B.III)."),
    "evaluator": ("auto (mặc định: durable-rules nếu dùng được, nếu không thì bộ kiểm chứng Python — báo cáo ghi rõ), "
                  "engine (buộc dùng durable-rules) hoặc oracle (bộ kiểm chứng Python).",
                  "auto (default: durable-rules where it runs, else the plain-Python oracle — the report says "
                  "which), engine (durable-rules only) or oracle (the plain-Python cross-check)."),
    "evaluators": ("Chỉ chạy với bộ đánh giá này (mặc định: cả hai).",
                   "Run the cases with this evaluator only (default: both)."),
    "full": ("Khi có nhiều hồ sơ: in thêm báo cáo đầy đủ của từng chi bộ.",
             "With several cases: also print each cell's full report."),
    "jobs": ("Khi có nhiều hồ sơ: số tiến trình xét song song (mặc định 0: bằng số nhân CPU khi có từ 8 hồ sơ trở "
             "lên, dưới 8 hồ sơ thì xét lần lượt; 1: không song song). Thứ tự và kết quả báo cáo không đổi.",
             "With several cases: how many worker processes judge them (default 0: one per CPU core from 8 cases "
             "up, one after another below 8; 1: no workers). The report's order and findings do not change."),
    "as_of": ("Xét tính đến ngày này (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định: hôm nay, hoặc ngày cuối kế hoạch nếu "
              "kế hoạch đã qua.", "Judge as of this date (dd/mm/yyyy or yyyy-mm-dd); default: today, or the plan's "
              "last day for a past plan."),
    "strict": ("Thoát với mã 1 cả khi một yêu cầu đến hạn không có dữ liệu.",
               "Also exit 1 when a due requirement has no data."),
    "check": (
        "Đối chiếu hồ sơ với các yêu cầu của kế hoạch và in báo cáo rà soát: mỗi thiếu sót nêu ai, việc gì còn thiếu "
        "và câu trích kế hoạch. Mỗi hồ sơ được xét theo kế hoạch ghi trong cell.yaml của nó.\n\n"
        "Mã thoát: 0 không có thiếu sót · 1 có thiếu sót (với --strict: cả yêu cầu thiếu dữ liệu) · 2 dữ liệu sai · "
        "3 lỗi của chibo.\n\n"
        "Ví dụ: `chibo check cases/vbn1-2020` · `chibo check cases/vbn1-2020 --as-of 30/06/2020 --lang en` · "
        "`chibo check ho-so.xlsx --format html -o bao-cao.html` · `chibo check cases/vbn1-2020 --format docx -o "
        "bao-cao.docx` · `chibo check cases/` (tổng hợp mọi chi bộ)",
        "Check cases against their plans and print the compliance report: every gap names who or what is "
        "missing and the plan clause. Each case is judged by the plan its cell.yaml names.\n\n"
        "Exit codes: 0 no gaps · 1 gaps (with --strict, also requirements without data) · 2 bad input · 3 a bug.\n\n"
        "Examples: `chibo check cases/vbn1-2020` · `chibo check cases/vbn1-2020 --as-of 30/06/2020 --lang en` · "
        "`chibo check ho-so.xlsx --format html -o bao-cao.html` · `chibo check cases/vbn1-2020 --format docx -o "
        "report.docx` · `chibo check cases/` (roll-up of every cell)",
    ),
    "audit": (
        "Kiểm tra quý: việc đến hạn chưa làm, chậm tiến độ, đúng tiến độ hoặc chưa đến hạn; thay đổi so với quý "
        "trước và việc cần làm trước cuối quý sau. Chỉ tiêu đến hạn cuối năm được so với các mốc (hoặc tiến độ đều) "
        "ghi trong quy tắc.\n\n"
        "Mã thoát: 0 không còn việc tồn · 1 có thiếu sót hoặc chậm tiến độ · 2 dữ liệu sai · 3 lỗi của chibo.\n\n"
        "Ví dụ: `chibo audit cases/vbn1-2020 --quarter 2020-Q2` · "
        "`chibo audit cases/ -q 2020-Q3 --format html -o quy3.html`",
        "Quarterly audit: what is due and missed, behind pace, on pace or not due yet; what changed since the "
        "previous quarter and what to do before the next one. Counts due later are judged against the milestones "
        "(or linear pace) in their rule files.\n\n"
        "Exit codes: 0 nothing open · 1 gaps or behind pace · 2 bad input · 3 a bug.\n\n"
        "Examples: `chibo audit cases/vbn1-2020 --quarter 2020-Q2` · "
        "`chibo audit cases/ -q 2020-Q3 --format html -o q3.html`",
    ),
    "quarter": ("Quý cần kiểm tra, vd. 2020-Q2, quý 2/2020, Quý II/2020 hoặc 2/2020: xét đến ngày cuối quý.",
                "The quarter to audit, e.g. 2020-Q2, Q2/2020, quý 2/2020 or 2/2020: judged as of its last day."),
    "audit_as_of": ("Kiểm tra tính đến ngày này thay vì cuối quý.",
                    "Audit as of this date instead of a quarter's end."),
    "ready": (
        "Chuẩn bị sinh hoạt chi bộ: danh mục chuẩn bị (chuyện kể về Bác và người kể, đề nghị tuyên dương, quyết nghị "
        "của buổi trước, kiểm tra QCCM), các yêu cầu kế hoạch còn chưa đạt và người phụ trách, ai còn nợ việc, và dự "
        "thảo chương trình. Danh mục là các quy tắc có `job: ready` của kế hoạch.\n\n"
        "Mã thoát: 0 sẵn sàng · 1 chưa sẵn sàng · 2 dữ liệu sai · 3 lỗi của chibo.\n\n"
        "Ví dụ: `chibo ready cases/vbn1-2020 --meeting 05/05/2020 --agenda chuong-trinh.md` · "
        "`chibo ready cases/vbn1-2020 -m 05/05/2020 --minutes bien-ban.docx`",
        "Pre-meeting readiness review: the checklist of a monthly cell meeting (Uncle Ho story and presenter, "
        "commendation proposals, the last meeting's decisions, the QCCM check), the plan's open gaps with their "
        "owners, who still owes what, and a draft agenda. The checklist is the plan's rules with `job: ready`.\n\n"
        "Exit codes: 0 ready · 1 not ready · 2 bad input · 3 a bug.\n\n"
        "Examples: `chibo ready cases/vbn1-2020 --meeting 05/05/2020 --agenda chuong-trinh.md` · "
        "`chibo ready cases/vbn1-2020 -m 05/05/2020 --minutes minutes.docx`",
    ),
    "meeting": ("Ngày họp chi bộ (dd/mm/yyyy hoặc yyyy-mm-dd).", "Date of the meeting (dd/mm/yyyy or yyyy-mm-dd)."),
    "agenda": ("Ghi thêm dự thảo chương trình (Markdown, để dán vào biên bản) vào tệp này.",
               "Also write the draft agenda (Markdown, to paste into the minutes) to this file."),
    "minutes": ("Ghi thêm dự thảo biên bản sinh hoạt chi bộ (tệp Word .docx, theo trình tự Hướng dẫn 12-HD/BTCTW) "
                "vào tệp này: thời gian, thành phần, văn bản cấp trên, chuyện kể về Bác, kiểm điểm quyết nghị, các "
                "việc còn tồn và người phụ trách, tuyên dương, nhiệm vụ tháng tới điền sẵn từ số liệu; chỗ trống để "
                "thư ký ghi. Một biên bản đã được sửa sẽ không bị ghi đè (trừ khi --force).",
                "Also write the draft minutes of the meeting (a Word .docx, in the order of Hướng dẫn 12-HD/BTCTW) to "
                "this file: time, attendance, documents from above, the Uncle Ho story, the last decisions reviewed, "
                "open gaps with owners, commendations and next tasks filled in from the records; blanks for the "
                "minute-taker. Minutes someone has edited are never overwritten (unless --force)."),
    "validate": (
        "Kiểm tra các tệp của hồ sơ theo các loại dữ liệu của kế hoạch, không xét yêu cầu: liệt kê mọi lỗi kèm tệp, "
        "dòng, cột.\n\nMã thoát: 0 hợp lệ · 2 có lỗi.\n\nVí dụ: `chibo validate cases/vbn1-2020` · "
        "`chibo validate ho-so.xlsx --format json`",
        "Check a case's files against its plan's kinds of facts without judging them: every problem with file, "
        "line and field.\n\nExit codes: 0 valid · 2 problems.\n\nExamples: `chibo validate cases/vbn1-2020` · "
        "`chibo validate ho-so.xlsx --format json`",
    ),
    "template": (
        "Ghi tệp Excel để điền số liệu (tiêu đề tiếng Việt, trang hướng dẫn, danh sách chọn, ngày dd/mm/yyyy). Các "
        "trang tính là các loại dữ liệu của một kế hoạch (--plan, --rules, hoặc kế hoạch của hồ sơ --from). Với "
        "--from, tệp chứa sẵn số liệu của hồ sơ đó; đọc lại cho cùng kết quả.\n\n"
        "Ví dụ: `chibo template ho-so.xlsx --plan vbn1-2020` · `chibo template ho-so.xlsx --from cases/vbn1-2020`",
        "Write an Excel workbook to fill in (Vietnamese headers, an instruction sheet, drop-down lists, dd/mm/yyyy "
        "dates). Its sheets are the kinds of facts of a plan (--plan, --rules, or the --from case's plan). With "
        "--from, the workbook holds that case's records; reading it back gives the same facts.\n\n"
        "Examples: `chibo template ho-so.xlsx --plan vbn1-2020` · `chibo template ho-so.xlsx --from cases/vbn1-2020`",
    ),
    "template_out": ("Tệp .xlsx cần ghi.", "The .xlsx workbook to write."),
    "template_from": ("Ghi số liệu của hồ sơ này vào tệp.", "Write this case's records into the workbook."),
    "template_plan": ("Mã kế hoạch có sẵn có các loại dữ liệu cần điền; với --from: kế hoạch của hồ sơ.",
                      "The bundled plan whose kinds of facts the workbook holds; with --from, the case's own plan."),
    "force": ("Ghi đè nếu tệp đã có.", "Overwrite the file if it exists."),
    "force_output": ("Cho phép ghi đè một tệp đã có không phải báo cáo cũ của chibo (không bao giờ ghi vào hồ sơ).",
                     "Allow replacing an existing file that is not an earlier chibo report (never a case's file)."),
    "rules_list": (
        "Liệt kê mọi quy tắc: mã, mục kế hoạch, cách xét, hạn, dùng cho (kế hoạch hay danh mục chuẩn bị họp) và "
        "tên, của --rules hoặc mọi kế hoạch có sẵn. Với --format json: đúng các thuật ngữ của tệp quy tắc.\n\n"
        "Ví dụ: `chibo rules list --rules rules/vbn1-2020 --format json`",
        "Every rule with its id, plan section, how it is checked, when it is due, what it is used in (the plan or "
        "the meeting checklist) and title, of --rules or every bundled plan. With --format json: the rule files' "
        "own terms.\n\n"
        "Example: `chibo rules list --rules rules/vbn1-2020 --format json`",
    ),
    "rules_show": (
        "Một quy tắc: câu trích kế hoạch, mức độ, cách xét, hạn, chỉ tiêu, việc cần làm và căn cứ. Với --format "
        "json: cả tệp quy tắc (tham số, phần kiểm tra) cho người soạn kế hoạch.\n\n"
        "Ví dụ: `chibo rules show R14 --rules rules/vbn1-2020`",
        "One rule: its clause, severity, how it is checked, when it is due, target, what to do and references. With "
        "--format json: the whole rule file (parameters, check) for plan authors.\n\n"
        "Example: `chibo rules show R14 --rules rules/vbn1-2020`",
    ),
    "rule_id": ("Mã quy tắc, vd. R14.", "Rule id, e.g. R14."),
    "rules_test": (
        "Chạy các ca kiểm thử của kế hoạch (tests/*.yaml trong thư mục kế hoạch) với cả hai bộ đánh giá. Mỗi ca chỉ "
        "có các bản ghi cần thiết, ngày tính đến và kết quả mong đợi.\n\n"
        "Mã thoát: 0 mọi ca đạt · 1 có ca không đạt (kèm chỗ khác biệt) · 2 tệp kiểm thử hoặc quy tắc sai.\n\n"
        "Ví dụ: `chibo rules test --rules rules/vbn1-2020`",
        "Run the plan's own rule tests (tests/*.yaml in the plan folder) with both evaluators: each case gives "
        "only the records it needs, an as-of date and the expected status and gaps.\n\n"
        "Exit codes: 0 every case passes · 1 some case fails (with what differs) · 2 a broken test or rule file.\n\n"
        "Example: `chibo rules test --rules rules/vbn1-2020`",
    ),
    "docs": (
        "In một tài liệu sinh từ khai báo của các kế hoạch (loại dữ liệu, tiêu đề cột, mã, quy tắc). Trên màn hình "
        "tài liệu được hiện từng trang (Space: trang sau, q: thoát); dùng -o TỆP để ghi ra tệp.\n\n"
        "Ví dụ: `chibo docs case-format --output docs/case-format.md`",
        "Print a document generated from the plans' declarations (kinds of facts, headers, codes, rules). On a "
        "terminal it is shown a page at a time (Space: next page, q: quit); -o FILE writes it to a file.\n\n"
        "Example: `chibo docs case-format --output docs/case-format.md`",
    ),
    "docs_document": ("Tài liệu: case-format (định dạng hồ sơ).", "The document: case-format (the case format)."),
    "docs_output": ("Ghi vào tệp này (thay cả tệp).", "Write it to this file (replaced whole)."),
    "plan_app": ("Soạn quy tắc từ văn bản kế hoạch: dự thảo, rà soát, áp dụng.",
                 "Draft rules from the plan's own text: draft, review, apply."),
    "plan_draft": (
        "Đọc kế hoạch (.docx, .txt hoặc PDF có lớp chữ), tìm mọi chỉ tiêu đo được (con số, đơn vị, chiều: đạt / "
        "trên / dưới / không có / 100%, đối tượng, kỳ) và ghi vào --out một thư mục kế hoạch dự thảo: plan.yaml, "
        "kinds/, mỗi chỉ tiêu một tệp quy tắc (kèm độ tin cậy và lý do), review.md và review.xlsx để bí thư rà soát. "
        "Không dùng mạng. Với --targets: in recall/precision so với bảng chỉ tiêu.\n\n"
        "Mã thoát: 0 đã ghi · 2 tệp không đọc được hoặc thư mục đã có tệp.\n\n"
        "Ví dụ: `chibo plan draft ke-hoach-2020.docx --out du-thao` · "
        "`chibo plan draft ke-hoach.txt --out du-thao --targets TARGETS.md --lang en`",
        "Read a plan (.docx, .txt or a PDF with a text layer), find every measurable target (figure, unit, "
        "direction: đạt / trên / dưới / không có / 100%, subject, period) and write a draft plan folder to --out: "
        "plan.yaml, kinds/, one rule file per target (with how sure and why), review.md and review.xlsx for the "
        "secretary. No network. With --targets: print recall/precision against a table of targets.\n\n"
        "Exit codes: 0 written · 2 unreadable file or the folder already holds files.\n\n"
        "Examples: `chibo plan draft plan-2020.docx --out draft` · "
        "`chibo plan draft plan.txt --out draft --targets TARGETS.md --lang en`",
    ),
    "plan_apply": (
        "Đọc bảng rà soát review.xlsx đã ghi quyết định (chấp nhận / sửa / bỏ) và ghi các quy tắc được chấp nhận "
        "hoặc sửa (lấy chỉ tiêu ở cột Chỉ tiêu), plan.yaml, kinds/ và khung kiểm thử tests/*.yaml vào --out "
        "(mặc định: thư mục accepted/ cạnh bảng rà soát); đề xuất bị bỏ hoặc để trống không được ghi.\n\n"
        "Mã thoát: 0 đã ghi · 2 bảng rà soát sai hoặc thư mục đã có tệp.\n\n"
        "Ví dụ: `chibo plan apply du-thao/review.xlsx --out rules/vbn1-2020-moi`",
        "Read a review.xlsx with its decisions (accept / change / reject) and write the accepted and changed rules "
        "(a changed target is taken from the Target column), plan.yaml, kinds/ and tests/*.yaml skeletons to --out "
        "(default: accepted/ beside the workbook); rejected and undecided proposals are left out.\n\n"
        "Exit codes: 0 written · 2 a broken review or the folder already holds files.\n\n"
        "Example: `chibo plan apply draft/review.xlsx --out rules/vbn1-2020-new`",
    ),
    "plan_file": ("Tệp kế hoạch: .docx, .txt (UTF-8) hoặc .pdf có lớp chữ.",
                  "The plan file: .docx, .txt (UTF-8) or a .pdf with a text layer."),
    "plan_out": ("Thư mục ghi bản dự thảo (tạo mới nếu chưa có; phải trống, trừ khi --force).",
                 "The folder to write the draft to (created if missing; must be empty unless --force)."),
    "plan_targets": ("Bảng chỉ tiêu (TARGETS.md) để đo recall/precision của bản dự thảo.",
                     "A table of targets (TARGETS.md) to measure the draft's recall and precision against."),
    "plan_force": ("Cho phép ghi vào thư mục đã có tệp, ghi đè các tệp trùng tên.",
                   "Allow writing into a folder that already holds files, replacing those of the same name."),
    "review_file": ("Bảng rà soát review.xlsx do `chibo plan draft` lập, đã ghi quyết định.",
                    "The review.xlsx written by `chibo plan draft`, with its decisions filled in."),
    "apply_out": ("Thư mục kế hoạch cần ghi (mặc định: accepted/ cạnh bảng rà soát).",
                  "The plan folder to write (default: accepted/ beside the review workbook)."),
    "docs_rules": ("Lập tài liệu cho các thư mục kế hoạch này (lặp lại được; mặc định: mọi kế hoạch có sẵn).",
                   "Document these plan folders (repeatable; default: every bundled plan)."),
    # chibo review (issue 24)
    "review": (
        "Kiểm điểm cuối năm (hoặc theo quý) của chi bộ theo cấu trúc Mẫu 01-HD KĐ.ĐG: kết quả từng mục của kế hoạch "
        "(số đo cạnh chỉ tiêu), chỉ tiêu vượt, hạn chế và người phụ trách, chỗ trống ghi nguyên nhân, khắc phục hạn "
        "chế năm trước (khi kho lưu trữ có), phương hướng, và mức xếp loại đề xuất tính từng dòng (Quy định "
        "366-QĐ/TW). Điểm theo scoring.yaml của kế hoạch (hoặc mặc định của thư viện). Nhiều hồ sơ: bảng tổng hợp "
        "đề xuất xếp loại của cấp ủy.\n\n"
        "Mã thoát: 0 không có yêu cầu chưa đạt · 1 có yêu cầu chưa đạt hoặc chậm tiến độ (báo cáo vẫn được lập) · "
        "2 dữ liệu hoặc năm sai · 3 lỗi của chibo.\n\n"
        "Ví dụ: `chibo review cases/vbn1-2020 --year 2020 --format docx -o kiem-diem.docx` · "
        "`chibo review cases/ --year 2020`",
        "The cell's year-end (or quarterly) review in the structure of Mẫu 01-HD KĐ.ĐG: results per plan section "
        "(measured beside target), targets exceeded, shortcomings with owners, blank lines for causes, last year's "
        "shortcomings remedied (when the store holds them), directions, and the proposed rating computed line by "
        "line (Regulation 366-QĐ/TW). Points from the plan's scoring.yaml (or the library's default). Many cases: "
        "the committee's table of proposed ratings.\n\n"
        "Exit codes: 0 no requirement missed · 1 requirements missed or behind schedule (the review is still "
        "written) · 2 bad input or year · 3 a bug.\n\n"
        "Examples: `chibo review cases/vbn1-2020 --year 2020 --format docx -o review.docx` · "
        "`chibo review cases/ --year 2020`",
    ),
    "review_year": ("Năm kiểm điểm (một năm của kế hoạch): xét đến 31/12.",
                    "The year reviewed (one of the plan's years): judged as of 31 December."),
    "review_quarter": ("Kiểm điểm theo quý (1–4) của năm đó: xét đến ngày cuối quý, theo tiến độ.",
                       "A quarterly review (1–4) of that year: judged as of the quarter's end, against pace."),
    "review_as_of": ("Kiểm điểm tính đến ngày này (trong năm kiểm điểm) thay vì 31/12 hoặc cuối quý.",
                     "Review as of this date (in the year reviewed) instead of 31 December or the quarter's end."),
    "review_store": ("Kho lưu trữ để đối chiếu hạn chế của năm trước (mặc định: kho của người dùng nếu có).",
                     "The store to compare last year's shortcomings with (default: the user's store if any)."),
    "review_format": ("table (màn hình), json, markdown, html hoặc docx (cần --output).",
                      "table (terminal), json, markdown, html or docx (needs --output)."),
    "review_members": ("Ghi thêm bản kiểm điểm cá nhân của từng đảng viên (Mẫu 2A/2B/2C-HD KĐ.ĐG, bản nháp): các tệp "
                       "Word trong tệp .zip này và một bảng tính .xlsx cùng tên bên cạnh.",
                       "Also write each member's self-review draft (Mẫu 2A/2B/2C-HD KĐ.ĐG): the Word files in this "
                       ".zip and a workbook of the same name (.xlsx) beside it."),
}


def help_lang(argv: list[str] | None = None, env: dict[str, str] | None = None) -> str:
    """The language of --help: see the module's docstring."""
    argv = sys.argv[1:] if argv is None else argv
    env = dict(os.environ) if env is None else env
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "vi"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "vi"
    if env.get("CHIBO_LANG") in ("vi", "en"):
        return env["CHIBO_LANG"]
    locale = env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or ""
    return "en" if locale.lower().startswith("en") else "vi"


LANG = help_lang()


def h(key: str) -> str:
    vi, en = TEXTS[key]
    return en if LANG == "en" else vi


def lang_for_subcommands(ctx: typer.Context, lang: str) -> None:
    """`chibo --lang en rules list`: a --lang given before the command is every subcommand's default
    (help's own language is read from the command line before parsing, clihelp.LANG)."""
    def defaults(command: object) -> dict[str, object]:
        subcommands = getattr(command, "commands", {})
        return {name: {"lang": lang, **defaults(sub)} for name, sub in subcommands.items()}

    source = ctx.get_parameter_source("lang")
    if source is not None and source.name == "COMMANDLINE":
        ctx.default_map = {**(ctx.default_map or {}), **defaults(ctx.command)}
