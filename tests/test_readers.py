import json
import os
import subprocess
import sys

import pytest

from gongkai import ReportError, read, read_reports

from fixtures import BODY, HTML, make_docx, make_pdf

TEXT = "\n".join(BODY)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le"])
def test_txt_encodings(tmp_path, encoding):
    p = tmp_path / "r.txt"
    p.write_bytes(TEXT.encode(encoding))
    report = read(p)
    assert report.text == TEXT
    assert report.format == "txt"
    assert report.id == "r"


def test_html_main_content_and_tables(tmp_path):
    p = tmp_path / "r.html"
    p.write_text(HTML, encoding="utf-8")
    text = read(p).text
    lines = text.split("\n")
    assert lines[0] == "某县人民政府2020年政府信息公开工作年度报告"
    assert "全县主动公开政府信息1234条。" in lines
    assert "信息内容 | 本年制发件数" in lines and "规章 | 2" in lines
    assert "二、主动公开政府信息情况" in lines and "（一）规章" in lines
    assert "9999" not in text and "当前位置" not in text and "主办单位" not in text and ".x" not in text


def test_html_gbk_declared(tmp_path):
    p = tmp_path / "r.htm"
    p.write_bytes(HTML.replace("utf-8", "gb2312").encode("gbk"))
    assert "全县主动公开政府信息1234条。" in read(p).text


def test_pdf_drops_running_headers_and_page_numbers(tmp_path):
    text = read(make_pdf(tmp_path / "r.pdf", pages=3)).text
    lines = text.split("\n")
    assert "第1部分：全年主动公开政府信息1000条。" in lines
    assert "三、收到和处理政府信息公开申请情况" in lines
    assert not any("办公室文件" in l for l in lines)
    assert not any(l.strip("- ").isdigit() for l in lines)


def test_pdf_table_rows(tmp_path):
    text = read(make_pdf(tmp_path / "t.pdf", pages=2, table=True)).text
    assert "本年新收 | 64" in text.split("\n")
    assert "上年结转 | 3" in text.split("\n")


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    lines = read(make_docx(tmp_path / "r.docx")).text.split("\n")
    assert lines[:4] == BODY
    assert lines[4:6] == ["信息内容 | 本年制发件数 | 本年废止件数", "规章 | 2 | 0"]
    assert lines[6] == "三、收到和处理政府信息公开申请情况"


def test_jsonl_keeps_text_exactly(tmp_path):
    p = tmp_path / "batch.jsonl"
    texts = ["  一、总体情况\r\n全年 1 2 3 条\n\n", "第二份报告"]
    p.write_text("\n".join(json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(texts)), encoding="utf-8")
    reports = list(read_reports(p))
    assert [r.id for r in reports] == ["r0", "r1"]
    assert [r.text for r in reports] == texts
    with pytest.raises(ReportError, match="holds 2 reports"):
        read(p)


def _truncated_docx(path):
    make_docx(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _encrypted_pdf(path):
    from pypdf import PdfReader, PdfWriter

    src = make_pdf(path.with_name("plain.pdf"), pages=1)
    w = PdfWriter()
    for page in PdfReader(str(src)).pages:
        w.add_page(page)
    w.encrypt("secret")
    with open(path, "wb") as fh:
        w.write(fh)
    return path


BAD = {
    "empty": (lambda p: (p.write_bytes(b""), p)[1], "empty.txt", "empty file"),
    "binary": (lambda p: (p.write_bytes(bytes(range(256)) * 8), p)[1], "junk.txt", "binary"),
    "undecodable": (lambda p: (p.write_bytes("正文".encode("utf-8") + b"\x80\xff\x80 \xff\x81"), p)[1], "bad.txt", "undecodable|binary"),
    "corrupt_pdf": (lambda p: (p.write_bytes(b"%PDF-1.4\n garbage garbage"), p)[1], "c.pdf", "corrupt"),
    "encrypted_pdf": (_encrypted_pdf, "e.pdf", "encrypted"),
    "truncated_docx": (_truncated_docx, "t.docx", "truncated|corrupt"),
    "unknown_ext": (lambda p: (p.write_text("x"), p)[1], "r.xyz", "unknown extension"),
    "missing": (lambda p: p, "nothing-here.txt", "no such file"),
    "bad_jsonl": (lambda p: (p.write_text('{"id": 1, "text": "a"}\n{oops\n'), p)[1], "b.jsonl", "line 2: invalid JSON"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_raises_one_report_error(tmp_path, kind):
    make, name, cause = BAD[kind]
    path = make(tmp_path / name)
    with pytest.raises(ReportError) as info:
        list(read_reports(path))
    message = str(info.value)
    assert message.startswith(str(path) + ": ")
    assert "\n" not in message
    import re
    assert re.search(cause, message), message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_unreadable_file(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text("正文")
    p.chmod(0)
    with pytest.raises(ReportError, match="permission denied"):
        read(p)


def test_cli_prints_one_line_error_never_a_traceback(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "read", str(good), str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    err_lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert err_lines == [f"error: {bad}: corrupt or unreadable PDF" + err_lines[0].split("corrupt or unreadable PDF", 1)[1]]
    assert "good.txt" in proc.stdout


def test_permission_denied_is_reported(tmp_path, monkeypatch):
    # Root (as in CI) can read a chmod-0 file, so simulate the OS refusing it.
    from pathlib import Path

    p = tmp_path / "locked.txt"
    p.write_text("正文")
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(PermissionError(13, "Permission denied")) if self.name == "locked.txt" else real(self))
    with pytest.raises(ReportError, match="locked.txt: permission denied"):
        read(p)
