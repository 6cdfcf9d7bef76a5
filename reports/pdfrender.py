"""Lay out an HTML page as PDF in a process of its own: `python -I reports/pdfrender.py < page.html > page.pdf`.

WeasyPrint loads the CJK fonts (20–27 MB each) and lays out pages in native memory that a long-lived
web worker would keep after the PDF is sent (≈160 MB for an annual summary): the worker hands the HTML
to this short-lived process instead, which returns that memory to the system when it exits. It imports
nothing of Django: the page arrives complete (styles inline, charts as data: URLs)."""

import sys


def main() -> int:
    from weasyprint import HTML

    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(HTML(string=html, base_url=None).write_pdf(uncompressed_pdf=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
