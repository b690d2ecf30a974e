import codecs

from extract.encoding import choose_encoding, decode_body

TEXT = "Perché più città"


def test_wrong_utf8_header_on_windows_1252_body_uses_the_declaration():
    body = f'<html><head><meta charset="windows-1252"></head><body><p>{TEXT}</p>'.encode("cp1252")
    enc, overridden = choose_encoding(body, "utf-8")
    assert overridden and enc == "cp1252"
    assert TEXT in decode_body(body, "utf-8")[0]


def test_wrong_utf8_header_without_declaration_falls_back_to_windows_1252():
    body = f"<p>{TEXT}</p>".encode("latin-1")
    text, _ = decode_body(body, "utf-8")
    assert TEXT in text and "\ufffd" not in text


def test_latin1_header_on_utf8_body_is_utf8():
    body = f"<p>{TEXT}</p>".encode("utf-8")
    text, enc = decode_body(body, "iso-8859-1")
    assert enc == "utf-8" and TEXT in text and "Ã" not in text


def test_bom_wins_over_header():
    text, enc = decode_body(codecs.BOM_UTF8 + TEXT.encode(), "iso-8859-1")
    assert text == TEXT and enc == "utf-8"


def test_no_header_reads_meta_declaration():
    body = (f'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>{TEXT}</p>').encode("latin-1")
    text, enc = decode_body(body, None)
    assert TEXT in text and enc == "cp1252"


def test_plain_ascii_with_utf8_header_unchanged():
    assert choose_encoding(b"<p>hello</p>", "utf-8") == ("utf-8", False)
