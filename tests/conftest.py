import pytest

from archive.db import open_db


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "calcio.db"


@pytest.fixture
def fresh_db(db_path):
    db = open_db(db_path)
    yield db
    db.close()
