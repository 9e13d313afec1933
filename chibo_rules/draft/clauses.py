"""Measurable clauses of a plan: every figure with its unit, direction, subject and period, the commitments
that have no figure but can still be checked, and the unmeasurable ones (advisory).

Plans state targets in a handful of ways: "đạt 64%", "dưới 1%", "trên 85%", "từ 03 đến 05 đảng viên",
"02 Đ/C", "ít nhất một nội dung", "không có đảng viên nào vi phạm", "Mỗi tháng sinh hoạt chi bộ". The
patterns are small and every word they use comes from lexicon.yaml (a plan's vocabulary is data). A clause
is quoted exactly as the plan wrote it, typos included: it is a slice of the plan's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .reading import ALPHA, ARABIC, DOTTED, LETTER, PART, ROMAN, Paragraph

# 64 · 2,5 · 2.5% · 13.461 (a dot groups thousands) · 02/15
NUMBER = re.compile(r"(?<![\d/.,])(\d{1,3}(?:(?:\.\d{3})+(?![.,]?\d)|,\d+|\.\d+(?=\s*%))?)(?![\d])(\s*%)?"
                    r"(?:\s*/\s*(\d{1,3})(?![\d/]))?")
# A date, a time, a phone number, a code: no number inside one is a figure.
NAMED = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|\d{1,2}:\d{2}|(?:\+84|(?<!\d)0)\d{2,3}[\s.]?\d{3}"
                   r"[\s.]?\d{3,4}(?!\d)|\d+\s*-\s*[A-ZĐ]{2,}")
QUOTES = {"“": "”", '"': '"', "(": ")"}


@dataclass
class Figure:
    """A number the plan sets: value, percent or not, the direction word and where it stands."""

    value: float
    percent: bool
    op: str
    explicit: bool
    start: int
    end: int
    out_of: float | None = None
    unit: dict[str, Any] | None = None
    pair: bool = False  # one end of a range "từ X đến Y": quoted with the other end
    guessed: bool = False  # no direction word: a cap guessed from the tail of a distribution (yếu, bỏ học)


@dataclass
class Clause:
    """One proposal's raw material: where it is, what it says and how the drafter read it."""

    section: str
    line: int
    sentence: str
    quote: str
    kind: str  # figure | commitment | periodic | advisory
    value: float | None = None
    percent: bool = False
    op: str = ""
    explicit: bool = False
    out_of: float | None = None
    unit: dict[str, Any] | None = None
    subject: dict[str, Any] | None = None
    period: dict[str, Any] | None = None
    commitment: dict[str, Any] | None = None
    rating: dict[str, Any] | None = None  # the rating the clause names ("hoàn thành tốt nhiệm vụ"), if any
    activity: dict[str, Any] | None = None
    reasons: list[str] = field(default_factory=list)


def phrase(words: list[str]) -> re.Pattern[str]:
    """A regex matching any of the words as whole words (case-insensitive), longest first."""
    def one(word: str) -> str:
        head = r"(?<!\w)" if word[:1].isalnum() else ""
        tail = r"(?!\w)" if word[-1:].isalnum() else ""
        return head + re.escape(word) + tail

    return re.compile("|".join(one(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)


def spans(text: str, separators: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of `text` between separators, not splitting inside “quotes”."""
    out, start, closing = [], 0, None
    for i, ch in enumerate(text):
        if closing is not None:
            if ch == closing:
                closing = None
            continue
        if ch in ("“", '"') and ch not in separators:
            closing = QUOTES[ch]
        elif ch in separators:
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a full stop (or ! ?) followed by a capital letter, a quote or a digit starts a new one."""
    out, start = [], 0
    for match in re.finditer(r"(?:[.!?]+|…)\s+", text):
        following = text[match.end(): match.end() + 1]
        if following and (following.isupper() or following in "“\"(" or following.isdigit()):
            out.append((start, match.start() + 1))
            start = match.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def trim(text: str) -> str:
    """A quote without the separators and list marks around it (still a slice of the plan's text)."""
    text = text.strip().strip(",;").strip()
    text = re.sub(r"^[-*+•]\s*", "", text)
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text.strip()


class Reader:
    """The lexicon's patterns compiled once; `clauses` reads one paragraph."""

    def __init__(self, lexicon: dict[str, Any], years: list[int] | None = None):
        self.lexicon = lexicon
        self.years = years or []
        self.term_name = re.compile(lexicon["term_name"], re.IGNORECASE)
        self.not_after = [w.lower() for w in lexicon["not_after"]]
        self.not_before = [w.lower() for w in lexicon["not_before"]]
        self.not_before_count = [w.lower() for w in lexicon["not_before_count"]]
        self.forward = phrase(lexicon["forward_words"])
        self.units = [(phrase(u["words"]), u) for u in lexicon["units"] if u["unit"] != "percent"]
        self.percent = next(u for u in lexicon["units"] if u["unit"] == "percent")
        self.before = [(phrase(d["words"]), d) for d in lexicon["directions"] if not d.get("after")]
        self.after = [(phrase(d["words"]), d) for d in lexicon["directions"] if d.get("after")]
        self.subjects = [(phrase(s["words"]), s) for s in lexicon["subjects"]]
        self.periods = [(phrase(p["words"]), p) for p in lexicon["periods"]]
        self.commitments = [(re.compile(c["pattern"], re.IGNORECASE), c) for c in lexicon["commitments"]]
        self.advisory = phrase(lexicon["advisory"])
        self.range = re.compile(lexicon["range"], re.IGNORECASE)
        self.range_needs = phrase(lexicon["range_needs"])
        gte = [w for d in lexicon["directions"] if d["op"] == "gte" and not d.get("after") for w in d["words"]]
        self.not_directions = phrase(lexicon["not_directions"])
        self.carry_verbs = [w.lower() for w in lexicon["carry_verbs"]]
        self.rating_lead = re.compile(lexicon["rating_lead"], re.IGNORECASE)
        self.not_periods = phrase(lexicon["not_periods"])
        self.caps = phrase(lexicon["caps"])
        self.rank_before = re.compile(lexicon["rank_before"], re.IGNORECASE)
        self.date_before = re.compile(lexicon["date_before"], re.IGNORECASE)
        self.by_year = re.compile(lexicon["by_year"], re.IGNORECASE)
        self.look_back = [re.compile(p, re.IGNORECASE) for p in lexicon["look_back"]]
        self.words = re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in gte)})\s+"
                                rf"({'|'.join(re.escape(w) for w in lexicon['word_numbers'])})(?!\w)", re.IGNORECASE)

    # --- figures ----------------------------------------------------------------------------------------
    def _excluded(self, text: str, start: int, end: int, percent: bool = False) -> bool:
        """A number that names something (Nghị định 56, lớp 9, 15-18 tuổi, 6 tháng, 30/5/2019)."""
        before = text[:start].rstrip().lower()
        after = text[end:].lstrip().lower()
        if any(before.endswith(w) and (len(before) == len(w) or not before[-len(w) - 1].isalnum())
               for w in self.not_after):
            return True
        if any(after.startswith(w) and (len(after) == len(w) or not after[len(w)].isalnum()) for w in self.not_before):
            return True
        if not percent and not re.match(r"\s*%", text[end:]) and any(
                after.startswith(w) and (len(after) == len(w) or not after[len(w)].isalnum())
                for w in self.not_before_count):
            return True
        rest = text[end:]
        if self.date_before.search(text[:start]):
            return True  # "Ngày 3/3", "Sáng 29/10", "ngày 7-2": a day or its month
        return (not percent and bool(re.match(r"\s*/\s*[A-ZĐ]", rest))) or bool(re.match(r"-[A-ZĐ]|[.,]\d", rest))

    def _date(self, text: str, m: re.Match[str]) -> bool:
        """"29/10," without a unit after it: a day and a month, not 29 out of 10."""
        if not m.group(3) or m.group(2):
            return False
        day, month = _num(m.group(1)), _num(m.group(3))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return False
        after = text[m.end():].lstrip().lower()
        return not any(pattern.match(after) for pattern, _ in self.units)

    def figures(self, text: str) -> list[Figure]:
        """Every target figure of one segment, in order; a range ("từ X đến Y", "X-Y") gives a floor, and a cap
        only where the text caps it ("từ 3 đến tối đa 5")."""
        found: list[Figure] = []
        taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in NAMED.finditer(text)]
        for m in self.range.finditer(text):
            if any(a <= m.start(1) < b for a, b in taken):
                continue
            window = text[max(0, m.start() - 4): m.start(2) if m.group(2) else m.end(1)]
            low, high = _num(m.group(1)), _num(m.group(3))
            said = bool(self.range_needs.search(window))
            if not (said or low < high) or self._excluded(text, m.start(3), m.end(3)) \
                    or self._excluded(text[:m.end(1)], m.start(1), m.end(1)):  # a name or a date before it
                continue
            percent = bool(m.group(2) or m.group(4))
            found.append(Figure(low, percent, "gte", True, m.start(1), m.end(1), pair=True))
            after = text[m.end():].lstrip()  # "từ 03 đến 05 đảng viên": the floor's unit follows the range
            found[-1].unit = next((unit for pattern, unit in self.units if pattern.match(after)), None)
            # a range is a floor; it is a cap too only where the text caps ("tối đa", "không quá", "dưới")
            around = self.not_directions.sub(lambda x: " " * len(x.group(0)), text[max(0, m.start() - 15): m.end(3)])
            capped = any(pattern.search(around) for pattern, d in self.before if d["op"] in ("lte", "lt"))
            if capped:
                found.append(Figure(high, percent, "lte", True, m.start(3), m.end(), pair=True))
            taken.append((m.start(), m.end()))
        for m in NUMBER.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            if self.rank_before.search(text[:m.start()]):  # "xếp thứ 12/30": a rank, 12 of 30 or better
                out_of = _num(m.group(3)) if m.group(3) else None
                found.append(Figure(_num(m.group(1)), False, "rank", True, m.start(), m.end(), out_of))
                continue
            if self._excluded(text, m.start(), m.end(), bool(m.group(2))) or self._date(text, m):
                continue
            out_of = _num(m.group(3)) if m.group(3) and not m.group(2) else None
            found.append(Figure(_num(m.group(1)), bool(m.group(2)), "", False, m.start(), m.end(), out_of))
        for m in self.words.finditer(text):
            if not any(a <= m.start(1) < b for a, b in taken):
                value = self.lexicon["word_numbers"][m.group(1).lower()]
                found.append(Figure(float(value), False, "gte", True, m.start(1), m.end(1)))
        found.sort(key=lambda f: f.start)
        for i, fig in enumerate(found):
            fig.unit = self.percent if fig.percent else fig.unit or self._unit(text, fig, found[i - 1].end if i else 0)
            if not fig.op:
                previous = found[i - 1].end if i else 0
                following = found[i + 1].start if i + 1 < len(found) else len(text)
                fig.op, fig.explicit = self._direction(text, previous, fig, following)
                if not fig.explicit and self.caps.search(text, previous, fig.start):
                    fig.op, fig.guessed = "lte", True
        for i, fig in enumerate(found):  # a range's floor has the cap's unit ("từ 03 đến 05 đảng viên")
            between = text[fig.end: found[i + 1].start] if i + 1 < len(found) else ""
            if fig.unit is None and between and (len(between) < 8 or re.fullmatch(r"\s*đến\s+\D{0,12}", between)):
                fig.unit = found[i + 1].unit
        return found

    def _unit(self, text: str, fig: Figure, previous: int) -> dict[str, Any] | None:
        after = text[fig.end:]
        for pattern, unit in self.units:
            m = pattern.match(after.lstrip())
            if m:
                return unit
        best = None
        for pattern, unit in self.units:
            for m in pattern.finditer(text, previous, fig.start):
                if fig.start - m.end() <= 3 and (best is None or m.end() > best[0]):
                    best = (m.end(), unit)
        return best[1] if best else None

    def _direction(self, text: str, previous: int, fig: Figure, following: int) -> tuple[str, bool]:
        """The direction word nearest before the figure (after it: trở lên); none said: at least (gte). Words
        that only look like one ("chỉ" in "chỉ tiêu", "trên" in "trên biểu đồ") are masked first."""
        text = self.not_directions.sub(lambda m: " " * len(m.group(0)), text)
        after = text[fig.end: min(following, fig.end + 30)].split(",")[0]
        for pattern, direction in self.after:
            if pattern.search(after):
                return direction["op"], True
        best = None
        # the figure's own comma-piece, and not too far: "đạt 5% trên tổng thu, 100% doanh nghiệp …"
        reach = max(previous, fig.start - self.lexicon["direction_reach"], text.rfind(",", 0, fig.start) + 1)
        for pattern, direction in self.before:
            for m in pattern.finditer(text, reach, fig.start):
                key = (m.end(), m.end() - m.start())
                if best is None or key > best[0]:
                    best = (key, direction["op"])
        if best is not None:
            return best[1], True
        return "gte", False

    # --- clauses ----------------------------------------------------------------------------------------
    def clauses(self, para: Paragraph, context_period: dict[str, Any] | None = None) -> list[Clause]:
        """The measurable (and advisory) clauses of one paragraph."""
        out: list[Clause] = []
        text = para.text
        forward = not para.narrative
        for s_start, s_end in sentences(text):
            sentence = text[s_start:s_end]
            if para.narrative:
                # a sentence reporting what was done ("đã kết nạp", "Trong nhiệm kỳ 2022-2025, …") turns the
                # paragraph to the past until one names a goal again; before any goal, a sentence describes
                if self._looks_back(sentence):
                    forward = False
                    continue
                forward = forward or bool(self.forward.search(sentence))
                if not forward:
                    continue
            found = []
            for g_start, g_end in spans(sentence, ";()"):
                segment = sentence[g_start:g_end]
                found += self._segment(para, sentence, segment, context_period)
            for before, clause in zip(found, found[1:]):  # "100% đảng viên …, trong đó 20% hoàn thành xuất sắc"
                if clause.subject is None and before.subject is not None and clause.kind == "figure":
                    clause.subject = before.subject
                    clause.reasons.append("subject_from_before")
                    clause.activity = self.activity_of(clause, clause.quote, sentence)
            if not found and self.advisory.search(sentence):
                found.append(Clause(para.section, para.line, trim(sentence), trim(sentence), "advisory",
                                    reasons=["advisory_words"]))
            out += found
        return out

    def _segment(self, para: Paragraph, sentence: str, segment: str,
                 context_period: dict[str, Any] | None) -> list[Clause]:
        """A segment's figures, and the commitments of its pieces that hold no figure: "trên 95% đảng viên
        hoàn thành tốt nhiệm vụ, không có đảng viên vi phạm …" is two targets."""
        figures = self.figures(segment)
        if figures:
            tail = [a for a, b in spans(segment, ",") if a > figures[-1].start
                    and any((m := pattern.search(segment[a:b])) and len(segment[a:a + m.start()].split()) <= 2
                            for pattern, _ in self.commitments)]
            carried = [a for a, b in spans(segment, ",") if a > figures[-1].end and self._carries(segment[a:])]
            cut = min(tail[:1] + carried[:1] + [len(segment)])
            head = segment[:cut]
            out = [self._figure_clause(para, sentence, head, fig, figures, context_period) for fig in figures]
            if carried and cut == carried[0]:
                out.append(self._carried(para, sentence, segment[cut:], figures[0], context_period))
            elif tail:
                out += self._commitments(para, sentence, segment[cut:], context_period)
            return out
        own = self.period_of(segment, segment, context_period)
        if own and own["period"] in ("week", "month", "quarter"):
            clause = Clause(para.section, para.line, trim(sentence), trim(segment), "periodic", op="all",
                            period=own, reasons=["period_only"])
            self._describe(clause, segment, sentence)
            return [clause]
        return self._commitments(para, sentence, segment, context_period)

    def _looks_back(self, sentence: str) -> bool:
        """A sentence of results: a look-back word, or an earlier term named ("trong nhiệm kỳ 2022-2025" in a
        plan for 2025-2027)."""
        if any(pattern.search(sentence) for pattern in self.look_back):
            return True
        for m in re.finditer(r"nhiệm\s+k[ỳý]\s*(\d{4})\s*[-–]\s*(\d{4})", sentence, re.IGNORECASE):
            first, last = int(m.group(1)), int(m.group(2))
            if self.years and last <= min(self.years) and (first, last) != (min(self.years), max(self.years)):
                return True
        return False

    def _carries(self, rest: str) -> bool:
        """Whether the words after a figure's clause open on a verb and name a library activity of their own."""
        words = " ".join(rest.split()).lower()
        if not any(words.startswith(verb + " ") for verb in self.carry_verbs):
            return False
        return any(a.get("words") and phrase(a["words"]).search(rest) for a in self.lexicon["activities"])

    def _carried(self, para: Paragraph, sentence: str, rest: str, fig: Figure,
                 context_period: dict[str, Any] | None) -> Clause:
        """One more target sharing the figure (and subject) before it: "…, tham gia học tập, đăng ký …"."""
        quote = trim(rest)
        clause = Clause(para.section, para.line, trim(sentence), quote, "figure", fig.value, fig.percent, fig.op,
                        fig.explicit, fig.out_of, fig.unit, reasons=["carried_figure"])
        clause.period = self.period_of(quote, sentence, context_period)
        self._describe(clause, quote, sentence)
        return clause

    def _commitments(self, para: Paragraph, sentence: str, segment: str,
                     context_period: dict[str, Any] | None) -> list[Clause]:
        """Commitments without a figure, one per piece that names one (the first the lexicon lists)."""
        period = self.period_of(segment, sentence, context_period)
        out: list[Clause] = []
        pieces = [(a + x, a + y) for a, b in spans(segment, ",") for x, y in _and_spans(segment[a:b])]
        starts: list[tuple[int, dict[str, Any]]] = []
        for pattern, commitment in self.commitments:
            hits = list(pattern.finditer(segment))
            if hits:
                k = next((k for k, (a, b) in enumerate(pieces) if a <= hits[0].start() < b), None)
                start = pieces[k][0] if k is not None else hits[0].start()
                while k and segment[pieces[k - 1][1]: pieces[k][0]].strip() == "," and (
                        len(segment[pieces[k - 1][0]:pieces[k - 1][1]].split()) <= 3
                        or self.rating_lead.search(segment[pieces[k - 1][0]:pieces[k - 1][1]])):
                    k -= 1
                if k == 0:  # "Công đoàn, Chi đoàn, Liên đội …", "Chi bộ được đánh giá, xếp loại …" open the segment
                    start = pieces[0][0]
                if all(start != taken for taken, _ in starts):
                    starts.append((start, commitment))
        starts.sort(key=lambda pair: pair[0])
        for i, (start, commitment) in enumerate(starts):
            # from the piece naming the commitment to the next commitment (or the segment's end): its object
            end = starts[i + 1][0] if i + 1 < len(starts) else len(segment)
            quote = trim(segment[start:end])
            label = re.match(r"^[^:,;]{1,30}:\s*", quote)  # "Mục tiêu: phấn đấu vượt dự toán …"
            if label and len(label.group(0).split()) <= 3:
                quote = quote[label.end():]
            if not quote or any(c.quote == quote for c in out):
                continue
            kind = "rating" if commitment["op"] == "rating" else "commitment"
            clause = Clause(para.section, para.line, trim(sentence), quote, kind, op=commitment["op"],
                            commitment=commitment, period=period, reasons=[f"commitment:{commitment['id']}"],
                            value=commitment.get("value"), percent=bool(commitment.get("percent")))
            self._describe(clause, quote, sentence)
            out.append(clause)
        return out

    def _figure_clause(self, para: Paragraph, sentence: str, segment: str, fig: Figure, figures: list[Figure],
                       context_period: dict[str, Any] | None) -> Clause:
        quote = trim(_quote(segment, fig, figures))
        clause = Clause(para.section, para.line, trim(sentence), quote, "figure", fig.value, fig.percent, fig.op,
                        fig.explicit, fig.out_of, fig.unit)
        clause.period = self.period_of(quote, sentence, context_period, segment) or (
            self._named_period(fig.unit["period"]) if fig.unit and fig.unit.get("period") else None)
        clause.reasons.append("direction_word" if fig.explicit else "guessed_cap" if fig.guessed
                              else "no_direction_word")
        self._describe(clause, quote, sentence)
        return clause

    def _describe(self, clause: Clause, quote: str, sentence: str) -> None:
        """Subject (from the quote, else implied by the unit) and the library activity, if any."""
        clause.subject = self.subject_of(quote) or (self._subject(clause.unit["subject"])
                                                    if clause.unit and clause.unit.get("subject") else None)
        if clause.commitment is not None:  # a title ("Tập thể lao động xuất sắc") is no rating on a scale
            clause.rating = clause.commitment if clause.commitment.get("levels") else None
        else:
            clause.rating = next((c for c in self.lexicon["commitments"] if c["op"] == "rating" and c.get("levels")
                                  and re.search(c["phrase"], quote, re.IGNORECASE)), None)
        clause.activity = self.activity_of(clause, quote, sentence)

    def subject_of(self, text: str) -> dict[str, Any] | None:
        hits = [(m.start(), i, s) for i, (p, s) in enumerate(self.subjects) for m in [p.search(text)] if m]
        return min(hits, key=lambda h: (h[1], h[0]))[2] if hits else None

    def _subject(self, name: str) -> dict[str, Any] | None:
        return next((s for _, s in self.subjects if s["subject"] == name), None)

    def _named_period(self, name: str) -> dict[str, Any] | None:
        return next((p for _, p in self.periods if p["period"] == name), None)

    def period_of(self, quote: str, sentence: str, context: dict[str, Any] | None,
                  segment: str | None = None) -> dict[str, Any] | None:
        """The period the clause names ("hằng năm", "đến năm 2025"), else the one its sentence states before it
        (it governs what follows), else its segment's (or sentence's), else the context's. Units such as
        "đồng/người/năm" are not periods, nor is a term named ("trong nhiệm kỳ 2022-2025")."""
        at = sentence.find(quote[:30]) if quote else -1
        for text in (quote, sentence[:at] if at > 0 else "", sentence if segment is None else segment):
            text = self.not_periods.sub(lambda m: " " * len(m.group(0)), text)
            text = self.term_name.sub(lambda m: " " * len(m.group(0)), text)  # "trong nhiệm kỳ 2022-2025" names it
            if m := self.by_year.search(text):
                year = int(m.group(1))
                return {"period": "by_year", "year": year, "vi": f"đến năm {year}", "en": f"by {year}"}
            for pattern, period in self.periods:
                if pattern.search(text):
                    return period
        return context

    def activity_of(self, clause: Clause, quote: str, sentence: str) -> dict[str, Any] | None:
        """The first library activity whose words, unit, period and figure fit the clause."""
        for activity in self.lexicon["activities"]:
            words = activity.get("words") and phrase(activity["words"]).search(quote)
            context = activity.get("context") and phrase(activity["context"]).search(sentence)
            if (activity.get("words") or activity.get("context")) and not (words or context):
                continue
            unit = clause.unit["unit"] if clause.unit else None
            if activity.get("units") and unit not in activity["units"]:
                continue
            period = clause.period["period"] if clause.period else None
            if activity.get("periods") and period not in activity["periods"]:
                continue
            subject = clause.subject["subject"] if clause.subject else None
            if activity.get("subjects") and subject not in activity["subjects"]:
                continue
            wanted = activity.get("figure", "any")
            if wanted == "count" and (clause.value is None or clause.percent):
                continue
            if wanted == "percent" and not (clause.percent or clause.kind == "rating"):
                continue
            if wanted == "rating" and clause.kind != "rating":
                continue
            if activity.get("scale") and clause.rating is None:
                continue
            if wanted == "none" and clause.op != "none":
                continue
            return activity
        return None


def _heading_label(text: str) -> int:
    """Where a heading's typed label ("Phần thứ hai", "B-", "II.", "1.2.1", "a)") ends."""
    for pattern in (PART, ROMAN, LETTER, DOTTED, ARABIC, ALPHA):
        if m := pattern.match(text):
            return m.end()
    return 0


def _num(text: str) -> float:
    """'2,5' and '2.5' are 2.5; '13.461' (a dot between groups of three) is 13461."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return float(text.replace(".", ""))
    return float(text.replace(",", "."))


def _and_spans(text: str) -> list[tuple[int, int]]:
    """Spans of a comma-piece split at " và " (two commitments joined by "and"), outside “quotes”."""
    out, start = [], 0
    for m in re.finditer(r"\s+và\s+", text):
        if text[: m.start()].count("“") == text[: m.start()].count("”"):
            out.append((start, m.start()))
            start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _quote(segment: str, fig: Figure, figures: list[Figure]) -> str:
    """The words of one figure: the comma-pieces of its segment from the end of the previous figure's piece
    to its own; the first figure also takes what comes before (from the last ":" on), the last what comes
    after. Two figures joined by "và" share what follows the second ("100% đảng viên và 100% quần chúng học
    tập …"): the first is quoted with an ellipsis, "100% đảng viên … học tập …"."""
    pieces = spans(segment, ",")
    owner = [next((k for k, (a, b) in enumerate(pieces) if a <= f.start < b), 0) for f in figures]
    index = figures.index(fig)
    mine = owner[index]
    first = 0 if index == 0 else owner[index - 1] + 1
    if index > 0 and owner[index - 1] == mine:
        first = mine
    first = min(first, mine)
    last = len(pieces) - 1 if index == len(figures) - 1 else mine
    if index + 1 < len(figures) and owner[index + 1] == mine:
        last = mine
    start, end = pieces[first][0], pieces[last][1]
    colon = segment.rfind(":", start, fig.start)
    if colon >= 0 and len(segment[start:colon].split()) >= 6:  # "…, trong đó: phấn đấu 100% …", not "(giỏi: 20%"
        start = colon + 1
    if sum(1 for o, f in zip(owner, figures) if o == mine and not (f.pair and fig.pair)) > 1:
        # two figures in one piece (not the ends of one range): cut between them
        if index and owner[index - 1] == mine:
            joined = re.search(r"\s+và\s+", segment[figures[index - 1].end: fig.start])
            start = figures[index - 1].end + joined.end() if joined else figures[index - 1].end
        if index + 1 < len(figures) and owner[index + 1] == mine:
            nxt = figures[index + 1]
            joined = re.search(r"\s+và\s+$", segment[fig.end: nxt.start])
            shared = re.search(r"^\s*\S+(?:\s+\S+)?\s+(?=\S)", segment[nxt.end:])
            if joined and shared and last == mine:
                # "A và B verb …": the first is "A … verb …" (the rest of the segment after B's subject)
                rest_start = nxt.end + shared.end()
                return segment[start: fig.end + joined.start()].strip() + " … " + segment[rest_start:].strip()
            end = nxt.start
    return segment[start:end]


def plan_clauses(paragraphs: list[Paragraph], lexicon: dict[str, Any],
                 years: list[int] | None = None) -> list[Clause]:
    """Every clause of the plan's own parts, in order. A line ending with ":" ("Chất lượng giáo dục hằng năm:")
    lends its period to the list items ("- …") under it. `years` (the plan's) tell an earlier term."""
    reader = Reader(lexicon, years)
    out: list[Clause] = []
    context = None
    for para in paragraphs:
        if para.skipped:
            continue
        if para.heading:  # "2. Đại hội biểu quyết …": the label is not a figure
            label = _heading_label(para.text)
            para = Paragraph(para.text[label:].strip(), para.line, para.section, para.skipped, True, para.narrative)
        if not para.text.lstrip().startswith(("-", "+", "•")):
            context = None
        out += reader.clauses(para, context)
        if para.text.rstrip().endswith(":"):
            context = reader.period_of(para.text, para.text, None)
    return out
