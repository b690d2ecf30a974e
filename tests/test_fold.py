"""The fast forms of the extraction's searches find exactly what the plain forms find."""

import random
import re

import pytest

from extract import boilerplate, embeds, fold, metadata, pagetype, walls
from extract.page import parse_html

FOLDED = [
    walls.CONSENT, walls.LOGIN, walls.BOT, walls.PAYWALL, *walls._MARKUP.values(), metadata._ANY_MARK,
    metadata._UPDATED_WORDS, metadata._TAG_HREF, pagetype._NOT_FOUND,
    boilerplate._noise_re(frozenset()), boilerplate._PROTECT_RE,
]
# texts of the pages' languages, and the characters re.I folds unlike str.lower()
PIECES = ["Accetta tutti", "COOKIE", "Mis à jour", "Ultimo   aggiornamento", "geändert", "AKTUALISIERT",
          "Stand:", "Página no encontrada", "404 Not Found", "Sei già abbonato?", "/TAGS/", "?t=", "Kelvin K",
          "İ", "ı", "ſ", "ß", "ẞ", "Σ", "é", "É", "\n", " ", "-", "update", "tag", "data", "Date", "x",
          "Related-", "ADV", "_Share", "COMMENTS", "Newsletter", "-wrapper", "Main"]


def _texts(n=400, seed=7):
    rnd = random.Random(seed)
    return ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 12))) for _ in range(n)]


@pytest.mark.parametrize("pattern", FOLDED, ids=lambda p: p.pattern[:24])
def test_folded_search_finds_what_re_ignorecase_finds(pattern):
    folded = fold.Folded(pattern)
    for text in _texts():
        assert [m.span() for m in folded.finditer(text)] == [m.span() for m in pattern.finditer(text)]
        assert [m.group(0).lower() for m in folded.finditer(text)] == [m.group(0).lower() for m in pattern.finditer(text)]


def test_folded_refuses_patterns_it_cannot_fold():
    for source in (r"Cookie", r"[a-z]+", r"\\Wcookie", r"\x43ookie"):
        with pytest.raises(ValueError):
            fold.Folded(re.compile(source, re.I))
    with pytest.raises(ValueError):
        fold.Folded(re.compile("cookie"))  # not re.I


@pytest.mark.parametrize("source", [r"\S+cookie", r"^[\W_]*(leggi|vedi) anche\b", r"\Bata\b", r"\d+\s+commenti?\Z",
                                    r"\Aaccetta\D"])
def test_category_escapes_fold_like_re_ignorecase(source):
    r"""\W, \S, \D, \B, \A and \Z name no cased character: a pattern with them folds."""
    pattern = re.compile(source, re.I)
    folded = fold.Folded(pattern)
    texts = _texts() + ["LEGGI ANCHE: il derby", "--Vedi anche", "12 COMMENTI", "ACCETTA tutti", "Data İ ſ"]
    for text in texts:
        assert [m.span() for m in folded.finditer(text)] == [m.span() for m in pattern.finditer(text)]


# boilerplate lines of the paragraph rules, written in the cases pages use
RULE_LINES = ["LEGGI ANCHE: Inter, la probabile formazione", "Leggi anche", "SEGUICI SU FACEBOOK", "Seguici su Instagram",
              "Annuncio pubblicitario", "ANNUNCIO PUBBLICITARIO", "12 Commenti", "Letto 1.234 volte", "RIPRODUZIONE RISERVATA",
              "© RIPRODUZIONE RISERVATA", "Read more: Juventus sign a striker", "RELATED ARTICLES", "Sign up to our newsletter",
              "Follow us on Twitter", "Photo: Getty Images", "FOTO: LAPRESSE", "Advertisement", "ADVERTISEMENT",
              "Lesen Sie auch: Bayern", "À LIRE AUSSI", "Lea también: Real Madrid", "Leia também", "Czytaj też: Legia",
              "Continua a leggere", "CONTINUA A LEGGERE", "Ascolta l'articolo", "Solo 1€ al mese", "Scarica l'app",
              "Tempo di lettura: 3 minuti", "3 min read", "Tags: Serie A, Inter", "Fonte: Ansa", "Torna su",
              "View this post on Instagram", "Il derby è finito 2-1 con gol di Lautaro al novantesimo minuto.", "İstanbul",
              "ſeguici su Facebook", "KELVIN K"]


def test_paragraph_rules_searched_folded_find_what_re_ignorecase_finds():
    def plain_first(text, language):
        words = text.split()
        for rule in boilerplate.PARAGRAPH_RULES:
            if len(words) <= rule.max_words and boilerplate._applies(rule, language) and rule.pattern.search(" ".join(words)):
                return rule.name
        return None

    folded = sum(boilerplate._plain(rule.pattern) is not None for rule in boilerplate.PARAGRAPH_RULES)
    assert folded >= 0.9 * len(boilerplate.PARAGRAPH_RULES)  # nearly all are searched the fast way
    hits = 0
    for line in RULE_LINES + _texts(200):
        for language in (None, "it", "en", "de", "fr", "es", "pt", "pl"):
            expected = plain_first(line, language)
            assert boilerplate.matching_rule(line, language) == expected, (line, language)
            hits += expected is not None
    assert hits > 50


def test_clock_times_are_counted_as_findall_counts_them():
    rnd = random.Random(3)
    texts = ["".join(rnd.choice("0123456789:.h+'’′ a٣\n") for _ in range(rnd.randint(1, 40))) for _ in range(3000)]
    texts += ["Ore 18:05 gol, 45+2' rigore, 12.30 e 3h15", "2026-12-03 20:45 | 21:00 | 90'"]
    for text in texts:
        assert pagetype.count_times(text, 10**9) == len(pagetype._TIME_ANY.findall(text))
        assert pagetype.count_times(text, 3) == min(3, len(pagetype._TIME_ANY.findall(text)))


PAGE = """<html><body>
<div class="Byline">di Mario Rossi</div><p>  Tags :  </p><span>ultimo</span><span>aggiornamento 2 dicembre 2026</span>
<p>Aggiornato il 2 dicembre 2026 alle 18:05</p><b>THEMEN</b><em>Tags:<b>Inter</b></em>
<div class="promo">Abbonati per continuare a leggere<br>1 € al mese<br>Sei già abbonato? Accedi</div>
<p>Scarica l'app<script>var s = "Scarica";</script>tail con WhatsApp</p>
</body></html>"""


def test_own_text_search_over_all_elements_matches_the_element_by_element_one():
    tree = parse_html(PAGE)
    cases = [(metadata._TOPIC_LABEL_APART, metadata._TOPIC_LABEL, True),
             (metadata._BYLINE_START_APART, metadata._BYLINE_START, True),
             (metadata._UPDATED_WORDS_APART, metadata._UPDATED_WORDS, False)]
    elements = list(tree.iter())
    for apart, pattern, at_start in cases:
        find = pattern.match if at_start else pattern.search
        expected = [el for el in elements if isinstance(el.tag, str) and find(el.text or "")]
        assert metadata._own_text_finds(elements, apart, pattern, at_start) == expected


def test_promo_hint_elements_come_in_walk_order():
    tree = parse_html(PAGE)
    body = tree.find("body")
    hints = frozenset(h for h in embeds._PROMO_HINTS if h in body.text_content())
    expected = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        if el.text and any(h in el.text for h in hints):
            expected.append(el)
        if el.tail and any(h in el.tail for h in hints) and el.getparent() is not None:
            expected.append(el.getparent())
    assert list(embeds._hint_elements(body, hints)) == expected
    assert len(embeds.find_promo_boxes(tree)) == 1
