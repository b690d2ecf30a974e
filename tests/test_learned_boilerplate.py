from archive.boilerplate import learn, learned_for
from archive.store import save_article
from extract import extract_article
from extract.article import Article

SIGNATURE = "Questo pezzo fa parte della rubrica settimanale curata dagli inviati di Curva Nord negli stadi di tutta Italia."
STORIES = [
    "La Lazio ha battuto il Monza con un gol di testa su calcio d'angolo nel secondo tempo.",
    "Il Napoli prepara la trasferta di Bergamo con due dubbi in difesa e un rientro importante.",
    "La Roma ha rinnovato il contratto del capitano fino al 2028, con un ingaggio in crescita.",
    "Il Torino ha presentato il nuovo centro sportivo, che sarà pronto per la prossima stagione.",
]


def test_recurring_paragraph_is_learned_and_dropped(fresh_db):
    for i, story in enumerate(STORIES):
        save_article(fresh_db, Article(url=f"https://www.curvanord.it/{i}/", site="curvanord", title=f"T{i}",
                                       text=f"{story}\n\n{SIGNATURE}", fetched_at="2026-11-26T10:00:00+00:00"))
    save_article(fresh_db, Article(url="https://www.altro.it/x/", site="altro", title="X",
                                   text=f"Altro testo.\n\n{SIGNATURE}", fetched_at="2026-11-26T10:00:00+00:00"))
    assert learn(fresh_db, "curvanord") == 1
    assert learn(fresh_db, "altro") == 0  # seen once on that site: not its boilerplate
    row = fresh_db.execute("select paragraph, pages from boilerplate where site = 'curvanord'").fetchone()
    assert row == (SIGNATURE, 4)
    learned = learned_for(fresh_db, "curvanord")
    assert learned_for(fresh_db, "altro") == frozenset()

    body = "".join(f"<p>{p}</p>" for p in (STORIES[0], STORIES[1], SIGNATURE))
    html = (f'<html lang="it"><head><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="2026-11-20T10:00:00+01:00"></head>'
            f"<body><article><h1>La Lazio batte il Monza</h1>{body}</article></body></html>")
    url = "https://www.curvanord.it/2026/11/20/la-lazio-batte-il-monza-di-testa/"
    assert SIGNATURE in extract_article(html, url).article.text
    text = extract_article(html, url, learned=learned).article.text
    assert SIGNATURE not in text and STORIES[1] in text


def test_relearning_keeps_first_seen(fresh_db):
    for i, story in enumerate(STORIES):
        save_article(fresh_db, Article(url=f"https://www.curvanord.it/{i}/", site="curvanord", title=f"T{i}",
                                       text=f"{story}\n\n{SIGNATURE}", fetched_at="2026-11-26T10:00:00+00:00"))
    learn(fresh_db, "curvanord")
    fresh_db.execute("update boilerplate set first_seen = '2026-01-01T00:00:00+00:00'")
    learn(fresh_db, "curvanord")
    assert fresh_db.execute("select first_seen from boilerplate").fetchone() == ("2026-01-01T00:00:00+00:00",)
