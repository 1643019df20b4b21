"""The section model: a linear-chain CRF over the lines of a report.

Each line is described by its words (jieba) and character n-grams, and by the cues that carry
structure: numbering style, heading-likeness, the section its heading words name, the last
top-level heading seen, position, table-row and chrome shape. The CRF decodes the whole document
jointly with learned transitions, so one ambiguous line does not break a section, while excerpts
and reports without headings are decided by content.

Persistence: a CRFsuite model file (CRFsuite's own binary format, not a pickle) and a JSON config.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..crf import CRFModel
from ..scheme import SECTIONS, text_lines
from ..textnorm import feature_text
from ..structure import (_strip_numbering, document_top_style, heading_section, heading_style, is_heading_like,
                         is_noise_line, is_table_row, numbering_style, top_heading)

MODEL_FILE = "sections.crfsuite"


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


_PUNCT = re.compile(r"[\s，。、；：:,.;!?！？“”\"'（）()《》【】\[\]|\-—_·…%％]+")
_DIGITS = re.compile(r"[0-9０-９]+")


def _norm(s: str) -> str:
    s = _DIGITS.sub("0", s)
    return s


def line_features(lines: list[str], word_limit: int = 40) -> list[dict]:
    """Features of every line of one document (a list of line texts), in order."""
    jieba = _jieba()
    lines = [feature_text(l) for l in lines]
    n = len(lines)
    tops = [top_heading(l) for l in lines]
    heads = [heading_section(l) if is_heading_like(l) else None for l in lines]
    # The report's own top level: the most senior heading style it uses (一、 or （一） or 【…】 …).
    doc_style = document_top_style(lines)
    styles = [heading_style(l) for l in lines]
    doc_tops = [heading_section(_strip_numbering(l)) if st is not None and st == doc_style else None
                for l, st in zip(lines, styles)]
    has_cn_dun = any(st == "cn_dun" for st in styles)
    feats = []
    last_top = None
    last_doc_top = None
    since_top = 0
    for i, line in enumerate(lines):
        s = line.strip()
        compact = re.sub(r"\s+", "", s)
        f: dict[str, float] = {"bias": 1.0}
        style = numbering_style(s)
        f[f"num={style}"] = 1.0
        hl = is_heading_like(s)
        if hl:
            f["heading_like"] = 1.0
        if tops[i]:
            f[f"top={tops[i]}"] = 1.0
            last_top = tops[i]
            since_top = 0
        else:
            since_top += 1
        if heads[i]:
            f[f"head={heads[i]}"] = 1.0
            f[f"head={heads[i]}|num={style}"] = 1.0
        f[f"last_top={last_top}"] = 1.0
        if doc_tops[i]:
            last_doc_top = doc_tops[i]
            f[f"doc_top={doc_tops[i]}"] = 1.0
            f[f"doc_top_style={doc_style}"] = 1.0
        f[f"last_doc_top={last_doc_top}"] = 1.0
        if not has_cn_dun:
            f["no_cn_dun"] = 1.0
        if styles[i] and styles[i] != doc_style:
            f[f"sub_heading={styles[i]}"] = 1.0
        f[f"since_top={min(since_top, 6)}"] = 1.0
        f[f"pos={min(i, 5)}"] = 1.0
        f[f"rel={int(10 * i / max(n, 1))}"] = 1.0
        if i == n - 1:
            f["last_line"] = 1.0
        if is_noise_line(s):
            f["chrome"] = 1.0
        if is_table_row(line):
            f["table_row"] = 1.0
        f[f"len={min(len(compact) // 10, 8)}"] = 1.0
        if "年度报告" in compact or "年报" in compact:
            f["title_words"] = 1.0
        if re.search(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$", s):
            f["ends_with_date"] = 1.0
        text = _norm(_PUNCT.sub(" ", compact))
        words = [w for w in jieba.lcut(text[:120], HMM=False) if w.strip()][:word_limit]
        for w in words:
            f["w=" + w] = 1.0
        for a, b in zip(words, words[1:]):
            f["ww=" + a + "_" + b] = 1.0
        head = compact[:12]
        for k in range(len(head) - 1):
            f["hb=" + head[k:k + 2]] = 1.0
        # neighbours' heading cues
        if i > 0 and heads[i - 1]:
            f[f"prev_head={heads[i - 1]}"] = 1.0
        if i + 1 < n and heads[i + 1]:
            f[f"next_head={heads[i + 1]}"] = 1.0
        if i + 1 < n and tops[i + 1]:
            f[f"next_top={tops[i + 1]}"] = 1.0
        feats.append(f)
    return feats


class SectionModel(CRFModel):
    """Train with :meth:`fit` on (line texts, labels) documents; :meth:`predict_text` labels a report."""

    component = "gongkai_sections"
    model_file = MODEL_FILE
    kind = "section model"
    # c1 chosen on dev (plain, headings stripped, excerpts) among 0.01–0.2 × 0.005–0.1.
    defaults = {"c1": 0.2, "c2": 0.02, "max_iterations": 150}

    def fit(self, documents: list[tuple[list[str], list[str]]], model_dir) -> "SectionModel":
        sequences = ((line_features(lines), labels) for lines, labels in documents if lines)
        return self._train(sequences, model_dir, {"labels": list(SECTIONS)})

    def predict_lines(self, lines: list[str]) -> list[tuple[str, float]]:
        self._require()
        if not lines:
            return []
        self.tagger_.set(line_features(lines))
        labels = self.tagger_.tag()
        return [(lab, self.tagger_.marginal(lab, i)) for i, lab in enumerate(labels)]

    def predict_text(self, text: str) -> list[dict]:
        spans = text_lines(text)
        labelled = self.predict_lines([text[s:e] for s, e in spans])
        return [{"start": s, "end": e, "section": lab, "score": round(score, 4)}
                for (s, e), (lab, score) in zip(spans, labelled)]
