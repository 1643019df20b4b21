"""Builders for report fixtures of every format, generated in the tests (no binary files shipped)."""

from __future__ import annotations

from pathlib import Path

BODY = [
    "某县人民政府2020年政府信息公开工作年度报告",
    "一、总体情况",
    "2020年，全县主动公开政府信息1234条，受理政府信息公开申请56件。",
    "二、主动公开政府信息情况",
]


def make_pdf(path: Path, pages: int = 3, table: bool = False) -> Path:
    from reportlab.lib import colors
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for page in range(pages):
        c.setFont("STSong-Light", 9)
        c.drawString(72, 800, "某县人民政府办公室文件")            # running header
        c.setFont("STSong-Light", 12)
        c.drawString(72, 740, f"第{page + 1}部分：全年主动公开政府信息{1000 + page}条。")
        c.drawString(72, 720, ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"][page % 3])
        if table and page == 0:
            xs, ys = [72, 222, 372], [600, 620, 640]
            c.setStrokeColor(colors.black)
            for y in ys:
                c.line(xs[0], y, xs[-1], y)
            for x in xs:
                c.line(x, ys[0], x, ys[-1])
            c.drawString(80, 625, "本年新收")
            c.drawString(230, 625, "64")
            c.drawString(80, 605, "上年结转")
            c.drawString(230, 605, "3")
        c.drawString(290, 40, f"- {page + 1} -")                  # page number
        c.showPage()
    c.save()
    return path


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in BODY:
        d.add_paragraph(line)
    t = d.add_table(rows=2, cols=3)
    for i, row in enumerate([["信息内容", "本年制发件数", "本年废止件数"], ["规章", "2", "0"]]):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.save(str(path))
    return path


HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>年度报告</title>
<style>.x{color:red}</style><script>var a = "主动公开9999条";</script></head>
<body><div class="nav">首页 | 政务公开 | 年度报告</div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>
<div id="zoom" class="content">
<p>某县人民政府2020年政府信息公开工作年度报告</p>
<p>一、总体情况</p><p>全县主动公开政府信息<b>1234</b>条。</p>
<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>2</td></tr></table>
<div>二、主动公开政府信息情况<br>（一）规章</div>
</div>
<div class="footer">主办单位：某县人民政府办公室</div>
</body></html>"""
