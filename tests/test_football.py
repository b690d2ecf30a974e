"""Clubs, national teams and competitions per article (extract/football.py): the gazetteer's
rules on small cases, and precision/recall against the entities annotated in the fixture
articles' ground truth."""

import tomllib
from importlib import resources

import pytest

from extract import extract_article
from extract.encoding import charset_from_content_type, decode_body
from extract.football import football_entities
from extract.site import SiteProfile
from tests.fixtures.golden import iter_golden_pages
from tests.test_golden import PRODUCTION


FOOTBALL = " Partita e gol."  # the football words without which an article names no teams


def ids(title, text="", section=None, tags=None):
    return sorted(e["id"] for e in football_entities(title, text + FOOTBALL, section, tags))


def test_aliases_nicknames_accents_and_title():
    ents = football_entities("La Beneamata vola", "L'Internazionale batte la Juve. I nerazzurri di Milano, la Vecchia Signora ko." + FOOTBALL)
    by_id = {e["id"]: e for e in ents}
    # "nerazzurri" is Inter's, Atalanta's and Pisa's: only Inter is named, so it is Inter's
    assert by_id["inter"]["mentions"] == 3 and by_id["inter"]["in_title"] is True
    assert by_id["juventus"]["mentions"] == 2 and by_id["juventus"]["in_title"] is False
    assert by_id["inter"]["kind"] == "club"
    assert ids("", "Il Südtirol e il Sudtirol; festa rossoblù per il Genoa") == ["genoa", "sudtirol"]


def test_longest_alias_first():
    assert ids("", "Messi all'Inter Miami") == ["inter-miami"]
    assert ids("", "La Juventus Next Gen batte il Bayern Monaco") == ["bayern-munich", "juventus-next-gen"]
    assert ids("Inter-Milan 2-1", "") == ["inter", "milan"]


def test_ambiguous_alias_needs_evidence_and_is_never_guessed():
    assert ids("", "I bianconeri vincono ancora.") == []
    assert ids("", "I bianconeri vincono ancora.", section="Udinese") == ["udinese"]
    assert ids("", "La Juventus ospita il Torino: i bianconeri favoriti.")[:1] == ["juventus"]
    # both owners named: "bianconeri" could be either, so it is left out
    ents = {e["id"]: e["mentions"] for e in football_entities("", "Juventus-Udinese: i bianconeri di casa." + FOOTBALL)}
    assert ents == {"juventus": 1, "udinese": 1}
    assert ids("", "Il grifone vola.") == []
    assert ids("", "Il grifone vola: il Perugia in testa.") == ["perugia"]


def test_towns_countries_and_case():
    assert ids("", "Tutti a Roma per la finale, in Belgio piove.") == []
    assert ids("", "La Roma batte il Belgio? No: la Roma batte il Lecce.") == ["belgio", "lecce", "roma"]
    assert ids("", "Un esterno dal Belgio, in arrivo dall'Italia.") == []
    assert ids("", "il toro scatenato, un diavolo per capello") == []
    assert ids("", "IL TORO VINCE") == ["torino"]
    assert ids("", "ROMA (Agenzia) - Vince la Lazio.") == ["lazio"]  # a dateline is the town


def test_an_article_not_about_football_names_no_teams():
    politics = "L'Argentina e gli Stati Uniti firmano un accordo: il Portogallo osserva. Vertice a Liverpool."
    assert football_entities("Accordo commerciale", politics) == []
    # the section is context: "Calcio estero" and one "partita" make it football
    assert {e["id"] for e in football_entities("Accordo", politics + " Dopo la partita.", section="Calcio estero")} \
        == {"argentina", "stati-uniti", "portogallo", "liverpool"}
    assert {e["id"] for e in football_entities("", "La Champions League e la Serie A: l'Argentina guarda.")} \
        == {"argentina", "champions-league", "serie-a"}


def test_gazetteer_has_the_italian_leagues():
    data = tomllib.loads(resources.files("extract").joinpath("gazetteer.toml").read_text(encoding="utf-8"))
    groups = [c.get("group", "") for c in data["club"]]
    assert groups.count("Serie A") == 20 and groups.count("Serie B") == 20
    assert [sum(g == f"Serie C girone {x}" for g in groups) for x in "ABC"] == [20, 20, 20]
    ids_ = [e["id"] for kind in data.values() for e in kind]
    assert len(ids_) == len(set(ids_))


def _fixture_scores():
    tp = fp = fn = 0
    misses = []
    for site, url, raw, content_type, expected in iter_golden_pages():
        html, _ = decode_body(raw, charset_from_content_type(content_type))
        result = extract_article(html, url, SiteProfile(name=site, url=PRODUCTION[site]))
        found = {e["id"] for e in result.entities}
        truth = set(expected["entities"])
        tp += len(found & truth)
        fp += len(found - truth)
        fn += len(truth - found)
        if found != truth:
            misses.append((url, sorted(found - truth), sorted(truth - found)))
    return tp, fp, fn, misses


def test_precision_and_recall_on_the_fixture_articles():
    tp, fp, fn, misses = _fixture_scores()
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nfootball entities on the fixture articles: precision {precision:.3f} recall {recall:.3f} "
          f"({tp} right, {fp} wrong, {fn} missed)")
    for m in misses:
        print("  ", *m)
    assert tp > 150
    assert precision >= 0.95, misses
    assert recall >= 0.90, misses


def test_the_sites_focus_is_evidence():
    assert ids("", "Il grifone vola.") == []
    assert sorted(e["id"] for e in football_entities("", "Il grifone vola." + FOOTBALL, focus=("genoa",))) == ["genoa"]
    profile = SiteProfile.from_dict({"name": "pianetagenoa", "url": "https://www.pianeta.example/",
                                     "football_focus": ["genoa"]})
    paragraphs = "".join(
        f"<p>Paragrafo {n}: una notte di festa per i rossoblù, che vincono il derby numero {n} e salgono in "
        f"classifica davanti ai propri tifosi, con una prestazione di carattere dall'inizio alla fine.</p>"
        for n in range(1, 6))
    html = ("<html><head><title>Festa</title><script type='application/ld+json'>"
            '{"@type": "NewsArticle", "headline": "Derby, il grifone vola", "datePublished": "2026-03-01T20:00:00+01:00"}'
            "</script></head><body><article><h1>Derby, il grifone vola</h1>" + paragraphs + "</article></body></html>")
    result = extract_article(html, "https://www.pianeta.example/2026/03/01/derby/", profile)
    assert result.status == "ok" and [e["id"] for e in result.entities] == ["genoa"]
