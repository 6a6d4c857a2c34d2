"""What every Word document the system writes shares: Chinese as the language of its
text, so Word and LibreOffice check spelling, break lines and pick fonts as for Chinese
(a document without it reads as English and gets Latin fonts for its punctuation)."""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

LANGUAGE = "zh-CN"
BODY_FONT = "宋体"


def set_chinese(document, east_asia_font: str | None = None) -> None:
    """Language zh-CN in the document defaults and properties; with `east_asia_font`,
    that font for Chinese text by default (documents we build; a hospital's own template
    keeps its fonts)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = _child(defaults, "w:rPrDefault")
    run_props = _child(run_defaults, "w:rPr")
    lang = _child(run_props, "w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    if east_asia_font:
        fonts = _child(run_props, "w:rFonts")
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)  # a theme font would win over ours
        fonts.set(qn("w:eastAsia"), east_asia_font)
    document.core_properties.language = LANGUAGE


def _child(parent, tag: str):
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if tag == "w:rFonts":
            parent.insert(0, found)  # the schema orders rFonts first in w:rPr
        else:
            parent.append(found)
    return found
