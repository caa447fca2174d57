"""Letters in other formats: plain text, Markdown, HTML (escaped, print-ready), PDF and DOCX.

Every format is laid out from the letter's parts, so values from the claim are escaped for
the format and never interpreted: a patient name with ``<`` or ``*`` comes out as those
characters in HTML and Markdown.

>>> from datetime import date
>>> from denialkit.letters import appeal, example_claim
>>> letter = appeal("CCM21", example_claim("CCM21"), letter_date=date(2026, 11, 2))
>>> render(letter, "md").splitlines()[14]
'**Re: Request for redetermination**\\\\'
>>> "<!DOCTYPE html>" in render(letter, "html")
True
>>> render(letter, "pdf")[:5]
b'%PDF-'

PDF output needs the ``pdf`` extra (``pip install 'denialkit[pdf]'``): fpdf2 and a Unicode
font (Source Sans Pro, from the ``font-source-sans-pro`` package; the system's DejaVu Sans is
used when that package is absent). DOCX output needs the ``docx`` extra (python-docx). Without
its extra, a format raises :class:`~denialkit.exceptions.MissingExtraError`, one line naming
the extra to install.
"""

from __future__ import annotations

import functools
import re
import textwrap
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Literal, overload

from .exceptions import MissingExtraError, TemplateRenderError

if TYPE_CHECKING:
    import jinja2

    from .letters import Letter

__all__ = [
    "FORMATS",
    "render",
    "render_docx",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_text",
]

FORMATS: Final = ("text", "md", "html", "pdf", "docx")
"""The output formats (``"markdown"`` is accepted for ``"md"``)."""


@overload
def render(letter: Letter, format: Literal["text", "md", "markdown", "html"] = "text") -> str: ...


@overload
def render(letter: Letter, format: Literal["pdf", "docx"]) -> bytes: ...


def render(letter: Letter, format: str = "text") -> str | bytes:
    """A letter in one of :data:`FORMATS`; PDF and DOCX come back as bytes.

    Raises:
        TypeError: ``letter`` is not a :class:`~denialkit.letters.Letter`.
        ValueError: an unknown format.
        MissingExtraError: PDF without the ``pdf`` extra, DOCX without the ``docx`` extra
            (an ``ImportError``).
    """
    _need_letter(letter)
    fmt = format.lower() if isinstance(format, str) else format
    if fmt == "text":
        return render_text(letter)
    if fmt in ("md", "markdown"):
        return render_markdown(letter)
    if fmt == "html":
        return render_html(letter)
    if fmt == "pdf":
        return render_pdf(letter)
    if fmt == "docx":
        return render_docx(letter)
    raise ValueError(f"unknown format; use one of {', '.join(FORMATS)}")


#: What every renderer reads of a letter: its parts. render.py sits above letters.py and
#: is called by ``Letter.render()``, so it checks these instead of importing ``Letter`` back.
_LETTER_PARTS: Final = (
    "sender", "date_line", "recipient", "subject", "salutation", "body", "request",
    "enclosures", "closing", "signature", "text",
)  # fmt: skip


def _need_letter(letter: object) -> None:
    if isinstance(letter, (str, bytes)) or not all(hasattr(letter, a) for a in _LETTER_PARTS):
        raise TypeError(f"expected a denialkit Letter, not {type(letter).__name__}")


# ------------------------------------------------------------------------ text

#: What no output format carries: every C0 and C1 control character except tab and newline
#: (NUL, CR, ESC, BEL, DEL, CSI...) and the Unicode line and paragraph separators.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _plain(text: str) -> str:
    """Text output's one neutraliser: drop every control character but tab and newline.

    The claim model refuses them already; this also covers template text and letters
    changed after they were built.

    >>> _plain("Acme\\x1b]0;PWNED\\x07\\x1b[2J\\r\\nNext\\tline")
    'Acme]0;PWNED[2J\\nNext\\tline'
    """
    return _CONTROL.sub("", text)


def render_text(letter: Letter, *, width: int | None = None) -> str:
    """The letter as plain text; with ``width``, paragraphs are wrapped to that many columns.

    Wrapping never breaks a word, so long values stay whole.

    >>> from datetime import date
    >>> from denialkit.letters import appeal, example_claim
    >>> letter = appeal("CCM21", example_claim("CCM21"), letter_date=date(2026, 11, 2))
    >>> max(len(line) for line in render_text(letter, width=72).splitlines()) <= 72
    True
    """
    _need_letter(letter)
    if width is None:
        return _plain(letter.text)
    if isinstance(width, bool) or not isinstance(width, int) or width < 20:
        raise ValueError("width must be a whole number of at least 20 columns")
    out = []
    for line in _plain(letter.text).split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        m = re.match(r"(- |\d+\. )", line)
        indent = " " * len(m.group(1)) if m else ""
        out.extend(
            textwrap.wrap(
                line,
                width=width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


# ------------------------------------------------------------------------ Markdown

_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]<>|~])|&(?=#?[A-Za-z0-9]+;)")
_MD_LINE_START: Final = re.compile(r"([-+=#]|\d+(?=[.)]))")


def _md(text: str) -> str:
    """Markdown output's one neutraliser: escape text so Markdown shows it as written, on
    every line of it.

    Control characters go as in text output; on each line, leading blanks go (four would
    start a code block), and inline syntax (``* _ ` [ ] < > | ~ \\``, entities) and
    line-leading syntax (``# - + =``, ``1.`` and ``1)``) are escaped.

    >>> print(_md("Acme\\n# Heading\\n    code\\n12. item\\n- item"))
    Acme
    \\# Heading
    code
    12\\. item
    \\- item
    """
    return "\n".join(_md_line(line) for line in _plain(text).split("\n"))


def _md_line(line: str) -> str:
    out = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), line.lstrip(" \t"))
    m = _MD_LINE_START.match(out)
    if m is None:
        return out
    if m.group(1)[0].isdigit():  # "12. x" -> "12\. x"
        return out[: m.end()] + "\\" + out[m.end() :]
    return "\\" + out


def _md_paragraph(para: str, *, lists: bool = True) -> str:
    """A paragraph; with ``lists``, its lines starting ``- `` are the letter's list items
    (the quoted denial's codes, a template's list). The opening and the request have none."""
    lines = []
    for line in para.split("\n"):
        if not line.strip():  # a blank line inside a value never starts a paragraph
            continue
        if lists and line.startswith("- "):
            lines.append("- " + _md(line[2:]))
        else:
            lines.append(_md(line))
    return "\n".join(lines)


def _hard(lines: tuple[str, ...] | list[str]) -> str:
    """Lines of a block (sender, recipient, subject, signature) with hard breaks; a value
    holding line breaks gives lines of the same block, never a block of its own."""
    return "\\\n".join(x for line in lines for x in line.split("\n") if x.strip())


def render_markdown(letter: Letter) -> str:
    """The letter as Markdown (CommonMark), every value escaped.

    >>> from datetime import date
    >>> from denialkit.letters import appeal, example_claim
    >>> md = render_markdown(appeal("CO-16", example_claim("CO-16"), letter_date=date(2026, 11, 2)))
    >>> "Jordan O'Brien" in md, "1. Copy of the denial notice dated October 6, 2026" in md
    (True, True)
    """
    _need_letter(letter)
    blocks = [
        _hard([_md(x) for x in letter.sender]),
        _md(letter.date_line),
        _hard([_md(x) for x in letter.recipient]),
        _hard(
            [
                f"**{_md(k)}:** {_md(v)}" if k != "Re" else f"**Re: {_md(v)}**"
                for k, v in letter.subject
            ]
        ),
        _md(letter.salutation),
        _md_paragraph(letter.opening, lists=False),
        *(_md_paragraph(p) for p in (*letter.denial, *letter.argument)),
        _md_paragraph(letter.request, lists=False),
        "**Enclosures**",
        "\n".join(f"{i}. {_md(e)}" for i, e in enumerate(letter.enclosures, 1)),
        _md(letter.closing),
        _hard([_md(x) for x in letter.signature]),
    ]
    return "\n\n".join(b for b in blocks if b) + "\n"


# ------------------------------------------------------------------------ HTML

_HTML: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="denialkit">
<title>{{ mark(title) }}</title>
<style>
@page { size: letter; margin: 1in; }
html { color: #111; background: #fff; }
body { font-family: "Source Sans Pro", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
       font-size: 11pt; line-height: 1.45; max-width: 6.5in; margin: 1in auto; }
address { font-style: normal; margin: 0 0 1.2em; }
p, ul, ol { margin: 0 0 0.9em; }
.subject { margin: 0 0 1.2em; }
.subject .re { font-weight: bold; }
.subject b { font-weight: 600; }
.enclosures h2 { font-size: 1em; margin: 1.2em 0 0.3em; }
.signature { margin-top: 2.4em; }
mark.missing { background: #ffe08a; padding: 0 0.15em; }
@media print {
  body { margin: 0; max-width: none; }
  mark.missing { outline: 1px solid #000; }
  .enclosures, .signature { break-inside: avoid; }
}
</style>
</head>
<body>
<main class="letter">
<address class="sender">{{ lines(letter.sender) }}</address>
<p class="date"><time datetime="{{ letter.letter_date.isoformat() }}">
{{- mark(letter.date_line) -}}
</time></p>
<address class="recipient">{{ lines(letter.recipient) }}</address>
<p class="subject">
{% for label, value in letter.subject %}
{% if loop.first %}
<span class="re">Re: {{ mark(value) }}</span>{% if not loop.last %}<br>{% endif %}
{% else %}
<b>{{ mark(label) }}:</b> {{ mark(value) }}{% if not loop.last %}<br>{% endif %}
{% endif %}

{% endfor %}
</p>
<p class="salutation">{{ mark(letter.salutation) }}</p>
{% for head, items in paragraphs %}
{% if head %}<p>{{ mark(head) }}</p>
{% endif %}
{% if items %}<ul>
{% for item in items %}<li>{{ mark(item) }}</li>
{% endfor %}</ul>
{% endif %}
{% endfor %}
<p class="request">{{ mark(letter.request) }}</p>
<section class="enclosures">
<h2>Enclosures</h2>
<ol>
{% for item in letter.enclosures %}<li>{{ mark(item) }}</li>
{% endfor %}</ol>
</section>
<p class="closing">{{ mark(letter.closing) }}</p>
<p class="signature">{{ lines(letter.signature) }}</p>
</main>
</body>
</html>
"""

_MARKER: Final = re.compile(r"\[MISSING: [^\]\n]{1,200}\]")


@functools.lru_cache(maxsize=1)
def _html_template() -> jinja2.Template:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(_HTML)


def _split(para: str) -> tuple[str, tuple[str, ...]]:
    head = [x for x in para.split("\n") if not x.startswith("- ")]
    items = tuple(x[2:] for x in para.split("\n") if x.startswith("- "))
    return " ".join(head), items


def render_html(letter: Letter) -> str:
    """The letter as a standalone, print-ready HTML page; every value is escaped and each
    ``[MISSING: ...]`` marker is highlighted.

    >>> from datetime import date
    >>> from denialkit.letters import appeal, example_claim
    >>> claim = example_claim("CO-16")
    >>> claim = claim.evolve(patient=claim.patient.__class__(name="<b>O'Brien & Sons</b>",
    ...                                                     member_id="W1"))
    >>> page = render_html(appeal("CO-16", claim, letter_date=date(2026, 11, 2)))
    >>> "&lt;b&gt;O&#39;Brien &amp; Sons&lt;/b&gt;" in page, "<b>O'Brien" in page
    (True, False)
    """
    _need_letter(letter)
    from markupsafe import Markup, escape

    def mark(text: str) -> Markup:
        safe = str(escape(_plain(text)))
        return Markup(_MARKER.sub(lambda m: f'<mark class="missing">{m.group(0)}</mark>', safe))

    def lines(items: tuple[str, ...]) -> Markup:
        return Markup("<br>\n").join(mark(x) for x in items)

    return _html_template().render(
        letter=letter,
        title=letter.subject[0][1],
        paragraphs=[_split(p) for p in letter.body],
        mark=mark,
        lines=lines,
    )


# ------------------------------------------------------------------------ PDF

_SYSTEM_FONTS: Final = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
    ("C:\\Windows\\Fonts\\arial.ttf", "C:\\Windows\\Fonts\\arialbd.ttf"),
)


@functools.lru_cache(maxsize=1)
def _fonts() -> tuple[Any, Any, frozenset[int]]:
    """The regular and bold TTF files (Source Sans Pro from its package, else a system font)
    and the code points both can draw."""
    import io
    from pathlib import Path

    try:
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
    except ImportError:
        raise MissingExtraError("pdf", "PDF output", "fpdf2") from None

    pair: tuple[Any, Any] | None = None
    try:
        from ._compat import files

        base = files("font_source_sans_pro").joinpath("files")
        candidate = (
            base.joinpath("SourceSansPro-Regular.ttf"),
            base.joinpath("SourceSansPro-Bold.ttf"),
        )
        if candidate[0].is_file() and candidate[1].is_file():
            pair = candidate
    except ImportError:
        pass
    if pair is None:
        for regular, bold in _SYSTEM_FONTS:
            if Path(regular).is_file() and Path(bold).is_file():
                pair = (Path(regular), Path(bold))
                break
    if pair is None:
        raise MissingExtraError("pdf", "PDF output", "a Unicode font (font-source-sans-pro)")
    cmaps = [set(TTFont(io.BytesIO(f.read_bytes()), lazy=True).getBestCmap()) for f in pair]
    return pair[0], pair[1], frozenset(cmaps[0] & cmaps[1])


def _cleaner(drawable: frozenset[int]) -> Callable[[str], str]:
    def clean(text: str) -> str:
        # NFC so decomposed accents draw as one glyph; drop bidi and other invisible format
        # controls (the validator flags them in the text letter); a character the font cannot
        # draw becomes "?" (fpdf2 would otherwise log the character itself), and a tab, which
        # the font has no glyph for either, a space
        out = []
        for ch in unicodedata.normalize("NFC", _plain(text)):
            if unicodedata.category(ch) == "Cf":
                continue
            out.append(ch if ord(ch) in drawable or ch == "\n" else " " if ch == "\t" else "?")
        return "".join(out)

    return clean


def render_pdf(letter: Letter) -> bytes:
    """The letter as a US Letter PDF with 1-inch margins; text is searchable and extractable.

    Raises:
        MissingExtraError: fpdf2 or a Unicode font is missing: install ``denialkit[pdf]``.
        TemplateRenderError: the letter holds text a PDF cannot carry (lone surrogates).
    """
    _need_letter(letter)
    try:
        from fpdf import FPDF
    except ImportError:
        raise MissingExtraError("pdf", "PDF output", "fpdf2") from None
    from contextlib import ExitStack
    from importlib.resources import as_file

    regular, bold, drawable = _fonts()
    _clean = _cleaner(drawable)
    stack = ExitStack()
    pdf: Any = FPDF(format="letter", unit="pt")
    pdf.set_margins(72, 72, 72)
    pdf.set_auto_page_break(True, 72)
    pdf.set_creator("denialkit")
    pdf.set_title(_clean(letter.subject[0][1]))
    with stack:
        pdf.add_font("Letter", "", str(stack.enter_context(as_file(regular))))
        pdf.add_font("Letter", "B", str(stack.enter_context(as_file(bold))))
    pdf.add_page()
    size, lead = 11, 15.5

    def write(text: str, *, style: str = "", gap: float = 0.7) -> None:
        pdf.set_font("Letter", style, size)
        pdf.multi_cell(0, lead, _clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(lead * gap)

    def block(lines: tuple[str, ...] | list[str], *, style: str = "") -> None:
        for i, line in enumerate(lines):
            write(line, style=style, gap=0.7 if i == len(lines) - 1 else 0)

    def paragraph(para: str) -> None:
        head, items = _split(para)
        if head:
            write(head, gap=0.7 if not items else 0.3)
        for item in items:
            pdf.set_font("Letter", "", size)
            pdf.cell(14, lead, "\u2022")
            pdf.multi_cell(0, lead, _clean(item), align="L", new_x="LMARGIN", new_y="NEXT")
        if items:
            pdf.ln(lead * 0.7)

    try:
        block(letter.sender)
        block([letter.date_line])
        block(letter.recipient)
        first, *rest = letter.subject
        write(f"Re: {first[1]}", style="B", gap=0)
        block([f"{k}: {v}" for k, v in rest])
        write(letter.salutation)
        for para in letter.body:
            paragraph(para)
        write(letter.request)
        write("Enclosures", style="B", gap=0.2)
        pdf.set_font("Letter", "", size)
        for i, item in enumerate(letter.enclosures, 1):
            pdf.cell(20, lead, f"{i}.")
            pdf.multi_cell(0, lead, _clean(item), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(lead * 0.7)
        write(letter.closing, gap=2.0)
        block(letter.signature)
        return bytes(pdf.output())
    except UnicodeEncodeError:
        pass
    # raised outside the handler so the encoding error (which quotes text) is not attached
    raise TemplateRenderError(
        "the letter holds characters a PDF cannot carry (such as lone surrogates)",
        template=letter.template,
    )


# ------------------------------------------------------------------------ DOCX

#: Every zip entry and the document's own dates carry this moment, so the same letter gives
#: the same bytes (the zip format cannot say an earlier time).
_FIXED_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
_XML_BAD: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _docx_text(text: str) -> str:
    """NFC, without the characters XML cannot hold and the invisible format controls (the
    validator flags them in the text letter)."""
    text = _XML_BAD.sub("", unicodedata.normalize("NFC", _plain(text)))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def render_docx(letter: Letter) -> bytes:
    """The letter as a Word document (US Letter, 1-inch margins), built from its parts.

    The bytes are the same for the same letter (fixed zip timestamps and document dates),
    and the document's properties hold no patient data: its title is the request
    (``"Request for redetermination"``), its author ``denialkit``.

    Raises:
        MissingExtraError: python-docx is missing: install ``denialkit[docx]``.
    """
    _need_letter(letter)
    try:
        import docx
        from docx.enum.text import WD_BREAK
        from docx.shared import Inches, Pt
    except ImportError:
        raise MissingExtraError("docx", "DOCX output", "python-docx") from None
    import io

    doc: Any = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    _docx_properties(doc, letter)

    def lines(items: tuple[str, ...] | list[str], *, bold_first: bool = False) -> None:
        para = doc.add_paragraph()
        for i, line in enumerate(items):
            if i:
                para.runs[-1].add_break(WD_BREAK.LINE)
            para.add_run(_docx_text(line)).bold = bold_first and i == 0

    lines(letter.sender)
    lines([letter.date_line])
    lines(letter.recipient)
    first, *rest = letter.subject
    lines([f"Re: {first[1]}", *(f"{k}: {v}" for k, v in rest)], bold_first=True)
    doc.add_paragraph(_docx_text(letter.salutation))
    for para in letter.body:
        head, items = _split(para)
        if head:
            doc.add_paragraph(_docx_text(head))
        for item in items:
            doc.add_paragraph(_docx_text(item), style="List Bullet")
    doc.add_paragraph(_docx_text(letter.request))
    doc.add_paragraph().add_run("Enclosures").bold = True
    for i, item in enumerate(letter.enclosures, 1):
        doc.add_paragraph(_docx_text(f"{i}. {item}"))
    doc.add_paragraph(_docx_text(letter.closing))
    lines(letter.signature)
    fixed = _write_fixed(doc)
    if fixed is not None:
        return fixed
    raw = io.BytesIO()
    doc.save(raw)
    return _fixed_zip(raw.getvalue())


def _docx_properties(doc: Any, letter: Letter) -> None:
    """Document properties without patient data, and fixed dates."""
    from datetime import UTC, datetime

    props = doc.core_properties
    fixed = datetime(*_FIXED_ZIP_TIME, tzinfo=UTC)
    for name in ("subject", "keywords", "category", "comments", "content_status"):
        setattr(props, name, "")
    for name in ("identifier", "language", "version"):
        setattr(props, name, "")
    props.title = _docx_text(letter.subject[0][1])
    props.author = "denialkit"
    props.last_modified_by = "denialkit"
    props.revision = 1
    props.created = fixed
    props.modified = fixed
    props.last_printed = fixed


def _write_fixed(doc: Any) -> bytes | None:
    """The document's zip written once, with fixed entries, as :func:`_fixed_zip` would give
    for ``doc.save()``'s output, without compressing every part twice.

    This drives python-docx's package writer (whose step methods are not public API), so
    ``None`` when that writer is not the one this was written against: the caller then
    saves and rewrites the zip, which gives the same bytes (a test compares the two).
    """
    import io
    import zipfile

    try:
        from docx.opc.pkgwriter import PackageWriter

        package = doc.part.package
        steps: tuple[Any, ...] = (
            PackageWriter._write_content_types_stream,
            PackageWriter._write_pkg_rels,
            PackageWriter._write_parts,
        )
        parts, rels = package.parts, package.rels
    except (ImportError, AttributeError):
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        sink = _FixedEntries(dst)
        for part in parts:
            part.before_marshal()
        steps[0](sink, parts)
        steps[1](sink, rels)
        steps[2](sink, parts)
    return out.getvalue()


class _FixedEntries:
    """A package sink for python-docx's writer: each member a zip entry with the fixed time."""

    def __init__(self, dst: Any) -> None:
        self._dst = dst

    def write(self, pack_uri: Any, blob: bytes) -> None:
        import zipfile

        entry = zipfile.ZipInfo(pack_uri.membername, date_time=_FIXED_ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16
        entry.create_system = 0
        self._dst.writestr(entry, blob)


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's time fixed and a fixed order of entries."""
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 0
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
