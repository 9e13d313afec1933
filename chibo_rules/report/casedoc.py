"""The case-format document (docs/case-format.md), generated from the kind declarations.

Why generated: a secretary fills a case from this document, and the loader reads the case from the
declarations (rules/library/cell.yaml, rules/library/kinds/*.yaml, rules/<plan>/kinds/*.yaml). A
hand-written document drifted from them field by field; generated, it cannot: every kind, field,
Vietnamese header, type, default, code and spelling it lists is the one the loader accepts, and the
rules said to read a kind are those of the plan's own rule files. What the declarations do not hold —
how a case folder or workbook is laid out, how values are written, what a blank cell or the as-of date
means, the limits on what is read — describes the loader's code, so it is fixed text here (Vietnamese
first, then English); the limits are stated from their constants (facts/files.py).

It sits in the report layer, above the plans it documents: it takes the library and each plan's schema
and rules as data (`render`); `case_format` loads them from plan folders through the rule loader and
jobs/plans.py. (It lived in facts/ once and imported those upward; the layers contract in pyproject.toml
now forbids that.) `chibo docs case-format` prints the document; tests/test_docs.py keeps the committed copy equal
to it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..facts import files
from ..facts.declarations import FieldDecl, KindDecl, merge
from ..facts.schema import Schema
from ..facts.values import MAX_DIGITS
from ..jobs.plans import bundled_plans
from ..ruleset.rulespec import bundled_rules_root, library_of, load_rules

REGENERATE = "chibo docs case-format --output docs/case-format.md"


@dataclass(frozen=True)
class Library:
    """The shared library: its kinds (as declared, before any plan extends them) and the cell."""

    kinds: dict[str, KindDecl]
    cell: KindDecl
    name: str = "library"  # its folder's name under rules/


@dataclass(frozen=True)
class PlanDoc:
    """One plan as the document shows it. `rules`: objects with `id`, `job`, `title` (`.vi`, `.en`) and
    `kinds()` (the kinds a rule reads), as loaded from the plan's rule files."""

    id: str
    name_vi: str
    name_en: str
    years: tuple[int, ...]
    schema: Schema
    rules: Sequence[Any] = ()


# --------------------------------------------------------------------------- loading plans


def case_format(folders: Sequence[Path] | None = None) -> str:
    """The document for these plan folders (default: the plans bundled with chibo). Section 4 documents the
    library of the first plan (every bundled plan uses rules/library). InputError lists the problems of a
    plan that does not load."""
    if folders is None:
        folders = bundled_plans()
    plans: list[PlanDoc] = []
    library_dir: Path | None = None
    for folder in folders:
        ruleset = load_rules(Path(folder))
        library_dir = library_dir or library_of(Path(folder), ruleset.plan)
        plan = ruleset.plan
        plans.append(PlanDoc(plan.id, plan.name.vi, plan.name.en, tuple(plan.years), ruleset.schema,
                             list(ruleset.rules)))
    library_dir = library_dir or bundled_rules_root() / "library"
    kinds, cell, _ = merge(library_dir, None)
    return render(Library(kinds, cell, library_dir.name), plans)


# --------------------------------------------------------------------------- the document


def render(library: Library, plans: Sequence[PlanDoc]) -> str:
    """The whole document, Markdown."""
    last = 4 + len(plans)
    parts = [_intro(library, plans), FOLDER_LAYOUT.replace("@LAST@", str(last)),
             WORKBOOK.replace("@LAST@", str(last)), _limits(), _value_formats(), _cell_section(library),
             _library_section(library, plans)]
    for number, plan in enumerate(plans, start=5):
        parts.append(_plan_section(number, plan, library))
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


def _intro(library: Library, plans: Sequence[PlanDoc]) -> str:
    n = len(library.kinds)
    ids = ", ".join(f"`{p.id}`" for p in plans) or "—"
    plan_list_vi = "; ".join(f"mục {i} — `{p.id}`" for i, p in enumerate(plans, start=5))
    plan_list_en = "; ".join(f"section {i} — `{p.id}`" for i, p in enumerate(plans, start=5))
    return f"""\
# Định dạng hồ sơ dữ liệu chi bộ — Case folder format

<!-- Sinh tự động từ các khai báo trong rules/ — đừng sửa tay. Generated from the declarations in rules/
     by `{REGENERATE}` — do not edit by hand. -->

Một **hồ sơ** là một thư mục chứa số liệu thực tế của chi bộ trong thời gian của kế hoạch: tệp `cell.yaml` mô tả
chi bộ và ghi tên kế hoạch chi bộ thực hiện (`plan: vbn1-2020`), và mỗi loại dữ liệu (danh sách cán bộ, nghị quyết,
buổi sinh hoạt, xếp loại, số liệu học sinh…) nằm trong một tệp riêng, mỗi dòng là một bản ghi. Hồ sơ cũng có thể là
**một tệp Excel** `.xlsx`, mỗi loại dữ liệu một trang tính (mục 1.1). Chibo chỉ đọc các tệp này, không bao giờ sửa.
Các loại dữ liệu do kế hoạch khai báo: thư viện dùng chung (mục 4) có {n} loại mà mọi kế hoạch đều dùng; mỗi kế
hoạch khai báo thêm các loại riêng và mở rộng loại của thư viện (thêm cột, thêm giá trị mã hóa):
{plan_list_vi}.
Một hồ sơ dùng các loại của thư viện và của kế hoạch mà `cell.yaml` ghi tên. Với mỗi loại, tài liệu này liệt kê tên
tệp và trang tính, các cột (tên trường tiếng Anh và tiêu đề tiếng Việt), kiểu, cột bắt buộc, cách ghi giá trị (ngày,
số, có/không, giá trị mã hóa kèm các cách viết được chấp nhận) và quy tắc nào của kế hoạch nào đọc loại đó. Chạy
`chibo validate THƯ_MỤC` (hoặc `chibo validate TỆP.xlsx`) để kiểm tra hồ sơ: mọi lỗi được liệt kê một lần, kèm tệp,
dòng và cột (khi có) — với tệp Excel là trang tính, hàng và ô (vd. `C5`). Ví dụ đầy đủ: `cases/vbn1-2020-compliant/`.

A **case** is a folder holding a cell's recorded facts over its plan's years: `cell.yaml` describes the cell and names
the plan it carries out (`plan: vbn1-2020`), and each kind of fact (staff roster, resolutions, meetings, ratings,
student figures…) has its own file, one record per row. A case may also be **one Excel workbook** (`.xlsx`), one sheet
per kind (section 1.1). chibo only reads these files, never writes them. The kinds of facts are declared by the plan:
the shared library (section 4) holds {n} kinds every plan uses; each plan declares kinds of its own and extends the
library's (more columns, more coded values): {plan_list_en}.
A case uses the kinds of the library and of the plan its
`cell.yaml` names. For each kind this document lists its file and sheet, its columns (English field name and
Vietnamese header), types, required columns, how values are written (dates, numbers, yes/no, coded values with
their accepted spellings) and which rules of which plan read it. Run `chibo validate FOLDER` (or `chibo validate
FILE.xlsx`) to check a case: every problem is reported at once, with file, line and column (where known) — for a
workbook, sheet, row and cell (e.g. `C5`). A complete example: `cases/vbn1-2020-compliant/`.

Các loại dữ liệu, trường, kiểu, tiêu đề tiếng Việt, trang tính và giá trị mã hóa dưới đây lấy từ các khai báo
`rules/{library.name}/cell.yaml`, `rules/{library.name}/kinds/*.yaml` và `rules/<kế hoạch>/kinds/*.yaml` (xem
`docs/plan-format.md`; đường dẫn ghi ở từng mục tính từ `rules/`); quy tắc đọc là các tệp quy tắc của từng kế hoạch
(xem `docs/rule-language.md`). Kế hoạch có sẵn / bundled plans:
{ids}. — *The kinds, fields, types, Vietnamese headers, sheets and
coded values below come from the declarations `rules/{library.name}/cell.yaml`, `rules/{library.name}/kinds/*.yaml`
and `rules/<plan>/kinds/*.yaml` (see `docs/plan-format.md`; the paths in each section are relative to `rules/`); the
reading rules are each plan's rule files (see `docs/rule-language.md`).*
"""


FOLDER_LAYOUT = """\
## 1. Thư mục hồ sơ — Folder layout

Hồ sơ là một thư mục như dưới đây, hoặc một tệp Excel (mục 1.1). Các quy định từ mục "Tiêu đề cột" trở đi áp
dụng cho cả hai; với tệp Excel, "tệp" là trang tính và "dòng" là hàng. — *A case is a folder like the one
below, or one Excel workbook (section 1.1). The rules from "Headers" on apply to both; in a workbook, read
"sheet" for file and "row" for line.*

```
HỒ_SƠ/
├── cell.yaml            bắt buộc, ghi tên kế hoạch / required, names the plan (plan: vbn1-2020)
├── people.csv           một tệp cho mỗi loại dữ liệu / one file per kind: <kind>.csv or <kind>.yaml
├── meetings.yaml
├── …
└── README.md            bỏ qua / ignored
```

- **Kế hoạch**: `cell.yaml` ghi mã kế hoạch chi bộ thực hiện (`plan: vbn1-2020`, tên một thư mục trong `rules/`;
  mục 3). Các loại dữ liệu một hồ sơ được có là các loại của thư viện (mục 4) cùng các loại và phần mở rộng của
  kế hoạch đó (mục 5–@LAST@). Không ghi `plan`, hoặc ghi một kế hoạch không có, là lỗi ở `cell.yaml` (trừ khi
  chạy với `--rules THƯ_MỤC_KẾ_HOẠCH`, khi đó mọi hồ sơ được xét theo kế hoạch đó). — *Plan: `cell.yaml` names
  the plan the cell carries out (`plan: vbn1-2020`, a folder under `rules/`; section 3). The kinds a case may
  hold are the library's (section 4) with that plan's own kinds and extensions (sections 5–@LAST@). No `plan`,
  or an unknown one, is an error on `cell.yaml` (unless `--rules PLAN_FOLDER` is given: every case is then
  judged by that plan).*
- **Tên tệp** = tên loại dữ liệu (mục 4–@LAST@) + `.csv`, hoặc `.yaml`/`.yml` (một danh sách YAML, mỗi phần tử là
  một bảng `cột: giá trị`). Tên và đuôi tệp phải viết thường đúng như trên (`people.CSV`, `People.csv` là
  lỗi). Mỗi loại chỉ được có một tệp (`ratings.csv` cùng `ratings.yaml` là lỗi). —
  *File name = the kind name (sections 4–@LAST@) + `.csv`, or `.yaml`/`.yml` (a YAML list of `column: value`
  mappings). Name and extension are lower case exactly as shown; one file per kind.*
- **Thiếu tệp** của một loại = "không cung cấp": các quy tắc đọc loại đó báo *Thiếu dữ liệu* (no data).
  **Tệp chỉ có dòng tiêu đề** (hoặc tệp YAML rỗng / `[]`) = "không có trường hợp nào": ví dụ
  `violations.csv` chỉ có tiêu đề nghĩa là không có vi phạm. Tệp CSV hoàn toàn rỗng (không có tiêu đề) là
  lỗi. — *A missing file means "not provided": rules reading it report no data. A file with only a header
  (or an empty YAML file / `[]`) means "none happened". A completely empty CSV file (no header) is an error.*
- **Tệp lạ** (tên không phải loại dữ liệu nào của kế hoạch, hay thư mục con) là lỗi. Bỏ qua: tệp có đuôi `.md`,
  `.txt`, `.pdf`, `.docx`, `.xlsx` (viết hoa hay thường), tệp ẩn (tên bắt đầu bằng `.`), tệp khóa và tệp tạm
  (`~$people.csv` khi Excel đang mở tệp, `*.tmp`) và tệp hệ thống (`Thumbs.db`, `desktop.ini`). Như vậy tệp `.xlsx` nằm
  *trong* thư mục hồ sơ không được đọc: chỉ tệp Excel được chỉ định làm hồ sơ mới được đọc (mục 1.1). Tệp là
  **liên kết** (symlink) trỏ tới một tệp không nằm ngay trong thư mục hồ sơ (ở nơi khác, hay trong một thư mục
  con) bị từ chối ("tệp nằm ngoài thư mục hồ sơ", mã lỗi `not_in_case`) và không được đọc, nên loại dữ liệu đó
  coi như thiếu tệp; nếu đó là `cell.yaml` thì chỉ lỗi này được báo. — *Unknown files (not a kind of the plan)
  and sub-folders are errors; `.md`, `.txt`, `.pdf`, `.docx`, `.xlsx` files (extension in any case), hidden
  files (starting with `.`), lock and temporary files (`~$people.csv` while Excel has the file open, `*.tmp`)
  and system files (`Thumbs.db`, `desktop.ini`) are ignored. So an `.xlsx` file *inside* a case folder is not
  read: only a workbook given as the case itself is (section 1.1). A file that is a **link** (symlink) to a
  file not directly in the case folder (elsewhere, or in a sub-folder) is refused ("file lies outside the case
  folder", problem `not_in_case`) and not read, so its kind counts as missing; if it is `cell.yaml`, that is
  the only problem reported.*
- **CSV**: mã hóa UTF-8 (có hoặc không có BOM — trong Excel chọn "CSV UTF-8"); dấu phân cách là dấu phẩy
  `,`; ô có dấu phẩy phải đặt trong ngoặc kép `"…"` (ô trong ngoặc kép có thể xuống dòng). Dòng trống bị bỏ
  qua; dòng có số ô khác tiêu đề là lỗi. — *UTF-8 (BOM allowed; "CSV UTF-8" in Excel); comma-separated; quote
  cells containing commas (a quoted cell may span lines). Blank lines are skipped; a row with a different
  number of cells than the header is an error.*
- **YAML** (tệp dữ liệu và `cell.yaml`): mã hóa UTF-8 (có hoặc không có BOM), một tài liệu YAML duy nhất,
  chỉ được đọc như dữ liệu thuần: **bí danh** (`*tên`, kể cả `<<: *tên`) bị từ chối; lồng nhau **quá 50
  cấp** bị từ chối; **thẻ tạo đối tượng** (như `!!python/object:…`) bị từ chối (chỉ nhận các kiểu YAML chuẩn).
  Mỗi trường hợp là một lỗi YAML ("lỗi cú pháp YAML") ở dòng của nó. — *YAML (fact files and `cell.yaml`):
  UTF-8 (BOM allowed), a single YAML document, read as plain data only: **aliases** (`*name`, `<<: *name`
  included) are refused; nesting **deeper than 50 levels** is refused; **tags that build objects** (such as
  `!!python/object:…`) are refused (safe loading: standard YAML types only). Each is reported as a YAML error
  ("YAML syntax error") on its line.*
- **Tiêu đề cột** là tên trường tiếng Anh **hoặc** tiêu đề tiếng Việt của trường đó, cả hai ghi trong bảng
  của từng loại (mục 4–@LAST@; vd. `school_year` hay `Năm học`). So khớp không phân biệt hoa thường, chữ dựng sẵn
  hay tổ hợp (NFC/NFD), có dấu hay không (`đ` = `d`); dấu `_`, `-` và dấu cách được coi như nhau, khoảng
  trắng thừa bỏ qua (`School Year` = `school_year`; `nam hoc` = `NĂM HỌC` = `Năm học`). Hai tiêu đề cùng chỉ
  một trường (`ref` và `Mã`) là cột lặp. Cột lạ, cột lặp, thiếu cột bắt buộc đều là lỗi, và khi đó các dòng
  của tệp không được đọc; cột không bắt buộc có thể bỏ hẳn. Thứ tự cột tùy ý. Trong tệp YAML, khóa được so
  khớp theo cùng cách (khóa lạ là lỗi ở phần tử đó); riêng khóa của `cell.yaml` phải viết đúng chính xác
  (mục 3). — *Headers are the English field name **or** the field's Vietnamese header, both given in each
  kind's table (sections 4–@LAST@; e.g. `school_year` or `Năm học`). They are matched ignoring case, NFC/NFD
  and diacritics (`đ` = `d`), with `_`, `-` and spaces alike and surrounding spaces ignored (`School Year` =
  `school_year`; `nam hoc` = `NĂM HỌC` = `Năm học`). Two headers naming the same field (`ref` and `Mã`) are a
  duplicate column. Unknown, duplicate or missing required columns are errors, and the file's rows are then
  not read; optional columns may be left out; column order is free. YAML keys are matched the same way (an
  unknown key is an error on its item); only the keys of `cell.yaml` must be exact (section 3).*
- **Ô trống** = "không ghi nhận", khác với `0` hay "không": ô trống ở cột bắt buộc là lỗi; ở cột không bắt
  buộc thì lấy giá trị mặc định ghi trong bảng (nếu có), nếu không thì coi như chưa ghi. Quy tắc cần giá trị
  đó sẽ không tính bản ghi. Riêng cột ngày ghi "trống = từ trước đến nay" hay "trống = đến nay" thì ô trống có
  nghĩa như vậy (vd. ngày vào, ngày rời đơn vị). — *A blank cell means "not recorded", not `0` or "no": blank in
  a required column is an error; in an optional one the default shown in the table applies, if any, else the
  value is simply not recorded and rules needing it do not count the record. A date column marked "blank =
  since always" or "blank = until now" means just that when blank (say, the day a person joined or left).*
- **Mã và tham chiếu**: cột mã của một loại (ghi ở từng mục, "Mã / key", thường là `ref`) là mã duy nhất của bản
  ghi trong tệp (trùng mã là lỗi). Cột tham chiếu (kiểu "mã tham chiếu", ghi trong bảng là "một mã trong cột … của
  …") phải ghi đúng một mã có trong tệp đích — so khớp chính xác, **phân biệt hoa thường** (`p01` ≠ `P01`); mã
  không tồn tại, hoặc thiếu hẳn tệp đích (thường là `people.csv`, trong tệp Excel là trang `Nhân sự`), là lỗi.
  Để không báo lặp: tham chiếu tới một tệp không đọc được chút nào (lỗi mã hóa, lỗi cú pháp, tiêu đề sai…) không
  bị báo thêm — chỉ lỗi của tệp đó được báo; tham chiếu tới một dòng đọc được nhưng có giá trị sai (ví dụ `group`
  sai) cũng không bị báo là mã không tồn tại. Tham chiếu chỉ được kiểm tra khi `cell.yaml` (trang `Chi bộ`) đọc
  được. — *A kind's key column ("Mã / key" in its section, usually `ref`) is the record's unique code in its file
  (duplicates are errors). Reference columns (type "reference", "a … of …" in the table) must hold an existing
  code of the target file, matched exactly and case-sensitively; an unknown code, or a missing target file
  (usually `people.csv`; in a workbook the `Nhân sự` sheet), is an error. To avoid echoes, references into a
  file that could not be read at all (bad encoding or syntax, wrong header…) are not reported again — only that
  file's own problem is; nor is a reference to a row that was read but has a bad value (say a wrong `group`)
  reported as unknown. References are checked only once `cell.yaml` (the `Chi bộ` sheet) reads cleanly.*
- **Bản ghi trùng**: một số loại không cho phép hai dòng trùng một tổ hợp cột (ghi ở từng mục, "Không trùng")
  vì dòng thứ hai sẽ bị đếm hai lần; giá trị được so sau khi đọc (`2020-01-06` = `6/1/2020`, `tốt` = `good`)
  và dòng thứ hai bị báo lỗi. — *Some kinds forbid two rows with the same combination of columns ("Unique"
  in each section), since a second row would be counted twice; values are compared as read (`2020-01-06` =
  `6/1/2020`, `tốt` = `good`) and the second row is reported.*
- **Ngày tính đến** (`chibo check --as-of NGÀY`, mặc định: hôm nay, hoặc ngày cuối của kế hoạch nếu kế hoạch đã
  kết thúc): các bản ghi có *ngày mốc* (ghi ở từng mục, "Ngày mốc") sau ngày đó bị quy tắc bỏ qua như chưa xảy
  ra. Loại không có ngày mốc, và dòng để trống ngày mốc (khi cột đó không bắt buộc), luôn được tính. Ngày của một
  việc xảy ra sau trên cùng bản ghi (ghi ở từng mục, "Việc xảy ra sau", vd. `visited_on` của `dropouts`,
  `done_on` của `decisions`) nếu sau ngày tính đến thì bị coi như chưa ghi: bản ghi vẫn được tính, nhưng việc đó
  chưa xảy ra. — *As-of date (`chibo check --as-of DATE`; default today, or the plan's last day once the plan
  is over): records whose dating field ("Dated by" in each section) is after it are not seen by any rule.
  Kinds without a dating field, and rows whose (optional) dating field is blank, are always seen. The date of a
  later event on a record ("Later events" in each section, e.g. `visited_on` of `dropouts`, `done_on` of
  `decisions`) is treated as not recorded when it is after the as-of date: the record is seen, but the event
  has not happened yet.*
- **Ngày ngoài các năm của kế hoạch**: ngày mốc của bản ghi phải thuộc các năm của kế hoạch (`years` trong
  `plan.yaml` của kế hoạch, ghi ở đầu mục của kế hoạch); nếu không, dòng đó là lỗi ("ngày nằm ngoài năm kế
  hoạch", mã lỗi `outside_year`) — thường do gõ nhầm năm. Ngoại lệ: loại ghi "có thể ngoài các năm của kế hoạch"
  ở "Ngày mốc" (vd. `resolutions`: nghị quyết năm trước vẫn có thể được quán triệt trong năm kế hoạch). Chỉ ngày
  mốc được xét (không xét việc xảy ra sau, hạn, các ngày khác hay các cột năm); ngày mốc để trống không bị xét.
  Khi có từ 10 bản ghi trở lên lệch năm và chúng chiếm quá nửa số bản ghi có ngày mốc, nhiều khả năng chính kế
  hoạch (`plan`, hay `plan_year`) của `cell.yaml` bị ghi sai: khi đó chỉ một lỗi được báo, ở trường đó của
  `cell.yaml`, kèm các năm tìm thấy. Kiểm tra này (cả trong `chibo validate`) chỉ chạy khi `cell.yaml` đọc được.
  — *Dates outside the plan's years: a record's dating field must fall in the plan's years (`years` of the
  plan's `plan.yaml`, given at the top of the plan's section), else the row is an error ("date outside the plan
  year", problem `outside_year`) — usually a mistyped year. Exception: kinds whose "Dated by" says "may fall
  outside the plan's years" (e.g. `resolutions`: a resolution of the previous year may still be briefed in the
  plan year). Only the dating field is checked (not later events, deadlines, other dates or year columns); a
  blank dating field is not. When 10 or more records are outside the years and they are more than half of the
  dated records, the plan (`plan`, or `plan_year`) of `cell.yaml` is the likelier mistake: one problem is
  reported instead, on that field of `cell.yaml`, with the years found. This check (by `chibo validate` too)
  runs only once `cell.yaml` reads cleanly.*
- **Số dòng trong thông báo lỗi**: lỗi tiêu đề ở dòng 1; lỗi của một bản ghi CSV (kể cả lỗi định dạng CSV) ở
  dòng bản ghi đó *bắt đầu* (khi một ô trong ngoặc kép xuống dòng). Lỗi mã hóa của tệp CSV ở dòng có byte
  không đọc được đầu tiên, kèm vị trí byte đó trong dòng, tính từ 1 (`byte 6`); ký tự NUL (thường gặp khi
  tệp được lưu dạng UTF-16 hoặc không phải văn bản) ở dòng của nó, kèm vị trí (`NUL 3`); từ dòng đó phần còn
  lại của tệp không được đọc, các dòng trước vẫn được kiểm tra. Trong tệp YAML: lỗi của bản ghi ở dòng bắt
  đầu phần tử danh sách; lỗi YAML ở dòng của lỗi; lỗi mã hóa ở dòng có byte không đọc được đầu tiên. Trong
  `cell.yaml`: dòng của khóa bị lỗi (không có số dòng khi thiếu hẳn khóa); lỗi YAML và lỗi mã hóa như các tệp
  YAML khác. Lỗi của cả tệp (thiếu tệp, tệp lạ, hai tệp cho một loại, liên kết ra ngoài thư mục, một lỗi duy
  nhất ở kế hoạch của `cell.yaml`) không có số dòng. Với tệp Excel xem mục 1.1. — *Line numbers: header problems
  are on line 1; a CSV record's problems (malformed CSV included) are on the line the record starts on (when a
  quoted cell spans lines). A CSV encoding problem is on the line of the first undecodable byte, with that
  byte's position within the line, counted from 1 (`byte 6`); a NUL character (typical of a file saved as
  UTF-16, or not text at all) is on its own line, with its position (`NUL 3`); the rest of the file from
  that line on is not read, while the lines before it are still checked. In YAML files: a record's problems
  are on the line where its list item starts; a YAML error on its line; an encoding problem on the line of
  the first undecodable byte. In `cell.yaml`: the line of the offending key (none when the key is missing
  altogether); YAML and encoding errors as in other YAML files. Whole-file problems (missing file, unknown
  file, two files for one kind, a link out of the folder, the single problem on the plan of `cell.yaml`) have
  no line. For workbooks see section 1.1.*
"""


WORKBOOK = """\
### 1.1 Hồ sơ là một tệp Excel — A case as one workbook

Thay cho thư mục, có thể đưa cho chibo một tệp `.xlsx` (`chibo check HỒ_SƠ.xlsx`, `chibo validate
HỒ_SƠ.xlsx`): mỗi loại dữ liệu một trang tính, mỗi hàng một bản ghi. Cách dễ nhất để có tệp đúng mẫu là
`chibo template` (cuối mục này). — *Instead of a folder, chibo can be given one `.xlsx` file (`chibo check
CASE.xlsx`, `chibo validate CASE.xlsx`): one sheet per kind of fact, one row per record. The easiest way to
get one in the right layout is `chibo template` (end of this section).*

- **Tên trang tính** = tên tiếng Việt ghi ở "Trang tính / sheet" của từng loại (mục 4–@LAST@; vd. `Nhân sự`), hoặc
  tên loại dữ liệu (`people`); so khớp như tiêu đề cột (không phân biệt hoa thường, NFC/NFD, có dấu hay không,
  `_`, `-`, dấu cách như nhau). Trang `Chi bộ` (hoặc `cell`) thay cho `cell.yaml` và là bắt buộc. Bỏ qua:
  trang có tên đúng là `Hướng dẫn`, và trang có tên bắt đầu bằng `_` (vd. `_ghi chú`) — trừ khi phần còn lại
  của tên là tên một loại dữ liệu, vì `_` được coi như dấu cách (`_people` vẫn là trang `people`). Trang lạ
  là lỗi; hai trang cho cùng một loại (`Nhân sự` và `people`) là lỗi. — *Sheet names: the Vietnamese name
  given as "Trang tính / sheet" in each kind's section (sections 4–@LAST@; e.g. `Nhân sự`), or the kind name
  (`people`), matched like headers (any case, NFC/NFD, with or without diacritics, `_`, `-` and spaces alike).
  The `Chi bộ` sheet (or `cell`) stands for `cell.yaml` and is required. Ignored: the sheet named exactly
  `Hướng dẫn`, and sheets whose name starts with `_` (e.g. `_ghi chú`) — unless the rest of the name is a
  kind's name, since `_` reads as a space (`_people` is still the `people` sheet). An unknown sheet is an
  error; two sheets for one kind (`Nhân sự` and `people`) are an error.*
- **Thiếu trang** của một loại = "không cung cấp" (quy tắc báo *Thiếu dữ liệu*); **trang chỉ có hàng tiêu
  đề** = "không có trường hợp nào"; trang hoàn toàn trống là lỗi — như thiếu tệp, tệp chỉ có tiêu đề và tệp
  rỗng ở trên. — *A sheet left out means "not provided" (no data); a sheet with only the header row means
  "none happened"; a completely empty sheet is an error — as for missing, header-only and empty files above.*
- **Trang `Chi bộ`**: mỗi hàng một trường của `cell.yaml` — cột A là tiêu đề của trường (tiêu đề tiếng Việt
  ở bảng mục 3, hoặc tên khóa như `plan`, so khớp như tiêu đề cột), cột B là giá trị; hàng `Mã kế hoạch` ghi
  kế hoạch của hồ sơ. Hàng 1 có thể là một dòng tiêu đề tùy ý (bỏ qua nếu không phải tên trường); ở các hàng
  khác, tên lạ là lỗi; hàng có cột A trống bị bỏ qua. — *The `Chi bộ` sheet: one row per field of `cell.yaml`
  — column A the field's header (the Vietnamese header of section 3's table, or the key such as `plan`, matched
  like headers), column B its value; the `Mã kế hoạch` row names the case's plan. Row 1 may be a free title
  (ignored unless it names a field); in other rows an unknown name is an error; rows with column A empty are
  skipped.*
- **Trang dữ liệu**: hàng 1 là tiêu đề cột (như tệp CSV); cột không có tiêu đề bị bỏ qua, nhưng một ô có giá
  trị ở cột đó là lỗi ("số ô không khớp với tiêu đề"); hàng trống hoàn toàn bị bỏ qua. — *Data sheets: row 1
  holds the headers (as in a CSV file); a column with no header is ignored, but a value in such a column is
  an error ("cell count does not match the header"); entirely blank rows are skipped.*
- **Giá trị ô**: ô kiểu ngày của Excel là ngày (bỏ phần giờ); trong cột ngày, một số nguyên ở ô không định
  dạng ngày là số ngày kiểu Excel (`43833` = 03/01/2020), số có phần lẻ là lỗi; ô định dạng phần trăm được
  đọc là phần trăm (ô hiện `85,5%` — Excel lưu 0,855 — là 85,5%); ô số khác là số (nên không có chuyện
  `1.000` không rõ nghĩa); ô TRUE/FALSE là có/không; ô văn bản được đọc như ô CSV (mục 2): `05/09/2020`,
  `37,5`, `có`, `hoàn thành tốt`. Ô có công thức được đọc theo giá trị đã tính lưu trong tệp. Lưu ý: Excel có
  thể tự đổi ngày gõ vào theo thiết lập vùng của máy (máy đặt kiểu Mỹ hiểu `05/09/2020` là ngày 9 tháng 5),
  nên hãy xem lại ô ngày hiện đúng. — *Cell values: an Excel date cell is a date (any time of day is
  dropped); in a date column, a whole number in a cell not formatted as a date is an Excel serial date
  (`43833` = 3 Jan 2020), a number with a fraction is an error; a cell formatted as a percentage is read as
  a percentage (a cell showing `85,5%` — Excel stores 0.855 — is 85.5 %); any other number cell is that
  number (so `1.000` cannot be ambiguous); TRUE/FALSE cells are yes/no; a text cell is read like CSV text
  (section 2): `05/09/2020`, `37,5`, `có`, `hoàn thành tốt`. A formula cell is read as the computed value
  saved in the file. Beware: Excel may turn a typed date into a date by the computer's regional settings (a
  US setting reads `05/09/2020` as 9 May), so check that date cells show the right day.*
- **Vị trí lỗi**: mỗi lỗi nêu tệp, trang tính, hàng (số hàng của Excel; hàng tiêu đề là 1) và, khi lỗi thuộc
  về một cột, ô theo kiểu A1 — vd. trang `Nhân sự`, hàng 5, ô `C5`. Lỗi số liệu không khớp nhau chỉ vào ô của
  cột ghi ở "Kiểm tra chéo" của loại đó. Lỗi của cả trang (trang lạ, hai trang một loại, thiếu trang `Chi
  bộ`, thiếu một trang mà các trang khác tham chiếu tới — lỗi này đứng đầu, đếm các tham chiếu thay vì liệt kê)
  không có hàng; lỗi ở trang `Chi bộ` nêu tiêu đề của trường (cột A) và ô giá trị (cột B, vd. `B1`). Tệp không
  mở được như tệp `.xlsx` là một lỗi duy nhất, hỏi tệp có đang mở trong Excel không. — *Where problems are
  reported: each names the file, the sheet, the row (Excel's row number; the header row is 1) and, when it
  belongs to a column, the cell in A1 style — e.g. sheet `Nhân sự`, row 5, cell `C5`. A "counts do not add
  up" problem points at the cell of the column given in that kind's "Cross-field checks". Whole-sheet
  problems (unknown sheet, two sheets for one kind, no `Chi bộ` sheet, a missing sheet other sheets refer to
  — said first, counting the references instead of listing them) have no row; problems on the `Chi bộ` sheet
  name the field by its header (column A) and the value's cell (column B, e.g. `B1`). A file that cannot be
  opened as `.xlsx` is one problem, asking whether it is open in Excel.*
- **Mẫu**: `chibo template MẪU.xlsx --plan vbn1-2020` ghi một tệp Excel trống để điền, với các loại dữ liệu mà kế
  hoạch đó đọc (tên phải có đuôi `.xlsx`; tệp đã có không bị ghi đè, trừ khi thêm `--force`): trang `Hướng dẫn` (in
  vừa khổ A4 đứng, chữ xuống dòng trong ô), trang `Chi bộ` với tiêu đề các trường (hàng `Mã kế hoạch` đã ghi sẵn),
  trang `Nhân sự`, rồi mỗi loại dữ liệu một trang với tiêu đề tiếng Việt, xếp theo thứ tự nên điền — theo các mục của
  kế hoạch, loại được nhắc tới (vd. nghị quyết) đứng trước loại nhắc tới nó (quán triệt) —, cuối cùng là `Phân công
  phụ trách` và `Miễn trừ`; loại mà không quy tắc nào của kế hoạch đọc thì không có trang. Khi đọc, thứ tự các trang
  không quan trọng; cột mã hóa và cột có/không có danh sách chọn (chữ tiếng Việt của từng mã — cách viết đầu tiên ở
  cột "giá trị" —, `có`/`không`). Mọi trang dữ liệu của mẫu trống chỉ có hàng tiêu đề, tức là "không có trường hợp
  nào": **xóa hẳn trang của loại chưa có số liệu**, nếu không các quy tắc đọc loại đó sẽ không báo *Thiếu dữ liệu*.
  `chibo template MẪU.xlsx --from HỒ_SƠ` ghi một hồ sơ có sẵn (thư mục hoặc tệp Excel) vào tệp đó, với các loại của kế
  hoạch của hồ sơ: các trường của chi bộ và mọi bản ghi (mã bằng chữ tiếng Việt, `có`/`không`, danh sách `P08; P12`, ô
  ngày định dạng dd/mm/yyyy), chỉ với những loại hồ sơ có cung cấp; đọc lại tệp đó cho đúng các dữ liệu như hồ sơ gốc.
  — *Template: `chibo template OUT.xlsx --plan vbn1-2020` writes an empty workbook to fill in, with the kinds of facts
  that plan reads (the name must end in `.xlsx`; an existing file is not overwritten without `--force`): the `Hướng
  dẫn` sheet (printed on an upright A4 page, text wrapped in its cells), the `Chi bộ` sheet with the fields' headers
  (its `Mã kế hoạch` row filled in), `Nhân sự`, then one sheet per kind with Vietnamese headers in the order to fill
  them in — by the plan's sections, a kind referred to (resolutions) before the kind referring to it (briefings) —,
  and last `Phân công phụ trách` and `Miễn trừ`; a kind no rule of the plan reads has no sheet. Reading takes the
  sheets in any order; coded and yes/no columns have drop-down lists (each code's Vietnamese wording — the first one
  in the "accepted" column —, `có`/`không`). Every data sheet of the empty template has only its header row, i.e.
  "none happened": **delete the sheet of any kind you have no data for**, or rules reading it will not report no data.
  `chibo template OUT.xlsx --from CASE` writes an existing case (folder or workbook) into it, with the kinds of the
  case's plan: the cell's fields and every record (codes in Vietnamese, `có`/`không`, lists as `P08; P12`, date cells
  formatted dd/mm/yyyy), for the kinds the case provides only; reading it back gives the same facts.*
"""

def _n(number: int) -> str:
    """A number as the document writes it: 300 000."""
    return f"{number:,}".replace(",", " ")


def _limits() -> str:
    """Section 1.2: the limits of files.py (and values.py), stated with their values."""

    mib = files.mib
    return f"""\
### 1.2 Giới hạn / Limits

chibo chỉ đọc hồ sơ, và chỉ đọc trong các giới hạn dưới đây, nên một tệp hỏng hay cố ý gây hại không làm chibo
treo hay cạn bộ nhớ; vượt giới hạn là một lỗi nêu đúng giới hạn đó. — *chibo only reads a case, and only within
the limits below, so a damaged or hostile file can neither hang chibo nor exhaust its memory; going over a limit
is a problem that names the limit.*

- **Chỉ tệp thông thường**: FIFO (named pipe), socket, thiết bị hay liên kết vòng (symlink trỏ vòng lại chính nó)
  trong thư mục hồ sơ không bao giờ được mở: mỗi cái là một lỗi của tệp đó (`not_regular`, `link_loop`), các tệp
  khác vẫn được đọc. — *Only regular files: a FIFO (named pipe), socket, device or symbolic link loop in a case
  folder is never opened: each is a problem of that file (`not_regular`, `link_loop`); the other files are
  still read.*
- **Không phải hồ sơ**: đưa cho chibo một tệp không phải hồ sơ thì chibo nói đó là gì và cần đưa gì: tệp Excel cũ
  `.xls` hay tệp có mật khẩu (lưu lại dạng `.xlsx` không mật khẩu), `.xlsm`, `.ods`… (lưu dạng Excel Workbook
  `.xlsx`), tệp nén `.zip` (giải nén, rồi chỉ thư mục), một tệp `.csv` hay `.yaml` lẻ (chỉ thư mục hồ sơ chứa nó).
  Một thư mục có tên dạng `….xlsx` được đọc như mọi thư mục hồ sơ. — *Not a case: given a file that is not a
  case, chibo says what it is and what to give instead: an old `.xls` workbook or a password-protected one (save
  it as `.xlsx`, without a password), `.xlsm`, `.ods`… (save as Excel Workbook `.xlsx`), a `.zip` archive
  (extract it and give the folder), a lone `.csv` or `.yaml` file (give the case folder holding it). A folder
  named `….xlsx` is read as any case folder.*
- **Số dòng, số cột**: tối đa {_n(files.MAX_ROWS)} dòng dữ liệu mỗi tệp hay trang tính và {_n(files.MAX_CASE_ROWS)}
  bản ghi mỗi hồ sơ (vượt thì các tệp còn lại không được đọc); tối đa {_n(files.MAX_COLUMNS)} cột mỗi tiêu đề; tối
  đa {_n(files.MAX_FILES)} tệp trong một thư mục hồ sơ. Số dòng được đếm trước khi đọc: tệp một triệu dòng bị từ
  chối trong chưa đầy một giây. — *Rows and columns: at most {_n(files.MAX_ROWS)} data rows per file or sheet and
  {_n(files.MAX_CASE_ROWS)} records per case (beyond that the remaining files are not read); at most
  {_n(files.MAX_COLUMNS)} columns in a header; at most {_n(files.MAX_FILES)} files in a case folder. Rows are
  counted before they are read: a million-row file is refused in under a second.*
- **Kích thước tệp**: tệp CSV tối đa {mib(files.MAX_CSV_BYTES)}, mỗi dòng {mib(files.MAX_LINE_BYTES)}; tệp YAML
  (kể cả `cell.yaml`) tối đa {mib(files.MAX_YAML_BYTES)} — tệp YAML được đọc cả một lần, số liệu lớn hãy ghi bằng
  CSV; tệp Excel tối đa {mib(files.MAX_WORKBOOK_BYTES)}. — *File sizes: a CSV file at most
  {mib(files.MAX_CSV_BYTES)}, each line {mib(files.MAX_LINE_BYTES)}; a YAML file (`cell.yaml` too) at most
  {mib(files.MAX_YAML_BYTES)} — a YAML file is read whole, so large data belongs in CSV; a workbook at most
  {mib(files.MAX_WORKBOOK_BYTES)}.*
- **Tệp Excel** là một tệp nén (zip), được đo trước khi mở: tối đa {_n(files.MAX_ZIP_PARTS)} thành phần; khi giải
  nén, mỗi trang tính tối đa {mib(files.MAX_SHEET_PART)}, mỗi thành phần XML khác (bảng chuỗi dùng chung, định
  dạng…) {mib(files.MAX_XML_PART)}, tất cả {mib(files.MAX_UNZIPPED)}; một thành phần trên 1 MiB nén hơn
  {_n(files.MAX_RATIO)} lần bị từ chối (Excel nén khoảng 10 lần, một "zip bomb" hàng nghìn lần). Kích thước
  trang tính ghi trong tệp (dimension) không được tin: chỉ các ô có trong tệp được đọc. — *A workbook is a zip
  archive, measured before it is opened: at most {_n(files.MAX_ZIP_PARTS)} parts; unzipped, each sheet at most
  {mib(files.MAX_SHEET_PART)}, each other XML part (shared strings, styles…) {mib(files.MAX_XML_PART)}, all of
  them {mib(files.MAX_UNZIPPED)}; a part over 1 MiB compressed more than {_n(files.MAX_RATIO)} to 1 is refused
  (Excel compresses about 10 to 1, a zip bomb thousands). A sheet's declared size (dimension) is not trusted:
  only the cells the file holds are read.*
- **Số**: số nguyên, và phần nguyên của số thập phân, tối đa {_n(MAX_DIGITS)} chữ số (`too_many_digits`): số dài
  hơn không phải số đếm được (Excel cũng chỉ giữ {_n(MAX_DIGITS)} chữ số). — *Numbers: a whole number, or the
  whole part of a decimal, has at most {_n(MAX_DIGITS)} digits (`too_many_digits`): a longer one counts nothing
  (Excel keeps {_n(MAX_DIGITS)} digits too).*
- **Số lỗi báo ra**: mỗi tệp (hay trang tính) tối đa {_n(files.MAX_PROBLEMS_PER_FILE)} lỗi đầu tiên, rồi một dòng
  "… và N lỗi khác"; cả hồ sơ tối đa {_n(files.MAX_PROBLEMS)} lỗi. Sửa các lỗi đã báo rồi kiểm tra lại. Giá trị
  dài bị cắt ở 200 ký tự; ký tự không nhìn thấy (khoảng trắng độ rộng 0 U+200B, BOM U+FEFF, ký tự điều khiển)
  được ghi rõ, vd. `P03⟨U+200B⟩` — trong tiêu đề cột và tên trang tính, các ký tự độ rộng 0 được bỏ qua khi so
  khớp. — *Problems reported: at most the first {_n(files.MAX_PROBLEMS_PER_FILE)} of each file (or sheet), then
  one line "… and N more"; at most {_n(files.MAX_PROBLEMS)} for a case. Fix those and check again. A long value
  is cut at 200 characters; a character one cannot see (zero-width space U+200B, BOM U+FEFF, a control
  character) is named, e.g. `P03⟨U+200B⟩` — in headers and sheet names, zero-width characters are ignored when
  matching.*
- **YAML được đọc như ô CSV**: một ngày không có thật (`2020-04-31`, `2020-13-01`) hay không viết dạng
  yyyy-mm-dd (`2020-9-5`) vẫn là văn bản, và bị từ chối như ở CSV; `25:30` là văn bản (YAML 1.1 đọc là số 1530).
  Một khóa ghi hai lần trong cùng một bảng là lỗi ở dòng lần thứ hai (`duplicate_yaml_key`; YAML vốn lặng lẽ giữ
  lần cuối), kể cả trong tệp quy tắc, khai báo loại dữ liệu và `plan.yaml`; ghi cả tên trường lẫn tiêu đề tiếng
  Việt của nó trong một bản ghi (hay hai hàng cho một trường ở trang `Chi bộ`) cũng là lỗi (`duplicate_field`).
  — *YAML is read like a CSV cell: a date that does not exist (`2020-04-31`, `2020-13-01`) or is not written
  yyyy-mm-dd (`2020-9-5`) stays text and is refused as in CSV; `25:30` is text (YAML 1.1 reads 1530). A key
  given twice in one mapping is a problem on the second one's line (`duplicate_yaml_key`; YAML itself silently
  keeps the last), in rule, kind declaration and `plan.yaml` files too; a record giving both a field's name and
  its Vietnamese header (or two rows for one field on the `Chi bộ` sheet) is one as well (`duplicate_field`).*
- **CSV**: tệp lưu từ máy Mac cũ (dòng chỉ kết thúc bằng CR) vẫn được đọc. Một dấu ngoặc kép `"` mở mà không
  đóng được báo ở dòng mở nó (`quote_not_closed`: phần còn lại của tệp bị đọc thành một ô), hay, nếu nó chỉ đóng
  nhiều dòng sau làm hỏng bản ghi, ở dòng mở kèm dòng đóng (`quote_spans`). — *CSV: a file saved by an old Mac
  (lines ending in CR only) is read. A quote `"` left open is reported on the line that opened it
  (`quote_not_closed`: the rest of the file was read as one cell), or, when it closes lines later and breaks
  the record, on that line with the closing one (`quote_spans`).*
- **Tệp Excel chibo ghi** (`chibo template --from`): văn bản bắt đầu bằng `=`, `+`, `-` hay `@` được ghi là văn
  bản, không bao giờ là công thức (kèm dấu nháy ẩn để vẫn là văn bản khi sửa ô); ký tự điều khiển Excel không
  chứa được: `\\x0b` (ngắt dòng của Word) và `\\x0c` (ngắt trang) thành xuống dòng, các ký tự khác từ `\\x00`
  đến `\\x1f` (trừ tab và xuống dòng) bị bỏ. Đọc lại tệp đó cho đúng các văn bản như vậy. — *Workbooks chibo
  writes (`chibo template --from`): text starting with `=`, `+`, `-` or `@` is written as text, never a formula
  (quote-prefixed, so it stays text when the cell is edited); control characters a workbook cannot hold:
  `\\x0b` (Word's line break) and `\\x0c` (page break) become line breaks, the others from `\\x00` to `\\x1f`
  (tab and line breaks aside) are removed. Reading it back gives that text.*
- **Bộ nhớ**: một hồ sơ 200 000 dòng chấm công (3 850 người × 52 tuần) được kiểm tra trọn kế hoạch trong 1 GiB bộ
  nhớ với cả hai bộ đánh giá (đo: durable-rules ~0,6 GB, ~13 giây; bộ đối chiếu ~0,4 GB, ~7 giây). Với hồ sơ
  lớn, durable-rules xét các quy tắc chỉ ghép dữ liệu của cùng một người theo từng nhóm người (mỗi lần tối đa
  20 000 bản ghi có chủ); quy tắc ghép dữ liệu của hai người khác nhau (vd. người được giới thiệu và người giới
  thiệu) vẫn được xét một lần với toàn bộ dữ liệu nó đọc. — *Memory: a case of 200 000 timesheet rows (3 850
  people × 52 weeks) is checked against the whole plan within 1 GiB with either evaluator (measured:
  durable-rules ~0.6 GB, ~13 s; the oracle ~0.4 GB, ~7 s). For a large case, durable-rules judges the rules that
  only join one person's records some people at a time (at most 20 000 owned records a session); a rule joining
  two people's records (a candidate and the mentor) is still judged once with every record it reads.*
"""


# the type of a field as the tables name it, and how a value of that type is written (section 2)
TYPES: dict[str, tuple[str, str, str]] = {
    "text": ("văn bản / text", "chữ tự do; ô trống = không ghi / free text; blank = not recorded",
             "`Chủ nhiệm lớp 7A3`"),
    "ref": ("mã tham chiếu / reference",
            "mã của một bản ghi loại khác (cột Mã / key của loại đó); so khớp chính xác, phân biệt hoa thường / "
            "the key of a record of another kind, matched exactly and case-sensitively",
            "`P01`, `NQ-DU-01`"),
    "refs": ("danh sách mã tham chiếu / references",
             "các mã tham chiếu ngăn cách bằng dấu chấm phẩy `;` (dấu phẩy là một phần của tên); trong YAML có thể "
             "dùng danh sách / reference codes separated by `;`; a YAML list also works", "`P08;P12`"),
    "list": ("danh sách / list",
             "các mục ngăn cách bằng dấu chấm phẩy `;`; trong YAML có thể dùng danh sách / items separated by `;`; "
             "a YAML list also works", "`R41;R42`"),
    "code": ("giá trị mã hóa / coded",
             "mã tiếng Anh **hoặc** một cách viết liệt kê trong bảng (chữ tiếng Việt, các cách viết khác, chữ "
             "tiếng Anh); không phân biệt hoa thường, có dấu hay không (`Hoàn thành tốt` = `hoan thanh tot` = "
             "`HTTT` = `good`) / the English code or a listed spelling (Vietnamese label, other spellings, "
             "English label), any case, with or without diacritics", "`good`, `hoàn thành tốt`"),
    "yesno": ("có/không / yes-no",
              "có: `có`, `co`, `x`, `1`, `đúng`, `đạt`, `true`, `yes`, `y`; không: `không`, `khong`, `sai`, `0`, "
              "`false`, `no`, `n` — không phân biệt hoa thường, có dấu hay không / any case, with or without "
              "diacritics", "`true`, `Có`, `x`, `không`"),
    "date": ("ngày / date",
             "`dd/mm/yyyy` (ngày, tháng 1 hoặc 2 chữ số) hoặc `yyyy-mm-dd` (đủ 2 chữ số); phải là ngày có thật / "
             "day and month of 1 or 2 digits, or ISO with 2 digits; must be a real date",
             "`5/9/2020`, `05/09/2020`, `2020-09-05` (không nhận / not `2020-9-5`, `05-09-2020`)"),
    "week": ("tuần / week",
             "ngày **thứ Hai** đầu tuần, ghi như ngày; ngày khác là lỗi / the week's **Monday**, written as a "
             "date; another day is an error", "`6/1/2020`, `2020-01-06`"),
    "year": ("năm / year", "số nguyên 1900–2100 / whole number 1900–2100", "`2020`"),
    "school_year": ("năm học / school year",
                    "`yyyy-yyyy` với dấu gạch nối thường, không dấu cách / hyphen-minus, no spaces",
                    "`2019-2020` (không nhận / not `2019–2020`, `2019 - 2020`)"),
    "count": ("số nguyên ≥ 0 / count", "chữ số, không có phần thập phân / digits only, no decimals",
              "`126`, `0` (không nhận / not `12,5`, `-1`)"),
    "integer": ("số nguyên / integer",
                "chữ số, có thể có dấu `-`, không có phần thập phân; trong khoảng ghi ở bảng, nếu có / digits, "
                "maybe a `-`, no decimals; within the range in the table, if any", "`6`, `9`"),
    "number": ("số thập phân ≥ 0 / number",
               "dấu phẩy hoặc dấu chấm thập phân, không dấu phân nhóm; đúng 3 chữ số sau dấu với phần nguyên khác 0 "
               "là lỗi vì không rõ nghĩa (`1.000` là một nghìn hay 1,0?); không nhận số vô hạn hay NaN / decimal "
               "comma or dot, no thousands separator; exactly 3 digits after the separator with a non-zero whole "
               "part is rejected as ambiguous (one thousand, or 1.0?); infinite and NaN values are rejected",
               "`40`, `37,5`, `37.5`, `0,125` (không nhận / not `1.000`, `1,500`, `1.234,5`)"),
    "percent": ("tỷ lệ % / percentage",
                "số phần trăm 0–100, có hoặc không có dấu `%` (cách ghi số như trên): `85%`, `85,5%`, `85,5` và số "
                "`85` đều là 85(,5)%; không có `%`, số lớn hơn 0 mà không quá 1 là lỗi vì không rõ nghĩa (0,855 là "
                "0,855% hay 85,5%?), trừ văn bản đúng `1` (số 1 không ngoặc kép trong YAML hay ô số 1 trong Excel "
                "vẫn là lỗi); trên 100 là lỗi; ô Excel định dạng phần trăm: mục 1.1 / a percentage 0–100, with or "
                "without `%` (numbers as above): `85%`, `85,5%`, `85,5` and the number `85` all mean 85(.5) %; "
                "without `%`, a number above 0 and at most 1 is rejected as ambiguous (0.855 % or 85.5 %?), except "
                "the text `1` (an unquoted YAML 1 or an Excel number cell 1 is still rejected); over 100 is "
                "rejected; Excel percentage cells: section 1.1",
                "`95,5`, `95.5%`, `96`, `0,5%` (không nhận / not `0,955`, `0.955`, `101`, `1.000`)"),
}

VALUES_INTRO = """\
## 2. Cách ghi giá trị — Value formats

Mọi văn bản được cắt khoảng trắng hai đầu và chuẩn hóa Unicode NFC, nên chữ Việt gõ kiểu dựng sẵn (NFC) hay
tổ hợp (NFD) đều như nhau. Ô văn bản trong tệp Excel được đọc như ô CSV theo bảng dưới đây; ô ngày, ô số, ô
phần trăm và ô TRUE/FALSE của Excel xem mục 1.1. Cột "kiểu / type" của bảng mỗi loại dữ liệu dùng đúng các tên
kiểu dưới đây. — *All text is trimmed and normalised to Unicode NFC: Vietnamese typed as NFC or NFD is the same.
A text cell of a workbook is read like a CSV cell, as in the table below; Excel date, number, percentage and
TRUE/FALSE cells are described in section 1.1. The "kiểu / type" column of each kind's table uses exactly the
type names below.*

| kiểu / type | cách ghi / accepted | ví dụ / examples |
|---|---|---|
"""

VALUES_OUTRO = """\
Trong tệp YAML, nên đặt trong ngoặc kép những văn bản hay mã trông giống số, ngày hoặc có/không (`"001"`,
`"yes"`), vì YAML tự đổi chúng thành số, ngày, đúng/sai. Ngược lại, số không có ngoặc kép do YAML tự đọc
(`1.000` thành 1,0; `1.0` thành số nguyên 1), nên các quy định về `1.0` và `1.000` ở bảng trên chỉ áp dụng
cho văn bản (ô CSV, giá trị YAML trong ngoặc kép, ô văn bản Excel); ô số của Excel cũng là số. — *In YAML
files, quote text or codes that look like numbers, dates or yes/no, since YAML converts them. Conversely, an
unquoted number is read by YAML itself (`1.000` becomes 1.0, `1.0` a whole 1), so the table's rules on `1.0`
and `1.000` apply to text only (CSV cells, quoted YAML values, workbook text cells); an Excel number cell is
a number too.*

Cột **bắt buộc** trong các bảng: **có** = cột phải có và mọi dòng phải có giá trị; **không** = có thể bỏ
cột hoặc để trống ô (mặc định, nếu có, ghi trong ngoặc). Cột **ý nghĩa, hướng dẫn** ghi cách báo cáo gọi trường
(tiếng Việt / tiếng Anh) và lời hướng dẫn của trường (cũng hiện trong tệp Excel mẫu). Cột **giá trị** của một cột
mã hóa liệt kê mỗi mã với các cách viết được chấp nhận: `mã`: “chữ tiếng Việt”, “cách viết khác” / “chữ tiếng Anh”.
— *Required: **yes** = the column must be present and every row must have a value; **no** = the column may be
omitted or the cell left blank (the default, if any, in brackets). The **meaning, help** column gives how reports
name the field (Vietnamese / English) and the field's hint (also shown in the workbook template). The
**accepted** column of a coded field lists each code with its accepted spellings: `code`: “Vietnamese label”,
“other spelling” / “English label”.*
"""

CELL_INTRO = """\
## 3. `cell.yaml` — Thông tin chi bộ / The cell

Một bảng YAML (không phải danh sách) mô tả chi bộ và ghi kế hoạch chi bộ thực hiện; tệp bắt buộc. Khóa phải viết
**đúng chính xác** như dưới đây (chữ thường; ở tệp này khóa không được so khớp nới lỏng như tiêu đề CSV); khóa lạ là
lỗi. Lỗi được báo ở dòng của khóa. Trong tệp Excel, các trường này nằm ở trang `Chi bộ` (mục 1.1): cột A ghi tiêu
đề tiếng Việt ở bảng dưới (hoặc tên khóa), so khớp nới lỏng như tiêu đề cột; lỗi được báo ở hàng của trường. —
*A YAML mapping (not a list) describing the cell and naming the plan it carries out; required. Keys must be
spelled **exactly** as below (lower case; unlike CSV headers, they are not matched loosely); unknown keys are
errors. A problem is reported at the line of its key. In a workbook these fields are on the `Chi bộ` sheet
(section 1.1): column A holds the Vietnamese header of the table below (or the key), matched loosely like column
headers; a problem is reported at the field's row.*
"""

CELL_OUTRO = """\
`plan` là mã (tên thư mục trong `rules/`) của kế hoạch xét hồ sơ; thiếu `plan` hay ghi một kế hoạch không có là
lỗi, trừ khi chạy với `--rules` (hoặc biến môi trường `CHIBO_RULES`). `plan_year`, nếu ghi, phải là một trong các
năm của kế hoạch (`chibo check` và `chibo validate` đều kiểm tra). Không quy tắc nào đọc các trường này như dữ liệu;
các năm của kế hoạch quyết định các tuần, tháng, quý, năm học được xét, ngày tính đến mặc định và các năm mà ngày
mốc của các bản ghi phải thuộc về. — *`plan` is the id (a folder under `rules/`) of the plan judging the case; no
`plan`, or an unknown one, is an error unless `--rules` (or the `CHIBO_RULES` environment variable) is given.
`plan_year`, if given, must be one of the plan's years (checked by `chibo check` and `chibo validate`). No rule
reads these fields as facts; the plan's years set the weeks, months, quarters and school years judged, the default
as-of date and the years the records' dating fields must fall in.*

```yaml
name: "Chi bộ trường THCS Vĩnh Bình Nam 1"
party_committee: "Đảng bộ xã Vĩnh Bình Nam"
plan: "vbn1-2020"
plan_year: 2020
unit: "Trường THCS Vĩnh Bình Nam 1, huyện Vĩnh Thuận, tỉnh Kiên Giang"
secretary: "P03"
```
"""

LIBRARY_INTRO = """\
## 4. Thư viện dùng chung — Shared library

Các loại dữ liệu mọi kế hoạch đều dùng (`rules/@LIB@/kinds/`). Một kế hoạch có thể mở rộng một loại của thư viện
(thêm cột, thêm giá trị cho cột mã hóa, buộc một cột phải có): phần mở rộng ghi ở mục của kế hoạch đó. Một cột mã
hóa mà thư viện không liệt kê giá trị nào ("do kế hoạch khai báo") nhận các giá trị mà kế hoạch khai báo. — *The
kinds every plan uses (`rules/@LIB@/kinds/`). A plan may extend a library kind (more columns, more values for a
coded column, a column made required): its extension is in the plan's section. A coded column for which the
library lists no values ("declared by each plan") takes the values the plan declares.*
"""

# what chibo itself does with a library kind, beside the rules reading it
BUILTIN_USE: dict[str, tuple[str, str]] = {
    "exemptions": (
        "Miễn trừ được áp dụng sau khi kiểm tra, cho các thiếu sót của các quy tắc trong "
        "`rules`, của `person` (hoặc của bất kỳ ai, nếu trống), thuộc khoảng `start`–`end`, khi ngày tính đến không "
        "sau `expires`. Miễn trừ không bao giờ che thiếu sót: `chibo check` vẫn tìm đủ các thiếu sót, rồi những thiếu "
        "sót được miễn được nêu là được miễn, kèm lý do và người phê duyệt; từ sau ngày `expires` báo cáo nói rõ miễn "
        "trừ không còn áp dụng. Mã quy tắc phải là mã của kế hoạch (`chibo rules list`). Ví dụ: `cases/vbn2-2020/`.",
        "Exemptions are applied after the check, to the gaps of the rules in `rules`, of `person` "
        "(or anyone's, if blank), within `start`–`end`, when the as-of date is not after `expires`. An exemption never "
        "hides a finding: `chibo check` still finds every gap, then the gaps it covers are shown as exempted, with "
        "its reason and approver; after `expires` the report says it no longer applies. Rule ids must be the plan's "
        "(`chibo rules list`). Example: `cases/vbn2-2020/`.",
    ),
    "assignments": (
        "Báo cáo ghi tên người phụ trách bên cạnh các thiếu sót. Với mỗi quy tắc, dòng cụ thể "
        "nhất được dùng: dòng của chính quy tắc, rồi dòng của mục kế hoạch của nó, rồi của mục cha (`B.I.4`, rồi "
        "`B.I`, rồi `B`); không có dòng nào thì là bí thư chi bộ (`secretary` của `cell.yaml`). Mã quy tắc và mục "
        "phải là của kế hoạch (`chibo rules list`).",
        "The report names the owner beside the gaps. For each rule the most specific row wins: the "
        "rule's own, then its plan section's, then a parent section's (`B.I.4`, then `B.I`, then `B`); with none, "
        "the cell secretary (`secretary` of `cell.yaml`). Rule ids and sections must be the plan's "
        "(`chibo rules list`).",
    ),
}

HEADER_ROW = ("| trường / field | tiêu đề tiếng Việt / Vietnamese header | kiểu / type | bắt buộc / req. "
              "| ý nghĩa, hướng dẫn / meaning, help | giá trị / accepted |\n|---|---|---|---|---|---|\n")
OPS = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}


def _value_formats() -> str:
    rows = "".join(f"| {label} | {accepted} | {examples} |\n" for label, accepted, examples in TYPES.values())
    return VALUES_INTRO + rows + "\n" + VALUES_OUTRO


def _cell_section(library: Library) -> str:
    return CELL_INTRO + "\n" + _field_table(library.cell, library.cell.fields, library.kinds) + "\n" + CELL_OUTRO


# --------------------------------------------------------------------------- kinds


def _cell_text(text: str) -> str:
    """Text inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _quoted(text: str) -> str:
    return f"“{text}”"


def _codes(field: FieldDecl) -> str:
    if not field.codes:
        return "do kế hoạch khai báo (mục 5 trở đi) / declared by each plan (section 5 on)"
    return "; ".join(
        f"`{code}`: {', '.join(_quoted(s) for s in (c.vi, *c.spellings))} / {_quoted(c.en)}"
        for code, c in field.codes.items()
    )


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _accepted(decl: KindDecl, name: str, field: FieldDecl, kinds: dict[str, KindDecl]) -> str:
    parts: list[str] = []
    if name == decl.key:
        parts.append("duy nhất trong tệp / unique in the file")
    if field.type in ("ref", "refs") and field.to:
        target = kinds.get(field.to)
        key = target.key if target is not None and target.key else "?"
        sheet = target.sheet if target is not None else "?"
        if field.type == "ref":
            parts.append(f"một mã trong cột `{key}` của `{field.to}` (trang `{sheet}`) / a `{key}` of `{field.to}`")
        else:
            parts.append(f"các mã trong cột `{key}` của `{field.to}` (trang `{sheet}`), ngăn cách bằng `;` / "
                         f"`{key}` codes of `{field.to}`, separated by `;`")
    if field.type == "list":
        parts.append("ngăn cách bằng `;` / separated by `;`")
    if field.type == "code":
        parts.append(_codes(field))
    if field.type == "week":
        parts.append("một ngày thứ Hai / a Monday")
    if field.min is not None and field.max is not None:
        parts.append(f"từ {_number(field.min)} đến {_number(field.max)} / from {field.min:g} to {field.max:g}")
    elif field.min is not None:
        parts.append(f"≥ {_number(field.min)}")
    elif field.max is not None:
        parts.append(f"≤ {_number(field.max)}")
    if field.blank == "earliest":
        parts.append("trống = từ trước đến nay / blank = since always")
    elif field.blank == "latest":
        parts.append("trống = đến nay / blank = until now")
    if name == decl.dated_by:
        parts.append("ngày mốc / the dating field")
    if name in decl.events:
        parts.append("ngày sau ngày tính đến coi như chưa ghi / a date after the as-of date counts as not recorded")
    return "; ".join(parts)


def _default(field: FieldDecl) -> str:
    value = field.default
    if field.type == "yesno" or isinstance(value, bool):
        truthy = value is True or str(value).strip().lower() in ("true", "yes", "có", "1", "x")
        return "có / yes" if truthy else "không / no"
    return f"`{value}`"


def _required(field: FieldDecl) -> str:
    if field.required:
        return "có / yes"
    if field.default is not None:
        return f"không / no (mặc định / default: {_default(field)})"
    return "không / no"


def _meaning(field: FieldDecl) -> str:
    parts = []
    if field.label is not None:
        parts.append(f"{field.label.vi} / {field.label.en}")
    if field.help:
        parts.append(field.help)
    return " — ".join(parts)


def _field_row(decl: KindDecl, name: str, field: FieldDecl, kinds: dict[str, KindDecl]) -> str:
    cells = [f"`{name}`", field.header or "", TYPES[field.type][0], _required(field), _meaning(field),
             _accepted(decl, name, field, kinds)]
    return "| " + " | ".join(_cell_text(c) for c in cells) + " |\n"


def _field_table(decl: KindDecl, fields: dict[str, FieldDecl], kinds: dict[str, KindDecl]) -> str:
    return HEADER_ROW + "".join(_field_row(decl, n, f, kinds) for n, f in fields.items())


def _check_text(check: dict[str, Any]) -> str:
    """A declared cross-field check, and the column a row breaking it is reported on (models.py)."""
    op = next((k for k in OPS if k in check), None)
    if "percent" in check:
        num, den = check["of"]
        tolerance = _number(float(check.get("tolerance", 0.5)))
        text, column = f"`{check['percent']}` ≈ 100 × `{num}` / `{den}` (± {tolerance})", check["percent"]
    elif op is None:
        return f"`{check}`"
    elif "sum" in check:
        text, column = f"{' + '.join(f'`{p}`' for p in check['sum'])} {OPS[op]} `{check[op]}`", check[op]
    else:
        text, column = f"`{check['field']}` {OPS[op]} `{check[op]}`", check["field"]
    return f"{text} (lỗi ở cột / error on `{column}`)"


def _file_paragraph(decl: KindDecl) -> str:
    kind = decl.kind
    parts = [f"Tệp / file: `{kind}.csv` (hoặc / or `{kind}.yaml`)."]
    if decl.key:
        parts.append(f"Mã / key: `{decl.key}` (duy nhất / unique).")
    if decl.unique:
        parts.append(f"Không trùng / unique: ({', '.join(f'`{u}`' for u in decl.unique)}).")
    references = [f"`{n}` → `{f.to}`" for n, f in decl.fields.items() if f.to]
    if references:
        parts.append(f"Tham chiếu / references: {', '.join(references)}.")
    if decl.dated_by:
        dated = f"`{decl.dated_by}`"
        if decl.any_date:
            dated += " (có thể ngoài các năm của kế hoạch / may fall outside the plan's years)"
    else:
        dated = "không / none"
    parts.append(f"Ngày mốc / dated by: {dated}.")
    if decl.events:
        parts.append(f"Việc xảy ra sau / later events: {', '.join(f'`{e}`' for e in decl.events)}.")
    parts.append(f"Trang tính / sheet: `{decl.sheet}`.")
    return " ".join(parts)


def _help_paragraph(decl: KindDecl) -> str:
    text = " ".join(decl.help.split())
    if decl.help_en:
        text += f" — *{' '.join(decl.help_en.split())}*"
    return text


def _checks_paragraph(decl: KindDecl) -> str:
    if not decl.checks:
        return ""
    checks = "; ".join(_check_text(c) for c in decl.checks)
    return (f"Kiểm tra chéo / cross-field checks: {checks}. Khi một trong hai bên để trống thì không xét / not checked "
            "when a side is blank.\n")


def _header_block(decl: KindDecl) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([f.header or n for n, f in decl.fields.items()])
    return ("Dòng tiêu đề tiếng Việt / the Vietnamese header row:\n\n```csv\n" + out.getvalue() + "```\n")


def _readers(kind: str, plan: PlanDoc) -> str:
    """The rules of a plan reading a kind: `check` rules, then the pre-meeting checklist's."""
    check = [r.id for r in plan.rules if kind in r.kinds() and r.job != "ready"]
    ready = [r.id for r in plan.rules if kind in r.kinds() and r.job == "ready"]
    parts = []
    if check:
        parts.append(", ".join(check))
    if ready:
        parts.append(f"rà soát trước buổi họp / pre-meeting review (`chibo ready`): {', '.join(ready)}")
    return "; ".join(parts) if parts else "không quy tắc nào / no rule"


def _source(folder: str, decl: KindDecl, extension: bool = False) -> str:
    """Where a kind (or a plan's extension of it) is declared, relative to rules/: the plan's kinds folder, or
    the library extension it uses (library-school/kinds)."""
    sources = [s.strip() for s in decl.source.split(",") if s.strip()]
    if not sources:
        return f"`{folder}/kinds/{decl.kind}.yaml`"
    path = Path(sources[-1] if extension else sources[0])
    if path.parent.name == "kinds" and path.parent.parent.name.startswith("library-"):
        folder = path.parent.parent.name
    file = path.name if extension else f"{decl.kind}.yaml"
    return f"`{folder}/kinds/{file}`"


def _title(decl: KindDecl) -> str:
    """A kind's labels as a heading: "Sinh hoạt chi bộ / Cell meeting"."""
    return " / ".join(text[:1].upper() + text[1:] for text in (decl.label.vi, decl.label.en))


def _overview(rows: list[tuple[str, KindDecl, str]]) -> str:
    """The table of a chapter's kinds; a last column when some of them extend a library kind."""
    notes = any(note for _, _, note in rows)
    table = "| # | tệp / file | trang tính / sheet (.xlsx) | loại (vi) | kind (en) |"
    table += " mở rộng / extends |\n|---|---|---|---|---|---|\n" if notes else "\n|---|---|---|---|---|\n"
    for number, decl, note in rows:
        cells = [number, f"`{decl.kind}`", decl.sheet, decl.label.vi, decl.label.en, *([note] if notes else [])]
        table += "| " + " | ".join(_cell_text(c) for c in cells) + " |\n"
    return table


def _kind_head(number: str, kind: str, decl: KindDecl, source: str, kinds: dict[str, KindDecl]) -> str:
    """A kind's heading, file paragraph, help, field table and cross-field checks: the same for a library kind
    and a plan's own kind."""
    text = (f"### {number} `{kind}` — {_title(decl)}\n\n"
            f"{_file_paragraph(decl)} Khai báo / declared in: {_source(source, decl)}.\n\n"
            f"{_help_paragraph(decl)}\n\n{_field_table(decl, decl.fields, kinds)}\n")
    checks = _checks_paragraph(decl)
    return text + (checks + "\n" if checks else "")


def _library_section(library: Library, plans: Sequence[PlanDoc]) -> str:
    kinds = sorted(library.kinds)
    numbers = {kind: f"4.{i}" for i, kind in enumerate(kinds, start=1)}
    out = [LIBRARY_INTRO.replace("@LIB@", library.name), _overview([(numbers[k], library.kinds[k], "")
                                                                    for k in kinds])]
    for kind in kinds:
        decl = library.kinds[kind]
        text = _kind_head(numbers[kind], kind, decl, library.name, library.kinds)
        text += "Quy tắc đọc / read by:\n\n"
        text += "".join(f"- `{p.id}`: {_readers(kind, p)}\n" for p in plans) or "- —\n"
        if kind in BUILTIN_USE:
            vi, en = BUILTIN_USE[kind]
            text += f"\n{vi} — *{en}*\n"
        text += "\n" + _header_block(decl)
        out.append(text)
    return "\n".join(p.rstrip("\n") + "\n" for p in out)


@dataclass(frozen=True)
class _Extension:
    fields: dict[str, FieldDecl]
    codes: dict[str, dict[str, Any]]
    required: list[str]
    sheet: str | None
    help: str | None


def _extension(base: KindDecl, merged: KindDecl) -> _Extension | None:
    """What a plan added to a library kind, or None when it left the kind as the library declares it."""
    fields = {n: f for n, f in merged.fields.items() if n not in base.fields}
    codes: dict[str, dict[str, Any]] = {}
    required = []
    for name, field in base.fields.items():
        now = merged.fields[name]
        # a new code, or a library code given the plan's own labels and spellings
        added = {c: v for c, v in (now.codes or {}).items() if (field.codes or {}).get(c) != v}
        if added:
            codes[name] = added
        if now.required and not field.required:
            required.append(name)
    sheet = merged.sheet if merged.sheet != base.sheet else None
    help_ = merged.help if merged.help != base.help else None
    if not (fields or codes or required or sheet or help_):
        return None
    return _Extension(fields, codes, required, sheet, help_)


def _plan_section(number: int, plan: PlanDoc, library: Library) -> str:
    schema = plan.schema
    own = [k for k in schema.kinds if k not in library.kinds]
    extended = {k: ext for k in sorted(library.kinds) if k in schema.kinds
                for ext in [_extension(library.kinds[k], schema.kinds[k])] if ext is not None}
    library_numbers = {kind: f"4.{i}" for i, kind in enumerate(sorted(library.kinds), start=1)}
    order = [*own, *extended]
    numbers = {kind: f"{number}.{i}" for i, kind in enumerate(order, start=1)}
    years = ", ".join(str(y) for y in plan.years)
    head = (f"## {number}. Kế hoạch `{plan.id}` — Plan `{plan.id}`\n\n"
            f"{plan.name_vi}. — *{plan.name_en}.*\n\n"
            f"Các năm của kế hoạch / the plan's years: {years}. Hồ sơ của kế hoạch này ghi `plan: {plan.id}` trong "
            f"`cell.yaml`; các loại dữ liệu của nó là các loại của thư viện (mục 4), cộng các loại riêng và phần mở "
            f"rộng dưới đây ({len(schema.kinds)} loại). — *A case of this plan has `plan: {plan.id}` in its "
            f"`cell.yaml`; its kinds are the library's (section 4) with the plan's own kinds and extensions below "
            f"({len(schema.kinds)} kinds).*\n")
    rows = [(numbers[k], schema.kinds[k], "") for k in own]
    rows += [(numbers[k], schema.kinds[k], f"mục / section {library_numbers[k]}") for k in extended]
    out = [head, _overview(rows) if rows else ""]
    for kind in own:
        decl = schema.kinds[kind]
        text = _kind_head(numbers[kind], kind, decl, plan.id, schema.kinds)
        text += f"Quy tắc đọc / read by: {_readers(kind, plan)}\n\n{_header_block(decl)}"
        out.append(text)
    for kind, ext in extended.items():
        decl = schema.kinds[kind]
        text = (f"### {numbers[kind]} `{kind}` — {_title(decl)} (mở rộng / extension)\n\n"
                f"Mở rộng loại `{kind}` của thư viện (mục {library_numbers[kind]}); khai báo / declared in: "
                f"{_source(plan.id, decl, extension=True)}. — *Extends the library's `{kind}` (section "
                f"{library_numbers[kind]}).*\n\n")
        if ext.sheet:
            text += f"Trang tính / sheet: `{ext.sheet}` (thay cho / instead of `{library.kinds[kind].sheet}`).\n\n"
        if ext.help:
            text += f"{' '.join(ext.help.split())}\n\n"
        if ext.required:
            names = ", ".join(f"`{n}`" for n in ext.required)
            text += f"Bắt buộc trong kế hoạch này / required in this plan: {names}.\n\n"
        if ext.fields:
            text += "Cột thêm / added columns:\n\n" + _field_table(decl, ext.fields, schema.kinds) + "\n"
        if ext.codes:
            text += ("Giá trị mã hóa thêm / added codes:\n\n| trường / field | tiêu đề tiếng Việt / Vietnamese header "
                     "| giá trị thêm / added values |\n|---|---|---|\n")
            for name, codes in ext.codes.items():
                field = decl.fields[name].model_copy(update={"codes": codes})
                text += f"| `{name}` | {_cell_text(field.header or '')} | {_cell_text(_codes(field))} |\n"
            text += "\n"
        text += f"Quy tắc đọc / read by: {_readers(kind, plan)}\n\n{_header_block(decl)}"
        out.append(text)
    out.append(_rule_index(number, len(order) + 1, plan))
    return "\n".join(p.rstrip("\n") + "\n" for p in out if p)


def _rule_index(number: int, sub: int, plan: PlanDoc) -> str:
    text = (f"### {number}.{sub} Quy tắc của kế hoạch `{plan.id}` — The plan's rules\n\n"
            "| mã / id | việc / job | yêu cầu / requirement | đọc / reads |\n|---|---|---|---|\n")
    for rule in plan.rules:
        kinds = ", ".join(f"`{k}`" for k in rule.kinds())
        title = _cell_text(f"{rule.title.vi} / {rule.title.en}")
        job = "rà soát / ready" if rule.job == "ready" else "kiểm tra / check"
        text += f"| {rule.id} | {job} | {title} | {kinds} |\n"
    return text

